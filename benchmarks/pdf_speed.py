"""Benchmark of issue 7's fast PDF path: pages/s and text quality, pdfplumber only vs PDFium first.

    python benchmarks/pdf_speed.py [--corpus DIR] [--repeat N]

One process, the same PDFs for both paths (every PDF under ../shared/corpus/real):
  * pages/s per document and in total for parse_pdf(fast=False), which reads every page with
    pdfplumber as before, and parse_pdf(fast=True), which reads with PDFium what pdf_fast
    accepts; the best of --repeat runs each, and the ratio;
  * which reader took each page, and why pdfplumber took the ones it did;
  * quality on the golden files of tests/ingest/parse/golden that name a PDF: every assertion the
    golden test makes, counted one by one, for each path;
  * the word-level difference between the two paths' texts (whole documents after running
    heads, page numbers and hyphenation are handled), with the differing words shown.
Figures, not assertions: tests/ingest/parse/pdf/test_fast.py checks correctness.
"""
from __future__ import annotations

import argparse
import difflib
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.model import ParsedDocument  # noqa: E402
from ingest.parse.pdf.parse import PDFIUM, parse_pdf, parse_pdf_routed  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
GOLDEN = ROOT / "tests" / "ingest" / "golden"


@dataclass
class Run:
    """One PDF parsed both ways."""

    path: Path
    old: ParsedDocument  # pdfplumber only
    new: ParsedDocument  # PDFium first
    routes: tuple[str, ...]  # which reader took each page (new)
    old_seconds: float
    new_seconds: float


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="corpus root (PDFs under real/)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per path and document; the best counts")
    args = parser.parse_args()
    paths = sorted((args.corpus / "real").rglob("*.pdf"))
    if not paths:
        sys.exit(f"no PDFs under {args.corpus / 'real'}")
    parse_pdf(paths[0].read_bytes())  # imports and PDFium's first-use set-up stay out of the timing
    runs = [run(path, args.repeat) for path in paths]
    print_speed(runs, args.corpus, args.repeat)
    print_readers(runs)
    print_word_diff(runs)
    print_golden(runs, args.corpus)


def run(path: Path, repeat: int) -> Run:
    data = path.read_bytes()
    old, old_seconds = _best(lambda: parse_pdf(data, fast=False), repeat)
    (new, routes), new_seconds = _best(lambda: parse_pdf_routed(data, fast=True), repeat)
    return Run(path, old, new, routes, old_seconds, new_seconds)


def print_speed(runs: list[Run], corpus: Path, repeat: int) -> None:
    print(f"PDF parse, one process, best of {repeat}: pdfplumber only (old) vs PDFium first (new)\n")
    print(f"{'document':44} {'pages':>5} {'old p/s':>8} {'new p/s':>8} {'ratio':>6} {'word diff':>9}"
          "  pages pdfplumber read (why)")
    for r in runs:
        pages = len(r.new.pages)
        words, changed, _ = word_diff(r.old.text, r.new.text)
        speeds = f"{pages / r.old_seconds:8.1f} {pages / r.new_seconds:8.1f} {r.old_seconds / r.new_seconds:5.1f}×"
        diff = f"{100 * changed / max(words, 1):8.2f}%"
        print(f"{_short(r.path, corpus):44} {pages:5d} {speeds} {diff}  {_fallbacks(r.routes)}")
    pages = sum(len(r.new.pages) for r in runs)
    old, new = sum(r.old_seconds for r in runs), sum(r.new_seconds for r in runs)
    print(f"{'total':44} {pages:5d} {pages / old:8.1f} {pages / new:8.1f} {old / new:5.1f}×")


def print_readers(runs: list[Run]) -> None:
    counts = Counter(route for r in runs for route in r.routes)
    print(f"\nReaders: PDFium {counts[PDFIUM]} of {sum(counts.values())} pages; the others:")
    for route, n in counts.most_common():
        if route != PDFIUM:
            print(f"  {n:4d}  {route}")


def print_word_diff(runs: list[Run], shown: int = 40) -> None:
    words = changed = 0
    places = []
    for r in runs:
        w, c, diffs = word_diff(r.old.text, r.new.text)
        words, changed = words + w, changed + c
        places += [(r.path.name, a, b) for a, b in diffs]
    share = 100 * changed / max(words, 1)
    print(f"\nWord-level difference, new vs old: {changed} of {words} words ({share:.3f} %), in {len(places)} places:")
    for name, a, b in places[:shown]:
        print(f"  {name[:28]:28}  old {' '.join(a)[:60]!r:64} new {' '.join(b)[:60]!r}")
    if len(places) > shown:
        print(f"  … and {len(places) - shown} more")


def print_golden(runs: list[Run], corpus: Path) -> None:
    print("\nGolden files (tests/ingest/parse/golden, the PDF cases): assertions passed")
    by_document = {str(r.path.relative_to(corpus)): r for r in runs}
    old_sum = new_sum = all_sum = 0
    for case in sorted(GOLDEN.glob("*.json")):
        expected = json.loads(case.read_text(encoding="utf-8"))
        if expected["document"] not in by_document:
            continue
        r = by_document[expected["document"]]
        old_ok, total, old_failures = golden_checks(r.old, expected)
        new_ok, _, new_failures = golden_checks(r.new, expected)
        old_sum, new_sum, all_sum = old_sum + old_ok, new_sum + new_ok, all_sum + total
        print(f"  {case.stem:44} old {old_ok:3d}/{total}  new {new_ok:3d}/{total}")
        for failure in sorted(set(old_failures) | set(new_failures)):
            who = " and ".join(w for w, f in (("old", old_failures), ("new", new_failures)) if failure in f)
            print(f"      {who} fail: {failure}")
    print(f"  {'all':44} old {old_sum:3d}/{all_sum}  new {new_sum:3d}/{all_sum}")


def _best(run, repeat: int):
    """(result, seconds) of the fastest of `repeat` calls."""
    best = None
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        result = run()
        seconds = time.perf_counter() - start
        if best is None or seconds < best[1]:
            best = (result, seconds)
    return best


def _short(path: Path, corpus: Path) -> str:
    name = str(path.relative_to(corpus / "real"))
    return name if len(name) <= 44 else name[:20] + "…" + name[-23:]


def _fallbacks(routes: tuple[str, ...]) -> str:
    """'4, 10, 15–17 (two columns or a table); 25 (little text)': the pages pdfplumber read."""
    by_reason: dict[str, list[int]] = {}
    for number, route in enumerate(routes, start=1):
        if route != PDFIUM:
            by_reason.setdefault(route.split(": ", 1)[-1], []).append(number)
    return "; ".join(f"{_ranges(numbers)} ({reason})" for reason, numbers in by_reason.items())


def _ranges(numbers: list[int]) -> str:
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def word_diff(old: str, new: str) -> tuple[int, int, list[tuple[list[str], list[str]]]]:
    """Words in old, words changed (the longer side of each difference), and the differences."""
    a, b = old.split(), new.split()
    changed, diffs = 0, []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            changed += max(i2 - i1, j2 - j1)
            diffs.append((a[i1:i2], b[j1:j2]))
    return len(a), changed, diffs


def golden_checks(doc: ParsedDocument, expected: dict) -> tuple[int, int, list[str]]:
    """Passed and total assertions of one golden case (as tests/ingest/parse/test_golden.py
    makes them, each list item counted on its own), and the failures."""
    checks: list[tuple[str, bool]] = []
    for key in ("media_type", "title", "date"):
        if key in expected:
            checks.append((key, getattr(doc, key) == expected[key]))
    if "page_count" in expected:
        numbers = [p.number for p in doc.pages]
        in_order = numbers == list(range(1, len(numbers) + 1))
        checks.append(("page_count", len(doc.pages) == expected["page_count"] and in_order))
    for heading in expected.get("headings_include", []):
        checks.append((f"heading {heading!r}", heading in doc.headings))
    checks += _text_checks(doc.text, expected, "text")
    for number, want in expected.get("pages", {}).items():
        text = doc.pages[int(number) - 1].text if int(number) <= len(doc.pages) else ""
        checks += _text_checks(text, want, f"page {number}")
    if "no_text_layer" in expected:
        scans = [p for p in doc.pages if not p.has_text_layer]
        checks.append(("no_text_layer", [p.number for p in scans] == expected["no_text_layer"]
                       and all(p.text == "" for p in scans)))
    for warning in expected.get("warnings_include", []):
        checks.append((f"warning {warning!r}", warning in doc.warnings))
    failures = [name for name, ok in checks if not ok]
    return len(checks) - len(failures), len(checks), failures


def _text_checks(text: str, want: dict, where: str) -> list[tuple[str, bool]]:
    checks = [(f"{where} contains {s!r}", s in text) for s in want.get("contains", [])]
    checks += [(f"{where} lacks {s!r}", s not in text) for s in want.get("not_contains", [])]
    position = 0
    for s in want.get("in_order", []):
        found = text.find(s, position)
        checks.append((f"{where} in order {s!r}", found >= 0))
        position = found + len(s) if found >= 0 else position
    return checks


if __name__ == "__main__":
    main()
