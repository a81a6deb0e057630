"""Parse stage, page count: how many pages a file has, told cheaply before it is parsed.

The ingest's progress is counted in pages (ingest/pipeline/progress.py): a PDF's pages from its
page tree (PDFium, nothing rendered), a TIFF's frames, one page for anything else. A file whose
count cannot be told counts as one page; the parser says what is wrong with it.
"""
from __future__ import annotations

import io

import pypdfium2 as pdfium
from PIL import Image

from ingest.model import ParseError
from ingest.parse import mediatype
from ingest.parse.pdf.fast import PDFIUM_LOCK


def page_count(data: bytes, filename: str) -> int:
    """
    >>> page_count(b"Kommunstyrelsen beslutar", "beslut.txt")
    1
    """
    try:
        media_type = mediatype.sniff(data, filename)
    except ParseError:
        return 1
    try:
        if media_type == mediatype.PDF:
            with PDFIUM_LOCK:
                pdf = pdfium.PdfDocument(data)
                try:
                    return max(1, len(pdf))
                finally:
                    pdf.close()
        if media_type == mediatype.TIFF:
            with Image.open(io.BytesIO(data)) as image:
                return max(1, getattr(image, "n_frames", 1))
    except Exception:  # broken or encrypted: the parser tells
        return 1
    return 1
