"""The ingest's progress (ingest/pipeline/progress.py) counts pages, OCR's told one by one as they are read."""
import shutil

import pypdfium2 as pdfium
import pytest

from ingest.catalog.datadir import DataDir
from ingest.parse.ocr.read import OcrSettings
from ingest.parse.pagecount import page_count
from ingest.pipeline.runner import ingest_paths
from ingest.pipeline.settings import Settings
from tests.corpus import ROOT

SCAN = ROOT / "tests" / "fixtures" / "scans" / "protokoll-direktionen-2026-03-27-ss620.pdf"
# A born-digital protocol of which two pages (17, 25) are scans (tests/fixtures/scans/SOURCES.md).
SPN = ROOT / "samples" / "real" / "simrishamn-lundgren9" / "Protokoll  SPn april 2024_Bortredigerad.pdf"


class Recorded:
    def __init__(self):
        self.events: list[tuple[str, int]] = []

    def expect(self, pages: int) -> None:
        self.events.append(("expect", pages))

    def advance(self, pages: int) -> None:
        self.events.append(("advance", pages))

    def total(self, kind: str) -> int:
        return sum(n for k, n in self.events if k == kind)


def test_a_pdf_counts_its_pages():
    assert page_count(SPN.read_bytes(), SPN.name) == len(pdfium.PdfDocument(SPN.read_bytes())) > 25
    assert page_count(b"%PDF-1.4 broken", "x.pdf") == 1  # the parser tells what is wrong


@pytest.mark.usefixtures("tesseract")
def test_pages_are_counted_and_those_ocr_reads_are_told_as_they_are_read(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in (SCAN, SPN):
        shutil.copy(path, folder / path.name)
    (folder / "anteckning.txt").write_text("Kommunstyrelsen beslutar att godkänna förslaget.", encoding="utf-8")
    pages = page_count(SPN.read_bytes(), SPN.name)
    progress = Recorded()
    summary = ingest_paths(DataDir.create(tmp_path / "data"), [folder], progress=progress,
                           settings=Settings(jobs=2, ocr=OcrSettings()))
    assert summary.count("new") == 3
    assert progress.events[0] == ("expect", 3)  # the files listed, one page each until read
    assert progress.total("expect") == progress.total("advance") == pages + 2
    steps = [n for kind, n in progress.events if kind == "advance"]
    # The scan's page and the protocol's two scanned pages, told one by one; the protocol's other
    # pages when it is done, after its two; the text file's page.
    assert sorted(steps) == [1, 1, 1, 1, pages - 2]
    assert steps.index(pages - 2) >= 2


def test_a_second_run_counts_each_unchanged_file_once(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SPN, folder / SPN.name)
    data = DataDir.create(tmp_path / "data")
    ingest_paths(data, [folder])
    progress = Recorded()
    assert ingest_paths(data, [folder], progress=progress).count("unchanged") == 1
    assert progress.events == [("expect", 1), ("advance", 1)]  # not opened to count its pages
