"""Web stage, request parsing: query-string arguments → a validated SearchRequest."""
from __future__ import annotations

import re

from index.fields import FACETS
from index.query.parser import EXCLUDED_FIELDS, SearchRequest
from index.search.searcher import MAX_PER_PAGE

_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
MAX_QUERY = 1000
SORTS = ("relevance", "date", "recency")


class BadRequest(ValueError):
    """A request argument that cannot be used; the message says which and why (Swedish)."""


def _int(args, name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()):  # not "²", "٣" or "1e3"
        raise BadRequest(f"{name} måste vara ett heltal, inte {raw[:20]!r}")
    digits = raw.lstrip("0") or "0"
    value = int(digits) if len(digits) <= len(str(high)) else high + 1  # never int() of 5,000 digits
    if name == "page" and value > high:  # a page beyond any result: a scan for nothing
        raise BadRequest(f"{name} får vara högst {high}")
    return max(low, min(high, value))


def _date(args, name: str, end: bool) -> str | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    if not _ISO_DATE.fullmatch(raw):
        raise BadRequest(f"{name} måste vara ett datum som ÅÅÅÅ-MM-DD, inte {raw!r}")
    # A year or a month stands for its whole span.
    if len(raw) == 4:
        return raw + ("-12-31" if end else "-01-01")
    if len(raw) == 7:
        return raw + ("-31" if end else "-01")
    return raw


def query_text(args) -> str:
    """The request's `q`, at most MAX_QUERY characters."""
    q = args.get("q", "")
    if len(q) > MAX_QUERY:
        raise BadRequest(f"frågan är för lång (högst {MAX_QUERY} tecken)")
    return q


def search_request(args) -> SearchRequest:
    q = query_text(args)
    sort = args.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        raise BadRequest(f"sort måste vara {', '.join(SORTS)}, inte {sort!r}")
    filters = {name: args.get(name, "").strip() for name in (*FACETS, *EXCLUDED_FIELDS, "dnr")}
    filters = {k: v for k, v in filters.items() if v}
    for name, end in (("date_from", False), ("date_to", True)):
        value = _date(args, name, end)
        if value:
            filters[name] = value
    return SearchRequest(
        q=q,
        page=_int(args, "page", 1, 1, 10_000),
        per_page=_int(args, "per_page", 10, 1, MAX_PER_PAGE),
        sort=sort,
        filters=filters,
        exact_spelling=args.get("stavning", "") == "exakt",
    )
