"""Index stage, Whoosh backend: the sub-writers of a multi-process rebuild die with the run.

IndexStore.rebuild writes a new generation with Whoosh's MpWriter (procs = --jobs), whose
SubWriterTask processes, forked by multiprocessing, wait on a queue for the run's documents.
A run killed with kill -9 during a rebuild (--reindex, or a damaged index rebuilt at the start
of a run) left them waiting for ever, reparented to init, with the half-built generation's
files open (found by benchmarks/crash_trials.py). `install()` makes each ask the kernel to
kill it when its parent dies (ingest/pipeline/lifeline.py), as the ingest's workers and the
merger do.
"""
from __future__ import annotations

from whoosh import multiproc

from ingest.pipeline import lifeline

_original = multiproc.SubWriterTask.run


def run(self) -> None:
    """SubWriterTask.run, in a process that dies with the run that forked it."""
    lifeline.die_with_parent()
    _original(self)


def install() -> None:
    multiproc.SubWriterTask.run = run  # type: ignore[method-assign]  # the patch
