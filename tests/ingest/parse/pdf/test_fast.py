"""Tests for ingest/parse/pdf/fast.py: PDFium's pages read as pdfplumber reads them, on real PDFs."""
import difflib
from concurrent.futures import ThreadPoolExecutor

import pdfplumber
import pypdfium2 as pdfium
import pytest

from ingest.parse.pdf.fast import COLUMNS, UNMAPPED, dropped_spaces, page_chars, read_page
from ingest.parse.pdf.parse import PDFIUM, parse_pdf, parse_pdf_routed
from tests.ingest.parse.pdf.test_parse import _pdf

SIMRISHAMN = "real/simrishamn-lundgren9/Protokoll  SPn april 2024_Bortredigerad.pdf"
PROP_104 = "real/riksdagen-gco/bill_text_prop_202223__104.pdf"
PROP_105 = "real/riksdagen-gco/bill_text_prop_202223__105.pdf"
PROP_2005_06_74 = "real/riksdagen-gco/bill_text_prop_2005_06_74.pdf"
DIR_2016_15 = "real/ferenda/dirregeringen/downloaded/2016/15/dir.-201615-dataskyddsforordningen.pdf"
NFS_2007_10 = "real/ferenda/nfs/downloaded/konsolidering-nfs-2007/10/index.pdf"
AFS_2011_19 = "real/ferenda/afs/downloaded/konsolidering-afs-2011/19/index.pdf"
GOTLAND = "real/gotland-figotland/vegetabilisk_kost_som_grund_i_skolbespisningen.pdf"
BUDGET = "real/simrishamn-lundgren9/Budgetskrivelse_investeringar_2027-2031.pdf"

# What each document exercises on the fast path, beside plain running text.
SAME_WORDS = {
    SIMRISHAMN: "running heads, page numbers, signature stamps at 90°, scanned pages",
    DIR_2016_15: "hyphenated line ends (PDFium marks the hyphen U+FFFE), italics",
    NFS_2007_10: "ligatures (PDFium splits ﬁ into f, i), a CropBox inside the MediaBox",
    PROP_2005_06_74: "table of contents (dot leaders after space-only text objects), a 1 pt space",
    PROP_105: "table of contents",
    GOTLAND: "a two-page motion",
}


@pytest.fixture(scope="module")
def both_ways(corpus):
    """both_ways("real/x.pdf") → (fast document, routes, pdfplumber-only document), cached."""
    cache = {}

    def get(relative: str):
        if relative not in cache:
            data = (corpus / relative).read_bytes()
            cache[relative] = (*parse_pdf_routed(data, fast=True), parse_pdf(data, fast=False))
        return cache[relative]

    return get


def _fast_pages(doc, routes, reference):
    """(page number, fast text, pdfplumber text) for every page PDFium read."""
    pages = zip(doc.pages, reference.pages, routes)
    return [(p.number, p.text, r.text) for p, r, route in pages if route == PDFIUM]


@pytest.mark.parametrize("relative", list(SAME_WORDS), ids=[r.rsplit("/", 1)[-1][:30] for r in SAME_WORDS])
def test_fast_pages_have_pdfplumbers_words_and_lines(both_ways, relative):
    doc, routes, reference = both_ways(relative)
    pages = _fast_pages(doc, routes, reference)
    assert len(pages) >= 0.9 * len(doc.pages)
    for number, fast, slow in pages:
        assert fast.split() == slow.split(), f"page {number}"
        assert fast == slow, f"page {number}: same words, other line breaks or spacing"
    assert (doc.title, doc.date, doc.warnings) == (reference.title, reference.date, reference.warnings)
    assert [p.has_text_layer for p in doc.pages] == [p.has_text_layer for p in reference.pages]


def test_where_the_paths_differ_pdfium_reads_what_is_printed(both_ways):
    """AFS 2011:19 prints hyphens whose glyph pdfminer maps to a space, and one Symbol-font
    space (U+F020) pdfminer keeps inside a word. Everything else is the same word for word."""
    doc, routes, reference = both_ways(AFS_2011_19)
    fast = " ".join(t for _, t, _ in _fast_pages(doc, routes, reference)).split()
    slow = " ".join(t for _, _, t in _fast_pages(doc, routes, reference)).split()
    changed = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, fast, slow, autojunk=False).get_opcodes():
        if op != "equal":
            changed.append((" ".join(fast[i1:i2]), " ".join(slow[j1:j2])))
    assert 0 < len(changed) <= 0.001 * len(slow)
    for new, old in changed:  # the printed hyphen, or the Symbol space, and nothing else
        assert new.replace("-", " ").split() == old.replace("-", " ").replace("\uf020", " ").split()
    assert ("omhänder-tagande,", "omhänder tagande,") in changed  # as printed on page 5
    assert ("etyl-2-cyano-akrylat", "etyl-2-cyano akrylat") in changed


def test_pages_that_need_pdfplumber_go_to_pdfplumber(both_ways, corpus):
    _, routes, _ = both_ways(SIMRISHAMN)
    assert [n for n, r in enumerate(routes, start=1) if r != PDFIUM] == [17, 25]  # the scans
    assert routes[0] == PDFIUM  # page 1 has the signature stamp set at 90°
    _, routes = parse_pdf_routed((corpus / PROP_104).read_bytes())
    columns = {n: r for n, r in enumerate(routes, start=1) if r != PDFIUM}
    assert columns == {n: f"pdfplumber: {COLUMNS}" for n in (4, 5, 35, 36)}  # "Nuvarande/Föreslagen lydelse"
    _, routes = parse_pdf_routed((corpus / BUDGET).read_bytes())
    assert routes[3] == f"pdfplumber: {COLUMNS}"  # a ruled table that PDFium alone would split in two


def test_fast_false_is_pdfplumber_only(corpus):
    _, routes = parse_pdf_routed((corpus / GOTLAND).read_bytes(), fast=False)
    assert all(r.startswith("pdfplumber") for r in routes)


def test_pdfium_pages_cost_no_pdfplumber_layout(corpus, monkeypatch):
    parsed = []
    parse_objects = pdfplumber.page.Page.parse_objects

    def tracking(self):
        parsed.append(self.page_number)
        return parse_objects(self)

    monkeypatch.setattr(pdfplumber.page.Page, "parse_objects", tracking)
    doc, routes = parse_pdf_routed((corpus / DIR_2016_15).read_bytes())
    assert set(routes) == {PDFIUM} and parsed == [] and len(doc.pages) == 28


def _pdfium_page(corpus, relative: str, index: int):
    return pdfium.PdfDocument((corpus / relative).read_bytes())[index]


def test_characters_have_pdfminers_geometry(corpus):
    """Dir. 2016:15 p. 7 (italic Times, whose glyphs overhang their advance): same boxes."""
    page = _pdfium_page(corpus, DIR_2016_15, 6)
    fast = page_chars(page.get_textpage(), page.get_height())
    with pdfplumber.open(corpus / DIR_2016_15) as pdf:
        slow = {(c["text"], round(c["x0"], 1), round(c["top"])): c for c in pdf.pages[6].chars}
    matched = [(c, slow[k]) for c in fast if (k := (c["text"], round(c["x0"], 1), round(c["top"]))) in slow]
    assert len(matched) >= 0.97 * len(fast)
    for mine, theirs in matched:
        for key in ("x1", "top", "bottom", "size"):
            assert mine[key] == pytest.approx(theirs[key], abs=0.05), (mine["text"], key)


def test_hyphen_mark_and_ligatures_come_back_as_text(corpus, both_ways):
    page = _pdfium_page(corpus, DIR_2016_15, 13)
    assert "\ufffe" not in "".join(c["text"] for c in page_chars(page.get_textpage(), page.get_height()))
    doc, _, _ = both_ways(NFS_2007_10)
    assert "definitioner" in doc.text and "defi nitioner" not in doc.text


def test_dropped_spaces_part_the_dot_leaders(corpus, both_ways):
    page = _pdfium_page(corpus, PROP_105, 1)
    assert len(dropped_spaces(page, page.get_height())) > 10
    doc, _, _ = both_ways(PROP_105)
    assert "\n3.1 Historik ....." in doc.pages[1].text  # not "Historik.........4"


def test_a_two_column_page_is_declined(corpus):
    pdf = pdfium.PdfDocument((corpus / PROP_104).read_bytes())
    width, height = pdf[4].get_size()
    assert read_page(pdf, 4, width, height) == (None, COLUMNS)
    lines, why = read_page(pdf, 5, width, height)
    assert why == "" and "(Fi2021/03629)" in " ".join(line.text for line in lines[0])


def test_glyphs_without_unicode_are_left_to_pdfplumber():
    """A Type 3 font whose glyph is named /g1: PDFium would guess the text from the code."""
    content = b"BT /F1 24 Tf 72 700 Td (AAAA AAAA AAAA AAAA AAAA AAAA) Tj ET"
    glyph = b"1000 0 0 0 1000 1000 d1 0 0 800 800 re f"
    data = _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0]"
        b" /CharProcs << /g1 6 0 R >> /Encoding << /Type /Encoding /Differences [65 /g1] >>"
        b" /FirstChar 65 /LastChar 65 /Widths [1000] /Resources << >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(glyph), glyph),
    ])
    doc, routes = parse_pdf_routed(data)
    assert routes == (f"pdfplumber: {UNMAPPED}",)
    assert doc.pages[0].text == parse_pdf(data, fast=False).pages[0].text


def test_threads_take_turns_with_pdfium(corpus):
    """PDFium is not thread-safe: parse_pdf holds PDFIUM_LOCK while it reads with it."""
    data = (corpus / GOTLAND).read_bytes()
    with ThreadPoolExecutor(4) as pool:
        texts = list(pool.map(lambda _: parse_pdf(data).text, range(8)))
    assert len(set(texts)) == 1 and "Orionskolan i Visby" in texts[0]
