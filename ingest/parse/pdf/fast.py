"""Parse stage, PDF fast path: PDFium's characters through the layout code pdfplumber's go through.

pdfplumber spends about 80 ms a page building its characters (pdfminer, in Python); PDFium
(C++) gives the same characters in a few. Each character is rebuilt here with pdfminer's
geometry, so `pdf_layout` cuts the same words and rows from either source:

    x0, x1     the glyph's origin and origin + advance width, along the text direction
    top/bottom the font's descent below the baseline and the font size above it
    size       the box height; matrix the text matrix, from which uprightness follows

A page comes back as lines only when the characters are enough: a page turned by /Rotate or
with its MediaBox off the origin, a glyph without Unicode, and rows that might form two
columns (which pdfplumber settles with the page's ruling lines: tables) come back None, for
pdfplumber to read. PDFium's own ideas are undone where pdfminer has none: its generated
spaces and line breaks are dropped, its hyphen mark is a hyphen again, the ligatures it
splits are rejoined, and the space-only text objects it skips come back where a dot leader
needs them (see dropped_spaces).
"""
from __future__ import annotations

import ctypes
import math
import threading
from typing import cast

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.parse.pdf.layout import PageLines, column_lines, find_gutter, rotated_lines, upright_rows

# FPDFText_GetTextObject giving a plain address: the text object names a run of characters
# sharing one font, size and matrix, so those are looked up once per object.
_GET_TEXT_OBJECT = ctypes.cast(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p).value
assert _GET_TEXT_OBJECT, "this PDFium lacks FPDFText_GetTextObject"
_text_object = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(_GET_TEXT_OBJECT)
# PDFium writes U+FFFE for a hyphen that ends a line (its character then says U+0002) and for a
# glyph without Unicode (U+0000); pdfminer keeps the hyphen.
_MARK, _HYPHEN = "\ufffe", "\x02"
_LEADER = "...."  # a table of contents' dot leader (see dropped_spaces)
# PDFium serves one thread at a time, whatever the document: hold this from open_pdf to close.
PDFIUM_LOCK = threading.Lock()
# Why a page is left to pdfplumber.
TURNED, COLUMNS = "page turned or its box off the origin", "two columns or a table"
UNMAPPED = "glyphs without Unicode"  # pdfminer writes "(cid:7)", PDFium guesses: keep pdfminer's


def open_pdf(data: bytes) -> pdfium.PdfDocument | None:
    """The document, or None when PDFium cannot open it (pdfplumber then says why)."""
    try:
        return pdfium.PdfDocument(data)
    except Exception:  # PdfiumError, or whatever else a damaged file makes the loader throw
        return None


def read_page(
    pdf: pdfium.PdfDocument, index: int, width: float, height: float
) -> tuple[PageLines | None, str]:
    """The page's lines in reading order and its height; or None and why pdfplumber must read it.

    `width` and `height` are the MediaBox's, as pdfplumber measures the page; the box must
    sit at the origin and the page must not be turned (/Rotate), which parse_pdf checks.
    """
    page = pdf[index]
    try:
        if page.get_rotation():
            return None, TURNED
        textpage = page.get_textpage()
        try:
            chars = page_chars(textpage, height)
        except Unmapped:
            return None, UNMAPPED
        finally:
            textpage.close()
        rows, rotated = upright_rows(chars)
        if any(_LEADER in word["text"] for row in rows for word in row):
            # first, as in the content stream, where a space comes before what starts on it
            rows, rotated = upright_rows(dropped_spaces(page, height) + chars)
    finally:
        page.close()
    if find_gutter(rows, width) is not None:
        return None, COLUMNS  # pdfplumber decides, with the page's ruling lines
    return (column_lines(rows, None) + rotated_lines(rotated), height), ""


class Unmapped(Exception):
    """A glyph on the page has no Unicode: PDFium's text for it is a guess."""


def page_chars(textpage: pdfium.PdfTextPage, page_height: float) -> list[dict]:
    """The page's characters as pdfplumber gives them (text, x0, x1, top, bottom, size, matrix).

    PDFium's generated spaces and line breaks are left out: words end where pdfminer's do, at
    a space character or a gap wider than pdf_layout allows. Raises Unmapped for a glyph
    without Unicode (a font with no map to Unicode is found at its first character).
    """
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    text = textpage.get_text_range(0, count) if count > 0 else ""
    if len(text) != count:  # characters beyond the BMP come back as surrogate pairs
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(count))
    text_object, is_generated = _text_object, pdfium_c.FPDFText_IsGenerated
    char_origin = pdfium_c.FPDFText_GetCharOrigin
    x, y = ctypes.c_double(), ctypes.c_double()
    styles: dict[int, _Style] = {}
    widths: dict[tuple[int | None, float], dict[str, float]] = {}  # per font and size: advance by character
    chars: list[dict] = []
    last_obj, last_origin = None, None
    style = cast(_Style, None)  # set at the first character: its text object differs from None
    for i, ch in enumerate(text):
        obj = text_object(raw, i)
        if obj is None or (ch == " " and is_generated(raw, i)):
            continue  # PDFium's own spaces and line breaks: pdfminer has none
        char_origin(raw, i, x, y)
        ox, oy = x.value, y.value
        if ch == _MARK or ch < " ":
            ch = _hyphen_or_unmapped(raw, i, ch)
        if obj != last_obj:
            known = styles.get(obj)
            if known is None:
                if pdfium_c.FPDFText_HasUnicodeMapError(raw, i) == 1:
                    raise Unmapped
                known = styles[obj] = _Style(raw, i, obj, widths)
            style = known
            last_obj = obj
        elif (ox, oy) == last_origin:
            _add_piece(chars[-1], ch, raw, i)
            continue
        last_origin = (ox, oy)
        advance = style.widths.get(ch)
        if advance is None:
            advance = style.widths[ch] = style.advance(raw, i, ch)
        if style.plain:  # upright, unrotated, unskewed: most text
            x1 = ox + style.a * advance
            bottom = page_height - oy - style.low
            chars.append({
                "text": ch, "x0": ox, "x1": x1, "top": bottom - style.height, "bottom": bottom,
                "doctop": bottom - style.height, "width": x1 - ox, "height": style.height,
                "size": style.height, "upright": True, "matrix": style.matrix,
            })
        else:
            chars.append(style.char(ch, ox, oy, advance, page_height))
    return chars


def _hyphen_or_unmapped(raw, index: int, ch: str) -> str:
    """A line-end hyphen as "-"; other control characters as they are; Unmapped for no Unicode."""
    code = pdfium_c.FPDFText_GetUnicode(raw, index)
    if code == ord(_HYPHEN):
        return "-"
    if ch == _MARK or code == 0:
        raise Unmapped
    return ch


def _add_piece(char: dict, ch: str, raw, index: int) -> None:
    """A ligature PDFium split ("ﬁ" → f, i at one origin) is one glyph to pdfminer: rejoin it."""
    char["text"] += ch
    if char["upright"]:
        box = pdfium_c.FS_RECTF()
        pdfium_c.FPDFText_GetLooseCharBox(raw, index, box)
        char["x1"] = max(char["x1"], box.right)
        char["width"] = char["x1"] - char["x0"]


class _Style:
    """Font, size and matrix of one text object, and pdfminer's box for its glyphs."""

    __slots__ = ("a", "b", "c", "d", "size", "descent", "font", "upright", "plain", "low", "height",
                 "matrix", "widths", "_value")

    def __init__(self, raw, index: int, obj: int, widths: dict[tuple[int | None, float], dict[str, float]]):
        m = pdfium_c.FS_MATRIX()
        pdfium_c.FPDFText_GetMatrix(raw, index, m)
        self.a, self.b, self.c, self.d = m.a, m.b, m.c, m.d
        self.matrix = (m.a, m.b, m.c, m.d, 0.0, 0.0)  # pdfminer's also holds the origin; unused
        handle = ctypes.cast(obj, pdfium_c.FPDF_PAGEOBJECT)
        value = self._value = ctypes.c_float()
        self.size = value.value if pdfium_c.FPDFTextObj_GetFontSize(handle, value) else 1.0
        self.font = pdfium_c.FPDFTextObj_GetFont(handle)
        self.descent = value.value if pdfium_c.FPDFFont_GetDescent(self.font, self.size, value) else 0.0
        self.upright = self.a * self.d > 0 and self.b * self.c <= 0  # pdfminer's definition
        self.plain = self.a > 0 and self.d > 0 and self.b == 0 and self.c == 0
        self.low, self.height = self.d * self.descent, self.d * self.size
        font_key = ctypes.cast(self.font, ctypes.c_void_p).value
        self.widths = widths.setdefault((font_key, self.size), {})

    def advance(self, raw, index: int, ch: str) -> float:
        """The glyph's advance width in text space.

        The font is asked by Unicode (PDFium maps it back to a character code); when that
        mapping fails the answer is 0 or too wide, and the loose box, which always holds
        the advance, stands in.
        """
        box = pdfium_c.FS_RECTF()
        pdfium_c.FPDFText_GetLooseCharBox(raw, index, box)
        along = box.right - box.left if abs(self.a) >= abs(self.b) else box.top - box.bottom
        loose = along / (math.hypot(self.a, self.b) or 1.0)
        pdfium_c.FPDFFont_GetGlyphWidth(self.font, ord(ch), self.size, self._value)
        width = self._value.value
        return width if 0 < width <= loose + 0.01 else loose

    def char(self, text: str, ox: float, oy: float, advance: float, page_height: float) -> dict:
        """pdfminer's LTChar box: (0, descent)–(advance, descent + size) through the matrix."""
        low, high = self.descent, self.descent + self.size
        x0, x1 = ox + self.c * low, ox + self.a * advance + self.c * high
        y0, y1 = oy + self.d * low, oy + self.b * advance + self.d * high
        x0, x1 = min(x0, x1), max(x0, x1)
        y0, y1 = min(y0, y1), max(y0, y1)
        top = page_height - y1
        return {
            "text": text, "x0": x0, "x1": x1, "top": top, "bottom": page_height - y0, "doctop": top,
            "width": x1 - x0, "height": y1 - y0, "size": y1 - y0, "upright": self.upright,
            "matrix": self.matrix,
        }


def dropped_spaces(page: pdfium.PdfPage, page_height: float) -> list[dict]:
    """Spaces set as text objects of their own, which PDFium's text page leaves out.

    Such an object has no width (a space has no ink), and PDFium skips every object without
    width. Between words that costs nothing, the gap still parts them; but a table of
    contents puts its dot leader right at the space's end, and pdfminer's space character
    is then the only thing that parts "Erionit" from "......". Each comes back as a space
    of no width at the object's origin, on the line of its font.
    """
    spaces: list[dict] = []
    _collect_spaces(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject,
                    (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), page_height, spaces)
    return spaces


def _collect_spaces(holder, count, get, form: tuple, page_height: float, spaces: list[dict]) -> None:
    """Add the spaces of a page or form XObject (`form`: its matrix to the page) to `spaces`."""
    m = pdfium_c.FS_MATRIX()
    for i in range(count(holder)):
        obj = get(holder, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            pdfium_c.FPDFPageObj_GetMatrix(obj, m)
            inner = _multiply((m.a, m.b, m.c, m.d, m.e, m.f), form)
            count_in, get_in = pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject
            _collect_spaces(obj, count_in, get_in, inner, page_height, spaces)
        elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT and (space := _space(obj, form, page_height)):
            spaces.append(space)


def _space(obj, form: tuple, page_height: float) -> dict | None:
    """A text object without width, upright, as a space character of no width; else None."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top) or right.value - left.value > 0.01:
        return None
    m, value = pdfium_c.FS_MATRIX(), ctypes.c_float()
    pdfium_c.FPDFPageObj_GetMatrix(obj, m)
    a, b, c, d, ox, oy = _multiply((m.a, m.b, m.c, m.d, m.e, m.f), form)
    if not (a > 0 and d > 0 and b == 0 and c == 0) or not pdfium_c.FPDFTextObj_GetFontSize(obj, value):
        return None  # upright text only: that is where leaders are
    size = value.value
    font = pdfium_c.FPDFTextObj_GetFont(obj)
    descent = value.value if pdfium_c.FPDFFont_GetDescent(font, size, value) else 0.0
    bottom_y = page_height - oy - d * descent
    return {
        "text": " ", "x0": ox, "x1": ox, "top": bottom_y - d * size, "bottom": bottom_y,
        "doctop": bottom_y - d * size, "width": 0.0, "height": d * size, "size": d * size,
        "upright": True, "matrix": (a, b, c, d, 0.0, 0.0),
    }


def _multiply(m: tuple, n: tuple) -> tuple:
    """The matrix m then n (PDF order: a point goes through m first)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)
