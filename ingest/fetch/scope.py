"""Crawl stage 4a: which URLs a source may fetch (its hosts, allow/deny), enforced again on redirects."""
from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from scrapy.exceptions import IgnoreRequest
from w3lib.url import safe_url_string

from ingest.fetch.sources import Source

# Paths that name a file to archive rather than a page to read (fetched first: see spider.py).
FILE_EXTENSIONS = {".pdf", ".docx", ".txt", ".md", ".markdown"}
# Files no parser reads (ingest/parse/mediatype.py), and feeds met on a site: never downloaded as pages
# or documents, so the crawl stays light (a sitemap of a sitemap index is exempt: spider.py).
SKIPPED_EXTENSIONS = {
    ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico", ".bmp", ".tif", ".tiff", ".heic",
    ".mp3", ".mp4", ".m4a", ".wav", ".ogg", ".webm", ".mov", ".avi",
    ".zip", ".gz", ".tgz", ".7z", ".rar", ".exe", ".dmg", ".iso",
    ".css", ".js", ".json", ".xml", ".rss", ".atom", ".woff", ".woff2", ".ttf", ".eot", ".ics", ".vcf",
    ".doc", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".rtf", ".msg", ".eml",
}


class OffHost(IgnoreRequest):
    """A request (usually a redirect) to a host the source does not cover."""


def absolute(href: str, base: str) -> str | None:
    """`href` made absolute against `base`, without its #fragment; None unless http(s).

    >>> absolute("../protokoll 1.pdf#sida=2", "https://kommun.se/politik/moten/")
    'https://kommun.se/politik/protokoll%201.pdf'
    >>> absolute("mailto:info@kommun.se", "https://kommun.se/") is None
    True
    """
    href = href.strip()
    if not href:
        return None
    url = urldefrag(urljoin(base, href))[0]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return safe_url_string(url)


def host_allowed(source: Source, url: str) -> bool:
    return (urlsplit(url).hostname or "") in source.hosts


def path_allowed(source: Source, url: str) -> bool:
    """The source's allow (any may match; none given means all) and deny regexes, on the path."""
    path = unquote(urlsplit(url).path) or "/"
    if source.allow and not any(p.search(path) for p in source.allow):
        return False
    return not any(p.search(path) for p in source.deny)


def in_scope(source: Source, url: str) -> bool:
    return host_allowed(source, url) and path_allowed(source, url)


def unreadable(url: str) -> bool:
    """A file nothing here reads, by its extension (a gzipped sitemap is read by sitemaps.py)."""
    return PurePosixPath(urlsplit(url).path).suffix.lower() in SKIPPED_EXTENSIONS


def is_document_path(source: Source, url: str) -> bool:
    """An HTML page the source archives as a document, not only reads for links."""
    path = unquote(urlsplit(url).path)
    return any(p.search(path) for p in source.documents)


def looks_like_file(url: str) -> bool:
    return PurePosixPath(urlsplit(url).path).suffix.lower() in FILE_EXTENSIONS


class HostGuard:
    """Downloader middleware: no request leaves the source's hosts, whatever redirected it there.

    Runs before robots.txt is consulted, so another host's robots.txt is never fetched either.
    """

    def __init__(self, hosts: list[str]):
        self.hosts = {h.lower() for h in hosts}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getlist("DIARIET_HOSTS"))

    def process_request(self, request):
        host = (urlsplit(request.url).hostname or "").lower()
        if host not in self.hosts:
            via = request.meta.get("redirect_urls")
            if via:
                raise OffHost(f"omdirigerad till en annan värd ({request.url}), som källan inte omfattar")
            raise OffHost(f"{host} är inte en av källans värdar")
        return None
