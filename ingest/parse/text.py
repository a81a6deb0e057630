"""Parse stage, plain text and Markdown: bytes → ParsedDocument (front matter read, markup removed)."""
from __future__ import annotations

import html
import re

from ingest.model import Page, ParsedDocument, ParseError
from ingest.parse.decode import decode_text, looks_binary
from ingest.parse.doc_meta import iso_date
from ingest.parse.mediatype import MARKDOWN, TEXT

_MAX_TITLE = 200
_TITLE_KEYS = ("title", "rubrik")
_DATE_KEYS = ("date", "datum", "publicerad")
# Page markers left by PDF-to-Markdown converters: "<!-- sida 3 -->" / "<!-- page 3 -->".
_PAGE_MARKER = re.compile(r"^[ \t]*<!--\s*(?:sida|page)\s+\d+\s*-->[ \t]*$", re.IGNORECASE | re.MULTILINE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")
_TABLE_DIVIDER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S+")
_INLINE = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # image → alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url) → text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref] → text
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # <https://...> → url
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # **bold**, __bold__
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *emphasis*
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),  # _emphasis_
    (re.compile(r"~~(.+?)~~"), r"\1"),  # ~~struck~~
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # `code`
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])"), r"\1"),  # backslash escapes
)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")


def parse_text(data: bytes, markdown: bool) -> ParsedDocument:
    """Plain text as is (form feeds split pages); Markdown without its markup."""
    text, _ = decode_text(data)
    if not text.strip():
        raise ParseError("empty", "Filen är tom")
    if looks_binary(text):
        raise ParseError("binary", "Filen är ingen text (binärt innehåll med ett textformats filändelse)")
    if not markdown:
        pages = [p.strip("\n") for p in text.split("\f")]
        return _document(TEXT, pages, title=_first_line(text))
    meta, body = front_matter(text)
    pages, headings = [], []
    for chunk in _PAGE_MARKER.split(body):
        lines, found = markdown_lines(chunk)
        pages.append("\n".join(lines))
        headings.extend(found)
    if not any(p.strip() for p in pages):
        raise ParseError("empty", "Filen är tom")
    pages = _trim_empty_ends(pages)
    title = next((meta[k] for k in _TITLE_KEYS if meta.get(k)), None)
    title = title or (headings[0] if headings else _first_line("\n".join(pages)))
    title = re.sub(r"\s+", " ", title).strip() if title else None
    date = next((d for k in _DATE_KEYS if (d := iso_date(meta.get(k)))), None)
    return _document(MARKDOWN, pages, title=title, date=date, headings=headings)


def _document(media_type: str, pages: list[str], **kwargs) -> ParsedDocument:
    return ParsedDocument(
        media_type,
        tuple(Page(i, text.strip("\n")) for i, text in enumerate(pages, start=1)),
        title=kwargs.get("title"),
        date=kwargs.get("date"),
        headings=tuple(kwargs.get("headings") or ()),
    )


def _trim_empty_ends(pages: list[str]) -> list[str]:
    """Drop empty text before the first page marker (and after the last)."""
    while len(pages) > 1 and not pages[0].strip():
        pages.pop(0)
    while len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    return pages


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """YAML front matter between leading '---' lines, read as flat 'key: value' pairs.

    Nested values, lists and continuation lines are skipped; quotes are removed.
    >>> front_matter('---\\ntitle: "Protokoll"\\ndatum: 2024-02-01\\ntags:\\n- a\\n---\\nText')
    ({'title': 'Protokoll', 'datum': '2024-02-01'}, 'Text')
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, min(len(lines), 500)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return {}, text
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        m = re.match(r"^([A-Za-z_][\w.-]*)\s*:\s*(.*?)\s*$", line)
        if not m or not m.group(2) or m.group(2) in ("|", ">", "null", "~"):
            continue
        value = m.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        meta[m.group(1).lower()] = value.strip()
    return meta, "\n".join(lines[end + 1:])


def markdown_lines(text: str) -> tuple[list[str], list[str]]:
    """Readable lines and the headings of a Markdown text.

    >>> markdown_lines("# Riktlinje\\nSe **bilaga** [här](https://x.se).<br>Klart")
    (['Riktlinje', 'Se bilaga här.', 'Klart'], ['Riktlinje'])
    """
    out: list[str] = []
    headings: list[str] = []
    in_code = False
    previous_blank = True
    for raw in _COMMENT.sub("", text).split("\n"):
        if _FENCE.match(raw):
            in_code = not in_code
            continue
        if in_code:
            out.append(raw.rstrip())
            continue
        if m := _ATX_HEADING.match(raw):
            line = _inline(m.group(2))
            if line:
                headings.append(line)
            out.append(line)
        elif _SETEXT.match(raw) and not previous_blank and out and out[-1]:
            headings.append(out[-1])  # the line above was a heading
        elif _TABLE_DIVIDER.match(raw) and "|" in raw:
            pass  # the header/body divider; rows stay on consecutive lines
        elif _RULE.match(raw) or _LINK_DEFINITION.match(raw):
            out.append("")
        elif raw.lstrip().startswith("|"):
            # Rows keep their bars and empty cells, so columns still line up (the extract
            # stage reads a "Beteckning" column); only the markup inside cells goes.
            cells = [_inline(_BR.sub(" ", c)).strip() for c in re.split(r"(?<!\\)\|", raw.strip().strip("|"))]
            out.append("| " + " | ".join(cells) + " |")
        else:
            line = re.sub(r"^ {0,3}>\s?", "", raw)  # blockquote marker
            out.extend(_inline(part) for part in _BR.split(line))
        previous_blank = not raw.strip()
    return _squeeze_blank(out), headings


# Characters every inline markup of _INLINE, _TAG and an HTML entity needs: a line with none is plain.
_MARKUP = frozenset("[]<>*_~`\\&")


def _inline(text: str) -> str:
    if _MARKUP.isdisjoint(text):
        return text.rstrip()
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return html.unescape(_TAG.sub("", text)).rstrip()


def _squeeze_blank(lines: list[str]) -> list[str]:
    """At most one blank line in a row, none at the ends."""
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line if line.strip() else "")
    while out and not out[-1].strip():
        out.pop()
    return out


def _first_line(text: str) -> str | None:
    """The first non-empty line, if it is short enough to be a title."""
    for line in text.split("\n"):
        line = line.strip()
        if line:
            return re.sub(r"\s+", " ", line) if len(line) < _MAX_TITLE else None
    return None
