"""Sitemaps (ingest/fetch/sitemaps.py): urlsets, sitemap indexes, gzip, robots.txt Sitemap: lines."""
import gzip

import pytest

from ingest.fetch.sitemaps import SitemapError, parse_sitemap

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
URL = "https://www.gotland.se/sitemap.xml"


def test_urlset_and_index():
    urlset = f'<urlset {NS}><url><loc>https://www.gotland.se/a.pdf</loc><lastmod>2024-03-01</lastmod></url>' \
             f'<url><loc>/b.html</loc></url></urlset>'.encode()
    assert [(e.url, e.is_sitemap, e.lastmod) for e in parse_sitemap(urlset, URL, 10**6)] == [
        ("https://www.gotland.se/a.pdf", False, "2024-03-01"), ("https://www.gotland.se/b.html", False, None)]
    index = f'<?xml version="1.0"?><sitemapindex {NS}><sitemap><loc>https://www.gotland.se/s1.xml.gz</loc>' \
            f'</sitemap></sitemapindex>'.encode()
    assert [(e.url, e.is_sitemap) for e in parse_sitemap(index, URL, 10**6)] == [("https://www.gotland.se/s1.xml.gz", True)]


def test_gzipped_and_robots_txt():
    data = gzip.compress(f'<urlset {NS}><url><loc>https://www.gotland.se/c.txt</loc></url></urlset>'.encode())
    assert [e.url for e in parse_sitemap(data, URL + ".gz", 10**6)] == ["https://www.gotland.se/c.txt"]
    with pytest.raises(SitemapError):
        parse_sitemap(gzip.compress(b"<urlset>" + b" " * 5000 + b"</urlset>"), URL, 1000)  # over max_size unpacked
    robots = b"User-agent: *\nDisallow: /sok/\nSitemap: https://www.gotland.se/sitemap.xml\n"
    assert [(e.url, e.is_sitemap) for e in parse_sitemap(robots, "https://www.gotland.se/robots.txt", 10**6)] == [
        ("https://www.gotland.se/sitemap.xml", True)]


def test_not_a_sitemap():
    with pytest.raises(SitemapError):
        parse_sitemap(b"<!DOCTYPE html><html><body>x</body></html>", URL, 10**6)
    with pytest.raises(SitemapError):
        parse_sitemap(b"not xml at all", URL, 10**6)
