"""Tests for ingest/parse/mediatype.py: magic bytes first, extension second, clear refusals."""
import io
import zipfile

import pytest

from ingest.model import ParseError
from ingest.parse.mediatype import DOCX, HTML, JPEG, MARKDOWN, PDF, PNG, TEXT, TIFF, sniff


def _zip(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in names:
            z.writestr(name, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    "data, filename, media_type",
    [
        (b"%PDF-1.7\n...", "protokoll.pdf", PDF),
        (b"%PDF-1.4\n...", "", PDF),
        (b"\r\n%PDF-1.4\n", "download?id=3", PDF),  # junk before the header is allowed
        (b"%PDF-1.4\n...", "felnamn.docx", PDF),  # the bytes decide
        (_zip("[Content_Types].xml", "word/document.xml"), "utlatande.docx", DOCX),
        (_zip("[Content_Types].xml", "word/document.xml"), "utan-filandelse", DOCX),
        (b"<!DOCTYPE html>\n<html lang='sv'>", "sida", HTML),
        (b"\xef\xbb\xbf  <html><body>x", "x.txt", HTML),
        (b"<?xml version='1.0'?>\n<!-- c --><html xmlns='http://www.w3.org/1999/xhtml'>", "a", HTML),
        ("<html><body>x".encode("utf-16"), "a", HTML),
        (b"<p>fragment</p>", "fragment.html", HTML),  # no doctype: the extension says HTML
        (b"# Kallelse\n", "kallelse.md", MARKDOWN),
        (b"---\ntitle: x\n---\n", "inlagg.markdown", MARKDOWN),
        (b"Protokoll\n", "protokoll.txt", TEXT),
        (b"Protokoll\n", "protokoll", TEXT),  # text without an extension
        ("Protokoll".encode("utf-16"), "protokoll.dat", TEXT),
        (b"not a zip", "trasig.docx", DOCX),  # the DOCX parser says "trasig"
        (b"PK\x03\x04 cut short", "trasig.docx", DOCX),
        (b"\x89PNG\r\n\x1a\n" + bytes(20), "karta.png", PNG),  # images are read by OCR
        (b"\xff\xd8\xff\xe0" + bytes(20), "foto", JPEG),
        (b"II*\x00" + bytes(20), "skanning.tif", TIFF),
        (b"MM\x00*" + bytes(20), "skanning.bin", TIFF),
    ],
)
def test_sniff(data, filename, media_type):
    assert sniff(data, filename) == media_type


@pytest.mark.parametrize(
    "data, filename, words",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "gammal.doc", ".doc"),
        (b"GIF89a" + bytes(20), "karta.gif", "GIF"),
        (b"RIFF\x00\x00\x00\x00WEBP" + bytes(20), "foto.webp", "WebP"),
        (_zip("xl/workbook.xml"), "budget.xlsx", "Excel"),
        (_zip("content.xml", "mimetype"), "beslut.odt", "OpenDocument"),
        (_zip("a.txt"), "bilagor.zip", "Zip-arkiv"),
        (b"PK\x03\x04 cut short", "bilagor.zip", "Zip-arkiv"),
        (b"{\\rtf1\\ansi", "brev.rtf", "RTF"),
        (b"abc", "tabell.xls", ".xls"),
        (b"\x00\x01\x02binary", "okand.bin", "Okänt filformat"),
    ],
)
def test_unsupported(data, filename, words):
    with pytest.raises(ParseError) as e:
        sniff(data, filename)
    assert e.value.reason == "unsupported"
    assert words in e.value.message


def test_empty():
    with pytest.raises(ParseError) as e:
        sniff(b"", "tom.pdf")
    assert e.value.reason == "empty"
