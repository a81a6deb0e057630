"""Benchmark: precision, recall and F1 of `ingest.extract.dnr.find` on the real corpus, and its speed.

Run from the repository root:

    python benchmarks/dnr_eval.py            # seeds + every file under corpus/real (PDFs too, ~25 s)
    python benchmarks/dnr_eval.py --no-pdf   # skip the PDFs (fast)
    python benchmarks/dnr_eval.py -v         # list each document's misses and extras

Expected sets: seeds/gold.json ("dnr" of each seed) and benchmarks/dnr_expected.json (hand-made,
one set of canonical forms per file under corpus/real). Scoring is per document on the set of
canonical forms found (micro-averaged). Throughput is `find` alone over the extracted texts.
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.extract import dnr  # noqa: E402

CORPUS = ROOT / ".." / "shared" / "corpus"
EXPECTED = Path(__file__).resolve().parent / "dnr_expected.json"


def extract_text(path: Path) -> str:
    """Plain text of a corpus file (Markdown/text as is, HTML, PDF, DOCX)."""
    if path.suffix in (".md", ".markdown", ".txt"):
        return path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

        warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)
        return BeautifulSoup(path.read_bytes(), "lxml").get_text("\n")
    if path.suffix == ".pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return "\n\n".join(page.extract_text() or "" for page in pdf.pages)
    if path.suffix == ".docx":
        import docx

        document = docx.Document(io.BytesIO(path.read_bytes()))
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                cells: list[str] = []
                for cell in row.cells:  # merged cells repeat: keep one
                    if not cells or cells[-1] != cell.text:
                        cells.append(cell.text)
                lines.append(" | ".join(cells))
        return "\n".join(lines)
    raise ValueError(f"no text extractor for {path}")


def load_cases(with_pdf: bool, corpus: Path = CORPUS) -> list[tuple[str, str, set[str]]]:
    """(name, text, expected canonical forms) for the seeds and the real files of corpus."""
    cases = []
    gold = json.loads((corpus / "seeds" / "gold.json").read_text(encoding="utf-8"))
    for name, doc in sorted(gold["documents"].items()):
        text = (corpus / "seeds" / name).read_text(encoding="utf-8")
        cases.append((f"seeds/{name}", text, set(doc["dnr"])))
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))["documents"]
    for name, dnrs in sorted(expected.items()):
        path = corpus / "real" / name
        if path.suffix == ".pdf" and not with_pdf:
            continue
        cases.append((f"real/{name}", extract_text(path), set(dnrs)))
    return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pdf", action="store_true", help="skip PDF files")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and extras")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS.resolve()}", file=sys.stderr)
        return 2

    cases = load_cases(with_pdf=not args.no_pdf)
    tp = fp = fn = 0
    for name, text, expected in cases:
        found = {m.canonical for m in dnr.find(text)}
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
        if args.verbose and found != expected:
            print(f"{name}\n    missed: {sorted(expected - found)}\n    extra:  {sorted(found - expected)}")

    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    texts = [text for _, text, _ in cases]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    rounds = 5
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            dnr.find(text)
    seconds = (time.perf_counter() - started) / rounds

    print(f"documents: {len(cases)}  expected dnr: {tp + fn}  found: {tp + fp}")
    print(f"TP {tp}  FP {fp}  FN {fn}")
    print(f"precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    print(f"throughput: {megabytes:.2f} MB in {seconds * 1000:.0f} ms = {megabytes / seconds:.1f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
