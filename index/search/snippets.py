"""Search stage, snippets: the best passage of a hit, with its page, matches marked, all else escaped."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from index.analysis.chain import analyze, supported
from ingest.model import Page

WINDOW = 220  # characters of context around the densest cluster of matches


@dataclass(frozen=True)
class Snippet:
    page: int | None
    html: str  # escaped text with <mark> around matches


def _matches(text: str, language: str, terms: set[str], prefixes: set[str]) -> list[tuple[int, int]]:
    spans = []
    for lang in {supported(language), "sv"}:
        for tok in analyze(text, lang, parts=True):  # a part marks its whole compound
            if tok.text in terms or any(tok.text.startswith(p) for p in prefixes):
                spans.append((tok.start, tok.end))
    return sorted(set(spans))


def _could_match(lower: str, terms: set[str], prefixes: set[str]) -> bool:
    # Snowball stems are (nearly always) prefixes of the surface word: a cheap pre-check.
    return any(t[:4] in lower for t in terms) or any(p[:4] in lower for p in prefixes)


def best(pages: Sequence[Page], language: str, terms: set[str], prefixes: set[str] = frozenset()) -> Snippet:
    """The page with the most matching words and the densest passage on it."""
    best_page, best_spans = None, []
    if terms or prefixes:
        for page in pages:
            if not page.text or not _could_match(page.text.lower(), terms, prefixes):
                continue
            spans = _matches(page.text, language, terms, prefixes)
            if len(spans) > len(best_spans):
                best_page, best_spans = page, spans
    if best_page is None:
        first = next((p for p in pages if p.text.strip()), None)
        if first is None:
            return Snippet(None, "")
        return Snippet(first.number if len(pages) > 1 else None, _window(first.text, 0, []))
    # Densest window: the start span that has the most spans within WINDOW characters.
    counts = [
        sum(1 for s in best_spans[i:] if s[0] - start < WINDOW)
        for i, (start, _) in enumerate(best_spans)
    ]
    anchor = best_spans[counts.index(max(counts))][0]
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
