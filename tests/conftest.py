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
