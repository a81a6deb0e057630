"""Crawl stage 3a: the links of a listing page, each with its text and the headings above it."""
from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from ingest.fetch.scope import absolute

_HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    headings: tuple[str, ...] = ()  # the headings in force where the link stands, outermost first


def _text(el) -> str:
    return _SPACE.sub(" ", el.text_content()).strip()


def _heading_level(el) -> int | None:
    level = _HEADING_TAGS.get(el.tag) if isinstance(el.tag, str) else None
    if level is None and el.get("role") == "heading":
        try:
            level = min(6, max(1, int(el.get("aria-level", "2"))))
        except ValueError:
            level = 2
    return level


def page_links(html: bytes, base_url: str, encoding: str | None = None) -> list[Link]:
    """The page's links in order, one per URL, with link text and the enclosing headings.

    >>> page = '''<h2>Kommunstyrelsen 2020-11-04</h2><h3>Protokoll</h3>
    ...   <a href="ks.pdf">Protokoll KS (pdf)</a><h3>Kallelse</h3><a href="k.pdf">Kallelse</a>'''
    >>> [(l.url, l.text, l.headings) for l in page_links(page.encode(), "https://k.se/moten/")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('https://k.se/moten/ks.pdf', 'Protokoll KS (pdf)', ('Kommunstyrelsen 2020-11-04', 'Protokoll')),
     ('https://k.se/moten/k.pdf', 'Kallelse', ('Kommunstyrelsen 2020-11-04', 'Kallelse'))]
    """
    if not html.strip():
        return []
    if not encoding:
        try:
            html.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            pass  # lxml reads the page's own <meta charset>, else Latin-1
    parser = lxml.html.HTMLParser(encoding=encoding) if encoding else None
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError, LookupError):
        return []
    robots = " ".join(m.get("content", "") for m in root.iter("meta") if (m.get("name") or "").lower() == "robots")
    if "nofollow" in robots.lower() or "none" in robots.lower().split(","):
        return []
    base = next((b.get("href") for b in root.iter("base") if b.get("href")), None)
    base_url = absolute(base, base_url) or base_url if base else base_url
    stack: dict[int, str] = {}
    found: dict[str, Link] = {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        level = _heading_level(el)
        if level is not None:
            text = _text(el)
            if text:
                stack = {n: t for n, t in stack.items() if n < level}
                stack[level] = text
            continue
        href = (el.get("href") or "").strip()
        if el.tag not in ("a", "area") or not href or href.startswith("#"):
            continue
        if "nofollow" in (el.get("rel") or "").lower().split():
            continue
        url = absolute(href, base_url)
        if url is None:
            continue
        text = _text(el) or (el.get("title") or el.get("aria-label") or "").strip()
        if not text:
            text = next((img.get("alt", "").strip() for img in el.iter("img") if img.get("alt")), "")
        known = found.get(url)
        if known is None:
            found[url] = Link(url, text, tuple(stack[n] for n in sorted(stack)))
        elif not known.text and text:
            found[url] = Link(url, text, known.headings)
    return list(found.values())
