"""Tests for ingest/parse/text.py: Markdown with front matter, plain text in old encodings."""
import pytest

from ingest.model import ParseError
from ingest.parse.text import front_matter, markdown_lines, parse_text

KUNGSBACKA_KALLELSE = "real/kungsbacka-kommunhandlingar/data/kungsbacka/bygg-au/2024/2024-02-01/kallelse.md"
VEGO = "real/gotland-figotland/2017-02-21-vego-i-skolan-ar-logiskt.markdown"


def test_kungsbacka_front_matter_and_pages(corpus):
    doc = parse_text((corpus / KUNGSBACKA_KALLELSE).read_bytes(), markdown=True)
    assert doc.media_type == "text/markdown"
    assert doc.date == "2024-02-01"  # "datum:" in the front matter
    assert doc.title == "KALLELSE/UNDERRÄTTELSE"  # no title in the front matter: first line
    assert len(doc.pages) == 12  # "sidor: 12" in the front matter, one "<!-- sida N -->" each
    assert doc.pages[0].text.startswith("KALLELSE/UNDERRÄTTELSE\n\nUpprättad\n2024-01-19")
    for gone in ("kommun: kungsbacka", "sha256:", "kalla_url", "kvalitet_per_sida", "<!--", "<br>", "| --- |"):
        assert gone not in doc.text
    # Table rows keep their bars and empty cells (columns line up); <br> in a cell is a space.
    assert "|  | Ärende | Beteckning | Förslag | Tid |\n|  | Val av justerare |" in doc.text
    assert "| 2. | Information från förvaltningschefen | 2024-00003 |  | 10 min |" in doc.text


def test_blog_post_front_matter_title_date_and_links(corpus):
    doc = parse_text((corpus / VEGO).read_bytes(), markdown=True)
    assert doc.title == "Vego i skolan är logiskt!"
    assert doc.date == "2017-02-21"  # "date: 2017-02-21 12:26:00 Z"
    assert doc.text.startswith("I höstas kom rapporten om att vi nu i Sverige lever")
    assert doc.text.endswith("Läs motionen och få mer information här: figotland.se/vego")
    assert "iframe" not in doc.text and "authors:" not in doc.text and "](" not in doc.text


def test_markdown_markup_is_removed():
    lines, headings = markdown_lines(
        "# Riktlinje för **anhörigstöd**\n"
        "Gäller *från* 2025-06-16 enligt [beslut](https://x.se/a) ![logga](l.png).<br/>Ny rad\n"
        "Rubrik i setext-stil\n"
        "-------------------\n"
        "\n---\n\n"
        "> Citat med `kod` och ~~struket~~ &amp; mer\n"
        "- punkt_med_understreck och file_name_here\n"
        "```\n# inte en rubrik\n```\n"
        "| A | B |\n|---|:---:|\n| 1 | 2 |\n"
        "[ref]: https://example.org\n"
    )
    assert lines == [
        "Riktlinje för anhörigstöd",
        "Gäller från 2025-06-16 enligt beslut logga.",
        "Ny rad",
        "Rubrik i setext-stil",
        "",
        "Citat med kod och struket & mer",
        "- punkt_med_understreck och file_name_here",
        "# inte en rubrik",
        "| A | B |",
        "| 1 | 2 |",
    ]
    assert headings == ["Riktlinje för anhörigstöd", "Rubrik i setext-stil"]


def test_front_matter_reader():
    meta, body = front_matter('---\ntitle: "Kallelse"\nrubrik: Annan\ntags:\n- a\n- b\nvideo: <x\n  y>\npublicerad: 2024-01-02\n---\n\nText')
    assert meta == {"title": "Kallelse", "rubrik": "Annan", "video": "<x", "publicerad": "2024-01-02"}
    assert body == "\nText"
    assert front_matter("Text\n---\nmer") == ({}, "Text\n---\nmer")
    assert front_matter("---\nutan slut") == ({}, "---\nutan slut")


def test_swedish_front_matter_keys():
    doc = parse_text("---\nrubrik: Protokoll\ndatum: 2024-05-06\n---\nBrödtext".encode(), markdown=True)
    assert (doc.title, doc.date, doc.text) == ("Protokoll", "2024-05-06", "Brödtext")


@pytest.mark.parametrize(
    "seed, encoding",
    [
        ("001_e51f5a689c1ba08a.txt", "latin-1"),
        ("000_c6a6d7e471c0821b.txt", "cp1252"),  # has – and ”, which latin-1 lacks
        ("004_32a3c4eaa92b937e.txt", "utf-16"),
        ("004_32a3c4eaa92b937e.txt", "utf-8-sig"),
    ],
)
def test_seed_text_in_old_encodings(corpus, seed, encoding):
    original = (corpus / "seeds" / seed).read_text(encoding="utf-8")
    expected = parse_text(original.encode("utf-8"), markdown=False)
    doc = parse_text(original.encode(encoding), markdown=False)
    assert doc.text == expected.text
    assert doc.title == expected.title
    assert any(ch in doc.text for ch in "åäö")


def test_plain_text_title_and_form_feed_pages():
    doc = parse_text("\n\nSvar på motion om PEER support\n\nText.\fSida två".encode("cp1252"), markdown=False)
    assert doc.media_type == "text/plain"
    assert doc.title == "Svar på motion om PEER support"
    assert [p.text for p in doc.pages] == ["\n\nSvar på motion om PEER support\n\nText.".strip("\n"), "Sida två"]
    assert parse_text(("x" * 250 + "\nmer").encode(), markdown=False).title is None


@pytest.mark.parametrize("data, markdown", [(b"", False), (b" \n\t\r\n", False), (b"---\ntitle: Tom\n---\n\n", True)])
def test_empty_text(data, markdown):
    with pytest.raises(ParseError) as e:
        parse_text(data, markdown)
    assert (e.value.reason, e.value.message) == ("empty", "Filen är tom")
