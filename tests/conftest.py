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
