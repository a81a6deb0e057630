"""Web stage, hardening: bounded requests, security headers on every response, and URLs that
never come from the request's Host header (a configured base URL, else relative)."""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlencode

from flask import Flask, abort, current_app, request, url_for

MAX_QUERY_STRING = 4096  # bytes of a URL's query string; the query itself is at most MAX_QUERY
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
# What XML 1.0 cannot hold, not even escaped: C0 controls but tab, LF, CR; lone surrogates; FFFE/FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._ ()+-]+")


def register(app: Flask) -> None:
    @app.before_request
    def bounded_request():
        if len(request.query_string) > MAX_QUERY_STRING:
            abort(400, description=f"adressens frågedel är för lång (högst {MAX_QUERY_STRING} byte)")

    @app.after_request
    def security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def absolute(path: str) -> str:
    """`path` under the configured BASE_URL (python -m web --base-url), else `path` itself: a
    relative URL is right wherever the archive is served from, and a Host header sent by anyone
    never ends up in a feed, an export or a link."""
    base = current_app.config.get("BASE_URL")
    return base.rstrip("/") + path if base else path


def link(endpoint: str, args: dict | None = None, **values) -> str:
    """url_for(endpoint, **values) with `args` (a request's arguments) as the query string, so
    arguments named like url_for's own (_external, _method, endpoint) are only arguments."""
    query = {k: v for k, v in (args or {}).items() if v not in (None, "")}
    return url_for(endpoint, **values) + ("?" + urlencode(query) if query else "")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (NUL, ESC ...): an Atom feed stays
    well-formed whatever a document holds."""
    return _NOT_XML.sub("", text)


def content_disposition(kind: str, name: str) -> str:
    """A Content-Disposition header for any file name (RFC 6266 / RFC 5987): an ASCII fallback
    `filename` and the exact name, NFC, as UTF-8 in `filename*`; control characters (a newline
    in a name) become spaces, path separators underscores.

    >>> content_disposition("attachment", "Protokoll – KS\\n2024.pdf")
    'attachment; filename="Protokoll - KS 2024.pdf"; filename*=UTF-8\\'\\'Protokoll%20%E2%80%93%20KS%202024.pdf'
    """
    name = unicodedata.normalize("NFC", name)
    name = "".join(" " if unicodedata.category(c).startswith("C") else c for c in name)
    name = " ".join(name.replace("/", "_").replace("\\", "_").split()) or "original"
    ascii_name = unicodedata.normalize("NFKD", name.replace("\u2013", "-").replace("\u2014", "-"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode()
    ascii_name = " ".join(_UNSAFE_ASCII.sub("_", ascii_name).split()).strip("._ ") or "original"
    return f'{kind}; filename="{ascii_name}"; filename*=UTF-8\'\'{quote(name, safe="")}'
