"""Ingest stage, settings: what a run may be told, built once at the command line and passed down.

>>> Settings().engine.batch
8000
>>> Settings(jobs=2, engine=EngineSettings(batch=50, merge="background")).engine.batch
50
"""
from __future__ import annotations

from dataclasses import dataclass, field

from index.engine import EngineSettings


@dataclass(frozen=True)
class Settings:
    jobs: int = 1  # processes that parse, extract and analyse
    engine: EngineSettings = field(default_factory=EngineSettings)  # backend, batch, merges
