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
