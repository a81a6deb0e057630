"""Parse stage, PDF: bytes → ParsedDocument with one Page per PDF page (PDFium or pdfplumber)."""
from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from ingest.model import Page, ParsedDocument, ParseError
from ingest.parse.doc_meta import iso_date, meaningful_title
from ingest.parse.limits import ParseLimits
from ingest.parse.mediatype import PDF
from ingest.parse.pdf.fast import PDFIUM_LOCK, TURNED, open_pdf, read_page
from ingest.parse.pdf.layout import Line, PageLines, page_lines

# A page covered by an image whose horizontal text is shorter than this is a scan with a
# page number or a signature stamp (set at 90°) on top: it still needs OCR.
_SCAN_MAX_CHARS = 20
_MARGIN = 0.15  # top and bottom of the page: where running heads and page numbers live
_PAGE_NUMBER = re.compile(
    r"^(?:sid(?:a|an)?\.?\s*)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s*(?:\(\s*\d{1,4}\s*\)|(?:av|/)\s*\d{1,4}))?$",
    re.IGNORECASE,
)
_TRAILING_PAGE_NUMBER = re.compile(r"(?:^|\s+)(?:sid(?:a|an)?\.?\s*)?\d{1,4}(?:\s*\(\s*\d{1,4}\s*\)|\s+av\s+\d{1,4})?$")
# A hyphen at a line end, the letter before it and the first word of the next line.
_HYPHEN_BREAK = re.compile(r"(\w)[-\u00ad\u2010]\n(\S+)([ \t]*)")
# Bullets set in the Symbol/Wingdings fonts come out as private-use characters.
_SYMBOL_BULLET = re.compile(r"^[\uf000-\uf0ff](?=\s)", re.MULTILINE)
_SUSPENDED = {"och", "eller", "samt", "till", "respektive", "resp.", "liksom", "som", "&"}


# The warning for pages without a text layer (after "sida 3" or "sidorna 3, 17–19").
NO_TEXT_LAYER = "saknar textlager (skannad?)"

# Which reader took a page (parse_pdf_routed): PDFium, pdfplumber ("pdfplumber: why"), or none.
PDFIUM, PDFPLUMBER, FAILED = "pdfium", "pdfplumber", "failed"


def parse_pdf(data: bytes, fast: bool = True, limits: ParseLimits | None = None) -> ParsedDocument:
    """Text page by page; scanned pages come back empty with has_text_layer=False.

    PDFium reads the pages it can (see pdf_fast) and pdfplumber the rest; `fast=False` reads
    every page with pdfplumber, the reference the fast path is measured against. A PDF of more
    than `limits.max_pages` pages is refused (a page tree can claim millions).
    """
    return parse_pdf_routed(data, fast, limits)[0]


def parse_pdf_routed(data: bytes, fast: bool = True,
                     limits: ParseLimits | None = None) -> tuple[ParsedDocument, tuple[str, ...]]:
    """parse_pdf, and for each page which reader took it: PDFIUM, "pdfplumber: <why>" or FAILED."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as e:
        raise _open_error(e.args[0] if e.args else e) from e
    except Exception as e:  # pdfminer raises a zoo of types on broken files
        raise ParseError("corrupt", f"PDF-filen är trasig eller ofullständig: {e}") from e
    with _closing(pdf):
        try:
            pages = pdf.pages
        except MemoryError:
            raise
        except Exception as e:
            raise ParseError("corrupt", f"PDF-filen är trasig eller ofullständig: {e}") from e
        max_pages = (limits or ParseLimits()).max_pages
        if len(pages) > max_pages:
            raise ParseError("too-many-pages", f"PDF-filen har {len(pages)} sidor, fler än gränsen {max_pages}")
        if not pages:
            raise ParseError("empty", "PDF-filen innehåller inga sidor")
        if fast:
            with PDFIUM_LOCK:
                read, failed, routes = _read_pages(pages, open_pdf(data))
        else:
            read, failed, routes = _read_pages(pages, None)
        info = pdf.metadata
        title = meaningful_title(_meta_str(info.get("Title")))
        date = iso_date(_meta_str(info.get("CreationDate")))
    if len(failed) == len(pages):
        raise ParseError("corrupt", "PDF-filen är trasig eller ofullständig: ingen sida gick att läsa")
    texts = drop_running_lines(read)
    result, scanned = [], []
    for number, (page_read, text) in enumerate(zip(read, texts), start=1):
        has_text = page_read is not None and bool(page_read[0])
        if page_read is not None and not has_text:
            scanned.append(number)
        result.append(Page(number, text if has_text else "", has_text_layer=has_text))
    warnings = []
    if scanned:
        warnings.append(f"{pages_label(scanned)} {NO_TEXT_LAYER}")
    if failed:
        warnings.append(f"{pages_label(failed)} kunde inte läsas (trasig sida)")
    return ParsedDocument(PDF, tuple(result), title=title, date=date, warnings=tuple(warnings)), tuple(routes)


@contextmanager
def _closing(pdf: pdfplumber.PDF) -> Iterator[pdfplumber.PDF]:
    """Close `pdf` after use. pdfplumber's close() reads the page list again: on a page tree it
    cannot read it raises what reading it raised, which would hide the ParseError said about it."""
    try:
        yield pdf
    finally:
        try:
            pdf.close()
        except Exception:  # the pages' own error is the one to report
            pass


def _open_error(cause: object) -> ParseError:
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
        return ParseError("encrypted", "PDF-filen är krypterad och kan inte läsas utan lösenord")
    return ParseError("corrupt", f"PDF-filen är trasig eller ofullständig: {cause or type(cause).__name__}")


def _read_pages(pages, fast_pdf) -> tuple[list[PageLines | None], list[int], list[str]]:
    """Each page's lines and height (None if unreadable), the unreadable page numbers, the routes."""
    read: list[PageLines | None] = []
    failed: list[int] = []
    routes: list[str] = []
    try:
        for index, page in enumerate(pages):
            lines, why = _read_fast(fast_pdf, index, page, len(pages))
            if lines is not None:
                read.append(lines)
                routes.append(PDFIUM)
                continue
            try:
                read.append((_read_page(page), float(page.height)))
                routes.append(f"{PDFPLUMBER}: {why}")
            except Exception:
                failed.append(page.page_number)
                read.append(None)
                routes.append(FAILED)
            finally:
                page.close()  # drop the page's cached layout so memory stays flat
    finally:
        if fast_pdf is not None:
            fast_pdf.close()
    return read, failed, routes


def _read_fast(pdf, index: int, page, page_count: int) -> tuple[PageLines | None, str]:
    """The page read by PDFium; or None and why pdfplumber reads it.

    pdfplumber takes what pdf_fast declines, a page PDFium cannot read, every page when the
    two disagree on the page count, and pages with little horizontal text: whether those are
    scans depends on their images, which only the pdfplumber path looks at.
    """
    if pdf is None or len(pdf) != page_count:
        return None, "no PDFium document"  # fast=False, or PDFium could not open the file
    if page.rotation or tuple(page.mediabox[:2]) != (0, 0):
        return None, TURNED
    try:
        lines, why = read_page(pdf, index, float(page.width), float(page.height))
    except Exception:  # PDFium choked on this page: pdfplumber gets its turn, and its error
        return None, "PDFium error"
    if lines is not None and _horizontal_chars(lines[0]) < _SCAN_MAX_CHARS:
        return None, "little text"
    return lines, why


def _read_page(page) -> list[Line]:
    """The page's lines, or [] for a scan (no text, or a stamp on a full-page image)."""
    chars = page.chars
    if not chars:
        return []
    rules = [(float(e["x0"]), float(e["x1"]), float(e["top"])) for e in page.horizontal_edges]
    lines = page_lines(chars, float(page.width), rules)
    if _horizontal_chars(lines) < _SCAN_MAX_CHARS and _mostly_image(page):
        return []
    return lines


def _horizontal_chars(lines: list[Line]) -> int:
    return sum(len(line.text) for line in lines if not line.rotated)


def _mostly_image(page) -> bool:
    area = float(page.width * page.height) or 1.0
    return any(float(im["width"] * im["height"]) >= 0.5 * area for im in page.images)


def drop_running_lines(pages: list[PageLines | None]) -> list[str]:
    """Page texts without page numbers and without running heads after their first use.

    A line in the top or bottom 15 % of the page that recurs in that margin on at least half
    of the pages of a document of four or more pages is a running head or foot: it is kept
    on the first page where it appears and dropped elsewhere. Lines are compared as written
    except for a page number at their end, so "§ 12 Dnr KS 2020/123" never counts as
    running. Lines that are only a page number ("3", "3 (44)", "Sida 3 av 44") always go.
    """
    def key(line: Line) -> str:
        return _TRAILING_PAGE_NUMBER.sub("", " ".join(line.text.lower().split()))

    filled: list[PageLines] = [p or ([], 1.0) for p in pages]
    margin = [{key(line) for line in lines if _in_margin(line, height)} for lines, height in filled]
    counts = Counter(k for keys in margin for k in keys)
    with_text = sum(1 for lines, _ in filled if lines)
    running = {k for k, n in counts.items() if with_text >= 4 and n >= 0.5 * with_text and k}
    seen: set[str] = set()
    texts = []
    for lines, height in filled:
        kept = []
        for line in lines:
            k = key(line)
            in_margin = _in_margin(line, height)
            if in_margin and _PAGE_NUMBER.match(line.text.strip()):
                continue
            if in_margin and k in running:
                if k in seen:
                    continue
                seen.add(k)
            kept.append(line.text)
        text = join_hyphenated("\n".join(kept)).strip()
        texts.append(_SYMBOL_BULLET.sub("•", text))
    return texts


def _in_margin(line: Line, page_height: float) -> bool:
    return line.rotated or line.bottom <= _MARGIN * page_height or line.top >= (1 - _MARGIN) * page_height


def join_hyphenated(text: str) -> str:
    """Join words hyphenated at a line end; keep the hyphen of Swedish suspended compounds.

    >>> join_hyphenated("inom social-\\npsykiatrin finns")
    'inom socialpsykiatrin\\nfinns'
    >>> join_hyphenated("inom hälso-\\noch sjukvård")
    'inom hälso- och sjukvård'
    >>> join_hyphenated("ny VA-\\ntaxa")
    'ny VA-taxa'
    """
    def repl(m: re.Match) -> str:
        before, word, space = m.group(1), m.group(2), m.group(3)
        head = text[: m.start(1) + 1]
        if word.lower().rstrip(",") in _SUSPENDED or word.startswith(","):
            return f"{before}- {word}{space}"
        stem = m_stem.group(1) if (m_stem := re.search(r"(\w+)$", head)) else ""
        joined = before.islower() and word[0].islower() and word[0].isalpha() and len(stem) > 1
        rest_of_line = "" if m.end() == len(text) or text[m.end()] == "\n" else "\n"
        return f"{before}{'' if joined else '-'}{word}{rest_of_line}"

    return _HYPHEN_BREAK.sub(repl, text)


def _meta_str(value: object) -> str | None:
    """An Info value as text (pdfplumber leaves undecodable ones as bytes)."""
    if isinstance(value, bytes):
        for encoding in ("utf-16", "utf-8", "latin-1"):
            try:
                return value.decode(encoding)
            except UnicodeDecodeError:
                continue
    return value if isinstance(value, str) else None


def pages_label(numbers: list[int]) -> str:
    """'sida 3' or 'sidorna 3, 17–19'."""
    if len(numbers) == 1:
        return f"sida {numbers[0]}"
    ranges: list[list[int]] = []
    for n in numbers:
        if ranges and n == ranges[-1][-1] + 1:
            ranges[-1].append(n)
        else:
            ranges.append([n])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in ranges]
    return "sidorna " + ", ".join(parts)
