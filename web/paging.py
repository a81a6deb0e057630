"""Web stage, paging: `next` and `prev` links (and a Link header) for a paged JSON response, and
a search page's links to itself with some arguments changed."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import url_for


def links(endpoint: str, args: dict, page: int, per_page: int, total: int) -> dict[str, str | None]:
    """{"next": url or None, "prev": url or None}: the same request one page on or back."""
    last = max(1, -(-total // per_page))
    kept = {k: v for k, v in args.items() if v not in (None, "") and k != "page"}

    def at(n: int) -> str:
        query = kept | ({"page": n} if n > 1 else {})
        return url_for(endpoint) + ("?" + urlencode(query) if query else "")

    return {"next": at(page + 1) if page < last else None,
            "prev": at(min(page - 1, last)) if page > 1 else None}


def changed(endpoint: str, args: dict, **changes) -> str:
    """The page at `endpoint` with `changes` to its arguments `args` (None or "" removes one); any
    change but a page change starts again on page 1."""
    merged = {k: v for k, v in args.items() if v and (k != "page" or "page" in changes)}
    for k, v in changes.items():
        if v in (None, ""):
            merged.pop(k, None)
        else:
            merged[k] = v
    return url_for(endpoint) + ("?" + urlencode(merged) if merged else "")


def link_header(found: dict[str, str | None]) -> str:
    """RFC 8288: `<url>; rel="next", <url>; rel="prev"`."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in found.items() if url)
