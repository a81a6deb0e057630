"""Parse stage entry point: sniff the media type, hand the bytes to its parser, then OCR what needs it."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

from ingest.model import ParsedDocument, ParseError
from ingest.parse import mediatype
from ingest.parse.docx import parse_docx
from ingest.parse.html import parse_html
from ingest.parse.image import parse_image
from ingest.parse.limits import ParseLimits
from ingest.parse.ocr.read import OcrSettings, ocr_document
from ingest.parse.pdf.parse import parse_pdf
from ingest.parse.text import parse_text


def _parse_image(kind: str, data: bytes, charset: str | None, limits: ParseLimits) -> ParsedDocument:
    return parse_image(data, kind)


# media type → parser(data, declared_charset, limits); the charset only matters for text formats.
PARSERS: dict[str, Callable[[bytes, str | None, ParseLimits], ParsedDocument]] = {
    mediatype.PDF: lambda data, charset, limits: parse_pdf(data, limits=limits),
    mediatype.HTML: lambda data, charset, limits: parse_html(data, charset, limits=limits),
    mediatype.DOCX: lambda data, charset, limits: parse_docx(data, limits=limits),
    mediatype.TEXT: lambda data, charset, limits: parse_text(data, markdown=False),
    mediatype.MARKDOWN: lambda data, charset, limits: parse_text(data, markdown=True),
    **{kind: partial(_parse_image, kind) for kind in mediatype.IMAGES},
}


def parse(data: bytes, filename: str, declared_charset: str | None = None,
          ocr: OcrSettings | None = None, on_page: Callable[[], None] | None = None,
          limits: ParseLimits | None = None) -> ParsedDocument:
    """Text and format metadata of a file, or ParseError with a message for the user.

    `filename` is only a hint (its extension); `declared_charset` is what HTTP said; `limits`
    bound what the file may unpack to (pages, bytes, nesting). With `ocr` (the pipeline's
    settings), pages without a usable text layer are read by OCR, `on_page()` called after each;
    without it nothing is read from images.
    """
    if not data:
        raise ParseError("empty", "Filen är tom (0 byte)")
    media_type = mediatype.sniff(data, filename)
    try:
        parsed = PARSERS[media_type](data, declared_charset, limits or ParseLimits())
    except (ParseError, MemoryError):  # a MemoryError is the worker's limit (pipeline/workers.py)
        raise
    except RecursionError:
        raise ParseError("too-deep", "Filen är för djupt nästlad för att läsas") from None
    except Exception as e:  # a parser bug or a file no library expected: never crash the caller
        raise ParseError("corrupt", f"Kunde inte läsa filen: {type(e).__name__}: {e}") from e
    return with_ocr(parsed, data, ocr, on_page)


def with_ocr(parsed: ParsedDocument, data: bytes, ocr: OcrSettings | None,
             on_page: Callable[[], None] | None = None) -> ParsedDocument:
    """`parsed` (fresh, or cached for these bytes) with the pages OCR should read read."""
    if ocr is None:
        return parsed
    try:
        return ocr_document(parsed, data, ocr, on_page)
    except Exception as e:  # an OCR bug must not lose the text the parser found
        return ParsedDocument(parsed.media_type, parsed.pages, parsed.title, parsed.date, parsed.headings,
                              (*parsed.warnings, f"OCR misslyckades: {type(e).__name__}: {e}"))
