"""The ingest run: files → parse → extract → catalog → index, idempotent and safe to interrupt.

Order of effects for one file: the original is stored (atomic rename), then the document is
saved in one catalog transaction marked "not yet indexed", then batches go to the index and
are marked indexed after Whoosh commits. A run killed anywhere leaves the catalog consistent;
the next run first indexes whatever the catalog holds that the index does not.
"""
from __future__ import annotations

import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from index.schema import analyzed_fields
from index.store import BackgroundMerger, IndexStore
from ingest import dnr as dnr_module
from ingest.catalog import Catalog, document_id_for
from ingest.datadir import DataDir
from ingest.extract import extract
from ingest.filestore import FileStore, sha256_of
from ingest.model import Document, ParsedDocument, ParseError
from ingest.parse import parse

# Extensions picked up when a folder is given; a file named explicitly is always tried.
INGESTIBLE = {".pdf", ".html", ".htm", ".xhtml", ".docx", ".txt", ".text", ".md", ".markdown"}
INDEX_BATCH = 4000  # documents per index commit: one segment each, merged by index.merging


@dataclass
class Outcome:
    source: str
    status: str  # new | updated | unchanged | failed
    document_id: str | None = None
    reason: str | None = None  # for failures: corrupt, encrypted, empty, unsupported, unreadable
    message: str | None = None


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    reindexed: int = 0
    interrupted: bool = False

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def collect(paths: Iterable[Path]) -> Iterator[Path]:
    """Files to ingest: files as given, folders walked in sorted order (hidden entries skipped)."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    child = Path(root) / name
                    if not name.startswith(".") and child.suffix.lower() in INGESTIBLE:
                        yield child
        else:
            yield path


def prepare(source: str, name: str, data: bytes, hints: dict | None = None,
            parsed: ParsedDocument | None = None) -> Document:
    """Parse (unless `parsed` is given) and extract one file: pure, so it can run in a worker."""
    parsed = parsed or parse(data, name)
    meta = extract(parsed, source, hints)  # the whole path or URL: its folders hint too
    return Document(
        id=document_id_for(source),
        source=source,
        sha256=sha256_of(data),
        media_type=parsed.media_type,
        size=len(data),
        pages=list(parsed.pages),
        meta=meta,
        warnings=list(parsed.warnings),
        parsed_meta={"title": parsed.title, "date": parsed.date, "headings": list(parsed.headings),
                     "warnings": list(parsed.warnings)},
    )


@dataclass
class Prepared:
    """A document ready for the writer: its original stored, its text fields analysed."""

    document: Document
    analyzed: dict


def _prepare_bytes(source: str, name: str, data: bytes, hints: dict | None,
                   parsed: ParsedDocument | None = None,
                   files_root: str | None = None) -> Prepared | Outcome:
    """prepare() plus the work the single writer need not do: runs in a worker process."""
    try:
        doc = prepare(source, name, data, hints, parsed)
        if files_root is not None:
            FileStore(Path(files_root)).put(data, doc.sha256)
        return Prepared(doc, analyzed_fields(doc))
    except ParseError as e:
        return Outcome(source, "failed", reason=e.reason, message=e.message)
    except Exception as e:  # a bug in a parser or extractor must not stop the run
        return Outcome(source, "failed", reason="error", message=f"{type(e).__name__}: {e}")


def dnr_keys(doc: Document) -> dict[str, str]:
    return {d: dnr_module.key(d) for d in (*doc.meta.dnr, *doc.meta.dnr_mentioned)}


class Ingester:
    """Writes documents into one data directory: catalog, file store and index."""

    def __init__(self, data: DataDir):
        self.data = data
        self.catalog = Catalog(data.catalog_path)
        self.files = FileStore(data.files_path)
        self.index = IndexStore(data.index_path)
        self.merger = BackgroundMerger(self.index, floor=INDEX_BATCH)
        self._batch = None  # an open index.store.IndexBatch while documents arrive
        self._pending: dict[str, int] = {}  # id → version added to the open batch

    def close(self, interrupted: bool = False) -> None:
        """Commit what is pending; finish the merge under way (abandon it when interrupted)."""
        try:
            self.flush()
        finally:
            self.merger.close(wait=not interrupted)
            self.catalog.close()

    # -- index consistency ---------------------------------------------------

    def reconcile(self) -> int:
        """Bring the index up to the catalog: rebuild a damaged index, index what is missing."""
        healthy, _ = self.index.is_healthy()
        if not healthy:
            return self.rebuild_index()
        ids = self.catalog.iter_ids(only_unindexed=True)
        for start in range(0, len(ids), INDEX_BATCH):
            batch = list(self.catalog.iter_documents(ids[start:start + INDEX_BATCH]))
            self.index.write(batch)
            self.catalog.mark_indexed({d.id: d.version for d in batch})
        return len(ids)

    def rebuild_index(self) -> int:
        """Rebuild the whole index from the catalog, aside, then swap it in."""
        ids = self.catalog.iter_ids()
        count = self.index.rebuild(self.catalog.iter_documents(ids))
        with self.catalog.db:
            self.catalog.db.execute("UPDATE documents SET indexed_version = version")
        return count

    # -- documents -----------------------------------------------------------

    def is_unchanged(self, source: str, sha256: str) -> str | None:
        state = self.catalog.state_of(source)
        return state[0] if state and state[1] == sha256 else None

    def store(self, doc: Document, data: bytes, analyzed: dict | None = None) -> Outcome:
        """Catalog a prepared document (and its original bytes), queue it for the index.

        `analyzed` is index.schema.analyzed_fields(doc) when a worker computed it."""
        known = self.catalog.state_of(doc.source)
        if known and known[1] == doc.sha256:
            return Outcome(doc.source, "unchanged", known[0])
        self.files.put(data, doc.sha256)
        saved = self.catalog.save(doc, dnr_keys(doc))
        if self._batch is None:
            self._batch = self.index.batch(floor=INDEX_BATCH)
        try:
            self._batch.add(saved, analyzed, new=known is None)
        except BaseException:
            self._batch.cancel()
            self._batch, self._pending = None, {}
            raise
        self._pending[saved.id] = saved.version
        if len(self._pending) >= INDEX_BATCH:
            self.flush()
        return Outcome(doc.source, "updated" if known else "new", doc.id)

    def flush(self) -> None:
        """Commit the open index batch and record its documents as indexed."""
        if self._batch is None:
            return
        batch, pending = self._batch, self._pending
        self._batch, self._pending = None, {}
        batch.commit(merge=False)
        self.catalog.mark_indexed(pending)
        self.merger.step()


def ingest_paths(
    data: DataDir,
    paths: list[Path],
    jobs: int = 1,
    progress: Callable[[Iterable], Iterable] = lambda it, **kw: it,
    hints: dict | None = None,
) -> Summary:
    """Ingest files and folders into the data directory; returns what happened to each file."""
    summary = Summary()
    ingester = Ingester(data)
    try:
        summary.reindexed = ingester.reconcile()
        files = list(collect(paths))
        for outcome in progress(_run(ingester, files, jobs, hints), total=len(files)):
            summary.outcomes.append(outcome)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        ingester.close(interrupted=summary.interrupted)
    return summary


def _changed_files(ingester: Ingester, files: list[Path]
                   ) -> Iterator[Outcome | tuple[str, Path, bytes, ParsedDocument | None]]:
    """Outcomes for unreadable and unchanged files; (source, path, bytes, parsed) for the rest,
    `parsed` set when identical bytes were parsed before under another source."""
    for path in files:
        source = str(path.resolve())
        try:
            data = path.read_bytes()
        except OSError as e:
            yield Outcome(source, "failed", reason="unreadable",
                          message=f"kan inte läsa filen: {e.strerror}")
            continue
        sha256 = sha256_of(data)
        unchanged = ingester.is_unchanged(source, sha256)
        if unchanged:
            yield Outcome(source, "unchanged", unchanged)
        else:
            yield source, path, data, ingester.catalog.parsed(sha256)


def _run(ingester: Ingester, files: list[Path], jobs: int, hints: dict | None) -> Iterator[Outcome]:
    items = _changed_files(ingester, files)
    if jobs <= 1:
        for item in items:
            if isinstance(item, Outcome):
                yield item
            else:
                source, path, data, parsed = item
                yield _finish(ingester, _prepare_bytes(source, path.name, data, hints, parsed), data)
        return
    window = jobs * 4  # bounds the bytes held in memory at once
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        running: dict[Future, bytes] = {}
        for item in items:
            if isinstance(item, Outcome):
                yield item
                continue
            source, path, data, parsed = item
            running[pool.submit(_prepare_bytes, source, path.name, data, hints, parsed,
                                str(ingester.files.root))] = data
            while len(running) >= window:
                yield from _collect_done(ingester, running)
        while running:
            yield from _collect_done(ingester, running)


def _collect_done(ingester: Ingester, running: dict[Future, bytes]) -> Iterator[Outcome]:
    done, _ = wait(list(running), return_when=FIRST_COMPLETED)
    for future in done:
        data = running.pop(future)
        yield _finish(ingester, future.result(), data)


def _finish(ingester: Ingester, prepared: Prepared | Outcome, data: bytes) -> Outcome:
    if isinstance(prepared, Outcome):
        return prepared
    return ingester.store(prepared.document, data, prepared.analyzed)
