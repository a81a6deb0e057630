"""Crawl stage 3: one source's crawl. The frontier gives requests; a response is read for links
(page, feed, sitemap), archived (file) or both; a 304 follows the links remembered from last time."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest, ResponseDataLossError
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.response import response_status_message

from ingest.catalog.filestore import sha256_of
from ingest.fetch.archive import Fetched, Writer
from ingest.fetch.feeds import FeedError, parse_feed
from ingest.fetch.hints import item_hints, listing_hints
from ingest.fetch.links import page_links
from ingest.fetch.report import SourceReport
from ingest.fetch.scope import (
    OffHost,
    PrivateAddress,
    host_allowed,
    in_scope,
    is_document_path,
    looks_like_file,
    unreadable,
)
from ingest.fetch.sitemaps import SitemapError, parse_sitemap
from ingest.fetch.sources import Source
from ingest.fetch.state import CrawlState, Entry

START_KIND = {"site": "page", "feed": "feed", "sitemap": "sitemap"}
MAX_SITEMAP_DEPTH = 4  # levels of sitemap indexes below a start URL (the protocol has one)
MAX_QUERY_VARIANTS = 200  # query strings of one path followed per crawl (link traps)
_EXTENSION_BY_TYPE = {
    "application/pdf": ".pdf",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}
_DISPOSITION_NAME = re.compile(r"""filename\*\s*=\s*(?:UTF-8|utf-8)''(?P<star>[^;]+)|filename\s*=\s*"?(?P<plain>[^";]+)"?""")
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)


@dataclass
class CrawlContext:
    """What one source's crawl works with, handed to the spider and the item pipeline."""

    source: Source
    state: CrawlState
    writer: Writer
    report: SourceReport
    archived_sha256: Callable[[str], str | None]  # URL → sha256 of its document in the catalog
    close_reason: str | None = None


def media_type(response) -> str:
    return response.headers.get(b"Content-Type", b"").decode("latin-1").split(";")[0].strip().lower()


def is_html(response) -> bool:
    kind = media_type(response)
    if kind:
        return kind in ("text/html", "application/xhtml+xml")
    return bool(_HTML_START.match(response.body[:1024]))


def file_name(response) -> str:
    """A name for the parser: Content-Disposition's filename, else the URL's last path segment,
    with the extension of its Content-Type when it has none."""
    name = ""
    disposition = response.headers.get(b"Content-Disposition", b"").decode("latin-1")
    m = _DISPOSITION_NAME.search(disposition)
    if m:
        name = unquote(m.group("star") or "", encoding="utf-8") or m.group("plain") or ""
    if not name:
        name = unquote(PurePosixPath(urlsplit(response.url).path).name)
    name = PurePosixPath(name.replace("\\", "/")).name.strip()
    extension = _EXTENSION_BY_TYPE.get(media_type(response))
    if extension and not PurePosixPath(name).suffix:
        name = (name or "index") + extension
    return name or "index.html"


def describe(failure, source: Source) -> tuple[str, str]:
    """(reason, message) of a failed request, for the summary."""
    error = failure.value
    if isinstance(error, HttpError):
        status = error.response.status
        return f"http-{status}", f"HTTP {response_status_message(status)}"
    if isinstance(error, PrivateAddress):
        return "private-address", str(error)
    if isinstance(error, OffHost):
        return ("offsite-redirect" if "omdirigerad" in str(error) else "offsite"), str(error)
    if isinstance(error, IgnoreRequest):
        if "robots.txt" in str(error):
            return "robots", "stoppad av robots.txt"
        if "max redirections" in str(error):
            return "redirect-loop", "för många omdirigeringar (en omdirigeringsslinga?)"
        return "ignored", str(error)
    if isinstance(error, DownloadCancelledError):
        return "too-large", f"svaret är större än max_size ({source.max_size} byte)"
    if isinstance(error, DownloadTimeoutError):
        return "timeout", f"inget svar inom {source.timeout:g} s, inte heller vid nya försök"
    if isinstance(error, ResponseDataLossError):
        return "incomplete", "svaret avbröts innan det var komplett"
    name = type(error).__name__
    if "Connect" in name or "DNS" in name or "Resolve" in name:
        return "connection", f"kunde inte ansluta: {error or name}"
    return "error", f"{name}: {error}"


class SourceSpider(scrapy.Spider):
    name = "diariet"

    def __init__(self, context: CrawlContext, **kwargs):
        super().__init__(name=context.source.name, **kwargs)
        self.context = context
        self.source = context.source
        self.state = context.state
        self.report = context.report
        self._variants: dict[tuple[str, str], set[str]] = {}  # (host, path) → query strings followed
        self._trap_reported: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.callback_failed, signal=scrapy.signals.spider_error)
        return spider

    # -- requests --------------------------------------------------------------

    async def start(self):
        hints = {"organization": self.source.organization} if self.source.organization else {}
        start = [Entry(url, START_KIND[self.source.kind], 0, hints) for url in self.source.start_urls]
        entries, self.report.resumed = self.state.begin(self.source.name, start)
        for entry in entries:
            yield self._request(entry)

    def _request(self, entry: Entry) -> scrapy.Request:
        """The request for an entry: conditional when we hold validators for what we have."""
        headers = {}
        known = self.state.validators(entry.url)
        if known and (known.sha256 is None or self.context.archived_sha256(entry.url) == known.sha256):
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        files_first = entry.kind == "document" or looks_like_file(entry.url)
        return scrapy.Request(
            entry.url, callback=self.parse, errback=self.failed, headers=headers, dont_filter=True,
            priority=1 if files_first else 0, meta={"entry": entry, "handle_httpstatus_list": [304]},
        )

    def _follow(self, parent: Entry, children: list[Entry]) -> list[Entry]:
        """The children this source fetches: on its hosts; pages and files also allowed by its
        regexes and readable; for a site, within max_depth; sitemap indexes MAX_SITEMAP_DEPTH
        deep; at most MAX_QUERY_VARIANTS query strings of one path (an endless calendar)."""
        depth = parent.depth + 1
        if self.source.kind == "site" and depth > self.source.max_depth:
            return []
        out = []
        for c in children:
            if not self._wanted(c):
                continue
            if c.kind == "sitemap" and depth > MAX_SITEMAP_DEPTH:
                self.report.failed(c.url, "sitemap-depth", f"fler än {MAX_SITEMAP_DEPTH} nivåer av "
                                   "sitemap-index: inte följd (en ändlös kedja?)")
                continue
            if self._trapped(c.url):
                continue
            out.append(Entry(c.url, c.kind, depth, c.hints))
        return out

    def _trapped(self, url: str) -> bool:
        """A new query string of a path that has had MAX_QUERY_VARIANTS already (reported once)."""
        parts = urlsplit(url)
        if not parts.query:
            return False
        seen = self._variants.setdefault((parts.netloc, parts.path), set())
        if parts.query in seen:
            return False
        if len(seen) >= MAX_QUERY_VARIANTS:
            if (parts.netloc, parts.path) not in self._trap_reported:
                self._trap_reported.add((parts.netloc, parts.path))
                self.report.failed(url, "link-trap", f"fler än {MAX_QUERY_VARIANTS} adresser med sökvägen "
                                   f"{parts.path} och olika frågedelar (en ändlös kalender?): resten följs inte")
            return True
        seen.add(parts.query)
        return False

    def _wanted(self, child: Entry) -> bool:
        if child.kind == "sitemap":  # a sitemap of a sitemap index: allow/deny are for what it lists
            return host_allowed(self.source, child.url)
        return in_scope(self.source, child.url) and not unreadable(child.url)

    # -- responses -------------------------------------------------------------

    def parse(self, response):
        entry: Entry = response.meta["entry"]
        name = self.source.name
        if response.status == 304:
            self.report.not_modified()
            follow = self._follow(entry, self.state.children(name, entry.url))
            return [self._request(e) for e in self.state.not_modified(name, entry.url, follow)]
        self.report.fetched()
        etag = response.headers.get(b"ETag", b"").decode("latin-1") or None
        last_modified = response.headers.get(b"Last-Modified", b"").decode("latin-1") or None
        try:
            children, archive = self._read(entry, response)
        except (FeedError, SitemapError) as e:
            self.report.failed(entry.url, "not-a-feed" if isinstance(e, FeedError) else "not-a-sitemap", str(e))
            self.state.done(name, entry.url)
            return []
        out: list = []
        if children is not None:
            added = self.state.read(name, entry.url, children, self._follow(entry, children),
                                    etag, last_modified, done=not archive)
            out += [self._request(e) for e in added]
        if archive:
            data = response.body
            out.append(Fetched(entry.url, file_name(response), data, sha256_of(data), entry.hints,
                               etag, last_modified))
        return out

    def _read(self, entry: Entry, response) -> tuple[list[Entry] | None, bool]:
        """(children or None when the response is not read for links, whether to archive it)."""
        organization = self.source.organization
        if entry.kind == "feed":
            items = parse_feed(response.body, response.url)
            return [Entry(i.url, "document", 0, item_hints(i.title, i.date, organization)) for i in items], False
        if entry.kind == "sitemap":
            found = parse_sitemap(response.body, response.url, self.source.max_size)
            base = item_hints(None, None, organization)
            return [Entry(e.url, "sitemap" if e.is_sitemap else "document", 0, base) for e in found], False
        if entry.kind == "page" and is_html(response):
            encoding = getattr(response, "encoding", None)
            links = page_links(response.body, response.url, encoding)
            children = [Entry(link.url, "page", 0, listing_hints(link.text, link.headings, organization))
                        for link in links]
            return children, is_document_path(self.source, entry.url)
        return None, True  # a file: archive it

    def failed(self, failure):
        entry: Entry = failure.request.meta["entry"]
        reason, message = describe(failure, self.source)
        if reason == "robots":
            self.report.robots_skipped(entry.url)
        else:
            self.report.failed(entry.url, reason, message)
        self.state.done(self.source.name, entry.url)

    def callback_failed(self, failure, response) -> None:
        """A bug while reading a response: reported by URL like any failure, the crawl goes on."""
        entry = response.meta.get("entry")
        if entry is not None:
            error = failure.value
            self.report.failed(entry.url, "error", f"{type(error).__name__}: {error}")
            self.state.done(self.source.name, entry.url)

    def closed(self, reason: str) -> None:
        """A crawl that ran to its end clears its frontier; an interrupted one keeps it."""
        self.context.close_reason = reason
        if reason == "finished":
            self.state.finish(self.source.name)
            self.report.finished = True
