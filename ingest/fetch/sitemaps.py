"""Crawl stage 3d: the entries of a sitemap (URLs to archive) or a sitemap index (more sitemaps)."""
from __future__ import annotations

from dataclasses import dataclass

from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from ingest.fetch.feeds import feed_date
from ingest.fetch.scope import absolute


class SitemapError(Exception):
    """The response is not a sitemap we can read."""


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    is_sitemap: bool  # True: an entry of a sitemap index, itself a sitemap
    lastmod: str | None = None  # YYYY-MM-DD


def parse_sitemap(data: bytes, sitemap_url: str, max_size: int) -> list[SitemapEntry]:
    """Entries of a sitemap, a sitemap index, a gzipped sitemap or a robots.txt's Sitemap: lines.

    Uses Scrapy's own sitemap reader (the one SitemapSpider uses: no entities, tolerant).
    """
    if data[:3] == b"\x1f\x8b\x08":
        try:
            data = gunzip(data, max_size=max_size)
        except Exception as e:  # too large or broken: the same to the user
            raise SitemapError(f"kan inte packa upp sitemap-filen: {e}") from None
    if sitemap_url.endswith("/robots.txt"):
        return [SitemapEntry(u, True) for u in sitemap_urls_from_robots(data, base_url=sitemap_url)]
    try:
        sitemap = Sitemap(data.lstrip())
    except Exception:  # lxml raises several kinds on non-XML input
        raise SitemapError("svaret är ingen sitemap (XML)") from None
    if sitemap.type not in ("urlset", "sitemapindex"):
        raise SitemapError(f"svaret är ingen sitemap (rotelementet är <{sitemap.type}>)")
    entries = []
    for entry in sitemap:
        url = absolute(entry.get("loc", ""), sitemap_url)
        if url:
            entries.append(SitemapEntry(url, sitemap.type == "sitemapindex", feed_date(entry.get("lastmod"))))
    return entries
