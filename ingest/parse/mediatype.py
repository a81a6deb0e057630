"""Parse stage, media type sniffing: magic bytes first, file extension second."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath

from ingest.model import ParseError

PDF = "application/pdf"
HTML = "text/html"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
MARKDOWN = "text/markdown"
PNG, JPEG, TIFF = "image/png", "image/jpeg", "image/tiff"
IMAGES = (PNG, JPEG, TIFF)  # read by OCR (ingest/parse/image.py, ingest/parse/ocr/read.py)

_BY_EXTENSION = {
    ".pdf": PDF,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
    ".docx": DOCX,
    ".txt": TEXT,
    ".text": TEXT,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".mdown": MARKDOWN,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".tif": TIFF,
    ".tiff": TIFF,
}
_IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG), (b"II*\x00", TIFF), (b"MM\x00*", TIFF))

EXTENSIONS = frozenset(_BY_EXTENSION)  # the file extensions of the formats a parser reads

# Formats we recognise but cannot read: (magic prefix, message).
_UNSUPPORTED_MAGIC = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Filen är i ett äldre Office-format (.doc/.xls) som inte stöds; spara den som .docx eller PDF"),
    (b"{\\rtf", "RTF-filer stöds inte; spara filen som .docx eller PDF"),
    (b"GIF8", "Bildfiler (GIF) stöds inte; PNG, JPEG och TIFF läses med OCR"),
    (b"\x1f\x8b", "Komprimerade filer (gzip) stöds inte"),
    (b"7z\xbc\xaf", "Komprimerade filer (7z) stöds inte"),
    (b"Rar!", "Komprimerade filer (rar) stöds inte"),
)
_UNSUPPORTED_EXTENSIONS = {
    ".doc", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".rtf", ".zip",
    ".gif", ".bmp", ".webp", ".heic",
    ".mp3", ".mp4", ".wav", ".exe", ".msg", ".eml",
}
_HTML_START = re.compile(
    rb"^(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)


def sniff(data: bytes, filename: str = "") -> str:
    """The media type of a file we can parse, or ParseError("unsupported", ...).

    >>> sniff(b"%PDF-1.7 ...", "x.bin")
    'application/pdf'
    >>> sniff(b"# Rubrik", "kallelse.md")
    'text/markdown'
    """
    if not data:
        raise ParseError("empty", "Filen är tom (0 byte)")
    extension = _extension(filename)
    head = data[:1024]
    if b"%PDF-" in head:
        return PDF
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _sniff_zip(data, extension)
    for magic, image_type in _IMAGE_MAGIC:
        if data.startswith(magic):
            return image_type
    for magic, message in _UNSUPPORTED_MAGIC:
        if data.startswith(magic):
            raise ParseError("unsupported", message)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise ParseError("unsupported", "Bildfiler (WebP) stöds inte")
    if _HTML_START.match(_ascii_head(head)):
        return HTML
    if extension in _BY_EXTENSION:
        return _BY_EXTENSION[extension]
    if extension in _UNSUPPORTED_EXTENSIONS:
        raise ParseError("unsupported", f"Filtypen {extension} stöds inte")
    if _looks_like_text(data):
        return TEXT
    raise ParseError("unsupported", "Okänt filformat; stöds gör PDF, DOCX, HTML, Markdown och text")


def _extension(filename: str) -> str:
    name = re.split(r"[?#]", filename or "", maxsplit=1)[0]
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def _sniff_zip(data: bytes, extension: str) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        if extension == ".docx":
            return DOCX  # a damaged Word file; the DOCX parser says "trasig"
        raise ParseError("unsupported", "Zip-arkiv stöds inte (och detta verkar trasigt)") from e
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        raise ParseError("unsupported", "Excel-filer (.xlsx) stöds inte")
    if "ppt/presentation.xml" in names:
        raise ParseError("unsupported", "PowerPoint-filer (.pptx) stöds inte")
    if "content.xml" in names:
        raise ParseError("unsupported", "OpenDocument-filer (.odt/.ods) stöds inte; spara som .docx eller PDF")
    raise ParseError("unsupported", "Zip-arkiv som inte är Word-dokument (.docx) stöds inte")


def _ascii_head(head: bytes) -> bytes:
    """The first bytes as ASCII-compatible bytes (UTF-16 HTML has a BOM and NULs)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
    return head.removeprefix(b"\xef\xbb\xbf")


def _looks_like_text(data: bytes) -> bool:
    """No NUL bytes in the first 8 KB (or a UTF-16 byte-order mark)."""
    head = data[:8192]
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head
