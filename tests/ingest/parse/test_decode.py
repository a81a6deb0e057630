"""Tests for ingest/parse/decode.py: byte-order marks, declarations, detection, normalisation."""
import codecs

import pytest

from ingest.parse.decode import decode_text

SWEDISH = "Kommunstyrelsen beslutar att återremittera ärendet om äldreomsorg – se § 12, ”Öppna jämförelser”.\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (codecs.BOM_UTF8 + SWEDISH.encode("utf-8"), "utf-8"),
        (SWEDISH.encode("utf-16"), "utf-16-le"),  # Python writes a little-endian BOM
        (codecs.BOM_UTF16_BE + SWEDISH.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + SWEDISH.encode("utf-32-le"), "utf-32-le"),
    ],
)
def test_byte_order_mark_wins(data, encoding):
    assert decode_text(data, declared="iso-8859-1") == (SWEDISH, encoding)


@pytest.mark.parametrize("codec", ["cp1252", "utf-8", "utf-16-le"])
def test_undeclared_swedish_text(codec):
    assert decode_text(SWEDISH.encode(codec)) == (SWEDISH, codec)


def test_latin1_text_reads_as_windows_1252():
    text, encoding = decode_text("Färdtjänst och ledsagning för äldre i Åre".encode("latin-1"))
    assert (text, encoding) == ("Färdtjänst och ledsagning för äldre i Åre", "cp1252")


@pytest.mark.parametrize("codec", ["cp850", "mac-roman"])
def test_old_dos_and_mac_files(codec):
    text = "Socialnämnden beslutar att godkänna förslaget om äldreboende i Örebro"
    assert decode_text(text.encode(codec)) == (text, codec)


def test_declared_charset_is_used():
    assert decode_text("Växjö".encode("iso-8859-15"), declared="ISO-8859-15") == ("Växjö", "iso8859-15")
    assert decode_text("Växjö".encode("cp1252"), declared='"windows-1252"') == ("Växjö", "cp1252")


def test_wrong_or_unknown_declarations_are_survived():
    assert decode_text("Växjö".encode("cp1252"), declared="utf-8") == ("Växjö", "cp1252")
    assert decode_text("Växjö".encode(), declared="iso-8859-1") == ("Växjö", "utf-8")
    assert decode_text("Växjö".encode(), declared="x-no-such-charset") == ("Växjö", "utf-8")


def test_utf8_cut_in_the_middle_of_a_letter():
    data = "Beslut om äldreomsorg i Nässjö".encode()[:-1]
    assert decode_text(data) == ("Beslut om äldreomsorg i Nässj", "utf-8")


def test_utf8_with_one_stray_byte_stays_utf8():
    data = ("Överförmyndarnämnden i Jönköping, Växjö och Östersund. " * 5).encode("utf-8") + b"\xe4"
    text, encoding = decode_text(data)
    assert encoding == "utf-8" and text.startswith("Överförmyndarnämnden i Jönköping")


def test_cp1252_bytes_python_leaves_undefined_pass_through():
    data = "Beslut om äldreomsorg och åtgärder i Örebro".encode("cp1252") + b" \x81"
    assert decode_text(data) == ("Beslut om äldreomsorg och åtgärder i Örebro \x81", "cp1252")


def test_newlines_and_unicode_are_normalised():
    decomposed = "A\u030angermanland o\u0308\r\nrad\rtre"  # Å and ö as letter + combining mark
    text, _ = decode_text(decomposed.encode("utf-8"))
    assert text == "Ångermanland ö\nrad\ntre"
