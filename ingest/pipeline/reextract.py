"""Ingest stage, again: re-extraction (`python -m ingest --data DIR --reextract`) runs the extractor
anew on every stored document, from the catalog's stored pages and parser metadata (no file is
read or parsed again, no page OCR'd again), so an archive gains from a better extractor.

Catalog rows, dnr rows (cases) and the index follow: a document whose metadata changed is saved
and indexed again, its version and ingest time kept (a watch is not told of it again). The ids
done are saved with their metadata in one transaction per chunk, so a stopped run goes on where
it stopped when it is run again; a chunk saved but not indexed is indexed by the next run's
reconcile (its rows say it is not indexed).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import cast

from ingest.extract.metadata import extract
from ingest.model import Document, ParsedDocument
from ingest.pipeline.runner import Ingester, dnr_keys
from ingest.pipeline.workers import WorkerPool, WorkLimits

CHUNK = 50  # documents per catalog transaction


@dataclass
class Reextracted:
    """What a re-extraction did."""

    documents: int = 0  # re-extracted in this run
    changed: int = 0  # whose metadata changed (saved and indexed again)
    skipped: int = 0  # done by an earlier, stopped run
    failed: int = 0  # the extractor raised: the document keeps its old metadata


def parsed_of(doc: Document, parsed_meta: ParsedDocument | None) -> ParsedDocument:
    """The parse a stored document came from: its pages and what the parser said besides."""
    if parsed_meta is None:
        return ParsedDocument(media_type=doc.media_type, pages=tuple(doc.pages))
    return replace(parsed_meta, media_type=doc.media_type, pages=tuple(doc.pages))


def reextract_one(doc: Document, parsed: ParsedDocument) -> Document:
    """The document with its metadata extracted anew (pure): as prepare() extracts a file."""
    return replace(doc, meta=extract(parsed, doc.source, doc.hints))


def _handle(item: tuple[Document, ParsedDocument]) -> Document | None:
    """In a worker: the document extracted anew; None when the extractor raised (a bug in an
    extractor must not stop the run: the document keeps its old metadata)."""
    try:
        return reextract_one(*item)
    except Exception:
        return None


def _fail(item: tuple[Document, ParsedDocument], reason: str, message: str) -> None:
    return None  # over its time or memory limit: the old metadata stays


def reextract(ingester: Ingester, progress: Callable[..., Iterable] = lambda it, **kw: it) -> Reextracted:
    """Re-extract every document of the ingester's catalog (see the module's docstring), in
    `settings.jobs` worker processes with the per-file limits of time and memory an ingest has."""
    catalog, settings = ingester.catalog, ingester.settings
    done = catalog.reextracted_ids()
    ids = [i for i in catalog.iter_ids() if i not in done]
    result = Reextracted(skipped=len(done))
    if not ids:
        catalog.reextraction_finished()
        return result
    limits = WorkLimits(settings.limits.max_seconds, settings.limits.max_memory)
    pool = WorkerPool(settings.jobs, _handle, _fail, limits, str(ingester.data.root))
    try:
        for start in progress(range(0, len(ids), CHUNK), total=-(-len(ids) // CHUNK)):
            chunk = ids[start:start + CHUNK]
            old = list(catalog.iter_documents(chunk))
            share = max(1, -(-len(old) // settings.jobs))  # one task per worker
            for n in range(0, len(old), share):
                pool.submit(n, [(d, parsed_of(d, catalog.parsed(d.sha256))) for d in old[n:n + share]])
            new: dict[int, list] = {}
            while len(new) < len(range(0, len(old), share)):
                key, results = pool.next_done()
                new[cast(int, key)] = results
            changed: list[Document] = []
            for before, after in zip(old, (d for n in sorted(new) for d in new[n])):
                if after is None:
                    result.failed += 1
                    continue
                result.documents += 1
                if after.meta != before.meta:
                    changed.append(after)
            catalog.save_extraction([(d, dnr_keys(d)) for d in changed], done=chunk)
            result.changed += len(changed)
            for doc in changed:
                ingester.index_again(doc)
            ingester.flush()
    finally:
        pool.close()
    catalog.reextraction_finished()
    return result
