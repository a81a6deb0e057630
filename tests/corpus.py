"""Where the tests' real documents are: in the repository, and the bigger optional sets beside it.

CORPUS is tests/fixtures/corpus/, committed (tools/copy_fixtures.py copied it from the shared corpus;
its SOURCES.md says where every file comes from): a test reads it with no condition, and a file
missing from it fails the test. SHARED is ../shared/corpus beside the repository, for benchmarks and
for the bigger optional sets (all of bulk/, municipal/); a test needing it calls shared(), which
skips it, saying which set is missing, when it is not there.
"""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]  # the repository root
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared" / "corpus"  # beside the repository, never committed


def shared(relative: str = "") -> Path:
    """A path in the optional shared corpus; skips the calling test (with the reason) when it is absent."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"optional set not found: {path} (the shared corpus beside the repository; not in CI)")
    return path
