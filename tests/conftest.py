"""Shared test fixtures: the corpus of real documents (tests/corpus.py says where it is)."""
from pathlib import Path

import pytest

from tests.corpus import CORPUS


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The committed corpus of real documents (tests/fixtures/corpus/): never skipped."""
    assert CORPUS.is_dir(), f"the tests' corpus is missing: {CORPUS} (restore it from git)"
    return CORPUS


@pytest.fixture(scope="session")
def parse_corpus(corpus):
    """parse_corpus("real/x.pdf") → ParsedDocument, parsed once per test session (PDFs are slow)."""
    from ingest.parse.registry import parse

    cache = {}

    def get(relative: str):
        if relative not in cache:
            path = corpus / relative
            cache[relative] = parse(path.read_bytes(), path.name)
        return cache[relative]

    return get


@pytest.fixture(scope="session")
def tesseract() -> None:
    """Tesseract with Swedish and English: the OCR tests need it. Skips locally when it is missing;
    under CI (CI=true, where .ci/run installs it) a missing Tesseract fails the test."""
    import os
    import shutil
    import subprocess

    problem = None
    if shutil.which("tesseract") is None:
        problem = "tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-swe tesseract-ocr-eng)"
    else:
        listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()
        missing = [lang for lang in ("swe", "eng", "osd") if lang not in listed]
        if missing:
            problem = f"tesseract lacks the language data {missing} (tesseract-ocr-swe, -eng, -osd)"
    if problem and os.environ.get("CI") == "true":
        pytest.fail(problem)
    if problem:
        pytest.skip(problem)


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server (Debian's binaries, tools/postgres.py) on 127.0.0.1 in a temporary
    directory, stopped at the end of the session. Skips locally when PostgreSQL is not installed;
    under CI (CI=true, where .ci/run installs it) its absence fails the test."""
    import os
    import shutil
    import tempfile

    from tools import postgres

    problem = postgres.missing()
    if problem and os.environ.get("CI") == "true":
        pytest.fail(problem)
    if problem:
        pytest.skip(problem)
    directory = Path(tempfile.mkdtemp(prefix="diariet-postgres-"))
    directory.chmod(0o755)  # the server runs as another user when the tests run as root
    server = postgres.start(directory / "server", timeout=60)
    try:
        yield server
    finally:
        postgres.stop(directory / "server", timeout=60)
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def postgres_catalog(postgres_server, request) -> str:
    """The URL of a new empty database on the session's server, for one test."""
    import re

    from tools import postgres

    name = "t_" + re.sub(r"\W", "_", request.node.name.lower())[:50]
    url = postgres.create_database(postgres_server, name)
    yield url
    import psycopg

    with psycopg.connect(postgres_server.url_of("postgres"), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
