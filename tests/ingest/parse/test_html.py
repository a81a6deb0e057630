"""Tests for ingest/parse/html.py: real municipal and government pages, charsets, broken markup."""
import pytest

from ingest.model import ParseError
from ingest.parse.html import page_title, parse_html

BOTKYRKA = "real/botkyrka-seniorbot/Äldreomsorg - Botkyrka kommun.html"
REGERINGEN = "real/ferenda/dirregeringen/downloaded/2016/15/index.html"
RKRATTSBASER = "real/ferenda/dirtrips/downloaded/2005/96.html"


def test_cookie_banner_hidden_text_and_skip_links_are_dropped(corpus):
    html = (corpus / BOTKYRKA).read_text(encoding="utf-8")
    junk = (
        '<div id="cookie-consent" class="cookiebar"><p>Vi använder kakor (cookies) för att '
        "webbplatsen ska fungera.</p><button>Godkänn alla kakor</button></div>"
        '<a href="#content" class="skip">Hoppa till innehållet</a>'
        '<div hidden>Dold text</div><p style="display: none">Osynlig text</p>'
        '<span class="sr-only">Endast skärmläsare</span>'
    )
    anchor = '<p class="sv-font-ingress">Här hittar du allt'  # inside <main>
    assert html.count(anchor) == 1
    doc = parse_html(html.replace(anchor, junk + anchor).encode("utf-8"))
    for text in ("kakor", "Godkänn", "Hoppa till innehållet", "Dold text", "Osynlig text", "skärmläsare"):
        assert text not in doc.text
    assert "Här hittar du allt om boenden, hemtjänst" in doc.text


def test_old_page_without_main_uses_its_content_container(parse_corpus):
    doc = parse_corpus(RKRATTSBASER)  # Regeringskansliets rättsdatabaser: divs, no <main>
    assert "Beslut vid regeringssammanträde den 1 september 2005." in doc.text
    # The text sits in one div with blank lines between paragraphs: they stay paragraphs.
    assert "\nSammanfattning av uppdraget\n" in doc.text
    assert "Författningsregister" not in doc.text  # the site menu above the content


def _as_cp1252(html: str, meta: str | None) -> bytes:
    html = html.replace('<meta charset="utf-8" />', meta or "", 1)
    return html.encode("cp1252", errors="xmlcharrefreplace")


@pytest.mark.parametrize(
    "meta, http",
    [
        ('<meta charset="windows-1252" />', None),
        ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">', None),
        (None, None),  # no declaration: detected
        ('<meta charset="utf-8" />', None),  # a wrong declaration: detected
        ('<meta charset="utf-8" />', "windows-1252"),  # HTTP says better than the page
    ],
)
def test_windows_1252_page_keeps_swedish_letters(corpus, meta, http):
    original = (corpus / REGERINGEN).read_text(encoding="utf-8")
    assert '<meta charset="utf-8" />' in original
    doc = parse_html(_as_cp1252(original, meta), declared_charset=http)
    assert doc.title == "Dataskyddsförordningen"
    assert "Ansvarig: Justitiedepartementet, Regeringen" in doc.text
    assert "en ändamålsenlig och välbalanserad kompletterande nationell reglering" in doc.text
    assert "I uppdraget ingår inte att överväga eller lämna förslag till grundlagsändringar." in doc.text
    assert "Ã" not in doc.text and "\ufffd" not in doc.text


def test_declared_http_charset_wins_over_meta():
    html = '<html><head><meta charset="windows-1252"><title>Åtgärd</title></head><body><p>Kö för äldreboende</p></body></html>'
    doc = parse_html(html.encode("utf-8"), declared_charset="utf-8")
    assert doc.title == "Åtgärd" and doc.text == "Kö för äldreboende"


def test_truncated_page_still_parses(corpus):
    data = (corpus / BOTKYRKA).read_bytes()
    start = data.index(b"<main")
    doc = parse_html(data[: start + 6000])
    assert "Här hittar du allt om boenden" in doc.text


def test_broken_markup_is_read_as_a_browser_would():
    html = "<html><body><div><p>Första stycket <b>fet<p>Andra stycket<ul><li>ett<li>två</ul><table><tr><td>a<td>b"
    doc = parse_html(html.encode("utf-8"))
    assert doc.text == "Första stycket fet\nAndra stycket\nett\ntvå\n| a | b |"


def test_blocks_lists_tables_and_headings():
    html = """<html><head><title>Sammanträde | Kommunen</title>
    <meta property="article:published_time" content="2024-02-01T09:00:00+01:00"></head><body>
    <nav><a href="/">Start</a></nav><main><h1>Sammanträde</h1><p>Nämnden   sammanträder
    i <a href="#">Rådhuset</a>.<br>Kl. 9.00</p><h2>Ärenden</h2>
    <table><caption>Ärendelista</caption><tr><th>Ärende</th><th>Dnr</th></tr>
    <tr><td>Bygglov</td><td>BN 2024/1</td></tr><tr><td></td><td>BN 2024/2</td></tr></table>
    <ol><li>Val av justerare</li><li>Övrigt</li></ol><h4>Not</h4><pre>rad 1
  rad 2</pre></main><footer>Kontakt</footer></body></html>"""
    doc = parse_html(html.encode("utf-8"))
    assert doc.text == (
        "Sammanträde\nNämnden sammanträder i Rådhuset.\nKl. 9.00\nÄrenden\nÄrendelista\n"
        "| Ärende | Dnr |\n| Bygglov | BN 2024/1 |\n|  | BN 2024/2 |\nVal av justerare\nÖvrigt\nNot\nrad 1\n  rad 2"
    )
    assert doc.headings == ("Sammanträde", "Ärenden")
    assert doc.title == "Sammanträde"
    assert doc.date == "2024-02-01"
    assert [p.number for p in doc.pages] == [1]


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n ",
        "<html><head><title>Tom sida</title><script>var a = 1;</script></head><body> </body></html>",
        "<html><body><nav>Meny</nav><footer>Sidfot</footer></body></html>",
    ],
)
def test_page_without_text_is_empty(html):
    with pytest.raises(ParseError) as e:
        parse_html(html.encode("utf-8"))
    assert (e.value.reason, e.value.message) == ("empty", "HTML-sidan innehåller ingen text")


@pytest.mark.parametrize(
    "raw, og, headings, title",
    [
        ("Äldreomsorg - Botkyrka kommun", None, ["Äldreomsorg"], "Äldreomsorg"),
        ("Dataskyddsförordningen - Regeringen.se", None, ["Dataskyddsförordningen ID-nummer: Dir. 2016:15"], "Dataskyddsförordningen"),
        ("Hemliga tvångsmedel (Proposition 2022/23:126) | Sveriges riksdag", None, ["Hemliga tvångsmedel"], "Hemliga tvångsmedel (Proposition 2022/23:126)"),
        ("Ansök - Bygglov - Kommunen", None, ["Ansök - Bygglov"], "Ansök - Bygglov"),
        ("Plan- och bygglagen - en översikt", None, ["Något helt annat"], "Plan- och bygglagen - en översikt"),
        ("Nyheter | Kommunen", "Nyheter", [], "Nyheter"),
        ("", "Från og:title", ["Rubrik"], "Från og:title"),
        ("", None, ["Rubrik"], "Rubrik"),
        ("", None, [], None),
    ],
)
def test_page_title(raw, og, headings, title):
    assert page_title(raw, og, headings) == title


def test_deeply_nested_unclosed_tags_do_not_overflow():
    html = "<html><body><main><p>Början</p>" + "<div><font>" * 3000 + "Djupt inne</main>"
    doc = parse_html(html.encode("utf-8"))
    assert doc.text == "Början\nDjupt inne"


def test_a_dnr_column_in_an_html_table_is_read_as_labelled():
    from ingest.extract import dnr

    html = """<html><body><main><h1>Kallelse</h1><table>
    <tr><th></th><th>Ärende</th><th>Beteckning</th></tr>
    <tr><td>1.</td><td>Årsredovisning 2023</td><td>2024-00013</td></tr>
    <tr><td>2.</td><td>Val av justerare</td><td></td></tr>
    <tr><td>3.</td><td>Intern kontroll</td><td>2024-00015</td></tr></table></main></body></html>"""
    text = parse_html(html.encode("utf-8")).text
    assert [m.canonical for m in dnr.find(text) if m.labelled] == ["2024-00013", "2024-00015"]
