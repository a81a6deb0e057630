"""Search stage: run a SearchRequest against the index and the catalog; hits, facets, snippets."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from whoosh import sorting

from index import snippets
from index.query import SearchRequest, build, highlight_terms
from index.schema import FACETS
from index.store import IndexStore
from ingest.catalog import Catalog

MAX_PER_PAGE = 100
SUGGEST_BELOW = 3  # offer "Menade du ...?" when a query finds fewer hits than this


@dataclass
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[dict]
    facets: dict[str, dict[str, int]]
    suggestion: str | None = None
    dnr_key: str | None = None
    lenient: bool = False
    cases: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "query": self.request.q,
            "total": self.total,
            "page": self.request.page,
            "per_page": self.request.per_page,
            "sort": self.request.sort,
            "filters": self.request.filters,
            "hits": self.hits,
            "facets": self.facets,
            "suggestion": self.suggestion,
            "cases": self.cases,
        }


class Searcher:
    """A long-lived searcher for one data directory, shared by a process's threads.

    Each thread keeps its own Whoosh searcher and refreshes it when the index has new
    commits or the live generation was swapped by a rebuild."""

    def __init__(self, index_store: IndexStore):
        self.index_store = index_store
        self._local = threading.local()

    def _searcher(self):
        local = self._local
        current = self.index_store.current_dir()
        s = getattr(local, "searcher", None)
        if s is None or local.generation != current:
            if s is not None:
                s.close()
            s = self.index_store.open().searcher()
            local.generation = self.index_store.current_dir()
        elif not s.up_to_date():
            s = s.refresh()
        local.searcher = s
        return s

    def search(self, req: SearchRequest, catalog: Catalog) -> SearchResult:
        built = build(req)
        s = self._searcher()
        facets = {
            name: sorting.FieldFacet(name, allow_overlap=(name == "party"), maptype=sorting.Count)
            for name in FACETS
        }
        kwargs = {}
        if req.sort == "date" or not req.q.strip():
            kwargs["sortedby"] = sorting.MultiFacet(
                [sorting.FieldFacet("date", reverse=True), sorting.FieldFacet("ingested", reverse=True)]
            )
        page = s.search_page(
            built.query, req.page, pagelen=req.per_page, filter=built.filter,
            groupedby=facets, terms=False, **kwargs,
        )
        total = len(page.results)
        ids = [hit["id"] for hit in page]
        docs = catalog.get_many(ids)
        terms, prefixes = highlight_terms(built.query)
        hits = []
        for document_id in ids:
            doc = docs.get(document_id)
            if doc is None:  # indexed but gone from the catalog: the catalog is the truth
                continue
            snippet = snippets.best(catalog.pages(doc.id), doc.meta.language, terms, prefixes)
            hits.append(hit_dict(doc, snippet))
        result = SearchResult(
            request=req,
            total=total,
            hits=hits,
            facets=_facet_counts(page.results, facets),
            dnr_key=built.dnr_key,
            lenient=built.lenient,
        )
        if built.dnr_key:
            result.cases = catalog.cases_by_key(built.dnr_key)
        elif total < SUGGEST_BELOW and req.q.strip():
            result.suggestion = self.suggest(req.q)
        return result

    def suggest(self, text: str) -> str | None:
        """A corrected query from the index's own words, or None."""
        s = self._searcher()
        reader = s.reader()
        corrector = s.corrector("words")
        changed, out = False, []
        for word in text.split():
            lower = word.lower()
            if not lower.isalpha() or reader.doc_frequency("words", lower) > 0:
                out.append(word)
                continue
            found = corrector.suggest(lower, limit=1, maxdist=2)
            if found:
                out.append(found[0])
                changed = True
            else:
                out.append(word)
        return " ".join(out) if changed else None

    def close(self) -> None:
        s = getattr(self._local, "searcher", None)
        if s is not None:
            s.close()


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


def hit_dict(doc, snippet: snippets.Snippet) -> dict:
    meta = doc.meta
    return {
        "id": doc.id,
        "title": meta.title,
        "doctype": meta.doctype,
        "organization": meta.organization,
        "body": meta.body,
        "date": meta.date,
        "dnr": list(meta.dnr),
        "language": meta.language,
        "source": doc.source,
        "snippet": snippet.html,
        "snippet_page": snippet.page,
        "url": f"/documents/{doc.id}" + (f"#sida-{snippet.page}" if snippet.page else ""),
    }
