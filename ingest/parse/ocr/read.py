"""Parse stage, OCR: a parsed PDF or image file → the same ParsedDocument with its scanned pages read.

The step after the format's parser (registry.parse): it decides page by page which pages have
no usable text layer (ocr_decide), renders them with PDFium or takes the image file's frames
(ocr_images), straightens them and reads them with Tesseract (ocr_engine). Each page read
records `ocr=True` and the mean confidence; a page that cannot be read (too slow, broken, too
many pages) keeps what it had, and the document's warnings name it. Pages already read by OCR
(a cached parse) are not read again.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from ingest.model import Page, ParsedDocument
from ingest.parse import mediatype
from ingest.parse.ocr.decide import AUTO, MODES, NO_TEXT, OFF, STAMP_ONLY, pages_to_read
from ingest.parse.ocr.engine import OcrFailure, OcrUnavailable, read_image
from ingest.parse.ocr.images import PageImage, deskewed, image_frames, is_blank, pdf_page_images
from ingest.parse.pdf.parse import NO_TEXT_LAYER, join_hyphenated, pages_label

OCR_TYPES = (mediatype.PDF, *mediatype.IMAGES)
_LANGUAGES = re.compile(r"^[a-z][a-z_]{2,}(?:\+[a-z][a-z_]{2,})*$")
OCR_WARNING = "OCR"  # what OCR's warnings start with (the run's summary lists them per file)


@dataclass(frozen=True)
class OcrSettings:
    """How pages without a usable text layer are read (README, "OCR"). Built once by the command line."""

    mode: str = AUTO  # auto: pages without a usable text layer; force: every page; off: none
    languages: str = "swe"  # Tesseract's language data
    dpi: int = 300  # the resolution PDF pages are rendered at (benchmarks/ocr.py: 200 vs 300)
    page_timeout: float = 60.0  # seconds one page may take; then Tesseract is killed
    max_pages: int = 500  # pages read per document; the rest are named in a warning
    max_pixels: int = 36_000_000  # largest page image handed to Tesseract (A2 at 300 dpi)
    deskew: bool = True

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"OCR-läget måste vara ett av {', '.join(MODES)}, inte {self.mode!r}")
        if not _LANGUAGES.match(self.languages):
            raise ValueError(f"OCR-språk anges som Tesseracts koder med +, t.ex. swe+eng, inte {self.languages!r}")


def ocr_document(parsed: ParsedDocument, data: bytes, settings: OcrSettings,
                 on_page: Callable[[], None] | None = None) -> ParsedDocument:
    """`parsed` with the pages that need it read by OCR; `on_page()` after each page read."""
    if settings.mode == OFF or parsed.media_type not in OCR_TYPES:
        return parsed
    if parsed.media_type == mediatype.PDF:
        todo = pages_to_read(parsed.pages, settings.mode, _image_cover_function(data))
    else:  # an image file: every frame is a page without a text layer
        todo = {p.number: NO_TEXT for p in parsed.pages if not p.ocr}
    if not todo:
        return parsed
    numbers = sorted(todo)
    skipped = numbers[settings.max_pages:]
    numbers = numbers[: settings.max_pages]
    pages = {p.number: p for p in parsed.pages}
    problems: list[str] = []
    for image in _images(parsed.media_type, data, numbers, settings):
        try:
            page, problem = _read_page(pages[image.number], image, todo[image.number], settings)
        except OcrUnavailable as e:
            problems.append(f"{OCR_WARNING} kunde inte göras: {e}")
            break
        pages[image.number] = page
        if problem:
            problems.append(f"{OCR_WARNING}, sida {image.number}: {problem}")
        if on_page is not None:
            on_page()
    if skipped:
        problems.append(f"{OCR_WARNING}: {pages_label(skipped)} lästes inte (högst {settings.max_pages} sidor per dokument)")
    result = tuple(pages[p.number] for p in parsed.pages)
    return replace(parsed, pages=result, warnings=_warnings(parsed.warnings, result, problems))


def _images(media_type: str, data: bytes, numbers: list[int], settings: OcrSettings) -> Iterator[PageImage]:
    if media_type == mediatype.PDF:
        yield from pdf_page_images(data, numbers, settings.dpi, settings.max_pixels)
        return
    wanted = set(numbers)
    for image in image_frames(data, settings.max_pixels, last=max(numbers)):
        if image.number in wanted:
            yield image


def _read_page(page: Page, image: PageImage, why: str, settings: OcrSettings) -> tuple[Page, str | None]:
    """The page as OCR read it, and a problem to tell (None when all went well)."""
    if image.image is None:
        return page, image.problem
    if is_blank(image.image):  # read, and nothing there: not a page without its text
        return replace(page, text="", ocr=True, confidence=None), None
    try:
        reading = read_image(image.image, settings.languages, image.dpi, settings.page_timeout,
                             prepare=_straightened if settings.deskew else _as_is)
    except OcrUnavailable:
        raise
    except OcrFailure as e:
        return page, str(e)
    text = join_hyphenated(reading.text).strip()
    if why == STAMP_ONLY and len(text.split()) <= len(page.text.split()):
        return page, None  # the text layer says as much as the image: keep it
    problem = f"lästes i lägre upplösning ({image.dpi} dpi): sidan är mycket stor" if image.reduced else None
    return replace(page, text=text, ocr=True, confidence=_rounded(reading.confidence)), problem


def _straightened(image):
    return deskewed(image)[0]


def _as_is(image):
    return image


def _rounded(confidence: float | None) -> float | None:
    return None if confidence is None else round(confidence, 3)


def _warnings(before: tuple[str, ...], pages: tuple[Page, ...], problems: list[str]) -> tuple[str, ...]:
    """The parser's warnings with "no text layer" told anew for the pages still without text."""
    kept = [w for w in before if not w.endswith(NO_TEXT_LAYER)]
    empty = [p.number for p in pages if not p.has_text_layer and not p.ocr]
    if empty:
        kept.append(f"{pages_label(empty)} {NO_TEXT_LAYER}")
    return tuple(kept + problems)


def _image_cover_function(data: bytes) -> Callable[[int], float]:
    """page number → the share of the page its largest image covers (PDFium, opened on first use)."""
    from ingest.parse.ocr.images import image_cover

    return lambda number: image_cover(data, number)
