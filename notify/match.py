"""Notify stage, matching: does a document meet a watch (pure), and a saved search as a SearchRequest."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from index.fields import FACETS
from index.query.parser import EXCLUDED_FIELDS, SearchRequest
from ingest.catalog.watches import Watch
from ingest.extract import dnr as dnr_module
from ingest.model import Document

SEARCH_FILTERS = (*FACETS, *EXCLUDED_FIELDS, "dnr", "date_from", "date_to")


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").casefold() == (b or "").casefold()


def matches(watch: Watch, doc: Document) -> bool:
    """Whether a document meets a watch on a dnr, a body, an organization or a party (a saved
    search is matched by the index instead: search_of)."""
    meta = doc.meta
    if watch.organization and not _same(watch.organization, meta.organization):
        return False
    if watch.kind == "dnr":
        key = dnr_module.key(watch.value)
        own = {*meta.dnr, *(d for p in meta.paragraphs for d in p.dnr)}
        return any(dnr_module.key(d) == key for d in own)
    if watch.kind == "body":
        return _same(watch.value, meta.body)
    if watch.kind == "organization":
        return _same(watch.value, meta.organization)
    if watch.kind == "party":
        return any(_same(watch.value, p) for p in meta.parties)
    return False


def saved_search(q: str, filters: dict[str, str]) -> str:
    """The value of a search watch: the query and its (already validated) filters."""
    kept = {k: v for k, v in filters.items() if k in SEARCH_FILTERS and v}
    return urlencode({"q": q, **kept})


def search_of(watch: Watch) -> SearchRequest:
    """A search watch's request, newest first."""
    args = dict(parse_qsl(watch.value, keep_blank_values=True))
    filters = {k: v for k, v in args.items() if k in SEARCH_FILTERS and v}
    return SearchRequest(q=args.get("q", ""), page=1, per_page=10, sort="date", filters=filters)
