"""Crawl stage 3c: the items of an RSS 2.0 (or 1.0) or Atom feed: link, title and date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime

from lxml import etree

from ingest.fetch.scope import absolute

# No entities, no network, no billion laughs: feeds come from the internet.
_PARSER = dict(resolve_entities=False, no_network=True, recover=True, remove_comments=True, remove_pis=True)


class FeedError(Exception):
    """The response is not a feed we can read."""


@dataclass(frozen=True)
class FeedItem:
    url: str
    title: str | None
    date: str | None  # YYYY-MM-DD


def xml_root(data: bytes):
    """The root element of an XML document from the internet, parsed safely (None if not XML)."""
    try:
        return etree.fromstring(data.lstrip(), parser=etree.XMLParser(**_PARSER))
    except (etree.XMLSyntaxError, ValueError):
        return None


def local(el) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rpartition("}")[2].lower()


def _child(el, name: str):
    return next((c for c in el if local(c) == name), None)


def _child_text(el, *names: str) -> str | None:
    for name in names:
        c = _child(el, name)
        if c is not None and (c.text or "").strip():
            return " ".join(c.text.split())
    return None


def feed_date(raw: str | None) -> str | None:
    """An RSS (RFC 822) or Atom (RFC 3339) date as YYYY-MM-DD.

    >>> feed_date("Tue, 15 Aug 2023 09:30:00 +0200"), feed_date("2024-01-15T08:00:00Z")
    ('2023-08-15', '2024-01-15')
    """
    if not raw:
        return None
    raw = raw.strip()
    try:
        return parsedate_to_datetime(raw).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(raw).date().isoformat()
    except ValueError:
        return None


def parse_feed(data: bytes, feed_url: str) -> list[FeedItem]:
    """The feed's items in order: each item's link, and each enclosure, as its own entry."""
    root = xml_root(data)
    if root is None or local(root) not in ("rss", "feed", "rdf"):
        raise FeedError("svaret är inget RSS- eller Atom-flöde")
    items: list[FeedItem] = []
    if local(root) == "feed":
        entries = [e for e in root if local(e) == "entry"]
        for entry in entries:
            title = _child_text(entry, "title")
            date = feed_date(_child_text(entry, "published", "updated", "date"))
            base = entry.get("{http://www.w3.org/XML/1998/namespace}base") or feed_url
            for link in entry:
                if local(link) != "link" or not link.get("href"):
                    continue
                rel = link.get("rel", "alternate")
                if rel in ("alternate", "enclosure"):
                    items.append(FeedItem(absolute(link.get("href"), base) or "", title, date))
    else:
        channel = _child(root, "channel")
        entries = [e for e in root.iter() if local(e) == "item"] if channel is None or local(root) == "rdf" \
            else [e for e in channel if local(e) == "item"]
        for entry in entries:
            title = _child_text(entry, "title")
            date = feed_date(_child_text(entry, "pubdate", "date"))
            link = _child_text(entry, "link")
            guid = _child(entry, "guid")
            if not link and guid is not None and guid.get("isPermaLink", "true") == "true":
                link = (guid.text or "").strip()
            if link:
                items.append(FeedItem(absolute(link, feed_url) or "", title, date))
            for enclosure in entry:
                if local(enclosure) == "enclosure" and enclosure.get("url"):
                    items.append(FeedItem(absolute(enclosure.get("url"), feed_url) or "", title, date))
    return [i for i in items if i.url]
