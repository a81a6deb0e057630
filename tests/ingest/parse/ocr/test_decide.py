"""Which pages OCR reads (ingest/parse/ocr/decide.py): the decision is made page by page."""
from ingest.model import Page
from ingest.parse.ocr.decide import AUTO, FORCE, NO_TEXT, OFF, STAMP_ONLY, UNMAPPED, pages_to_read, unusable_share

PROSE = "Kommunstyrelsen beslutar att godkänna förvaltningens förslag till yttrande. " * 5


def _cover(covers: dict[int, float]):
    asked = []

    def cover(number: int) -> float:
        asked.append(number)
        return covers.get(number, 0.0)

    return cover, asked


def test_each_kind_of_page():
    pages = (
        Page(1, PROSE),
        Page(2, "", has_text_layer=False),
        Page(3, "(cid:3)(cid:17)(cid:44)(cid:12) (cid:9)(cid:3) Dnr"),
        Page(4, "KS 2020/123"),  # a stamp on a full-page scan
        Page(5, "Sida 5 av 9"),  # a short page of a born-digital document: no image under it
        Page(6, "", has_text_layer=False, ocr=True),  # read before
        # A screenshot with its caption (260330_badanalys.pdf, Simrishamn, page 3): a figure.
        Page(7, "Hamenhögsbadet (objekt 30402): utfall 2025, och utfall 2026 (till och med 26-03-30, "
                "badsässongen har inte börjat)."),
    )
    cover, asked = _cover({4: 0.98, 7: 0.8})
    assert pages_to_read(pages, AUTO, cover) == {2: NO_TEXT, 3: UNMAPPED, 4: STAMP_ONLY}
    assert asked == [4, 5]  # the cover is asked only where the text is short


def test_modes():
    pages = (Page(1, PROSE), Page(2, "", has_text_layer=False))
    assert pages_to_read(pages, OFF, lambda n: 1.0) == {}
    assert pages_to_read(pages, FORCE, lambda n: 0.0) == {1: "forced", 2: "forced"}


def test_unusable_share():
    assert unusable_share(PROSE) == 0.0
    assert unusable_share("Arabiska: مرحبا بكم") == 0.0  # another script is still writing
    assert unusable_share("\ufffd\ufffd ab") == 0.5
    assert unusable_share("\ue000\ue001\ue002 abcdefg") == 0.3
    assert unusable_share("") == 0.0
