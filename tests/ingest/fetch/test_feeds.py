"""Feeds (ingest/fetch/feeds.py): RSS 2.0, RSS 1.0 and Atom, read safely."""
import pytest

from ingest.fetch.feeds import FeedError, feed_date, parse_feed

FEED = "https://www.regeringen.se/press/rss.xml"


def test_rss_2_with_relative_links_guid_and_enclosure():
    items = parse_feed(b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Press</title>
      <item><title>Utredning om kommunsammanl\xc3\xa4ggningar</title><link>/press/utredning.html</link>
        <pubDate>Mon, 15 Jan 2024 09:30:00 +0100</pubDate>
        <enclosure url="/press/bilaga.pdf" type="application/pdf" length="1"/></item>
      <item><title>Utan l\xc3\xa4nk</title><guid isPermaLink="true">https://www.regeringen.se/press/guid.html</guid></item>
      <item><title>Bara id</title><guid isPermaLink="false">1234</guid></item>
    </channel></rss>""", FEED)
    assert [(i.url, i.title, i.date) for i in items] == [
        ("https://www.regeringen.se/press/utredning.html", "Utredning om kommunsammanläggningar", "2024-01-15"),
        ("https://www.regeringen.se/press/bilaga.pdf", "Utredning om kommunsammanläggningar", "2024-01-15"),
        ("https://www.regeringen.se/press/guid.html", "Utan länk", None),
    ]


def test_atom():
    items = parse_feed(b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>Nyheter</title>
      <entry><title>Budget 2025</title><link rel="alternate" href="nyheter/budget.html"/>
        <link rel="self" href="/api/1"/><updated>2024-11-02T10:00:00Z</updated></entry></feed>""",
                       "https://kommun.se/feed.atom")
    assert [(i.url, i.title, i.date) for i in items] == [("https://kommun.se/nyheter/budget.html", "Budget 2025", "2024-11-02")]


def test_rss_1():
    items = parse_feed(b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="x"/>
      <item rdf:about="https://k.se/a"><title>A</title><link>https://k.se/a</link><dc:date>2024-02-01</dc:date></item>
      </rdf:RDF>""", FEED)
    assert [(i.url, i.date) for i in items] == [("https://k.se/a", "2024-02-01")]


def test_not_a_feed_and_no_entity_expansion():
    with pytest.raises(FeedError):
        parse_feed(b"<!DOCTYPE html><html><body>Inte ett fl\xc3\xb6de</body></html>", FEED)
    with pytest.raises(FeedError):
        parse_feed(b"", FEED)
    bomb = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>
      <rss><channel><item><title>&b;</title><link>https://k.se/x</link></item></channel></rss>"""
    (item,) = parse_feed(bomb, FEED)
    assert "aaaa" not in (item.title or "")


def test_dates():
    assert feed_date("Tue, 15 Aug 2023 09:30:00 GMT") == "2023-08-15"
    assert feed_date("2023-08-15T23:30:00+02:00") == "2023-08-15"
    assert feed_date("igår") is None and feed_date(None) is None
