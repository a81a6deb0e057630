"""Ingest stage, settings: what a run may be told, built once at the command line and passed down.

>>> Settings().engine.batch
8000
>>> Settings(jobs=2, engine=EngineSettings(batch=50, merge="background")).engine.batch
50
>>> Settings().limits.max_bytes, Settings().limits.parse.max_pages
(104857600, 5000)
>>> Settings().ocr.mode  # the command line's default is auto (README, "OCR")
'off'
"""
from __future__ import annotations

from dataclasses import dataclass, field

from index.engine import EngineSettings
from ingest.parse.limits import ParseLimits
from ingest.parse.ocr.read import OcrSettings


@dataclass(frozen=True)
class Limits:
    """What one file may cost; a file over a limit fails with its reason, the run goes on.
    Time and memory are enforced in the worker processes (ingest/pipeline/workers.py): the
    whole ingest takes at most about jobs × max_memory more than the writer's own."""

    max_bytes: int = 100 * 2**20  # bytes read from one file (as the crawler's max_size)
    max_seconds: float = 300.0  # to parse, extract and analyse one file
    max_memory: int = 512 * 2**20  # bytes a worker may grow by on one file
    parse: ParseLimits = field(default_factory=ParseLimits)  # pages, unpacked bytes, depth, pixels


@dataclass(frozen=True)
class Settings:
    jobs: int = 1  # processes that parse, extract and analyse
    engine: EngineSettings = field(default_factory=EngineSettings)  # backend, batch, merges
    limits: Limits = field(default_factory=Limits)  # per file
    # Pages without a usable text layer read by Tesseract: a library caller (a test) reads no
    # images unless told; the command line (`--ocr`, `--ocr-languages`) defaults to auto.
    ocr: OcrSettings = field(default_factory=lambda: OcrSettings(mode="off"))
    symlinks: str = "inside"  # follow symlinks only to targets inside the folders given, or "none"
    collection: str | None = None  # the name files' ids start with (ingest/pipeline/identity.py); default the folder's
    exclude: tuple[str, ...] = ()  # globs on paths relative to the folder given: not ingested, and removed
