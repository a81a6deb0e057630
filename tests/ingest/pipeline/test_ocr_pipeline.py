"""OCR in the pipeline: `python -m ingest --ocr ...` reads scans, and their words are searchable."""
import subprocess
import sys
from dataclasses import replace

import pytest

from ingest.catalog.database import Catalog
from ingest.catalog.datadir import DataDir
from ingest.parse.ocr import read as ocr_module
from ingest.parse.ocr.decide import FORCE
from ingest.parse.ocr.read import OcrSettings
from ingest.pipeline.reextract import reextract
from ingest.pipeline.runner import Ingester, ingest_paths, prepare
from ingest.pipeline.settings import Settings
from tests.corpus import ROOT
from web.app import create_app

SCANS = ROOT / "tests" / "fixtures" / "scans"
PROTOCOL_SCAN = SCANS / "protokoll-direktionen-2026-03-27-ss620.pdf"
# Words printed only in the scanned image (the PDF has no text layer, its name none of them).
SCANNED_WORDS = ("Förbundsordningen", "internkontrollrapport")
pytestmark = pytest.mark.usefixtures("tesseract")


def run_ingest(*args):
    return subprocess.run([sys.executable, "-m", "ingest", "--quiet", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def search(data_dir, q: str) -> list[dict]:
    client = create_app(data_dir, {"TESTING": True}).test_client()
    r = client.get("/api/search", query_string={"q": q})
    assert r.status_code == 200, r.data
    return r.get_json()["hits"]


@pytest.fixture()
def scan_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / PROTOCOL_SCAN.name).write_bytes(PROTOCOL_SCAN.read_bytes())
    return folder


def test_a_scanned_protocol_is_found_by_a_word_only_its_image_holds(tmp_path, scan_folder):
    data = tmp_path / "data"
    r = run_ingest("--data", data, "--jobs", "2", scan_folder)  # --ocr auto is the default
    assert r.returncode == 0, r.stderr
    assert "1 nya" in r.stdout
    for word in SCANNED_WORDS:
        hits = search(data, word)
        assert [h["source"].endswith(PROTOCOL_SCAN.name) for h in hits] == [True], (word, hits)
    dnr = search(data, '"26/0001-1"')
    assert len(dnr) == 1


def test_with_ocr_off_the_scan_has_no_words(tmp_path, scan_folder):
    data = tmp_path / "data"
    r = run_ingest("--data", data, "--ocr", "off", "--jobs", "1", scan_folder)
    assert r.returncode == 0, r.stderr
    assert "1 nya" in r.stdout
    for word in SCANNED_WORDS:
        assert search(data, word) == []


def test_ocr_languages_are_checked_before_anything_is_read(tmp_path, scan_folder):
    data = tmp_path / "data"
    r = run_ingest("--data", data, "--ocr-languages", "swe+xyz", scan_folder)
    assert r.returncode == 2
    assert "språkdata saknas för xyz" in r.stderr and "tesseract-ocr-xyz" in r.stderr
    assert not data.exists()
    bad = run_ingest("--data", data, "--ocr", "sometimes", scan_folder)
    assert bad.returncode == 2 and "--ocr" in bad.stderr


def counting_reads(monkeypatch, log):
    """Each page image handed to Tesseract, counted in `log` (a file: the workers are processes)."""
    real = ocr_module.read_image

    def read_image(image, *args, **kwargs):
        with log.open("a") as f:
            f.write(f"{image.size}\n")
        return real(image, *args, **kwargs)

    monkeypatch.setattr(ocr_module, "read_image", read_image)
    return lambda: len(log.read_text().splitlines()) if log.exists() else 0


def test_identical_bytes_are_never_read_by_ocr_again(tmp_path, scan_folder, monkeypatch):
    reads = counting_reads(monkeypatch, tmp_path / "reads.log")
    data = DataDir.create(tmp_path / "data")
    settings = Settings(jobs=2, ocr=OcrSettings())
    first = ingest_paths(data, [scan_folder], settings=settings)
    assert first.count("new") == 1 and reads() == 1
    again = ingest_paths(data, [scan_folder], settings=settings)  # a second run: the file is unchanged
    assert again.count("unchanged") == 1 and reads() == 1
    copy = tmp_path / "copy"  # the same bytes under another name: extracted again from the kept pages
    copy.mkdir()
    (copy / "utdrag-620.pdf").write_bytes(PROTOCOL_SCAN.read_bytes())
    other = ingest_paths(data, [copy], settings=replace(settings, ocr=OcrSettings(mode=FORCE)))
    assert other.count("new") == 1 and reads() == 1  # even forced: those pages were read by OCR
    ingester = Ingester(data, settings)
    try:
        assert ingester.rebuild_index() == 2  # what --reindex does: the index rebuilt from the catalog
        assert reextract(ingester).documents == 2  # --reextract: extraction anew from the stored pages
    finally:
        ingester.close()
    assert reads() == 1
    catalog = Catalog(data.catalog_path)
    try:
        texts = [catalog.get(i).pages[0] for i in catalog.iter_ids()]
    finally:
        catalog.close()
    assert len(texts) == 2 and texts[0] == texts[1] and texts[0].ocr
    assert "Förbundsordningen" in texts[0].text


def test_a_scanned_protocols_paragraph_date_and_diarienummer_are_extracted_from_its_ocr_text():
    doc = prepare(str(PROTOCOL_SCAN), PROTOCOL_SCAN.name, PROTOCOL_SCAN.read_bytes(), ocr=OcrSettings())
    meta = doc.meta
    assert meta.date == "2026-03-27" and meta.doctype == "protokollsutdrag"
    assert [(p.number, p.title, p.outcome) for p in meta.paragraphs] == [("620", "Årsredovisning 2025", "bifall")]
    assert meta.paragraphs[0].decision.startswith("Direktionen beslutar att godkänna ÅRSREDOVISNING 2025")
    # Its "Dnr 26/0001-1" and the report's "dnr 26/0005" are read (as mentioned ones: the extractor does
    # not yet take a Dnr line above the § heading for the §'s own).
    assert {"26/0001-1", "26/0005"} <= {*meta.dnr, *meta.dnr_mentioned}
