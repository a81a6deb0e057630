"""Fixtures for the web tests: one archive ingested from the repository's real samples."""
from pathlib import Path

import pytest

from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import ingest_paths
from web.app import create_app

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
WEB_SAMPLES = [
    "seeds",
    "real/kungsbacka-kommunhandlingar",
    "real/botkyrka-seniorbot",
    "real/simrishamn-lundgren9/Protokoll  SPn april 2024_Bortredigerad.pdf",
    "real/gotland-figotland",
    "real/regeringen-g0vse/tal",
    "real/regeringen-g0vse/regeringsuppdrag",
]


@pytest.fixture(scope="session")
def archive_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    summary = ingest_paths(DataDir.create(root), [SAMPLES / p for p in WEB_SAMPLES], jobs=2)
    assert not summary.failures, summary.failures
    return root


@pytest.fixture(scope="session")
def app(archive_dir):
    return create_app(archive_dir, {"TESTING": True})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def own_archive(archive_dir, tmp_path) -> Path:
    """A copy of the archive for a test that writes to it (watches)."""
    import shutil

    copy = tmp_path / "archive"
    shutil.copytree(archive_dir, copy, ignore=shutil.ignore_patterns("*.lock"))
    return copy


@pytest.fixture(scope="session")
def ocr_archive(tmp_path_factory, tesseract) -> Path:
    """An archive ingested with OCR (--ocr auto): a scanned protocol (tests/fixtures/scans) and a
    born-digital protocol with two scanned pages (17 and 25)."""
    from ingest.parse.ocr.read import OcrSettings
    from ingest.pipeline.settings import Settings

    root = tmp_path_factory.mktemp("ocr-archive")
    scan = SAMPLES.parent / "tests" / "fixtures" / "scans" / "protokoll-direktionen-2026-03-27-ss620.pdf"
    spn = SAMPLES / "real" / "simrishamn-lundgren9" / "Protokoll  SPn april 2024_Bortredigerad.pdf"
    summary = ingest_paths(DataDir.create(root), [scan, spn], settings=Settings(jobs=2, ocr=OcrSettings()))
    assert not summary.failures and summary.count("new") == 2, summary.outcomes
    return root


@pytest.fixture(scope="session")
def ocr_client(ocr_archive):
    return create_app(ocr_archive, {"TESTING": True}).test_client()


def ocr_document_of(client, word: str, name: str) -> dict:
    """The document of the OCR archive read from the file `name`, found by `word` (in its OCR text)."""
    hits = client.get("/api/search", query_string={"q": word}).get_json()["hits"]
    ids = [h["id"] for h in hits if h["source"].endswith(name)]
    assert len(ids) == 1, hits
    return client.get(f"/api/documents/{ids[0]}").get_json()
