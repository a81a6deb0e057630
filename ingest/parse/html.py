"""Parse stage, HTML: bytes → ParsedDocument with the page's main content as one Page."""
from __future__ import annotations

import re
import warnings
from typing import Any

from bs4 import (
    BeautifulSoup,
    Comment,
    Declaration,
    Doctype,
    MarkupResemblesLocatorWarning,
    NavigableString,
    ProcessingInstruction,
    Tag,
    XMLParsedAsHTMLWarning,
)

from ingest.model import Page, ParsedDocument, ParseError
from ingest.parse.decode import decode_text, looks_binary
from ingest.parse.doc_meta import iso_date
from ingest.parse.limits import ParseLimits
from ingest.parse.mediatype import HTML
from ingest.parse.table_text import row_line

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.IGNORECASE)
_DROP_TAGS = [
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "button", "select", "textarea", "input", "nav", "aside", "dialog", "map", "audio", "video",
    "head", "link", "meta",
]
_BLOCKS = {
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "li", "main", "ol", "p", "section", "summary", "ul",
    "table", "thead", "tbody", "tfoot", "tr", "legend",
}
_BOILERPLATE = re.compile(r"cookie|consent|gdpr|samtycke|breadcrumb|brodsmul|skip-?link|skip-?to", re.I)
_HIDDEN_CLASS = {"hidden", "is-hidden", "d-none", "hide", "sr-only", "visually-hidden", "visuallyhidden"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SKIP_LINK_TEXT = re.compile(r"^\s*(hoppa|gå|skip|jump)\s+(direkt\s+)?(till|to)\b", re.I)
_CONTENT_NAME = re.compile(r"content|main|article|text-portlet|brodtext|body-?text|entry|post", re.I)
_NOT_CONTENT = re.compile(r"header|footer|nav|menu|sidebar|cookie|banner|breadcrumb|search|popup|modal", re.I)
# Meta names that carry a publication date, most specific first.
_DATE_META = (
    "article:published_time", "og:published", "datepublished", "dc.date.issued", "dcterms.issued",
    "dc.date", "dcterms.date", "dc.date.created", "dcterms.created", "published", "pubdate",
    "publishdate", "publish-date", "rek:pubdate", "citation_publication_date", "date", "display-date",
)


def parse_html(data: bytes, declared_charset: str | None = None, limits: ParseLimits | None = None) -> ParsedDocument:
    """The main content as text lines (blocks, list items, table rows with " | ")."""
    charset = declared_charset or _meta_charset(data)
    text, _ = decode_text(data, charset)
    if looks_binary(text):
        raise ParseError("binary", "Filen är ingen HTML (binärt innehåll med HTML:s filändelse)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(text, "lxml")
    metas = _metas(soup)
    raw_title = _clean(soup.title.get_text()) if soup.title else ""
    _drop_boilerplate(soup)
    root = content_root(soup)
    renderer = _Renderer()
    renderer.block(root)
    renderer.flush()
    body = "\n".join(renderer.lines).strip()
    if not body:
        raise ParseError("empty", "HTML-sidan innehåller ingen text")
    h1s = [_clean(h.get_text(" ")) for h in soup.find_all("h1")]
    title = page_title(raw_title, metas.get("og:title"), [h for h in h1s if h] + [metas.get("dc.title", "")])
    return ParsedDocument(
        HTML,
        (Page(1, body),),
        title=title,
        date=_meta_date(metas),
        headings=tuple(renderer.headings),
    )


def _meta_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", errors="ignore") if m else None


def _metas(soup: BeautifulSoup) -> dict[str, str]:
    """<meta name|property|itemprop|http-equiv=... content=...>, names lower-cased."""
    out: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        name = meta.get("name") or meta.get("property") or meta.get("itemprop") or meta.get("http-equiv")
        content = meta.get("content")
        if isinstance(name, str) and isinstance(content, str) and content.strip():
            out.setdefault(name.strip().lower(), content.strip())
    return out


def _drop_boilerplate(soup: BeautifulSoup) -> None:
    """Remove comments, scripts, navigation, site header/footer, cookie banners, hidden bits."""
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    doomed: list[Tag] = []
    stack: list[tuple[Tag, bool]] = [(soup, False)]  # (tag, inside <main> or <article>)
    while stack:  # depth-first without descending into what goes
        tag, in_content = stack.pop()
        for child in tag.find_all(True, recursive=False):
            if _is_hidden(child) or _is_page_chrome(child, in_content) or _is_skip_link(child):
                doomed.append(child)
            else:
                stack.append((child, in_content or child.name in ("main", "article")))
    for tag in doomed:
        tag.decompose()


def _attr(tag: Tag, name: str) -> str:
    """An attribute's value as one string ("" when absent; a multi-valued one such as class joined)."""
    value = tag.get(name)
    return value if isinstance(value, str) else " ".join(value or ())


def _is_hidden(tag: Tag) -> bool:
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true":
        return True
    if _HIDDEN_STYLE.search(_attr(tag, "style")):
        return True
    return bool(_HIDDEN_CLASS.intersection(tag.get("class") or ()))


def _is_page_chrome(tag: Tag, in_content: bool) -> bool:
    """Site header/footer, forms, cookie banners and breadcrumbs, unless they hold the content.

    A <header> or <footer> inside <main> or <article> belongs to the content and stays.
    """
    if tag.name in ("html", "body", "main", "article"):
        return False
    names = " ".join([_attr(tag, "id"), _attr(tag, "class"), _attr(tag, "aria-label")])
    role = _attr(tag, "role").lower()
    chrome = (
        (tag.name in ("header", "footer") and not in_content)
        or tag.name == "form"
        or role in ("banner", "contentinfo", "navigation", "search", "complementary")
        or bool(_BOILERPLATE.search(names))
    )
    return chrome and not tag.find(["main", "article", "h1"])


def _is_skip_link(tag: Tag) -> bool:
    return tag.name == "a" and _attr(tag, "href").startswith("#") and bool(
        _SKIP_LINK_TEXT.match(tag.get_text())
    )


def content_root(soup: BeautifulSoup) -> Tag:
    """<main>, [role=main], a lone <article>, a content-named container, else <body>."""
    body = soup.body or soup
    total = _text_len(body)

    def good(tag: Tag | None) -> bool:
        return tag is not None and _text_len(tag) >= min(500, 0.25 * total) and _text_len(tag) > 0

    mains = soup.find_all("main") + soup.find_all(role="main")
    if mains and good(best := max(mains, key=_text_len)):
        return best
    articles = soup.find_all("article")
    if len(articles) == 1 and good(articles[0]):
        return articles[0]
    candidates = [t for t in body.find_all(["div", "section", "td"]) if _is_content_named(t)]
    if candidates:
        root = max(candidates, key=_text_len)
        while True:  # descend while a named descendant holds nearly all of the text
            inner = [t for t in candidates if t is not root and root in t.parents]
            deeper = max(inner, key=_text_len, default=None)
            if deeper is None or _text_len(deeper) < 0.8 * _text_len(root):
                break
            root = deeper
        if good(root):
            return root
    return body


def _is_content_named(tag: Tag) -> bool:
    names = " ".join([_attr(tag, "id"), _attr(tag, "class")])
    return bool(_CONTENT_NAME.search(names)) and not _NOT_CONTENT.search(names)


def _text_len(tag: Tag) -> int:
    return sum(len(s) for s in tag.get_text().split())


class _Renderer:
    """Walks the tree: blocks and list items become lines, table rows become 'a | b | c'."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.headings: list[str] = []
        self._buf: list[str] = []
        self._boundary = False  # an element boundary since the last text

    def text(self, part: str) -> None:
        """Append inline text; "Busch</span><span>Kristdemokraterna" gets its space back.

        Sites style spans as blocks; where an element boundary separates a lower-case
        letter from a capital or a parenthesis, a browser shows two words, so we do too.
        """
        if self._boundary and part and self._buf:
            last = self._buf[-1][-1:] if self._buf[-1] else ""
            if last.islower() and (part[0].isupper() or part[0] == "("):
                self._buf.append(" ")
        if part:
            self._boundary = False
        self._buf.append(part)

    def flush(self) -> None:
        line = _clean("".join(self._buf))
        self._buf = []
        if line:
            self.lines.append(line)

    def block(self, root: Tag) -> None:
        """Render the children of `root`; iterative, so deeply nested markup cannot overflow."""
        stack: list[tuple[Any, bool]] = [(child, False) for child in reversed(list(root.children))]
        while stack:
            node, closing = stack.pop()
            if closing:
                self._close(*node)
                continue
            if isinstance(node, (Comment, Declaration, Doctype, ProcessingInstruction)):
                continue
            if isinstance(node, NavigableString):
                # A blank line inside a text node is a paragraph break (plain text in a div).
                for i, part in enumerate(re.split(r"\n[ \t]*\n", str(node))):
                    if i:
                        self.flush()
                    self.text(part)
                continue
            if not isinstance(node, Tag):
                continue
            name = node.name
            if name in ("br", "hr"):
                self.flush()
            elif name == "pre":
                self.flush()
                self.lines.extend(line.rstrip() for line in node.get_text().split("\n") if line.strip())
            elif name == "table" and not _is_layout_table(node):
                self.flush()
                self.table(node)
            else:
                if name in _BLOCKS or name in ("td", "th"):  # cells of a layout table are blocks
                    self.flush()
                else:  # an inline element: its text continues the line
                    self._boundary = True
                stack.append(((name, len(self.lines)), True))
                stack.extend((child, False) for child in reversed(list(node.children)))

    def _close(self, name: str, start: int) -> None:
        if name not in _BLOCKS and name not in ("td", "th"):
            self._boundary = True
            return
        self.flush()
        if name in ("h1", "h2", "h3"):
            heading = " ".join(self.lines[start:])
            if heading:
                self.headings.append(heading)

    def table(self, table: Tag) -> None:
        caption = table.find("caption")
        if caption:
            self.lines.append(_clean(caption.get_text(" ")))
        for row in table.find_all("tr"):
            if row.find_parent("table") is not table:
                continue
            cells = [_clean(cell.get_text(" ")) for cell in row.find_all(["td", "th"], recursive=False)]
            line = row_line(cells)
            if line:
                self.lines.append(line)


def _is_layout_table(table: Tag) -> bool:
    """A table used for page layout: its cells hold paragraphs, headings or other tables."""
    return table.find(["table", "p", "h1", "h2", "h3", "ul", "ol", "div"]) is not None


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_title(raw: str, og_title: str | None, headings: list[str]) -> str | None:
    """<title> without a site suffix (" - Botkyrka kommun") when an h1 confirms the rest.

    >>> page_title("Äldreomsorg - Botkyrka kommun", None, ["Äldreomsorg"])
    'Äldreomsorg'
    """
    og_title = _clean(og_title or "")
    title = raw or og_title or (headings[0] if headings else "")
    if not title:
        return None
    refs = [r for r in [*headings, og_title] if len(r) >= 3]
    for sep in (" | ", " - ", " – ", " — "):
        if sep in title:
            first = title.rpartition(sep)[0].strip()
            if any(_same_start(first, ref) for ref in refs):
                return first
    return title


def _same_start(a: str, b: str) -> bool:
    a, b = a.casefold(), b.casefold()
    return len(a) >= 3 and (a.startswith(b) or b.startswith(a))


def _meta_date(metas: dict[str, str]) -> str | None:
    for name in _DATE_META:
        value = metas.get(name)
        if value and (date := iso_date(value)):
            return date
    return None
