"""The ingest run: files → parse → extract → catalog → index, idempotent and safe to interrupt.

Order of effects for one file: the original is stored (atomic rename; synced with the whole
batch before its index commit), then the document is saved in a catalog transaction (with the
rest of its chunk) marked "not yet indexed", then batches go to the index and are marked
indexed, their words counted into the vocabulary, after Whoosh commits. A run killed anywhere
leaves the catalog consistent; the next run first indexes whatever the catalog holds that the
index does not, and stores again an original that a crash lost.
"""
from __future__ import annotations

import gc
import itertools
import os
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.analysis.chain import preload
from index.decisions import open_index as open_decisions
from index.engine import IndexWriter, Prepare, open_engine
from index.search.vocabulary import words_of
from ingest.catalog.database import document_id_for, open_catalog
from ingest.catalog.datadir import DataDir
from ingest.catalog.filestore import FileStore, sha256_of
from ingest.extract import dnr as dnr_module
from ingest.extract.language import detect_language
from ingest.extract.metadata import extract
from ingest.model import Document, ParsedDocument, ParseError
from ingest.parse.ocr.read import OcrSettings
from ingest.parse.pagecount import page_count
from ingest.parse.registry import parse, with_ocr
from ingest.pipeline import identity, remove, walk
from ingest.pipeline.progress import PageCounter, Progress, Silent
from ingest.pipeline.settings import Limits, Settings
from ingest.pipeline.walk import Unreadable
from ingest.pipeline.workers import WorkerPool, WorkLimits, tell


@dataclass
class Outcome:
    source: str
    status: str  # new | updated | unchanged | failed | elsewhere (claimed by another ingest)
    document_id: str | None = None
    reason: str | None = None  # for failures: corrupt, encrypted, empty, unsupported, unreadable
    message: str | None = None


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    reindexed: int = 0
    rebuilt: str | None = None  # why the index was rebuilt from the catalog first, if it was
    interrupted: bool = False
    removed: list[str] = field(default_factory=list)  # ids removed because --exclude matches them

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def collect(paths: Iterable[Path], symlinks: str = "inside") -> Iterator[Path]:
    """Files to ingest (walk.collect without the entries that cannot be: a run reports those)."""
    return (p for p in walk.collect(paths, symlinks) if isinstance(p, Path))


def prepare(source: str, name: str, data: bytes, hints: dict | None = None,
            parsed: ParsedDocument | None = None, document_id: str | None = None,
            limits: Limits | None = None, ocr: OcrSettings | None = None,
            on_page: Callable[[], None] | None = None) -> Document:
    """Parse (unless `parsed` is given), read its scanned pages as `ocr` says (`on_page()` after
    each), and extract one file: pure, so it can run in a worker. The id is `document_id` (a
    file's, from its identity key) or derived from `source` (a URL)."""
    if parsed is None:
        parsed = parse(data, name, limits=(limits or Limits()).parse, ocr=ocr, on_page=on_page)
    else:  # what these bytes gave before: pages OCR read then are not read again
        parsed = with_ocr(parsed, data, ocr, on_page)
    meta = extract(parsed, source, hints)  # the whole path or URL: its folders hint too
    return Document(
        id=document_id or document_id_for(source),
        source=source,
        sha256=sha256_of(data),
        media_type=parsed.media_type,
        size=len(data),
        pages=list(parsed.pages),
        meta=meta,
        warnings=list(parsed.warnings),
        parsed_meta={"title": parsed.title, "date": parsed.date, "headings": list(parsed.headings),
                     "warnings": list(parsed.warnings)},
        hints={k: v for k, v in (hints or {}).items() if v},
    )


@dataclass
class Prepared:
    """A document ready for the writer: its original stored, its text fields analysed."""

    document: Document
    analyzed: object  # the engine's prepared fields (index.engine.Prepare)
    words: frozenset[str]  # its plain words, for the vocabulary (index/search/vocabulary.py)


def _prepare_bytes(source: str, name: str, data: bytes, hints: dict | None, index_prepare: Prepare,
                   parsed: ParsedDocument | None = None, files_root: str | None = None,
                   document_id: str | None = None, limits: Limits | None = None,
                   ocr: OcrSettings | None = None, on_page: Callable[[], None] | None = None) -> Prepared | Outcome:
    """prepare() plus the work the single writer need not do: runs in a worker process."""
    try:
        doc = prepare(source, name, data, hints, parsed, document_id, limits, ocr, on_page)
        if files_root is not None:  # made durable by the writer before the index commit
            FileStore(Path(files_root)).put(data, doc.sha256, sync=False)
        return Prepared(doc, *index_prepare(doc))
    except ParseError as e:
        return Outcome(source, "failed", reason=e.reason, message=e.message)
    except MemoryError:  # over the worker's limit (workers.py): that file's failure, said so there
        raise
    except Exception as e:  # a bug in a parser or extractor must not stop the run
        return Outcome(source, "failed", reason="error", message=f"{type(e).__name__}: {e}")


PAGE_READ = "page"  # what a worker tells the run after each page OCR read (ingest/pipeline/progress.py)


def _page_read() -> None:  # in a worker
    tell(PAGE_READ)


def dnr_keys(doc: Document) -> dict[str, str]:
    return {d: dnr_module.key(d) for d in (*doc.meta.dnr, *doc.meta.dnr_mentioned)}


class Ingester:
    """Writes documents into one data directory: catalog, file store and index.

    Every document reaches the index the same way, through the engine's one writer (index.engine):
    queued by _queue(), committed by flush() every `settings.engine.batch` documents, merged as
    the engine's settings say."""

    def __init__(self, data: DataDir, settings: Settings | None = None):
        self.data = data
        self.settings = settings or Settings()
        self.batch_size = self.settings.engine.batch
        self.catalog = open_catalog(data.catalog)
        self.files = FileStore(data.files_path)
        self.engine = open_engine(data.index_path, self.settings.engine)
        self.prepare = self.engine.prepare_function()
        self._batch: IndexWriter | None = None  # open while documents arrive
        self._pending: dict[str, int] = {}  # id → version added to the open batch
        self._words: Counter[str] = Counter()  # documents per plain word of the open batch
        self.rebuilt: str | None = None  # why reconcile() rebuilt the index, if it did
        # The §§ of protocols as search units (index/decisions.py), replaced at each flush.
        self.decisions = open_decisions(data.root)
        self._decided: list[Document] = []  # the open batch's documents, without their pages

    def close(self, interrupted: bool = False) -> None:
        """Commit what is pending; finish the merge under way (abandon it when interrupted); learn
        the organizations' registers anew from the catalog (ingest/extract/registers.py)."""
        try:
            self.flush()
        finally:
            try:
                self.engine.close(wait=not interrupted)
            except KeyboardInterrupt:  # stopped while waiting for the last merge: abandon it
                self.engine.close(wait=False)
                raise
            finally:
                self.decisions.close()
                try:
                    self.catalog.learn_registers()
                finally:
                    self.catalog.close()

    # -- index consistency ---------------------------------------------------

    def reconcile(self) -> int:
        """Bring the index up to the catalog: rebuild a missing or damaged index (or one that
        lost documents the catalog holds as indexed), index what is missing, delete from the
        index what a stopped removal left in it."""
        healthy, why = self.engine.is_healthy()
        if healthy:
            held, indexed = self.engine.reader().doc_count(), self.catalog.count_indexed()
            if held < indexed:  # doc_count counts replaced versions too: never too few
                healthy, why = False, f"sökindexet har {held} dokument, katalogen {indexed} indexerade"
        if not healthy:
            self.rebuilt = why
            return self.rebuild_index()
        remove.delete_removed(self)
        ids = self.catalog.iter_ids(only_unindexed=True)
        for doc in self.catalog.iter_documents(ids):
            self._queue(doc, *self.prepare(doc), new=False)  # an older version may be indexed
            if len(self._pending) >= self.batch_size:
                self.flush()
        self.flush()
        self.decisions.sync(self.catalog)
        return len(ids)

    def rebuild_index(self) -> int:
        """Rebuild the whole index from the catalog, aside, then swap it in."""
        words: Counter[str] = Counter()

        def counted(docs: Iterable[Document]) -> Iterator[Document]:
            for doc in docs:
                words.update(words_of(doc.meta.title, doc.text))
                yield doc

        count = self.engine.rebuild(counted(self.catalog.iter_documents(self.catalog.iter_ids())))
        self.catalog.mark_all_indexed(words)
        self.decisions.sync(self.catalog)
        return count

    # -- documents -----------------------------------------------------------

    def is_unchanged(self, source: str, sha256: str, size: int | None = None) -> str | None:
        """The document's id if the catalog holds these bytes for `source` (and their original)."""
        state = self.catalog.state_of(source)
        return state[0] if state is not None and self.holds(state, sha256, size) else None

    def holds(self, state: tuple[str, str] | None, sha256: str, size: int | None) -> bool:
        """The catalog's (id, sha256) `state` of a source is these bytes, and their original is
        stored whole (a crash before the originals' sync may have lost it)."""
        return state is not None and state[1] == sha256 and self.files.has(sha256, size)

    def store(self, doc: Document, data: bytes,
              analyzed: tuple[object, frozenset[str]] | None = None) -> Outcome:
        """Catalog a prepared document (and its original bytes), queue it for the index.

        `analyzed` is the engine's prepare(doc) when a worker computed it."""
        known = self.catalog.state_of(doc.source)
        if known is not None and self.holds(known, doc.sha256, doc.size):
            return Outcome(doc.source, "unchanged", known[0])
        self.files.put(data, doc.sha256)
        saved = self.catalog.save(doc, dnr_keys(doc))
        self._queue(saved, *(analyzed or self.prepare(saved)), new=known is None)
        if len(self._pending) >= self.batch_size:
            self.flush()
        return Outcome(doc.source, "updated" if known else "new", doc.id)

    def index_again(self, doc: Document) -> None:
        """Queue a catalogued document whose metadata changed, its text not, for the index (a
        re-extraction: its plain words are in the vocabulary already)."""
        self._queue(doc, self.prepare(doc)[0], frozenset(), new=False)
        if len(self._pending) >= self.batch_size:
            self.flush()

    def _queue(self, saved: Document, analyzed: object, words: frozenset[str], new: bool) -> None:
        """Add a catalogued document to the open index batch (committed by flush()), its plain
        words to the batch's vocabulary counts."""
        if self._batch is None:
            self._batch = self.engine.writer()
        try:
            self._batch.add(saved, analyzed, new=new)
        except BaseException:
            self._batch.cancel()
            self._batch, self._pending, self._words, self._decided = None, {}, Counter(), []
            raise
        self._pending[saved.id] = saved.version
        self._words.update(words)
        self._decided.append(replace(saved, pages=[]))

    def store_prepared(self, results: list[Prepared | Outcome],
                       known: list[tuple[str, str] | None]) -> list[Outcome]:
        """Catalog documents prepared by workers (originals stored already) in one transaction,
        and queue them for the index. `known[i]`: the (id, sha256) the catalog held for the
        source of results[i] when the run found it changed (the run is the only writer)."""
        ready = [(r, k) for r, k in zip(results, known) if isinstance(r, Prepared)]
        saved = self.catalog.save_many([(r.document, dnr_keys(r.document)) for r, _ in ready])
        self.catalog.release(r.document.source if isinstance(r, Prepared) else r.source for r in results)
        outcomes = {}
        for doc, (prepared, was) in zip(saved, ready):
            self._queue(doc, prepared.analyzed, prepared.words, new=was is None)
            outcomes[doc.source] = Outcome(doc.source, "updated" if was else "new", doc.id)
            if len(self._pending) >= self.batch_size:  # a batch smaller than a chunk: every batch
                self.flush()
        return [r if isinstance(r, Outcome) else outcomes[r.document.source] for r in results]

    def flush(self) -> None:
        """Commit the open index batch and record its documents as indexed."""
        if self._batch is None:
            return
        batch, pending, words, decided = self._batch, self._pending, self._words, self._decided
        self._batch, self._pending, self._words, self._decided = None, {}, Counter(), []
        self.files.sync()  # originals stored by workers without a sync of their own
        batch.commit()
        self.catalog.mark_indexed(pending, words)
        self.decisions.replace(decided)


def ingest_paths(
    data: DataDir,
    paths: list[Path],
    jobs: int = 1,
    progress: Progress | None = None,  # told the run's work in pages (ingest/pipeline/progress.py)
    hints: dict | None = None,
    settings: Settings | None = None,
) -> Summary:
    """Ingest files and folders into the data directory; returns what happened to each file.
    `jobs` is used when `settings` is not given."""
    summary = Summary()
    settings = settings or Settings(jobs=jobs)
    jobs = settings.jobs
    ingester = Ingester(data, settings)
    try:
        summary.reindexed = ingester.reconcile()
        summary.rebuilt = ingester.rebuilt
        files = list(walk.collect(paths, settings.symlinks))
        files, summary.removed = remove.apply_exclusions(ingester, paths, files, settings.exclude)
        pages = PageCounter(progress or Silent(), len(files))
        for outcome in _run(ingester, files, jobs, hints, list(paths), pages):
            pages.finished(outcome.source)
            summary.outcomes.append(outcome)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        try:
            ingester.close(interrupted=summary.interrupted)
        except KeyboardInterrupt:  # stopped while finishing (the last commit, the last merge): as before it
            summary.interrupted = True
    return summary


@dataclass
class Changed:
    """A file whose bytes the catalog does not hold under its source yet."""

    source: str
    name: str
    data: bytes
    known: tuple[str, str] | None  # (id, sha256) of the version catalogued before, if any
    parsed: ParsedDocument | None  # what identical bytes gave under another source, if any
    document_id: str | None = None  # from the file's identity key (ingest/pipeline/identity.py)
    pages: int = 1  # what it counts in the progress (ingest/parse/pagecount.py)
    sha256: str = ""


def _changed_files(ingester: Ingester, files: list[Path | Unreadable],
                   given: list[Path], hints: dict | None = None) -> Iterator[Outcome | Changed]:
    """Outcomes for unreadable and unchanged files, Changed for the rest (each source once).
    A file with the same bytes is changed when the run gives hints (`--organization`) other than
    those it was extracted with: it is extracted again, not parsed again.

    A file the catalog knows by its path keeps its id (archives made before identity keys
    too); another gets the id of its identity key, which finds the same document read before
    from another place (the folder moved, another machine): it is saved again, at its path now."""
    seen: set[str] = set()
    keys = identity.FileKeys(given, ingester.settings.collection)
    resolve = walk.Resolver()
    max_bytes = ingester.settings.limits.max_bytes
    for path in files:
        if isinstance(path, Unreadable):
            yield Outcome(path.source, "failed", reason=path.reason, message=path.message)
            continue
        source = str(path)
        try:
            try:
                source = str(resolve(path))
            except OSError:  # gone, a dangling link: read_file below says which
                source = str(path.resolve())
            if source in seen:  # a file named again, or inside a folder also given
                continue
            seen.add(source)
            data = walk.read_file(path, max_bytes)
            sha256 = sha256_of(data)
            known = ingester.catalog.state_of(source)
            document_id = known[0] if known else document_id_for(
                keys.key(path))
            moved = known is None and (known := ingester.catalog.state_by_id(document_id)) is not None
            if moved and _still_there(ingester.catalog.source_of(document_id), source):
                # Another file has the key (a folder of the same name elsewhere), not this one moved.
                document_id = document_id_for(source)
                moved = (known := ingester.catalog.state_by_id(document_id)) is not None
            if not moved and ingester.holds(known, sha256, len(data)) and not (
                    hints and ingester.catalog.hints_of(document_id) != hints):
                yield Outcome(source, "unchanged", document_id)
                continue
            yield Changed(source, path.name, data, known, ingester.catalog.parsed(sha256), document_id,
                          page_count(data, path.name), sha256)
        except Unreadable as e:
            yield Outcome(source, "failed", reason=e.reason, message=e.message)
        except (OSError, RuntimeError, ValueError) as e:  # a name the file system refuses, a loop
            yield Outcome(source, "failed", reason="unreadable", message=f"kan inte läsa filen: {e}")


def _still_there(catalogued: str | None, source: str) -> bool:
    """The file a document was catalogued from is still where it was, and is not `source`."""
    return catalogued is not None and catalogued != source and os.path.isfile(catalogued)


CLAIM_FILES = 16  # changed files claimed together in a shared catalog (one round trip)


def _claimed(ingester: Ingester, items: Iterable[Outcome | Changed]) -> Iterator[Outcome | Changed]:
    """The changed files this run is to ingest. A shared catalog (PostgreSQL) may have other
    ingests working the same archive: each changed file goes to the one run that claims it
    (Catalog.claim; released once catalogued, in store_prepared), the others say "elsewhere"."""
    if not ingester.catalog.shared:
        yield from items
        return
    waiting: list[Changed] = []

    def settle() -> Iterator[Outcome | Changed]:
        mine = ingester.catalog.claim([(c.source, c.sha256) for c in waiting])
        for c in waiting:
            yield c if c.source in mine else Outcome(c.source, "elsewhere", c.document_id)
        waiting.clear()

    for item in items:
        if isinstance(item, Outcome):
            yield item
            continue
        waiting.append(item)
        if len(waiting) >= CLAIM_FILES:
            yield from settle()
    yield from settle()


# Work for the process pool goes in chunks of small files (fewer round trips), a large file
# alone; chunks in flight are bounded in files and bytes, enough to keep the workers busy
# while the writer commits a batch to the index.
CHUNK_FILES = 16
CHUNK_BYTES = 2**20
_CHUNKS_PER_WORKER = 4  # in a small run, chunks made small enough for each worker to get this many


def chunk_files(files: int, jobs: int) -> int:
    """Files per chunk: CHUNK_FILES, fewer in a small run. A chunk is one worker's, and its cost
    is not known before it is parsed: twenty one-page scans (2-3 s of OCR each, a few KiB) in
    one chunk would keep one worker busy while the other waits.

    >>> chunk_files(100_000, 2), chunk_files(20, 2), chunk_files(3, 2)
    (16, 2, 1)
    """
    return max(1, min(CHUNK_FILES, files // (max(1, jobs) * _CHUNKS_PER_WORKER)))
WINDOW_FILES = 1000
WINDOW_BYTES = 64 * 2**20


def _run(ingester: Ingester, files: list[Path | Unreadable], jobs: int, hints: dict | None,
         given: list[Path], pages: PageCounter) -> Iterator[Outcome]:
    hints = {k: v for k, v in (hints or {}).items() if v}
    items = _claimed(ingester, _changed_files(ingester, files, given, hints))
    per_chunk = chunk_files(len(files), jobs)
    files_root = str(ingester.files.root)
    limits, ocr = ingester.settings.limits, ingester.settings.ocr
    index_prepare = ingester.prepare

    def handle(c: Changed) -> Prepared | Outcome:  # in a worker
        return _prepare_bytes(c.source, c.name, c.data, hints, index_prepare, c.parsed, files_root,
                              c.document_id, limits, ocr, on_page=_page_read)

    def fail(c: Changed, reason: str, message: str) -> Outcome:
        return Outcome(c.source, "failed", reason=reason, message=message)

    in_flight: dict[Hashable, list[Changed]] = {}
    files_out = bytes_out = 0

    def collect_one() -> list[Outcome]:
        nonlocal files_out, bytes_out
        key, results = pool.next_done()
        chunk = in_flight.pop(key)
        files_out -= len(chunk)
        bytes_out -= sum(len(c.data) for c in chunk)
        return ingester.store_prepared(results, [c.known for c in chunk])

    # Workers are forked from this process: what it has loaded they share, page by page, until
    # they write to it; frozen, the collector's bookkeeping does not write to it either. They die
    # with this process and hold none of its locks (lifeline.py), and each file is parsed within
    # its limits of time and memory (workers.py), even with one job.
    preload()
    detect_language("Nämnden beslutar i enlighet med förvaltningens förslag.")
    gc.freeze()
    pool = WorkerPool(jobs, handle, fail, WorkLimits(limits.max_seconds, limits.max_memory),
                      str(ingester.data.root), on_note=lambda c, _: pages.page_read(c.source))  # type: ignore[attr-defined]
    try:
        chunk: list[Changed] = []
        for number, item in enumerate(itertools.chain(items, [None])):  # None: the end, send what is left
            if isinstance(item, Outcome):
                yield item
                continue
            if item is not None:
                chunk.append(item)
                pages.found(item.source, item.pages)
            size = sum(len(c.data) for c in chunk)
            if chunk and (item is None or len(chunk) >= per_chunk or size >= CHUNK_BYTES):
                pool.submit(number, chunk)
                in_flight[number] = chunk
                files_out, bytes_out = files_out + len(chunk), bytes_out + size
                chunk = []
            while in_flight and (files_out >= WINDOW_FILES or bytes_out >= WINDOW_BYTES):
                yield from collect_one()
        while in_flight:
            yield from collect_one()
    finally:  # on an interrupt, chunks under way are abandoned (their files are not catalogued)
        pool.close()
        gc.unfreeze()
