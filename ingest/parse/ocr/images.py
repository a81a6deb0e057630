"""Parse stage, OCR page images: PDF pages rendered by PDFium, image files' frames, bounded, straightened.

Every page image handed to Tesseract is grayscale and at most `max_pixels` large: a page
whose size at the chosen resolution would exceed it is rendered (or scaled) smaller, so one
enormous page cannot take the worker's memory. Skew is measured on a reduced copy by the
projection profile (rows of text are sharpest when the sheared row sums vary most) and
corrected before reading.
"""
from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageOps

from ingest.parse.pdf.fast import PDFIUM_LOCK

# An image file whose frame is larger than this is not decoded at all (a "decompression bomb"):
# Pillow's own warning limit, 89 Mpx (a 600 dpi A3 scan is 70).
MAX_DECODE_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485
_INK = 160  # gray levels below this are ink
_BLANK_SHARE = 0.0005  # a page with less ink than this share of its pixels is blank
_SKEW_WIDTH = 1000  # pixels: the reduced copy skew is measured on
_SKEW_MAX = 5.0  # degrees either way
_SKEW_MIN = 0.3  # degrees: less is left alone (turning blurs)


@dataclass(frozen=True)
class PageImage:
    """One page to read: its image (or why there is none) and the resolution it is at."""

    number: int
    image: Image.Image | None
    dpi: int
    problem: str | None = None  # Swedish, for the page's warning: why there is no image
    reduced: bool = False  # rendered below the chosen resolution to stay within max_pixels


def pdf_page_images(data: bytes, numbers: list[int], dpi: int, max_pixels: int) -> Iterator[PageImage]:
    """The PDF's pages `numbers` (1-based) rendered grayscale at `dpi`, one at a time.

    PDFium applies the page's /Rotate; a page that fails to render yields a problem instead.
    """
    for number in numbers:
        with PDFIUM_LOCK:
            try:
                pdf = pdfium.PdfDocument(data)
            except Exception as e:
                yield PageImage(number, None, dpi, f"PDF-filen kunde inte öppnas för OCR: {e}")
                continue
            try:
                yield _render(pdf, number, dpi, max_pixels)
            finally:
                pdf.close()


def _render(pdf: pdfium.PdfDocument, number: int, dpi: int, max_pixels: int) -> PageImage:
    try:
        page = pdf[number - 1]
    except Exception as e:
        return PageImage(number, None, dpi, f"sidan kunde inte läsas: {e}")
    try:
        width, height = page.get_size()
        scale = dpi / 72
        if width * height * scale * scale > max_pixels:
            scale = math.sqrt(max_pixels / (width * height))
        bitmap = page.render(scale=scale, grayscale=True)
        image = bitmap.to_pil().convert("L")
        bitmap.close()
        return PageImage(number, image, round(scale * 72), reduced=scale < dpi / 72)
    except Exception as e:
        return PageImage(number, None, dpi, f"sidan kunde inte renderas: {type(e).__name__}: {e}")
    finally:
        page.close()


def image_frames(data: bytes, max_pixels: int, last: int | None = None) -> Iterator[PageImage]:
    """Each frame of an image file (a multi-page TIFF has many), up to frame `last`, as a bounded
    grayscale page."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = open_image(data)
        except Exception as e:
            yield PageImage(1, None, 0, image_problem(e))
            return
        frames = frame_count(image)
        for index in range(frames if last is None else min(frames, last)):
            number = index + 1
            try:
                image.seek(index)
                yield _frame(image, number, max_pixels)
            except Exception as e:
                yield PageImage(number, None, 0, image_problem(e))


def open_image(data: bytes) -> Image.Image:
    """The image file opened lazily (nothing decoded yet); Pillow's errors as they come."""
    return Image.open(io.BytesIO(data))


def image_problem(error: Exception) -> str:
    """Why an image (or one of its frames) cannot be read, for the page's warning."""
    if isinstance(error, Image.DecompressionBombError):
        return "bilden är för stor för att läsas"
    return f"bilden går inte att läsa: {type(error).__name__}: {error}"


def frame_count(image: Image.Image) -> int:
    return max(1, int(getattr(image, "n_frames", 1)))


def _frame(image: Image.Image, number: int, max_pixels: int) -> PageImage:
    width, height = image.size
    dpi = _dpi_of(image)
    if width * height > MAX_DECODE_PIXELS:
        return PageImage(number, None, dpi, f"bilden är för stor ({width}×{height} bildpunkter)")
    reduced = width * height > max_pixels
    if reduced and image.format == "JPEG":
        image.draft("L", (width // 2, height // 2))  # decoded at a fraction of its size
    frame = ImageOps.exif_transpose(image) if image.format in ("JPEG", "TIFF") else image
    frame = _flatten(frame)
    if frame.width * frame.height > max_pixels:
        factor = math.sqrt(max_pixels / (frame.width * frame.height))
        dpi = max(1, round(dpi * frame.width * factor / width))
        frame = frame.resize((max(1, int(frame.width * factor)), max(1, int(frame.height * factor))))
    elif frame.width != width and frame.height != height and frame.size != (height, width):
        dpi = max(1, round(dpi * frame.width / width))  # JPEG draft mode decoded it smaller
    return PageImage(number, frame, dpi, reduced=reduced)


def _flatten(image: Image.Image) -> Image.Image:
    """Grayscale on white (transparent areas are paper, not ink)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(paper, rgba)
    return image.convert("L")


def _dpi_of(image: Image.Image) -> int:
    """The resolution an image file declares, 300 when it says nothing plausible."""
    dpi = image.info.get("dpi") or (0,)
    try:
        value = round(float(dpi[0]))
    except (TypeError, ValueError, IndexError):
        return 300
    return value if 70 <= value <= 1200 else 300


def image_cover(data: bytes, number: int) -> float:
    """The share (0-1) of PDF page `number` covered by its largest image (0.0 if unreadable)."""
    with PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except Exception:
            return 0.0
        try:
            page = pdf[number - 1]
            x0, y0, x1, y1 = page.get_mediabox()
            largest = 0.0
            for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
                left, bottom, right, top = obj.get_bounds()
                w = max(0.0, min(right, x1) - max(left, x0))
                h = max(0.0, min(top, y1) - max(bottom, y0))
                largest = max(largest, w * h)
            page.close()
            area = (x1 - x0) * (y1 - y0)
            return largest / area if area > 0 else 0.0
        except Exception:
            return 0.0
        finally:
            pdf.close()


def is_blank(image: Image.Image) -> bool:
    """Next to no ink on the page (an empty back side, a separator sheet)."""
    small = image.reduce(4) if min(image.size) >= 400 else image
    pixels = np.asarray(small)
    return bool((pixels < _INK).mean() < _BLANK_SHARE)


def skew_angle(image: Image.Image) -> float:
    """The angle (degrees, counter-clockwise positive) the text lines are turned by; 0.0 if none.

    Ink pixels of a reduced copy are sheared by each candidate angle and counted per row;
    the angle whose row counts vary most is the text's. Coarse steps of 0.5°, then 0.1°.
    """
    scale = min(1.0, _SKEW_WIDTH / image.width)
    small = image.resize((max(1, int(image.width * scale)), max(1, int(image.height * scale)))) if scale < 1 else image
    ys, columns = np.nonzero(np.asarray(small) < _INK)
    if len(columns) < 200:
        return 0.0
    xs = columns - small.width / 2

    def spread(angle: float) -> float:
        rows = np.round(ys + xs * math.tan(math.radians(angle))).astype(np.int64)
        rows -= rows.min()
        counts = np.bincount(rows)
        return float((counts.astype(np.float64) ** 2).sum())

    coarse = max(np.arange(-_SKEW_MAX, _SKEW_MAX + 0.01, 0.5), key=spread)
    fine = max(np.arange(coarse - 0.5, coarse + 0.51, 0.1), key=spread)
    return round(float(fine), 1)


def deskewed(image: Image.Image) -> tuple[Image.Image, float]:
    """The image with its text lines made horizontal, and the angle corrected (0.0: untouched)."""
    angle = skew_angle(image)
    if abs(angle) < _SKEW_MIN:
        return image, 0.0
    # Lines rising to the right (sheared rows meet at a negative tan) are turned back clockwise.
    return image.rotate(-angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255), angle
