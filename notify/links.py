"""Notify stage, links: the site addresses e-mails and webhooks point at (the web serves them: web/pages/watches.py)."""
from __future__ import annotations

from urllib.parse import quote, urlencode

from ingest.catalog.watches import Watch


def watch_page(base: str, watch: Watch) -> str:
    """Where a watch's whole result is: the search, the case, the body's or party's documents."""
    if watch.kind == "search":
        return f"{base}/?{watch.value}" if watch.value else f"{base}/"
    if watch.kind == "dnr":
        return f"{base}/cases?" + urlencode({"dnr": watch.value})
    args = {"organization": watch.organization} if watch.organization else {}
    field = {"body": "body", "organization": "organization", "party": "party"}[watch.kind]
    return f"{base}/?" + urlencode(args | {field: watch.value})


def unsubscribe(base: str, watch: Watch, key: str) -> str:
    return f"{base}/bevakningar/{quote(watch.id)}/avsluta?" + urlencode({"nyckel": key})


def manage(base: str, key: str) -> str:
    return f"{base}/bevakningar?" + urlencode({"nyckel": key})


def confirm(base: str, key: str) -> str:
    return f"{base}/bevakningar/bekrafta?" + urlencode({"nyckel": key})


def document(base: str, document_id: str) -> str:
    return f"{base}/documents/{quote(document_id)}"
