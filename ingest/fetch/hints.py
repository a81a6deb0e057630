"""Crawl stage 3b: what a listing page says about a linked file, as hints for extraction.

A meeting page lists "Kommunstyrelsen 2020-11-04" › "Protokoll" › "Protokoll KS (pdf, 2 MB)": the
headings give body, date and document type, the link text a title. `ingest.extract.metadata` uses a hint
only where the document itself says nothing.
"""
from __future__ import annotations

import re

from ingest.extract.dates import find_dates
from ingest.extract.doctype import from_headings, from_source
from ingest.extract.organization import find_body

# "(pdf, 2,4 MB)", "[PDF]", "pdf 120 kB" and the like after a link text.
_FILE_NOTE = re.compile(
    r"\s*[\(\[]?\s*(?:pdf|docx?|word|txt|fil)?\s*,?\s*\d+(?:[.,]\d+)?\s*(?:[kKmMgG]i?[bB]|byte)\s*[\)\]]?\s*$"
    r"|\s*[\(\[]\s*(?:pdf|docx?|word|txt)\s*[\)\]]\s*$|\s+pdf\s*$",
    re.I,
)
_GENERIC = re.compile(
    r"^(?:ladda ner|ladda hem|hämta|öppna|läs mer|läs här|klicka här|här|länk|dokument|fil|pdf|docx?|"
    r"download|read more|click here|mer information|visa|se dokumentet)\W*$",
    re.I,
)


def link_title(text: str) -> str | None:
    """The link text as a title: file notes removed, generic words ("Ladda ner") dropped.

    >>> link_title("Protokoll SPn april 2024 (pdf, 2,4 MB)")
    'Protokoll SPn april 2024'
    >>> link_title("Ladda ner") is None
    True
    """
    title = " ".join(text.split())
    previous = None
    while previous != title:
        previous, title = title, _FILE_NOTE.sub("", title).strip(" -–:,")
    if len(title) < 3 or _GENERIC.match(title):
        return None
    return title


def doctype_of(text: str) -> str | None:
    """The document type a heading or link text names ("Protokoll", "Tjänsteskrivelser")."""
    return from_headings(text) or from_source(text)


def listing_hints(link_text: str, headings: tuple[str, ...] | list[str], organization: str | None) -> dict:
    """Hints for a file linked from a listing page; the nearest heading wins.

    >>> listing_hints("Protokoll SPn", ("Sammanträden", "Samhällsplaneringsnämnden 2024-04-25",
    ...               "Protokoll"), "Simrishamns kommun")  # doctest: +NORMALIZE_WHITESPACE
    {'organization': 'Simrishamns kommun', 'title': 'Protokoll SPn', 'date': '2024-04-25',
     'body': 'Samhällsplaneringsnämnden', 'doctype': 'protokoll'}
    """
    nearest_first = list(reversed(headings))
    hints: dict[str, str] = {}
    if organization:
        hints["organization"] = organization
    title = link_title(link_text)
    if title:
        hints["title"] = title
    for text in (*nearest_first, link_text):
        dates = find_dates(text)
        if dates:
            hints["date"] = dates[0].iso
            break
    for text in nearest_first:
        body = find_body(text)
        if body:
            hints["body"] = body
            break
    for text in (link_text, *nearest_first):
        doctype = doctype_of(text)
        if doctype:
            hints["doctype"] = doctype
            break
    return hints


def item_hints(title: str | None, date: str | None, organization: str | None) -> dict:
    """Hints for a feed item or sitemap entry: its title and date, the source's organization."""
    hints = {"organization": organization, "title": title and " ".join(title.split()), "date": date}
    return {k: v for k, v in hints.items() if v}
