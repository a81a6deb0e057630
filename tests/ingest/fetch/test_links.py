"""Listing pages (ingest/fetch/links.py): links with their text and the headings above them."""
from ingest.fetch.links import page_links

BASE = "https://www.simrishamn.se/politik/moten/"


def links(html: str, base: str = BASE):
    return page_links(html.encode("utf-8"), base)


def test_headings_in_force_at_each_link():
    found = links("""<h1>Sammanträden</h1>
        <h2>Samhällsplaneringsnämnden 2024-04-25</h2><h3>Protokoll</h3>
        <a href="/files/spn-protokoll.pdf">Protokoll SPn april 2024 (pdf, 2,4 MB)</a>
        <h3>Kallelse</h3><p><a href="kallelse.pdf">Kallelse</a></p>
        <h2>Kommunstyrelsen 2020-11-04</h2><a href="ks.pdf">Protokoll</a>""")
    assert [(l.url, l.text, l.headings) for l in found] == [
        ("https://www.simrishamn.se/files/spn-protokoll.pdf", "Protokoll SPn april 2024 (pdf, 2,4 MB)",
         ("Sammanträden", "Samhällsplaneringsnämnden 2024-04-25", "Protokoll")),
        (BASE + "kallelse.pdf", "Kallelse", ("Sammanträden", "Samhällsplaneringsnämnden 2024-04-25", "Kallelse")),
        (BASE + "ks.pdf", "Protokoll", ("Sammanträden", "Kommunstyrelsen 2020-11-04")),
    ]


def test_one_link_per_url_keeping_a_text():
    found = links('<a href="a.pdf"><img src="pdf.png"></a> <a href="a.pdf#sida=2">Budget 2025</a>'
                  '<a href="b.pdf"><img alt="Taxa 2025" src="x.png"></a>')
    assert [(l.url.rsplit("/", 1)[1], l.text) for l in found] == [("a.pdf", "Budget 2025"), ("b.pdf", "Taxa 2025")]


def test_no_fragments_mail_javascript_or_nofollow():
    found = links('<a href="#top">Upp</a><a href="mailto:a@b.se">Mejla</a><a href="javascript:void(0)">x</a>'
                  '<a rel="nofollow" href="logga-in">Logga in</a><a href="tel:+4641481000">Ring</a><a href="ok.html">OK</a>')
    assert [l.url for l in found] == [BASE + "ok.html"]
    assert links('<meta name="robots" content="noindex, nofollow"><a href="ok.html">OK</a>') == []


def test_base_href_and_aria_headings():
    found = links('<base href="https://www.simrishamn.se/arkiv/"><div role="heading" aria-level="2">Budget</div>'
                  '<a href="budget.pdf">Budget</a>')
    assert found[0].url == "https://www.simrishamn.se/arkiv/budget.pdf" and found[0].headings == ("Budget",)


def test_encoding_and_junk():
    latin = "<h2>Kommunfullmäktige</h2><a href='p.pdf'>Protokoll</a>".encode("windows-1252")
    assert page_links(latin, BASE, "windows-1252")[0].headings == ("Kommunfullmäktige",)
    assert page_links(b"", BASE) == [] and page_links(b"\x00\x01 not html", BASE) == []
