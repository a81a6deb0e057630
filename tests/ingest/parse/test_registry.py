"""Tests for ingest/parse/registry.py: the registry, empty input, and errors turned into ParseError."""
import pytest

from ingest.model import ParseError
from ingest.parse import mediatype
from ingest.parse import registry as parse_module
from ingest.parse.registry import PARSERS, parse


def test_every_sniffed_type_has_a_parser():
    assert set(PARSERS) == {mediatype.PDF, mediatype.HTML, mediatype.DOCX, mediatype.TEXT, mediatype.MARKDOWN,
                            *mediatype.IMAGES}


@pytest.mark.parametrize(
    "relative, media_type",
    [
        ("real/gotland-figotland/vegetabilisk_kost_som_grund_i_skolbespisningen.pdf", mediatype.PDF),
        ("real/ferenda/dirregeringen/downloaded/2017/29/index.html", mediatype.HTML),
        ("real/ferenda/proptrips/downloaded/2012-13/144/index.docx", mediatype.DOCX),
        ("real/gotland-figotland/2016-09-27-rapport-fran-fullmaktige.markdown", mediatype.MARKDOWN),
        ("seeds/003_b7aafb99961ad059.txt", mediatype.TEXT),
    ],
)
def test_dispatch_by_media_type(parse_corpus, relative, media_type):
    doc = parse_corpus(relative)
    assert doc.media_type == media_type
    assert doc.pages and doc.pages[0].text


def test_declared_charset_reaches_the_html_parser():
    html = "<html><head><meta charset='utf-8'><title>Kö</title></head><body><p>Äldreboende</p></body></html>"
    assert parse(html.encode("cp1252"), "sida.html", declared_charset="windows-1252").text == "Äldreboende"


def test_empty_input():
    with pytest.raises(ParseError) as e:
        parse(b"", "protokoll.pdf")
    assert (e.value.reason, e.value.message) == ("empty", "Filen är tom (0 byte)")


def test_unexpected_error_becomes_corrupt(monkeypatch):
    def broken(data, charset, limits):
        raise ValueError("oväntat")

    monkeypatch.setitem(parse_module.PARSERS, mediatype.TEXT, broken)
    with pytest.raises(ParseError) as e:
        parse(b"hej", "a.txt")
    assert (e.value.reason, e.value.message) == ("corrupt", "Kunde inte läsa filen: ValueError: oväntat")


def test_unsupported_format_is_reported():
    with pytest.raises(ParseError) as e:
        parse(b"GIF89a" + bytes(40), "karta.gif")
    assert e.value.reason == "unsupported"


def test_a_broken_image_is_corrupt():
    with pytest.raises(ParseError) as e:
        parse(b"\x89PNG\r\n\x1a\n" + bytes(40), "karta.png")
    assert e.value.reason == "corrupt"
