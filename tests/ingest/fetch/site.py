"""A small municipal web site on 127.0.0.1 for the crawler tests, built from real documents.

`Site` holds the resources and logs every request (host, path, conditional headers, time).
`serve()` runs it on a random port with http.server in a thread. Everything stays on loopback:
the "other host" is a second server on 127.0.0.2.
"""
from __future__ import annotations

import gzip
import hashlib
import html
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

FIRST_MODIFIED = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)


@dataclass
class Resource:
    body: bytes
    content_type: str
    etag: bool = True
    last_modified: bool = True
    modified: datetime = FIRST_MODIFIED
    length: bool = True  # False: no Content-Length, the body ends when the connection closes
    # Special behaviour: given the number of earlier requests for this path, an answer
    # (status, headers, body) or None for the normal one.
    special: Callable[[int], tuple[int, dict, bytes] | None] | None = None
    delay_first: float = 0.0  # seconds to stall before answering the first request


@dataclass
class Hit:
    server: str  # "main" or "other"
    host: str
    path: str
    headers: dict
    at: float  # time.monotonic()
    status: int = 0


@dataclass
class Site:
    resources: dict[str, Resource] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    served: dict[tuple[str, str], int] = field(default_factory=dict)  # (server, path) → requests ever
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8", **kw) -> None:
        self.resources[path] = Resource(body.encode() if isinstance(body, str) else body, content_type, **kw)

    def replace(self, path: str, body: bytes) -> None:
        """New bytes at a path: a new ETag and a later Last-Modified."""
        r = self.resources[path]
        r.body, r.modified = body, r.modified + timedelta(days=1)

    def requests(self, path: str | None = None, server: str = "main") -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.server == server and (path is None or h.path == path)]

    def clear_log(self) -> None:
        """Forget the requests seen (not how often each path was served: `once` stays once)."""
        with self.lock:
            self.hits.clear()

    def count(self, path: str) -> int:
        return len(self.requests(path))


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


def _handler(site: Site, server_name: str):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output clean
            pass

        def handle(self):
            try:
                super().handle()
            except (BrokenPipeError, ConnectionResetError):  # the crawler gave up (timeout, too large)
                pass

        def do_GET(self):
            path = unquote(self.path.split("?")[0])
            hit = Hit(server_name, self.headers.get("Host", ""), path,
                      {k: self.headers.get(k) for k in ("If-None-Match", "If-Modified-Since", "User-Agent")
                       if self.headers.get(k)}, time.monotonic())
            with site.lock:
                earlier = site.served.get((server_name, path), 0)
                site.served[(server_name, path)] = earlier + 1
                site.hits.append(hit)
            r = site.resources.get(path)
            if r is None:
                return self._send(hit, 404, {"Content-Type": "text/html"}, b"<h1>Sidan finns inte</h1>")
            if r.delay_first and earlier == 0:
                time.sleep(r.delay_first)
            if r.special:
                answer = r.special(earlier)
                if answer is not None:
                    return self._send(hit, *answer)
            headers = {"Content-Type": r.content_type}
            if r.etag:
                headers["ETag"] = etag_of(r.body)
            if r.last_modified:
                headers["Last-Modified"] = format_datetime(r.modified, usegmt=True)
            if self._not_modified(r):
                return self._send(hit, 304, headers, b"")
            self._send(hit, 200, headers, r.body, length=r.length)

        def _not_modified(self, r: Resource) -> bool:
            tag = self.headers.get("If-None-Match")
            if tag is not None:
                return r.etag and tag == etag_of(r.body)
            since = self.headers.get("If-Modified-Since")
            if since and r.last_modified:
                try:
                    return r.modified <= parsedate_to_datetime(since)
                except (TypeError, ValueError):
                    return False
            return False

        def _send(self, hit: Hit, status: int, headers: dict, body: bytes, length: bool = True):
            hit.status = status
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if length and status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

    return Handler


def serve(site: Site, address: str, name: str) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((address, 0), _handler(site, name))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# -- the municipality's pages -----------------------------------------------------------------

def page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"</head><body><header><a href=\"/politik/\">Politik</a></header><main>{body}</main></body></html>")


def markdown_page(markdown: str) -> str:
    """A press release page from a real press release in Markdown: its heading and paragraphs."""
    lines = [line.strip() for line in markdown.split("\n\n") if line.strip()]
    title = lines[0].lstrip("# ").strip()
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in lines[1:])
    return page(title, f"<article><h1>{html.escape(title)}</h1>{paragraphs}</article>")


def once(status: int, headers: dict | None = None, body: bytes = b"") -> Callable[[int], tuple | None]:
    """Answer `status` to the first request only."""
    return lambda earlier: (status, headers or {}, body) if earlier == 0 else None


def always(status: int, headers: dict | None = None, body: bytes = b"") -> Callable[[int], tuple]:
    return lambda earlier: (status, headers or {}, body)


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def read(corpus: Path, relative: str) -> bytes:
    return (corpus / relative).read_bytes()
