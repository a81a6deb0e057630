"""Web stage, paging: `next` and `prev` links (and a Link header) for a paged JSON response."""
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


def link_header(found: dict[str, str | None]) -> str:
    """RFC 8288: `<url>; rel="next", <url>; rel="prev"`."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in found.items() if url)
