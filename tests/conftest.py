"""Shared test fixtures: where the real-document corpus lives."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]  # the repository root
CORPUS = ROOT.parent / "shared" / "corpus"  # beside the repository, never committed


@pytest.fixture(scope="session")
def corpus() -> Path:
    """Path to the shared corpus of real documents; skips the test when it is not there."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (expected beside the repository)")
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
