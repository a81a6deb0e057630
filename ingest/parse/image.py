"""Parse stage, image files: PNG, JPEG and TIFF → a ParsedDocument of empty pages, one per frame.

An image has no text layer: each frame (a multi-page TIFF has many) becomes a page with
`has_text_layer=False`, which the OCR step (ingest/parse/ocr/read.py) reads. Nothing is decoded
here but the header, so a broken or enormous file is told apart cheaply.
"""
from __future__ import annotations

import warnings

from PIL import Image, UnidentifiedImageError

from ingest.model import Page, ParsedDocument, ParseError
from ingest.parse.ocr.images import MAX_DECODE_PIXELS, frame_count, open_image
from ingest.parse.pdf.parse import NO_TEXT_LAYER, pages_label


def parse_image(data: bytes, media_type: str) -> ParsedDocument:
    """One page without text per frame; ParseError when the file is no readable image."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = open_image(data)
            frames = frame_count(image)
        except Image.DecompressionBombError as e:
            raise ParseError("corrupt", f"Bilden är för stor för att läsas (sida 1): {e}") from e
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as e:
            raise ParseError("corrupt", f"Bildfilen är trasig eller ofullständig: {e}") from e
    width, height = image.size
    if width * height > MAX_DECODE_PIXELS and frames == 1:
        raise ParseError("corrupt", f"Bilden är för stor för att läsas (sida 1: {width}×{height} bildpunkter)")
    pages = tuple(Page(n, "", has_text_layer=False) for n in range(1, frames + 1))
    return ParsedDocument(media_type, pages, warnings=(f"{pages_label(list(range(1, frames + 1)))} {NO_TEXT_LAYER}",))
