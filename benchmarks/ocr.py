"""Benchmark of OCR (issue 13): born-digital pages rendered to images, read, compared with their text layer.

    nice -n 10 python benchmarks/ocr.py [--pages 20] [--seed 13] [--dpi 200 300] [--jobs 2]

A fixed seeded sample of clean Swedish text pages of the real records under ../shared/corpus
(municipal/ and real/): pages whose text layer has 1,000 characters or more, none unusable, no
picture on them (PDFium's image objects cover under 5 % of the page), and Swedish (the project's
language detection); at most two pages from one document, each copied alone into a PDF of one
page (its text layer then keeps its running head and page number, which OCR reads too). Each page is rendered by PDFium with
no text layer and read by the project's own OCR step (ocr_document with mode force: render,
blank test, deskew, Tesseract, hyphenation joined), `--jobs` pages at a time in forked
processes, at each resolution of `--dpi`:

  * word recall: the share of the text layer's words (lower case, a bag: each occurrence
    counts once) that OCR read;
  * character error rate: edit distance (rapidfuzz, Levenshtein) between the two texts,
    normalised (NFKC, dashes and quotes unified, runs of whitespace one space), over the text
    layer's length; pooled over the pages (total edits / total characters) and the median page;
    and the same with the lines in any order (line_edits), which tells misreadings from a
    reading order that differs from the text layer's (a two-column page);
  * pages/s (wall clock over the sample with `--jobs` processes; on a shared machine also the
    CPU seconds per page, of the process and its tesseract children, and the pages/s that
    makes on `--jobs` idle cores) and peak memory: the largest
    sum of resident memory of the worker processes and their tesseract children, sampled every
    50 ms from /proc, and the largest single tesseract process.

Then the same pages as image-only PDFs (rendered at 300 dpi, stored as a copier stores a scan:
grayscale JPEG in a PDF, one file per page) go through the real `python -m ingest --jobs 2`
(OCR `auto`, the default, at the project's default resolution): pages/s over the whole run,
and without the run's fixed start (the same command on an empty folder), its CPU seconds per page
(the run, its workers and their tesseract processes) and what they make on `--jobs` idle cores,
and the word recall of what the catalog holds.

Figures, not assertions: tests/ingest/parse/ocr checks behaviour.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402
from rapidfuzz.process import cdist  # noqa: E402

from ingest.catalog.database import Catalog  # noqa: E402
from ingest.extract.language import detect_language  # noqa: E402
from ingest.model import Page, ParsedDocument  # noqa: E402
from ingest.parse import mediatype  # noqa: E402
from ingest.parse.ocr.decide import FORCE, unusable_share  # noqa: E402
from ingest.parse.ocr.images import image_cover, pdf_page_images  # noqa: E402
from ingest.parse.ocr.read import OcrSettings, ocr_document  # noqa: E402
from ingest.parse.pdf.parse import parse_pdf  # noqa: E402

# ../shared/corpus beside the repository (or beside the folder of its work trees)
CORPUS = next((p / "shared" / "corpus" for p in ROOT.parents if (p / "shared" / "corpus").is_dir()),
              ROOT.parent / "shared" / "corpus")
TARGETS = "targets: word recall >= 0.97, CER <= 2 %, >= 2 pages/s through ingest with 2 jobs"
WORD = re.compile(r"\w+")
_MIN_CHARS = 1000
_MAX_PICTURE = 0.05
_PER_DOCUMENT = 2
_TRIED = 6  # pages of a document looked at
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                         "\u2212": "-", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00bb": '"',
                         "\u00ab": '"', "\u2018": "'", "\u2019": "'", "\u00ad": ""})


@dataclass(frozen=True)
class Sampled:
    path: Path
    number: int  # 1-based, in the document
    data: bytes  # the page alone, as a PDF of one page (PDFium's import_pages: its streams unchanged)
    truth: str  # its text layer (parse_pdf)


@dataclass(frozen=True)
class Read:
    sample: Sampled
    text: str
    confidence: float | None
    seconds: float  # wall clock in its process
    cpu: float  # CPU seconds of its process and its tesseract children


def normalised(text: str) -> str:
    """
    >>> normalised("Kommun\u00adstyrelsen  \u2013 beslut\\n\u201dNej\u201d")
    'Kommunstyrelsen - beslut "Nej"'
    """
    return " ".join(unicodedata.normalize("NFKC", text).translate(_DASHES).split())


def word_recall(truth: str, read: str) -> tuple[int, int]:
    """(words of the truth found in what was read, words of the truth), as bags in lower case."""
    want, got = Counter(WORD.findall(normalised(truth).lower())), Counter(WORD.findall(normalised(read).lower()))
    return sum((want & got).values()), sum(want.values())


def edits(truth: str, read: str) -> tuple[int, int]:
    """(edit distance, characters of the truth) between the normalised texts."""
    a, b = normalised(truth), normalised(read)
    return Levenshtein.distance(a, b), len(a)


def line_edits(truth: str, read: str) -> tuple[int, int]:
    """(edit distance, characters of the truth) with the lines in any order: each line of the
    truth paired with the line read nearest to it (greedily, closest pairs first, each line
    once), lines left over counted whole. A page whose text layer runs the two columns line by
    line while OCR reads them one after the other differs in order, not in what was read.

    >>> line_edits("Beslut\\nDnr KS 2024/12", "Dnr KS 2024/12\\nBes1ut")
    (1, 21)
    """
    a = [line for line in map(normalised, truth.splitlines()) if line]
    b = [line for line in map(normalised, read.splitlines()) if line]
    total = sum(map(len, a)) + len(a) - 1  # the spaces edits() counts between lines
    if not a or not b:
        return sum(map(len, a)) + sum(map(len, b)), max(0, total)
    distance = cdist(a, b, scorer=Levenshtein.distance, workers=1)
    pairs = sorted((distance[i, j] / max(1, len(a[i])), i, j) for i in range(len(a)) for j in range(len(b)))
    left_a, left_b, edit = set(range(len(a))), set(range(len(b))), 0
    for _, i, j in pairs:
        if i in left_a and j in left_b:
            edit += int(distance[i, j])
            left_a.discard(i)
            left_b.discard(j)
    return edit + sum(len(a[i]) for i in left_a) + sum(len(b[j]) for j in left_b), total


def sample(corpus: Path, count: int, seed: int) -> list[Sampled]:
    """Documents in a seeded order; of each, up to _TRIED pages drawn at random, each copied alone
    into a PDF of one page and parsed; the first _PER_DOCUMENT clean ones kept."""
    paths = sorted([*(corpus / "municipal").rglob("*.pdf"), *(corpus / "real").rglob("*.pdf")])
    random.Random(seed).shuffle(paths)
    chosen: list[Sampled] = []
    for path in paths:
        if len(chosen) >= count:
            break
        try:
            pdf = pdfium.PdfDocument(path.read_bytes())
        except pdfium.PdfiumError:
            continue
        rng = random.Random(f"{seed}:{path.name}")
        numbers = sorted(rng.sample(range(1, len(pdf) + 1), min(_TRIED, len(pdf))))
        kept = 0
        for number in numbers:
            if kept == _PER_DOCUMENT:
                break
            data = _page_alone(pdf, number)
            try:
                page = parse_pdf(data).pages[0]
            except Exception:
                continue
            if _is_clean(page) and image_cover(data, 1) < _MAX_PICTURE:
                chosen.append(Sampled(path, number, data, page.text))
                kept += 1
        pdf.close()
    return chosen[:count]


def _page_alone(pdf: pdfium.PdfDocument, number: int) -> bytes:
    single = pdfium.PdfDocument.new()
    try:
        single.import_pages(pdf, [number - 1])
        out = io.BytesIO()
        single.save(out)
        return out.getvalue()
    finally:
        single.close()


def _is_clean(page: Page) -> bool:
    text = page.text
    return (page.has_text_layer and len(text.strip()) >= _MIN_CHARS and unusable_share(text) == 0
            and detect_language(text) == "sv")


def _read_one(job: tuple[Sampled, int]) -> Read:  # in a worker process
    item, dpi = job
    data = item.data
    start, cpu = time.perf_counter(), _cpu()
    parsed = ParsedDocument(mediatype.PDF, (Page(1, "", has_text_layer=False),))
    page = ocr_document(parsed, data, OcrSettings(mode=FORCE, dpi=dpi)).pages[0]
    return Read(item, page.text, page.confidence, time.perf_counter() - start, _cpu() - cpu)


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class MemoryPeak:
    """Peak resident memory of a process's descendants (summed), and of its largest tesseract child."""

    def __init__(self, root: int, include_root: bool = False):
        self.root, self.include_root = root, include_root
        self.total = self.tesseract = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(0.05):
            processes = _processes()
            family = _descendants(self.root, processes) | ({self.root} if self.include_root else set())
            self.total = max(self.total, sum(processes[p][2] for p in family if p in processes))
            tess = [processes[p][2] for p in family if p in processes and processes[p][1] == "tesseract"]
            self.tesseract = max([self.tesseract, *tess])


def _processes() -> dict[int, tuple[int, str, int]]:
    """pid → (parent pid, command name, resident bytes)."""
    page = os.sysconf("SC_PAGE_SIZE")
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1: stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        found[int(entry)] = (int(fields[1]), name, int(fields[21]) * page)
    return found


def _descendants(root: int, processes: dict[int, tuple[int, str, int]]) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def measure_dpi(pages: list[Sampled], dpi: int, jobs: int) -> None:
    with get_context("fork").Pool(jobs) as pool, MemoryPeak(os.getpid()) as memory:
        start = time.perf_counter()
        reads = pool.map(_read_one, [(p, dpi) for p in pages], chunksize=1)
        wall = time.perf_counter() - start
    found = total = edit = chars = line_edit = line_chars = 0
    page_cer, page_recall, page_line_cer = [], [], []
    for r in reads:
        f, t = word_recall(r.sample.truth, r.text)
        e, c = edits(r.sample.truth, r.text)
        le, lc = line_edits(r.sample.truth, r.text)
        found, total, edit, chars = found + f, total + t, edit + e, chars + c
        line_edit, line_chars = line_edit + le, line_chars + lc
        page_recall.append(f / t)
        page_cer.append(e / c)
        page_line_cer.append(le / lc)
    confidences = [r.confidence for r in reads if r.confidence is not None]
    print(f"\n{dpi} dpi, {len(reads)} pages, {jobs} processes:")
    print(f"  word recall   {found / total:.3f} (pooled; median page {statistics.median(page_recall):.3f}, "
          f"worst {min(page_recall):.3f})")
    print(f"  CER           {100 * edit / chars:.2f} % (pooled; median page {100 * statistics.median(page_cer):.2f} %, "
          f"worst {100 * max(page_cer):.2f} %)")
    print(f"  CER, lines    {100 * line_edit / line_chars:.2f} % in any order (pooled; median page "
          f"{100 * statistics.median(page_line_cer):.2f} %, worst {100 * max(page_line_cer):.2f} %)")
    print(f"  pages         {sum(c <= 0.02 for c in page_cer)} of {len(reads)} with a CER of 2 % or less")
    print(f"  confidence    {statistics.mean(confidences):.3f} (mean of the pages' means)")
    cpu = sum(r.cpu for r in reads)
    print(f"  speed         {len(reads) / wall:.2f} pages/s ({wall:.1f} s wall, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; median page {statistics.median(r.seconds for r in reads):.2f} s "
          f"in one process); CPU {cpu / len(reads):.2f} s per page (OCR process and tesseract): "
          f"{jobs * len(reads) / cpu:.2f} pages/s on {jobs} idle cores")
    print(f"  peak memory   {memory.total / 2**20:.0f} MiB workers + tesseract (largest tesseract "
          f"{memory.tesseract / 2**20:.0f} MiB)")
    worst = sorted(reads, key=lambda r: -edits(r.sample.truth, r.text)[0] / max(1, len(r.sample.truth)))[:3]
    for r in worst:
        e, c = edits(r.sample.truth, r.text)
        le, lc = line_edits(r.sample.truth, r.text)
        print(f"    worst: {100 * e / c:5.1f} % ({100 * le / lc:.1f} % by lines) "
              f"{r.sample.path.parent.name}/{r.sample.path.name[:60]} p. {r.sample.number}")


def measure_ingest(pages: list[Sampled], jobs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="diariet-ocr-bench-") as tmp:
        folder, empty = Path(tmp) / "scans", Path(tmp) / "empty"
        folder.mkdir()
        empty.mkdir()
        truths = {}
        for i, item in enumerate(pages):
            image = next(pdf_page_images(item.data, [1], 300, 10**9)).image
            assert image is not None
            target = folder / f"scan-{i:02d}.pdf"
            image.save(target, "PDF", resolution=300.0)
            truths[target.name] = item.truth
        base, _, base_cpu = _timed_ingest(Path(tmp) / "data-empty", empty, jobs)
        wall, memory, cpu = _timed_ingest(Path(tmp) / "data", folder, jobs)
        catalog = Catalog(Path(tmp) / "data" / "catalog.sqlite")
        found = total = 0
        try:
            for doc in catalog.iter_documents(catalog.iter_ids()):
                f, t = word_recall(truths[Path(doc.source).name], doc.text)
                found, total = found + f, total + t
        finally:
            catalog.close()
    print(f"\npython -m ingest --jobs {jobs} on {len(pages)} image-only PDFs (300 dpi grayscale JPEG, one page each), "
          f"OCR at {OcrSettings.dpi} dpi:")
    print(f"  speed         {len(pages) / wall:.2f} pages/s over the whole run ({wall:.1f} s); "
          f"{len(pages) / max(0.001, wall - base):.2f} pages/s without the run's start ({base:.1f} s on an empty folder); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  CPU           {cpu / len(pages):.2f} s per page (the run, its workers and tesseract; without the start "
          f"{(cpu - base_cpu) / len(pages):.2f} s): {jobs * len(pages) / max(0.001, cpu - base_cpu):.2f} pages/s "
          f"on {jobs} idle cores")
    print(f"  peak memory   {memory.total / 2**20:.0f} MiB the run, its workers and tesseract "
          f"(largest tesseract {memory.tesseract / 2**20:.0f} MiB)")
    print(f"  word recall   {found / total:.3f} of the text layers' words in the catalog ({total} words)")


def _timed_ingest(data: Path, folder: Path, jobs: int) -> tuple[float, MemoryPeak, float]:
    """Wall seconds, peak memory and CPU seconds (the run and every process under it) of one ingest."""
    start, cpu = time.perf_counter(), _children_cpu()
    process = subprocess.Popen([sys.executable, "-m", "ingest", "--quiet", "--data", str(data), "--jobs", str(jobs),
                                str(folder)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with MemoryPeak(process.pid, include_root=True) as memory:
        out, err = process.communicate()
    wall = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"ingest failed ({process.returncode}): {err}")
    return wall, memory, _children_cpu() - cpu


def _children_cpu() -> float:
    """CPU seconds of the processes this one has waited for, and of those they waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="corpus root (PDFs under municipal/ and real/)")
    parser.add_argument("--pages", type=int, default=20, help="pages in the sample")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--dpi", type=int, nargs="*", default=[200, 300],
                        help="resolutions to measure (none: only the run through python -m ingest)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-ingest", action="store_true", help="skip the run through python -m ingest")
    args = parser.parse_args()
    start = time.perf_counter()
    pages = sample(args.corpus, args.pages, args.seed)
    if not pages:
        sys.exit(f"no clean text pages in the PDFs under {args.corpus}")
    documents = len({p.path for p in pages})
    print(f"sample: {len(pages)} pages of {documents} documents (seed {args.seed}), "
          f"{sum(len(normalised(p.truth)) for p in pages)} characters, chosen in {time.perf_counter() - start:.1f} s")
    print(TARGETS)
    for dpi in args.dpi:
        measure_dpi(pages, dpi, args.jobs)
    if not args.no_ingest:
        measure_ingest(pages, args.jobs)


if __name__ == "__main__":
    main()
