"""Index stage, Whoosh backend: index.engine's SearchEngine over the on-disk Whoosh index.

Writes go through one IndexBatch per commit (store.py) and full tiers are merged as the
settings say; reads go through each thread's Whoosh searcher, answered over numpy arrays of the
postings (arrays.py) where that module evaluates the query, by Whoosh itself otherwise.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from whoosh import query as wq
from whoosh import scoring, sorting
from whoosh.searching import Searcher as WhooshSearcher

from index.backends.whoosh import internals
from index.backends.whoosh.arrays import ArrayIndex, Unsupported, restrict
from index.backends.whoosh.schema import analyzed_document, build_schema
from index.backends.whoosh.store import INDEX_NAME, BackgroundMerger, IndexStore
from index.backends.whoosh.translate import to_whoosh
from index.engine import EngineSettings, Prepare, Results
from index.fields import FACETS, MULTI_VALUED
from index.query import ir
from ingest.model import Document

RECENCY_WEIGHT = 0.3  # order=recency: a document of today scores up to 30 % more ...
RECENCY_HALF_LIFE = 5.0  # ... and one this many years old half as much more
RETRY_OPEN = 1.0  # seconds before a reader that found no usable index looks again


def _empty_index():
    """An index with no documents, in memory: what a reader searches while none opens."""
    from whoosh.filedb.filestore import RamStorage

    return RamStorage().create_index(build_schema(), indexname=INDEX_NAME)


class RecencyBM25F(scoring.BM25F):
    """BM25F, then a gentle boost by the document's date: score × (1 + w · 2^(−age/half-life))."""

    use_final = True

    def __init__(self, today: date | None = None, **kwargs):
        super().__init__(**kwargs)
        self.today = today or date.today()

    def final(self, searcher, docnum, score):
        value = searcher.reader().column_reader("date")[docnum]
        value = value.decode() if isinstance(value, bytes) else value
        if not value:
            return score
        try:
            age = (self.today - date.fromisoformat(value[:10])).days / 365.25
        except ValueError:
            return score
        return score * (1 + RECENCY_WEIGHT * 0.5 ** (max(age, 0.0) / RECENCY_HALF_LIFE))


class WhooshWriter:
    """index.engine.IndexWriter over one IndexBatch; commit() merges as the settings say."""

    def __init__(self, engine: WhooshEngine):
        self.engine = engine
        self.batch = engine.store.batch(floor=engine.settings.batch)

    def add(self, doc: Document, prepared: object | None = None, new: bool = False) -> None:
        self.batch.add(doc, prepared, new=new)  # type: ignore[arg-type]

    def delete(self, document_id: str) -> None:
        self.batch.delete(document_id)

    def commit(self) -> None:
        merge = self.engine.settings.merge
        self.batch.commit(merge=merge == "commit")
        if merge == "background":
            self.engine.merger.step()

    def cancel(self) -> None:
        self.batch.cancel()


class WhooshEngine:
    """index.engine.SearchEngine for Whoosh."""

    def __init__(self, root: Path, settings: EngineSettings | None = None, use_arrays: bool = True):
        internals.install()  # Whoosh's readers without private copies, lengths read at once
        self.settings = settings or EngineSettings()
        self.store = IndexStore(Path(root))
        # Queries are answered over numpy arrays of the postings (arrays.py) where that module
        # evaluates them, by Whoosh itself otherwise (and always with use_arrays=False).
        self.use_arrays = use_arrays
        self._arrays = ArrayIndex()
        self._local = threading.local()
        self._merger: BackgroundMerger | None = None

    @property
    def merger(self) -> BackgroundMerger:
        if self._merger is None:
            self._merger = BackgroundMerger(self.store, floor=self.settings.batch)
        return self._merger

    # -- writing -----------------------------------------------------------------------------

    def prepare_function(self) -> Prepare:
        return analyzed_document

    def writer(self) -> WhooshWriter:
        return WhooshWriter(self)

    def rebuild(self, docs: Iterable[Document]) -> int:
        return self.store.rebuild(docs, procs=self.settings.jobs)

    def is_healthy(self) -> tuple[bool, str]:
        """The writer's check at the start of a run, which also clears what a killed run left
        (a half-built generation of a killed rebuild)."""
        self.store.recover()
        return self.store.is_healthy()

    def close(self, wait: bool = True) -> None:
        if self._merger is not None:
            self._merger.close(wait=wait)
        s = getattr(self._local, "searcher", None)
        if s is not None:
            s.close()
            self._local.searcher = None

    # -- reading -----------------------------------------------------------------------------

    def _searcher(self):
        local = self._local
        current = self.store.current_dir()
        s = getattr(local, "searcher", None)
        stale = s is None or local.generation != current or (
            not s.up_to_date() if local.path is not None else time.monotonic() - local.opened > RETRY_OPEN)
        if stale:
            # Never Whoosh's refresh(): whoosh3's reader(reuse=...) matches the segments to reuse
            # by segment id, so a segment whose deletions changed keeps its stale reader (deleted
            # and replaced documents stay visible), and it adds the reused reader's segments that
            # a merge replaced. A new searcher opens each segment through the shared mmap (cheap).
            if s is not None:
                s.close()
            # A reader never creates or repairs: a missing or damaged live generation is read
            # from the newest one that opens, or as an empty index, with a note (status()).
            ix, local.path, local.note = self.store.open_for_reading()
            s = (ix if ix is not None else _empty_index()).searcher()
            local.generation, local.opened = current, time.monotonic()
        local.searcher = s
        return s

    def status(self) -> str:
        """What a reader should tell its users about the index (Swedish), or "" when all is well."""
        self._searcher()
        return self._local.note

    def reader(self) -> WhooshReader:
        return WhooshReader(self, self._searcher())

    def warm(self) -> None:
        if self.use_arrays:
            self._arrays.view(self._searcher()).prepare()


class WhooshReader:
    """index.engine.IndexReader over one Whoosh searcher (one thread's)."""

    def __init__(self, engine: WhooshEngine, searcher):
        self.engine = engine
        self.searcher = searcher
        self._state = (str(getattr(engine._local, "path", None)), searcher.reader().generation())

    @property
    def state(self):
        return self._state

    def doc_count(self) -> int:
        return self.searcher.reader().doc_count_all()

    def doc_frequency(self, field: str, text: str) -> int:
        return self.searcher.reader().doc_frequency(field, text)

    def search(self, query: ir.Node, filter: ir.Node | None, limit: int, order: str = "relevance",
               count: bool = True) -> Results:
        q = to_whoosh(query)
        f = to_whoosh(filter) if filter is not None else None
        if self.engine.use_arrays:
            try:
                return self._search_arrays(q, f, limit, order, count)
            except Unsupported:
                pass  # Whoosh answers it, one posting at a time
        return self._search_whoosh(q, f, limit, order, count)

    def _search_arrays(self, q, f, limit: int, order: str, count: bool) -> Results:
        s = self.searcher
        view = self.engine._arrays.view(s)
        matches = view.evaluate(q)
        if f is not None:
            matches = restrict(matches, view.evaluate(f).ids)
        results = Results([], [])
        if count:
            results.total, results.facets = len(matches.ids), view.facet_counts(matches.ids)
        if order == "newest":
            docnums = view.top(matches, limit, order="newest")
        elif order == "recency":
            docnums = view.top(matches, limit, recency=(date.today(), RECENCY_WEIGHT, RECENCY_HALF_LIFE))
        else:
            docnums = view.top(matches, limit)
        results.ids = [s.stored_fields(d)["id"] for d in docnums]
        return results

    def _search_whoosh(self, q, f, limit: int, order: str, count: bool) -> Results:
        s = self.searcher
        results = Results([], [])
        if count:
            facets = {
                name: sorting.FieldFacet(name, allow_overlap=(name in MULTI_VALUED), maptype=sorting.Count)
                for name in FACETS
            }
            # Every match, unscored, without the optional proximity clause (which ranks but
            # never adds or removes a match).
            counted_q = q.a if isinstance(q, wq.AndMaybe) else q
            everything = s.search(counted_q, limit=None, filter=f, groupedby=facets, scored=False, terms=False)
            results.total, results.facets = len(everything), _facet_counts(everything, facets)
        if limit <= 0:
            return results
        kwargs = {}
        if order == "newest":
            kwargs["sortedby"] = sorting.MultiFacet(
                [sorting.FieldFacet("date", reverse=True), sorting.FieldFacet("ingested", reverse=True)]
            )
        elif order == "recency":
            s = WhooshSearcher(s.reader(), weighting=RecencyBM25F(), closereader=False)
        hits = s.search(q, limit=limit, filter=f, terms=False, **kwargs)
        results.ids = [hit["id"] for hit in hits]
        results.scores = [hit.score for hit in hits]
        return results

    def similar(self, terms: dict[str, float], field: str, exclude: str, limit: int) -> list[str]:
        top = max(terms.values())
        q = wq.Or([wq.Term(field, t, boost=w / top) for t, w in terms.items()])
        hits = self.searcher.search(q, limit=limit, mask=wq.Term("id", exclude), terms=False)
        return [hit["id"] for hit in hits]


def _facet_counts(results, facets) -> dict[str, dict[str, int]]:
    out = {}
    for name in facets:
        groups = results.groups(name)
        counts = {
            (k.decode() if isinstance(k, bytes) else k): v
            for k, v in groups.items()
            if k not in (None, "", b"")
        }
        out[name] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return out
