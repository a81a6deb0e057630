"""Crawl stage 4a: which URLs a source may fetch (its hosts, allow/deny), enforced again on redirects."""
from __future__ import annotations

import ipaddress
import socket
from pathlib import PurePosixPath
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from scrapy.exceptions import IgnoreRequest
from w3lib.url import safe_url_string

from ingest.fetch.sources import Source, url_host_key

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
    """On one of the source's hosts, at its port (sources.host_key): another port is another host."""
    return urlsplit(url).scheme in ("http", "https") and url_host_key(url) in source.hosts


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


class PrivateAddress(OffHost):
    """A host name of the source that resolves to a private address it did not name."""


def _addresses(host: str) -> list[str]:
    """The addresses a host name resolves to."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, None)]


class HostGuard:
    """Downloader middleware: no request leaves the source's hosts and ports, whatever redirected
    it there; no scheme but http(s) (file:, data:, ftp:); no private, loopback or link-local
    address the source did not name (an IP address or localhost in its start_urls or hosts, or
    `private = true`), which a public host name could otherwise point at.

    Runs before robots.txt is consulted, so another host's robots.txt is never fetched either.
    Host names are resolved once per crawl here (Scrapy resolves again to connect: a DNS server
    that answers differently within the same crawl is not caught).
    """

    def __init__(self, hosts: list[str], private: bool = False, resolve=None):
        self.hosts = set(hosts)
        self.private = private
        self.resolve = resolve or _addresses
        self._public: dict[str, bool] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getlist("DIARIET_HOSTS"), crawler.settings.getbool("DIARIET_PRIVATE"))

    def process_request(self, request):
        parts = urlsplit(request.url)
        via = request.meta.get("redirect_urls")
        if parts.scheme not in ("http", "https"):
            raise OffHost(f"{'omdirigerad till' if via else 'adressen har'} schemat {parts.scheme}:, "
                          "som aldrig hämtas")
        key = url_host_key(request.url)
        if key not in self.hosts:
            if via:
                raise OffHost(f"omdirigerad till en annan värd ({request.url}), som källan inte omfattar")
            raise OffHost(f"{key} är inte en av källans värdar")
        if not self._named_or_public(parts.hostname or ""):
            raise PrivateAddress(f"{parts.hostname} pekar på en privat adress, som källan inte namnger "
                                 "(private = true för ett intranät)")
        return None

    def _named_or_public(self, host: str) -> bool:
        try:
            ipaddress.ip_address(host)
            return True  # an address among the source's hosts: named by it
        except ValueError:
            pass
        if self.private or host == "localhost":
            return True
        if host not in self._public:
            try:
                addresses = self.resolve(host)
            except OSError:  # Scrapy reports the DNS failure itself
                return True
            self._public[host] = all(ipaddress.ip_address(a.split("%")[0]).is_global for a in addresses)
        return self._public[host]
