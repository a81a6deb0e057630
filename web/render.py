"""Web stage, presentation helpers: page text split at § headings, ready citations, and what OCR read."""
from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from index.search.snippets import page_matches
from ingest.extract import paragraphs as paragraph_module
from ingest.model import Document, Page, Paragraph
from ingest.parse.pdf.parse import pages_label


@dataclass(frozen=True)
class Segment:
    anchor: str | None  # "p16" where § 16 starts, else None
    text: str


def ocr_note(pages: list[Page]) -> str | None:
    """What the document page says when some of its text was read by OCR (None when none was).

    >>> ocr_note([Page(1, "Dnr 26/0001-1", False, True, 0.914), Page(2, "§ 620", False, True, 0.9)])
    'Texten är maskinläst (OCR), medelsäkerhet 91 %; den kan innehålla fel.'
    >>> ocr_note([Page(1, "Protokoll"), Page(2, "Kommunens ansvar", False, True, 0.87), Page(3, "")])
    'Texten på sida 2 är maskinläst (OCR), medelsäkerhet 87 %; den kan innehålla fel.'
    >>> ocr_note([Page(1, "Protokoll")]) is None
    True
    """
    read = [p for p in pages if p.ocr]
    if not read:
        return None
    where = "Texten" if len(read) == len(pages) else f"Texten på {pages_label([p.number for p in read])}"
    known = [p.confidence for p in read if p.confidence is not None]
    certainty = f", medelsäkerhet {percent(sum(known) / len(known))}" if known else ""
    return f"{where} är maskinläst (OCR){certainty}; den kan innehålla fel."


def percent(share: float) -> str:
    """0.914 → '91 %' (Swedish: a space before the sign)."""
    return f"{round(share * 100)} %"


def page_segments(doc: Document) -> dict[int, list[Segment]]:
    """Each page's text, cut where a § of the protocol starts, so `#p16` lands on § 16."""
    out = {p.number: [Segment(None, p.text)] for p in doc.pages}
    if not doc.meta.paragraphs:
        return out
    cuts = sorted((p.start, p.number) for p in doc.meta.paragraphs if p.start is not None)
    if len(cuts) < len(doc.meta.paragraphs):  # extracted before §§ kept their offsets: section again
        wanted = {p.number for p in doc.meta.paragraphs}
        text, _ = paragraph_module.join(doc.pages)
        cuts = []
        for s in paragraph_module.sections(text):
            if not s.listed and not s.continued and s.number in wanted:
                cuts.append((s.start, s.number))
                wanted.discard(s.number)
    offset = 0
    for page in doc.pages:
        end = offset + len(page.text)
        inside = [(start - offset, number) for start, number in cuts if offset <= start < end]
        if inside:
            segments, cursor, anchor = [], 0, None
            for start, number in inside:
                if start > cursor:
                    segments.append(Segment(anchor, page.text[cursor:start]))
                elif anchor:  # two § in a row with nothing between: keep the earlier anchor
                    segments.append(Segment(anchor, ""))
                cursor, anchor = start, f"p{number}"
            segments.append(Segment(anchor, page.text[cursor:]))
            out[page.number] = segments
        offset = end + 2  # join() puts two newlines between pages
    return out


def marked(text: str, spans: Sequence[tuple[int, int]]) -> Markup:
    """`text` escaped, each (start, end) span in <mark>.

    >>> str(marked("Beslut om <b>taxa</b>", [(0, 6), (13, 17)]))
    '<mark>Beslut</mark> om &lt;b&gt;<mark>taxa</mark>&lt;/b&gt;'
    """
    out, cursor = [], 0
    for start, end in spans:
        if start < cursor:
            continue
        out.append(escape(text[cursor:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    out.append(escape(text[cursor:]))
    return Markup("".join(out))


def highlighter(language: str, terms: AbstractSet[str], prefixes: AbstractSet[str]) -> Callable[[str], Markup]:
    """text → the text escaped with the query's matches in <mark> (no terms: just escaped)."""
    def mark(text: str) -> Markup:
        return marked(text, page_matches(text, language, terms, prefixes) if terms or prefixes else [])
    return mark


def shown_source(source: str, local_span: tuple[str, str] | None) -> str:
    """Where a document came from as readers see it: a URL as it is, a file path from the
    folder all the archive's files share (the server's own folders are not shown).

    >>> span = ("/srv/in/real/a.pdf", "/srv/in/seeds/b.txt")
    >>> shown_source("/srv/in/real/kungsbacka/Protokoll 2024.pdf", span), shown_source("https://x.se/a.pdf", span)
    ('real/kungsbacka/Protokoll 2024.pdf', 'https://x.se/a.pdf')
    >>> shown_source("/srv/in/one.pdf", ("/srv/in/one.pdf", "/srv/in/one.pdf"))
    'one.pdf'
    """
    if "://" in source or not local_span or not source.startswith("/"):
        return source
    first, last = local_span
    common = posixpath.commonpath([first, last])
    if common == first == last:  # a single file: from its folder
        common = posixpath.dirname(common)
    prefix = common.rstrip("/") + "/"
    return source[len(prefix):] if source.startswith(prefix) else posixpath.basename(source)


def date_note(doc: Document) -> str:
    """What the document page says when a document has no date: why none was found."""
    if not any(p.text.strip() for p in doc.pages):
        return "saknas: handlingen har ingen läsbar text (en skannad bild utan OCR), så inget datum kunde läsas"
    if doc.meta.date_missing:  # the extractor's reason: "datumfältet är inte ifyllt (ÅÅÅ-MM-DD)"
        return f"saknas: {doc.meta.date_missing}"
    return "saknas: varken handlingens text eller filens egenskaper anger ett datum som gick att läsa"


def citation(doc: Document, paragraph: Paragraph | None = None) -> str:
    """"Socialnämnden, Stockholms stad, 2019-08-20, § 16, dnr 1.5.1-646/2018"."""
    meta = doc.meta
    if paragraph is None and len(meta.paragraphs) == 1:
        paragraph = meta.paragraphs[0]
    parts = [meta.body, meta.organization, meta.date]
    if paragraph is not None:
        parts.append(f"§ {paragraph.number}")
        dnr = paragraph.dnr or meta.dnr
    else:
        dnr = meta.dnr
    if not (meta.body or meta.organization):
        parts.insert(0, meta.title)
    if dnr:
        parts.append("dnr " + ", ".join(dnr))
    return ", ".join(p for p in parts if p)
