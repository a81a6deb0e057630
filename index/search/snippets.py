"""Search stage, snippets: the best passage of a hit, with its page and §, matches marked, all else escaped.

The best passage is the window of WINDOW characters, on any page, holding the most distinct query
terms, then the most matches: a protocol's table of contents naming every word once loses to the
§ where the words stand together. A protocol's hit names the § the passage is in (the § whose
heading starts last before it: ingest.model.Paragraph.start)."""
from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from html import escape

from index.analysis.chain import analyze, fold_accents, normalize, supported
from ingest.model import Page

WINDOW = 220  # characters of context around the densest cluster of matches


@dataclass(frozen=True)
class Snippet:
    page: int | None
    html: str  # escaped text with <mark> around matches
    paragraph: str | None = None  # the number of the § the passage is in ("82")


def _matches(text: str, language: str, terms: AbstractSet[str], prefixes: AbstractSet[str]) -> list[tuple[int, int]]:
    spans = []
    for lang in {supported(language), "sv"}:
        for tok in analyze(text, lang, parts=True):  # a part marks its whole compound
            if tok.text in terms or any(tok.text.startswith(p) for p in prefixes):
                spans.append((tok.start, tok.end))
    return sorted(set(spans))


def _could_match(lower: str, terms: AbstractSet[str], prefixes: AbstractSet[str]) -> bool:
    # Snowball stems are (nearly always) prefixes of the surface word: a cheap pre-check, on the
    # page without accents other than å, ä, ö too ("sami" of a query marks "Sámi").
    if any(t[:4] in lower for t in terms) or any(p[:4] in lower for p in prefixes):
        return True
    if lower.isascii():
        return False
    folded = lower.translate(_FOLD_CHARS)
    return any(t[:4] in folded for t in terms) or any(p[:4] in folded for p in prefixes)


# Letters of Latin-1 and Latin Extended-A without their accents, one character for one (so
# offsets stay); å, ä, ö and letters folding to two (æ → ae) are kept.
_FOLD_CHARS = {c: f for c in range(0xC0, 0x180)
               if len(f := fold_accents(chr(c))) == 1 and f != chr(c)}


# A page longer than this is analysed only around the places where a match could be (found by
# the same cheap pre-check, as one regular expression), at most MAX_PLACES of them: the cost of
# a snippet stays linear in the page's length, and bounded by far less for a 200 MB page.
LONG_PAGE = 100_000
MAX_PLACES = 64
_SPACE = re.compile(r"\s")


def page_matches(text: str, language: str, terms: AbstractSet[str], prefixes: AbstractSet[str]) -> list[tuple[int, int]]:
    """The (start, end) of each word of `text` the query's terms or prefixes match, in order."""
    if len(text) <= LONG_PAGE:
        if not _could_match(text.lower(), terms, prefixes):
            return []
        return _matches(text, language, terms, prefixes)
    keys = sorted(({t[:4] for t in terms} | {p[:4] for p in prefixes}) - {""})
    if not keys:
        return []
    spans: list[tuple[int, int]] = []
    reached, places = -1, 0
    for m in re.finditer("|".join(map(re.escape, keys)), text.translate(_FOLD_CHARS), re.IGNORECASE):
        if m.start() < reached:
            continue
        low, high = max(0, m.start() - WINDOW), min(len(text), m.end() + WINDOW)
        space = _SPACE.search(text, low, m.start()) if low else None  # start and end at a space,
        low = space.end() if space else low  # so no word is cut (when one is near)
        space = _SPACE.search(text, high, min(len(text), high + 100))
        high = space.start() if space else high
        spans.extend((s + low, e + low) for s, e in _matches(text[low:high], language, terms, prefixes))
        reached, places = high, places + 1
        if places >= MAX_PLACES:
            break
    return sorted(set(spans))


def best(pages: Sequence[Page], language: str, terms: AbstractSet[str], prefixes: AbstractSet[str] = frozenset(),
         paragraphs: Sequence[tuple[int, str]] = ()) -> Snippet:
    """The best passage of the pages (the module's docstring). `paragraphs`: (start, number) of
    each § of a protocol, starts as offsets into the pages' text joined by blank lines
    (ingest.extract.paragraphs.join)."""
    best_page: Page | None = None
    best_spans: list = []
    best_score, anchor, page_offset = (0, 0), 0, 0
    offset = 0
    if terms or prefixes:
        for page in pages:
            spans = page_matches(page.text, language, terms, prefixes) if page.text else []
            if spans:
                score, at = _best_window(page.text, spans)
                if (*score, len(spans)) > (*best_score, len(best_spans)):
                    best_page, best_spans, best_score, anchor, page_offset = page, spans, score, at, offset
            offset += len(page.text) + 2
    if best_page is None:
        first = next((p for p in pages if p.text.strip()), None)
        if first is None:
            return Snippet(None, "")
        return Snippet(first.number if len(pages) > 1 else None, _window(first.text, 0, []))
    return Snippet(best_page.number if len(pages) > 1 else None, _window(best_page.text, anchor, best_spans),
                   _paragraph_at(paragraphs, page_offset + anchor))


def statement(said, doc, terms: AbstractSet[str], prefixes: AbstractSet[str] = frozenset()) -> Snippet:
    """A reservation's or särskilt uttalande's own words as a hit's passage (a search filtered to
    statements shows what was said, not the protocol's first page), the query's words marked,
    with its § and the page the § starts on."""
    passage = best([Page(1, said.text)], doc.meta.language, terms, prefixes)
    page = next((p.page for p in doc.meta.paragraphs if p.number == said.paragraph), None)
    return Snippet(page, passage.html, said.paragraph)


def _best_window(text: str, spans: list[tuple[int, int]]) -> tuple[tuple[int, int], int]:
    """((distinct terms, matches) of the best window of WINDOW characters, where it starts):
    the first span with the most distinct matched terms, then the most spans, starting within
    WINDOW characters of it (spans are sorted: two pointers)."""
    keys = [normalize(fold_accents(text[s:e].lower())) for s, e in spans]
    best, anchor, j = (0, 0), spans[0][0], 0
    for i, (start, _) in enumerate(spans):
        while j < len(spans) and spans[j][0] - start < WINDOW:
            j += 1
        score = (len(set(keys[i:j])), j - i)
        if score > best:
            best, anchor = score, start
    return best, anchor


def _paragraph_at(paragraphs: Sequence[tuple[int, str]], offset: int) -> str | None:
    """The number of the § whose heading starts last at or before `offset`, or None."""
    before = [(start, number) for start, number in paragraphs if start <= offset]
    return max(before)[1] if before else None


def _window(text: str, anchor: int, spans: list[tuple[int, int]]) -> str:
    start = max(0, anchor - WINDOW // 4)
    if start:
        space = text.find(" ", start, anchor)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + WINDOW)
    if end < len(text):
        space = text.rfind(" ", anchor, end)
        end = space if space > anchor else end
    out, cursor = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(escape(text[cursor:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    out.append(escape(text[cursor:end]))
    html = "".join(out)
    html = " ".join(html.split())
    return ("… " if start else "") + html + (" …" if end < len(text) else "")
