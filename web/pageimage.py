"""Web stage, page images: a PDF page rendered by PDFium, where its words are, the matches drawn on it.

A page's words come from PDFium's characters (each character's loose box: the font's height,
so a highlight covers the line evenly); a page without a text layer that was read by OCR gets
Tesseract's word boxes read from the same rendered image. Boxes are kept as fractions of the
rendered page (0-1, origin top left), so they fit the image at any size.

PageImages caches both on disk under the data directory, keyed by the original's SHA-256 (a
new version of a document is a new file): `pages/<sha256>/<n>.png` and `<n>.words.json`.
Nothing of a request goes into a path: the SHA-256 comes from the catalog and the page number
is an integer bounded by the document's page count.
"""
from __future__ import annotations

import ctypes
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageDraw

from ingest.parse.pdf.fast import PDFIUM_LOCK

SCALE = 2.0  # 144 dpi: an A4 page is 1190 × 1684 pixels, sharp on a phone and a laptop
RENDERING = "v2"  # part of the cache's folder name: change it when images or boxes change
_HEX = re.compile(r"[0-9a-f]{64}")
# PDFium's marks: U+FFFE for a hyphen ending a line (or a glyph without Unicode), U+0002 its hyphen.
_MARKS = {0xFFFE: "-", 0x02: "-", 0x0D: "\n", 0x0A: "\n", 0: " "}
MATCH = (255, 214, 0, 110)  # translucent yellow over the page
CURRENT = (255, 120, 0, 150)  # the hit the viewer points at
CURRENT_EDGE = (200, 60, 0, 255)

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of the page, top left origin


@dataclass(frozen=True)
class PageWords:
    """A page's text as PDFium (or Tesseract) read it, and each word's span and boxes in it."""

    text: str
    words: Sequence[tuple[int, int, Sequence[Box]]]  # (start, end, boxes: one per line it is on)
    width: int  # the rendered image's size in pixels
    height: int

    def to_json(self) -> str:
        return json.dumps({"text": self.text, "words": self.words, "width": self.width, "height": self.height},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> PageWords:
        data = json.loads(raw)  # the words stay JSON's lists: the same shape, read 5 times faster
        return cls(data["text"], data["words"], data["width"], data["height"])

    def boxes(self, spans: Sequence[tuple[int, int]]) -> list[tuple[Box, ...]]:
        """Each span's boxes: those of the words it overlaps (a span is one match)."""
        out = []
        for s, e in spans:
            found = tuple((b[0], b[1], b[2], b[3]) for ws, we, boxes in self.words if ws < e and we > s for b in boxes)
            if found:
                out.append(found)
        return out


def render(data: bytes, number: int, scale: float = SCALE) -> Image.Image:
    """Page `number` (1-based) of a PDF as an RGB image."""
    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(data)
        try:
            page = pdf[number - 1]
            try:
                return page.render(scale=scale).to_pil().convert("RGB")
            finally:
                page.close()
        finally:
            pdf.close()


def text_words(data: bytes, numbers: Sequence[int], scale: float = SCALE) -> dict[int, PageWords]:
    """The words of pages `numbers` (1-based) from their text layer, with their boxes on the rendered page."""
    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(data)
        try:
            out = {}
            for number in numbers:
                page = pdf[number - 1]
                try:
                    out[number] = _page_words(page, scale)
                finally:
                    page.close()
            return out
        finally:
            pdf.close()


def _page_words(page, scale: float) -> PageWords:
    width, height = page.get_size()
    size_x, size_y = round(width * scale), round(height * scale)
    to_image = _page_to_image(page, size_x, size_y)
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        count = pdfium_c.FPDFText_CountChars(raw)
        text = "".join(_MARKS.get(code) or chr(code)
                       for code in (pdfium_c.FPDFText_GetUnicode(raw, i) for i in range(count)))
        rect = pdfium_c.FS_RECTF()
        words = []
        for m in re.finditer(r"\S+", text):
            lines: list[list[float]] = []
            for i in range(m.start(), m.end()):
                if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect) or rect.right <= rect.left:
                    continue
                (x0, y0), (x1, y1) = to_image(rect.left, rect.top), to_image(rect.right, rect.bottom)
                box = [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]
                if lines and _same_line(lines[-1], box):
                    last = lines[-1]
                    lines[-1] = [min(last[0], box[0]), min(last[1], box[1]), max(last[2], box[2]), max(last[3], box[3])]
                else:
                    lines.append(box)
            if lines:
                words.append((m.start(), m.end(), tuple(_rounded(b) for b in lines)))
    finally:
        textpage.close()
    return PageWords(text, tuple(words), size_x, size_y)


def _page_to_image(page, size_x: int, size_y: int) -> Callable[[float, float], tuple[float, float]]:
    """Page space (points) → fractions of the rendered image: PDFium's own transform (the page's
    box and /Rotate), read at three points on a grid 1000 times finer than the image."""
    fine_x, fine_y = size_x * 1000, size_y * 1000
    dx, dy = ctypes.c_int(), ctypes.c_int()

    def device(x: float, y: float) -> tuple[float, float]:
        pdfium_c.FPDF_PageToDevice(page.raw, 0, 0, fine_x, fine_y, 0, ctypes.c_double(x), ctypes.c_double(y),
                                   ctypes.byref(dx), ctypes.byref(dy))
        return dx.value / fine_x, dy.value / fine_y

    step = 1000.0
    (ox, oy), (xx, xy), (yx, yy) = device(0, 0), device(step, 0), device(0, step)
    ax, ay, bx, by = (xx - ox) / step, (xy - oy) / step, (yx - ox) / step, (yy - oy) / step
    return lambda x, y: (ox + x * ax + y * bx, oy + x * ay + y * by)


def _same_line(a: list[float], b: list[float]) -> bool:
    """Two characters of a word on one line: they overlap across the line by half the smaller
    and nearly touch along it, whichever way the line runs on the image (a page turned by
    /Rotate runs down it, or right to left)."""
    def on_line(lo: int, hi: int, along_lo: int, along_hi: int) -> bool:
        size = min(a[hi] - a[lo], b[hi] - b[lo])
        across = min(a[hi], b[hi]) - max(a[lo], b[lo])
        gap = max(0.0, b[along_lo] - a[along_hi], a[along_lo] - b[along_hi])
        return across > 0.5 * size and gap < 1.5 * size

    return on_line(1, 3, 0, 2) or on_line(0, 2, 1, 3)


def _rounded(box: Sequence[float]) -> Box:
    x0, y0, x1, y1 = (round(v, 5) for v in box)
    return x0, y0, x1, y1


def ocr_words(image: Image.Image, read: Callable[[Image.Image], list[tuple[str, int, int, int, int]]]) -> PageWords:
    """The words Tesseract reads on a rendered page (`read`: image → (word, left, top, width, height))."""
    parts, words, cursor = [], [], 0
    for word, left, top, w, h in read(image):
        box = _rounded((left / image.width, top / image.height, (left + w) / image.width, (top + h) / image.height))
        words.append((cursor, cursor + len(word), (box,)))
        parts.append(word)
        cursor += len(word) + 1
    return PageWords(" ".join(parts), tuple(words), image.width, image.height)


def draw(image: Image.Image, hits: Sequence[tuple[Box, ...]], current: int | None = None) -> Image.Image:
    """The page with each hit's boxes filled; hit `current` (0-based) stronger and outlined."""
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(overlay)
    pad = 2
    for i, boxes in enumerate(hits):
        for x0, y0, x1, y1 in boxes:
            rect = (x0 * image.width - pad, y0 * image.height - pad, x1 * image.width + pad, y1 * image.height + pad)
            if i == current:
                pen.rectangle(rect, fill=CURRENT, outline=CURRENT_EDGE, width=3)
            else:
                pen.rectangle(rect, fill=MATCH)
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


def png(image: Image.Image, compress_level: int = 6) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, compress_level=compress_level)
    return out.getvalue()


class PageImages:
    """Rendered pages and their words, cached under `root` (None, or an unwritable folder: not cached)."""

    def __init__(self, root: Path | None):
        self.root = root / RENDERING if root is not None else None

    def _path(self, sha256: str, number: int, suffix: str) -> Path | None:
        if self.root is None:
            return None
        if not _HEX.fullmatch(sha256) or not isinstance(number, int) or number < 1:
            raise ValueError("page image key must be a SHA-256 and a page number")
        return self.root / sha256[:2] / sha256 / f"{number}{suffix}"

    def image(self, sha256: str, number: int, data: Callable[[], bytes]) -> Image.Image:
        """Page `number` of the PDF whose bytes `data()` gives, rendered (or from the cache)."""
        path = self._path(sha256, number, ".png")
        if path is not None and path.is_file():
            return Image.open(path).convert("RGB")
        return self._render(sha256, number, data)[0]

    def png(self, sha256: str, number: int, data: Callable[[], bytes]) -> bytes:
        """The page as PNG bytes, straight from the cache when it holds them."""
        path = self._path(sha256, number, ".png")
        if path is not None and path.is_file():
            return path.read_bytes()
        return self._render(sha256, number, data)[1]

    def _render(self, sha256: str, number: int, data: Callable[[], bytes]) -> tuple[Image.Image, bytes]:
        image = render(data(), number)
        # 256 colours without dithering: a third of the bytes of the RGB image, text as sharp.
        encoded = png(image.quantize(colors=256, dither=Image.Dither.NONE))
        self._store(self._path(sha256, number, ".png"), encoded)
        return image, encoded

    def words(self, sha256: str, numbers: Sequence[int], data: Callable[[], bytes]) -> dict[int, PageWords]:
        """Pages' words from their text layer (one reading of the PDF for all the cache lacks)."""
        found, missing = {}, []
        for number in numbers:
            path = self._path(sha256, number, ".words.json")
            if path is not None and path.is_file():
                found[number] = PageWords.from_json(path.read_text(encoding="utf-8"))
            else:
                missing.append(number)
        if missing:
            for number, words in text_words(data(), missing).items():
                self._store(self._path(sha256, number, ".words.json"), words.to_json().encode("utf-8"))
                found[number] = words
        return found

    def ocr_words(self, sha256: str, number: int, data: Callable[[], bytes],
                  read: Callable[[Image.Image], list[tuple[str, int, int, int, int]]]) -> PageWords:
        """A page's words as Tesseract reads them on the rendered page (`read`), for a page read by OCR."""
        path = self._path(sha256, number, ".ocr.json")
        if path is not None and path.is_file():
            return PageWords.from_json(path.read_text(encoding="utf-8"))
        found = ocr_words(self.image(sha256, number, data), read)
        self._store(path, found.to_json().encode("utf-8"))
        return found

    def _store(self, path: Path | None, content: bytes) -> None:
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                f.write(content)
            os.replace(tmp, path)
        except OSError:  # a read-only data directory: serve without a cache
            pass
