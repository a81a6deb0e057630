"""Search stage, snippets: the best passage of a hit, with its page, matches marked, all else escaped."""
from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from html import escape

from index.analysis.chain import analyze, supported
from ingest.model import Page

WINDOW = 220  # characters of context around the densest cluster of matches


@dataclass(frozen=True)
class Snippet:
    page: int | None
    html: str  # escaped text with <mark> around matches


def _matches(text: str, language: str, terms: AbstractSet[str], prefixes: AbstractSet[str]) -> list[tuple[int, int]]:
    spans = []
    for lang in {supported(language), "sv"}:
        for tok in analyze(text, lang, parts=True):  # a part marks its whole compound
            if tok.text in terms or any(tok.text.startswith(p) for p in prefixes):
                spans.append((tok.start, tok.end))
    return sorted(set(spans))


def _could_match(lower: str, terms: AbstractSet[str], prefixes: AbstractSet[str]) -> bool:
    # Snowball stems are (nearly always) prefixes of the surface word: a cheap pre-check.
    return any(t[:4] in lower for t in terms) or any(p[:4] in lower for p in prefixes)


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
    for m in re.finditer("|".join(map(re.escape, keys)), text, re.IGNORECASE):
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


def best(pages: Sequence[Page], language: str, terms: AbstractSet[str], prefixes: AbstractSet[str] = frozenset()) -> Snippet:
    """The page with the most matching words and the densest passage on it."""
    best_page: Page | None = None
    best_spans: list = []
    if terms or prefixes:
        for page in pages:
            if not page.text:
                continue
            spans = page_matches(page.text, language, terms, prefixes)
            if len(spans) > len(best_spans):
                best_page, best_spans = page, spans
    if best_page is None:
        first = next((p for p in pages if p.text.strip()), None)
        if first is None:
            return Snippet(None, "")
        return Snippet(first.number if len(pages) > 1 else None, _window(first.text, 0, []))
    # Densest window: the first span with the most spans starting within WINDOW characters
    # of it (spans are sorted: two pointers, linear).
    most, anchor, j = 0, best_spans[0][0], 0
    for i, (start, _) in enumerate(best_spans):
        while j < len(best_spans) and best_spans[j][0] - start < WINDOW:
            j += 1
        if j - i > most:
            most, anchor = j - i, start
    return Snippet(best_page.number if len(pages) > 1 else None, _window(best_page.text, anchor, best_spans))


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
