"""Parse stage entry point: sniff the media type and hand the bytes to its parser."""
from __future__ import annotations

from collections.abc import Callable

from ingest.model import ParsedDocument, ParseError
from ingest.parse import mediatype
from ingest.parse.docx import parse_docx
from ingest.parse.html import parse_html
from ingest.parse.pdf import parse_pdf
from ingest.parse.text import parse_text

# media type → parser(data, declared_charset); the charset only matters for text formats.
PARSERS: dict[str, Callable[[bytes, str | None], ParsedDocument]] = {
    mediatype.PDF: lambda data, charset: parse_pdf(data),
    mediatype.HTML: lambda data, charset: parse_html(data, charset),
    mediatype.DOCX: lambda data, charset: parse_docx(data),
    mediatype.TEXT: lambda data, charset: parse_text(data, markdown=False),
    mediatype.MARKDOWN: lambda data, charset: parse_text(data, markdown=True),
}


def parse(data: bytes, filename: str, declared_charset: str | None = None) -> ParsedDocument:
    """Text and format metadata of a file, or ParseError with a message for the user.

    `filename` is only a hint (its extension); `declared_charset` is what HTTP said.
    """
    if not data:
        raise ParseError("empty", "Filen är tom (0 byte)")
    media_type = mediatype.sniff(data, filename)
    try:
        return PARSERS[media_type](data, declared_charset)
    except ParseError:
        raise
    except Exception as e:  # a parser bug or a file no library expected: never crash the caller
        raise ParseError("corrupt", f"Kunde inte läsa filen: {type(e).__name__}: {e}") from e
