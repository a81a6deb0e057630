"""The OCR step (ingest/parse/ocr/read.py) on real scans and on born-digital pages rendered to images."""
import io
import re
from collections import Counter
from dataclasses import replace

import pypdfium2 as pdfium
import pytest
from PIL import Image

from ingest.model import Page, ParsedDocument, ParseError
from ingest.parse.ocr import read as ocr_module
from ingest.parse.ocr.decide import FORCE, OFF
from ingest.parse.ocr.read import OcrSettings, ocr_document
from ingest.parse.registry import parse
from tests.corpus import ROOT

SCANS = ROOT / "tests" / "fixtures" / "scans"
PROTOCOL_SCAN = SCANS / "protokoll-direktionen-2026-03-27-ss620.pdf"
COLUMNS = SCANS / "prop-2022-23-104-page5-columns.pdf"
SPN = ROOT / "samples" / "real" / "simrishamn-lundgren9" / "Protokoll  SPn april 2024_Bortredigerad.pdf"
MOTION = ROOT / "samples" / "real" / "gotland-figotland" / "vegetabilisk_kost_som_grund_i_skolbespisningen.pdf"
WORD = re.compile(r"\w+")
pytestmark = pytest.mark.usefixtures("tesseract")


def recall(truth: str, read: str) -> float:
    """Share of the truth's words (lower case, as a bag) found in what OCR read."""
    want, got = Counter(WORD.findall(truth.lower())), Counter(WORD.findall(read.lower()))
    return sum((want & got).values()) / sum(want.values())


def rendered(path, number: int, dpi: int = 300) -> Image.Image:
    pdf = pdfium.PdfDocument(path.read_bytes())
    return pdf[number - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")


def image_bytes(images: list[Image.Image], kind: str, dpi: int = 300) -> bytes:
    out = io.BytesIO()
    images[0].save(out, kind, save_all=len(images) > 1, append_images=images[1:], dpi=(dpi, dpi))
    return out.getvalue()


def test_a_scanned_protocol_is_read_in_swedish():
    doc = parse(PROTOCOL_SCAN.read_bytes(), PROTOCOL_SCAN.name, ocr=OcrSettings())
    page = doc.pages[0]
    assert page.ocr and not page.has_text_layer
    assert 0.8 <= page.confidence <= 1.0
    for printed in ("Dnr 26/0001-1", "§ 620 Årsredovisning 2025", "2026-03-27", "Direktionen beslutar att godkänna",
                    "INTERNKONTROLLRAPPORT, dnr 26/0005"):
        assert printed in page.text
    assert doc.warnings == ()  # the parser's "saknar textlager" is answered


def test_without_ocr_settings_nothing_is_read():
    doc = parse(PROTOCOL_SCAN.read_bytes(), PROTOCOL_SCAN.name)
    assert doc.pages[0].text == "" and not doc.pages[0].ocr
    assert doc.warnings == ("sida 1 saknar textlager (skannad?)",)
    off = parse(PROTOCOL_SCAN.read_bytes(), PROTOCOL_SCAN.name, ocr=OcrSettings(mode=OFF))
    assert off == doc


def test_only_the_scanned_pages_of_a_born_digital_protocol_are_read(monkeypatch):
    read = []
    real = ocr_module.read_image
    monkeypatch.setattr(ocr_module, "read_image", lambda image, *a, **k: read.append(image.size) or real(image, *a, **k))
    doc = parse(SPN.read_bytes(), SPN.name, ocr=OcrSettings())
    assert [p.number for p in doc.pages if p.ocr] == [17, 25] and len(read) == 2
    note = doc.pages[16].text
    for printed in ("Ärende 13. Kommunens ansvar för underhåll av enskilda vägar", "Gröstorps by",
                    "1993 beslöt fullmäktige att kommunen skulle ha väghållningsansvaret", "Pia Nordström"):
        assert printed in note
    assert doc.pages[15].text == parse(SPN.read_bytes(), SPN.name).pages[15].text  # text layers untouched
    assert not any("saknar textlager" in w for w in doc.warnings)


def test_pages_read_before_are_not_read_again(monkeypatch):
    first = parse(PROTOCOL_SCAN.read_bytes(), PROTOCOL_SCAN.name, ocr=OcrSettings())

    def fail(*args, **kwargs):
        raise AssertionError("read again")

    monkeypatch.setattr(ocr_module, "read_image", fail)
    assert ocr_document(first, PROTOCOL_SCAN.read_bytes(), OcrSettings()) == first


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_born_digital_page_as_an_image_file(kind):
    truth = parse(MOTION.read_bytes(), MOTION.name).pages[0].text
    data = image_bytes([rendered(MOTION, 1)], kind)
    doc = parse(data, f"motion.{kind.lower()}", ocr=OcrSettings())
    assert doc.media_type == f"image/{kind.lower()}"
    assert len(doc.pages) == 1 and doc.pages[0].ocr and not doc.pages[0].has_text_layer
    assert recall(truth, doc.pages[0].text) >= 0.95
    assert doc.warnings == ()


def test_a_multipage_tiff_is_one_document_and_max_pages_names_the_rest():
    truths = [p.text for p in parse(MOTION.read_bytes(), MOTION.name).pages]
    data = image_bytes([rendered(MOTION, 1, 200), rendered(MOTION, 2, 200)], "TIFF", dpi=200)
    doc = parse(data, "motion.tif", ocr=OcrSettings(max_pages=1))
    assert [p.number for p in doc.pages] == [1, 2]
    assert doc.pages[0].ocr and not doc.pages[1].ocr
    assert recall(truths[0], doc.pages[0].text) >= 0.95
    assert "OCR: sida 2 lästes inte (högst 1 sidor per dokument)" in doc.warnings
    assert "sida 2 saknar textlager (skannad?)" in doc.warnings


def test_a_page_set_upside_down_or_sideways_is_turned():
    truth = parse(MOTION.read_bytes(), MOTION.name).pages[0].text
    upright = rendered(MOTION, 1)
    for turn in (90, 180):
        data = image_bytes([upright.rotate(turn, expand=True)], "PNG")
        page = parse(data, "turned.png", ocr=OcrSettings()).pages[0]
        assert recall(truth, page.text) >= 0.95, turn


def test_a_skewed_page_is_straightened():
    from ingest.parse.ocr.images import skew_angle

    truth = parse(MOTION.read_bytes(), MOTION.name).pages[0].text
    skewed = rendered(MOTION, 1).rotate(2.5, expand=True, fillcolor=255, resample=Image.Resampling.BILINEAR)
    assert skew_angle(skewed) == pytest.approx(2.5, abs=0.2)
    page = parse(image_bytes([skewed], "PNG"), "skewed.png", ocr=OcrSettings()).pages[0]
    assert recall(truth, page.text) >= 0.95


def test_two_columns_come_out_in_reading_order():
    """Page 5 of a proposition prints the law in two columns; rendered without its text layer,
    OCR reads the left column before the right one, as the text layer does."""
    data = image_bytes([rendered(COLUMNS, 1)], "PNG")
    text = " ".join(parse(data, "columns.png", ocr=OcrSettings()).pages[0].text.split())
    in_order = ["Personuppgifter får lämnas ut till en utländsk myndighet eller", "riksdagens godkännande.",
                "mottagaren behöver uppgifterna", "Personuppgifter får vidare lämnas ut till en utländsk",
                "Denna lag träder i kraft den 1 augusti 2023."]
    found = [text.find(s) for s in in_order]
    assert -1 not in found and found == sorted(found), found


def test_force_reads_pages_that_have_a_text_layer():
    doc = parse(MOTION.read_bytes(), MOTION.name, ocr=OcrSettings(mode=FORCE, dpi=200))
    plain = parse(MOTION.read_bytes(), MOTION.name)
    assert all(p.ocr for p in doc.pages)
    assert all(recall(a.text, b.text) >= 0.95 for a, b in zip(plain.pages, doc.pages))


def test_a_page_that_takes_too_long_is_named_and_the_rest_is_read(monkeypatch):
    data = image_bytes([rendered(MOTION, 1, 200), rendered(MOTION, 2, 200)], "TIFF", dpi=200)
    real = ocr_module.read_image
    calls = []

    def slow_first(image, languages, dpi, timeout, prepare):
        calls.append(1)
        return real(image, languages, dpi, 0.01 if len(calls) == 1 else timeout, prepare)

    monkeypatch.setattr(ocr_module, "read_image", slow_first)
    doc = parse(data, "slow.tif", ocr=OcrSettings())
    assert not doc.pages[0].ocr and doc.pages[1].ocr
    assert "OCR, sida 1: OCR avbröts efter 0.01 s (tidsgräns per sida)" in doc.warnings


def test_an_enormous_page_is_read_smaller():
    doc = parse(image_bytes([rendered(MOTION, 1, 300)], "PNG"), "big.png", ocr=OcrSettings(max_pixels=3_000_000))
    assert doc.pages[0].ocr
    assert doc.warnings == ("OCR, sida 1: lästes i lägre upplösning (176 dpi): sidan är mycket stor",)


def test_a_broken_image_file_says_so():
    data = image_bytes([rendered(MOTION, 1, 100)], "PNG")
    with pytest.raises(ParseError) as e:
        parse(data[:40], "trasig.png", ocr=OcrSettings())
    assert e.value.reason == "corrupt" and "Bildfilen är trasig" in e.value.message
    truncated = parse(data[: len(data) // 2], "halv.png", ocr=OcrSettings())  # the header reads, the pixels do not
    assert not truncated.pages[0].ocr
    assert any(w.startswith("OCR, sida 1: bilden går inte att läsa") for w in truncated.warnings)


def test_an_image_claiming_enormous_size_is_refused_before_decoding():
    header = image_bytes([Image.new("L", (1, 1), 255)], "PNG")
    # The same PNG with its IHDR saying 40,000 × 40,000 pixels (CRC put right).
    import struct
    import zlib

    ihdr = b"IHDR" + struct.pack(">II", 40_000, 40_000) + header[24:29]
    forged = header[:8] + struct.pack(">I", 13) + ihdr + struct.pack(">I", zlib.crc32(ihdr)) + header[33:]
    with pytest.raises(ParseError) as e:
        parse(forged, "bomb.png", ocr=OcrSettings())
    assert "för stor" in e.value.message and "sida 1" in e.value.message


def test_tesseract_missing_is_a_warning_not_a_failure(monkeypatch):
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    doc = parse(PROTOCOL_SCAN.read_bytes(), PROTOCOL_SCAN.name, ocr=OcrSettings())
    assert doc.pages[0].text == ""
    assert "OCR kunde inte göras: Tesseract är inte installerat (Debian: apt-get install tesseract-ocr)" in doc.warnings


def test_settings_are_checked():
    with pytest.raises(ValueError):
        OcrSettings(mode="sometimes")
    with pytest.raises(ValueError):
        OcrSettings(languages="swe eng; rm")


def test_a_cached_parse_made_without_ocr_is_read_now():
    without = ParsedDocument("application/pdf", (Page(1, "", has_text_layer=False),),
                             warnings=("sida 1 saknar textlager (skannad?)",))
    doc = ocr_document(without, PROTOCOL_SCAN.read_bytes(), OcrSettings())
    assert doc.pages[0].ocr and "§ 620" in doc.pages[0].text and doc.warnings == ()
    assert replace(doc.pages[0], text="") != without.pages[0]
