"""Index stage, the seam: what the pipeline and the search service need from a search engine.

Every engine (Whoosh, index/backends/whoosh/, the embedded default; OpenSearch,
index/backends/opensearch/) implements these Protocols; nothing outside
its backend folder sees the engine's own objects. The fields are index/fields.py, queries the
IR of index/query/ir.py; documents go in as ingest.model.Document and come out as ids (the web
builds URLs, the catalog holds everything else). tests/index/contract/ runs the same checks on
every backend.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from index.query import ir
from ingest.model import Document

ORDERS = ("relevance", "newest", "recency")  # recency: relevance, newer documents a little higher
MERGES = ("background", "commit", "none")


@dataclass(frozen=True)
class EngineSettings:
    """How the engine writes; built once at the command line or the web factory."""

    backend: str = "whoosh"
    batch: int = 8000  # documents per commit (one segment each in Whoosh)
    merge: str = "background"  # merge full tiers in a process of their own, at commit, or never
    jobs: int = 1  # processes that may build a rebuilt index
    # OpenSearch (index/backends/opensearch/): the cluster's URLs (comma-separated, any of its
    # nodes), the alias the archive's index is behind, and a new index's shards and replicas.
    opensearch_url: str = "http://127.0.0.1:9200"
    opensearch_index: str = "diariet"
    shards: int = 3
    replicas: int = 1


# What a worker process computes for the writer ahead of time: engine-specific analysed fields,
# and the document's plain words for the vocabulary (index/search/vocabulary.py).
Prepare = Callable[[Document], tuple[object, frozenset[str]]]


@dataclass
class Results:
    """The best `limit` documents of a query (ids, best first, with their scores), and, when
    asked for, the number of all matching documents and their facet counts (facet → value →
    documents, most frequent first)."""

    ids: list[str]
    scores: list[float]
    total: int | None = None
    facets: dict[str, dict[str, int]] | None = field(default=None)


class IndexWriter(Protocol):
    """The single writer: what is added becomes visible at commit(), all or nothing."""

    def add(self, doc: Document, prepared: object | None = None, new: bool = False) -> None:
        """Add, or replace by id; `prepared` from the engine's prepare(doc); `new`: the caller
        knows the index cannot hold the id yet (no lookup)."""

    def delete(self, document_id: str) -> None: ...

    def commit(self) -> None:
        """Make the batch visible and durable, then merge as the settings say."""

    def cancel(self) -> None: ...


class IndexReader(Protocol):
    """One thread's view of one index state."""

    @property
    def state(self) -> Hashable:
        """Changes whenever what a query finds may change (commits, rebuilds): a cache key."""

    def search(self, query: ir.Node, filter: ir.Node | None, limit: int, order: str = "relevance",
               count: bool = True) -> Results:
        """Top-k by `order` (ORDERS), exact totals and facets when `count`; phrases on
        positions, filters unscored."""

    def doc_count(self) -> int: ...

    def doc_frequency(self, field: str, text: str) -> int:
        """Documents holding an analysed term (suggestions, similar documents)."""

    def similar(self, terms: dict[str, float], field: str, exclude: str, limit: int) -> list[str]:
        """Ids of the documents best matching any of the weighted terms, but `exclude`."""


class SearchEngine(Protocol):
    settings: EngineSettings

    def prepare_function(self) -> Prepare:
        """A picklable function the ingest's worker processes run on each document."""

    def writer(self) -> IndexWriter: ...

    def rebuild(self, docs: Iterable[Document]) -> int:
        """Index `docs` into a new generation aside, then switch to it atomically."""

    def is_healthy(self) -> tuple[bool, str]:
        """(usable, why not, in Swedish): readable and built with these fields."""

    def reader(self) -> IndexReader:
        """The calling thread's reader, moved to the latest state."""

    def warm(self) -> None:
        """Read what every query of the current state needs now, not at the first query."""

    # Optional: status() -> str, a note (Swedish) for users while the index is missing, damaged
    # or being rebuilt and an older state or none is served; "" when all is well.

    def close(self, wait: bool = True) -> None:
        """Finish background work (wait) or abandon it; close this thread's reader."""


def open_engine(root, settings: EngineSettings) -> SearchEngine:
    """The engine the settings name, over the index folder `root`."""
    if settings.backend == "whoosh":
        from index.backends.whoosh.engine import WhooshEngine

        return WhooshEngine(root, settings)
    if settings.backend == "opensearch":
        from index.backends.opensearch.engine import OpenSearchEngine

        return OpenSearchEngine(settings)
    raise ValueError(f"okänd sökmotor: {settings.backend!r}")
