"""Tests for ingest/parse/pdf/parse.py and ingest/parse/pdf/layout.py on real PDFs and on PDFs made here."""
import hashlib
import io
import struct

import pdfplumber
import pytest
from PIL import Image, ImageDraw

from ingest.model import ParseError
from ingest.parse.pdf.layout import Line, group_rows, reading_order
from ingest.parse.pdf.parse import drop_running_lines, join_hyphenated, parse_pdf

SIMRISHAMN = "real/simrishamn-lundgren9/Protokoll  SPn april 2024_Bortredigerad.pdf"
PROP_104 = "real/riksdagen-gco/bill_text_prop_202223__104.pdf"
DIR_2016_15 = "real/ferenda/dirregeringen/downloaded/2016/15/dir.-201615-dataskyddsforordningen.pdf"
PROP_2005_06_74 = "real/riksdagen-gco/bill_text_prop_2005_06_74.pdf"
SAMSYN = "real/helsingborg-F-AI/samsyn.pdf"


# --- hyphenation ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "raw, joined",
    [
        ("inom social-\npsykiatri", "inom socialpsykiatri"),
        ("inom social-\npsykiatrin finns", "inom socialpsykiatrin\nfinns"),
        ("ge positivt planbe-\nsked.\nNästa rad", "ge positivt planbesked.\nNästa rad"),
        ("inom hälso-\noch sjukvård", "inom hälso- och sjukvård"),
        ("för-\noch nackdelar", "för- och nackdelar"),
        ("kommunens bygg-\neller miljönämnd", "kommunens bygg- eller miljönämnd"),
        ("grund-\nsamt gymnasieskola", "grund- samt gymnasieskola"),
        ("sjuk-\ntill friskanmälan", "sjuk- till friskanmälan"),
        ("justering av VA-\ntaxa", "justering av VA-taxa"),  # an abbreviation keeps its hyphen
        ("Carl-\nGöran Svensson", "Carl-Göran\nSvensson"),  # so does a capitalised second part
        ("skicka e-\npost", "skicka e-post"),  # and a one-letter prefix
        ("åren 2019-\n2020", "åren 2019-2020"),  # a range stays one token
        ("Borrby S:35 -\ngranskning 2", "Borrby S:35 -\ngranskning 2"),  # a dash, not a hyphen
        ("social\u00ad\npsykiatri", "socialpsykiatri"),  # soft hyphen
    ],
)
def test_join_hyphenated(raw, joined):
    assert join_hyphenated(raw) == joined


def test_real_hyphenated_line_breaks_are_joined(parse_corpus):
    page = parse_corpus(SIMRISHAMN).pages[19]  # printed as "mini-/golfbana", "planbe-/sked", "fas-/tighetsägare"
    assert "bedriva tennisbana och minigolfbana," in page.text
    assert "att ge positivt planbesked." in page.text
    assert "Länsstyrelsen och fastighetsägare." in page.text
    assert "-\n" not in page.text


def test_real_suspended_compound_keeps_its_hyphen(parse_corpus):
    # Dir. 2016:15 page 14 breaks the line after "fri-", then "och rättigheterna".
    page = parse_corpus(DIR_2016_15).pages[13]
    assert "de grundläggande fri- och rättigheterna samt är en nödvändig" in page.text
    assert "frioch" not in page.text and "fri-och" not in page.text


# --- columns ---------------------------------------------------------------------------------

def test_two_column_page_reads_left_column_first(parse_corpus):
    """Prop. 2022/23:104 p. 5: 'Nuvarande lydelse' left, 'Föreslagen lydelse' right."""
    text = parse_corpus(PROP_104).pages[4].text
    left = ["Personuppgifter får lämnas ut till", "mellanfolklig organisation, om", "internationell överenskommelse"]
    right = ["mottagaren behöver uppgifterna", "1 §.", "Personuppgifter får vidare", "följer av en internationell överenskommelse"]
    positions_left = [text.index(s) for s in left]
    positions_right = [text.index(s) for s in right]
    assert max(positions_left) < min(positions_right), text
    assert text.index("Denna lag träder i kraft den 1 augusti 2023.") > max(positions_right)


def test_single_column_and_table_pages_keep_row_order(parse_corpus):
    doc = parse_corpus(SIMRISHAMN)
    # The § index on page 3 is a table: each row stays one line, in order.
    assert "§ 87 Sommarkort 2024 2024/240 39\n§ 88 Meddelanden 2024/2 40" in doc.pages[2].text
    # Page 2 lists members beside their role label: label and first name share a line.
    assert "Beslutande: Johan Ohlson (M)\nRoland Thord (M)" in doc.pages[1].text


def _word(text, x0, top, width=None, height=10.0):
    return {"text": text, "x0": x0, "x1": x0 + (width or 6.0 * len(text)), "top": top, "bottom": top + height}


def test_reading_order_columns_and_tables_synthetic():
    # Two justified columns of six lines each, 20 pt gutter at x = 300.
    words = []
    for i in range(6):
        top = 100 + 14 * i
        words += [_word(f"vänster{i}", 60, top, width=110), _word(f"text{i}", 180, top, width=110)]
        words += [_word(f"höger{i}", 310, top, width=110), _word(f"mer{i}", 430, top, width=110)]
    lines = [line.text for line in reading_order(group_rows(words), 595)]
    assert lines == [f"vänster{i} text{i}" for i in range(6)] + [f"höger{i} mer{i}" for i in range(6)]

    # The same words with a rule between every row (a table): row by row.
    rules = [(50.0, 550.0, 100 + 14 * i - 2.0) for i in range(1, 6)]
    lines = [line.text for line in reading_order(group_rows(words), 595, rules)]
    assert lines[:2] == ["vänster0 text0 höger0 mer0", "vänster1 text1 höger1 mer1"]

    # Short labels beside long values (a form): row by row.
    form = []
    for i in range(6):
        form += [_word(f"Etikett{i}", 60, 100 + 14 * i, width=60), _word(f"ett långt värde {i}", 200, 100 + 14 * i, width=300)]
    lines = [line.text for line in reading_order(group_rows(form), 595)]
    assert lines[0] == "Etikett0 ett långt värde 0"


# --- running heads, page numbers, rotated text ------------------------------------------------

def test_running_heads_kept_once_and_page_numbers_dropped(parse_corpus):
    doc = parse_corpus(SIMRISHAMN)
    assert doc.text.count("Samhällsplaneringsnämnden Sammanträdesprotokoll") == 1
    assert doc.text.count("Justerandes sign Protokollsutdrag intygas:") == 1
    assert doc.pages[0].text.startswith("Samhällsplaneringsnämnden Sammanträdesprotokoll\n2024-04-25")
    assert not any(line.strip().isdigit() for line in doc.pages[19].text.split("\n")[-3:])


def test_drop_running_lines_needs_repetition():
    pages = [([Line("Rubrik på sidan", 20, 30), Line(f"Brödtext {n}", 300, 310), Line(f"{n} (4)", 800, 810)], 842.0) for n in range(1, 5)]
    texts = drop_running_lines(pages)
    assert texts[0] == "Rubrik på sidan\nBrödtext 1"
    assert texts[3] == "Brödtext 4"
    # Three pages are too few to call anything a running head.
    assert drop_running_lines(pages[:3])[2] == "Rubrik på sidan\nBrödtext 3"


def test_paragraph_headings_at_the_top_are_not_running_heads():
    pages = [
        ([Line("Kommunstyrelsen Sammanträdesprotokoll", 20, 30), Line(f"§ {n} Dnr KS 2024/{n}", 60, 70),
          Line("Ärendebeskrivning", 300, 310), Line(f"Justerandes sign Sida {n} av 6", 800, 810)], 842.0)
        for n in range(1, 7)
    ]
    texts = drop_running_lines(pages)
    assert texts[0] == "Kommunstyrelsen Sammanträdesprotokoll\n§ 1 Dnr KS 2024/1\nÄrendebeskrivning\nJusterandes sign Sida 1 av 6"
    assert texts[4] == "§ 5 Dnr KS 2024/5\nÄrendebeskrivning"


def test_signature_stamp_at_90_degrees_reads_forwards(parse_corpus):
    doc = parse_corpus(SIMRISHAMN)
    assert "Signature reference: 6fccaa09-7c7e-4751-9c9a-8b2b5325ac5e" in doc.pages[0].text
    assert "erutangiS" not in doc.text and "\nc\nc\n" not in doc.text


# --- scanned pages, broken and locked files ----------------------------------------------------

def _image_pdf(pages: int = 1) -> bytes:
    images = []
    for n in range(pages):
        im = Image.new("L", (420, 595), 255)
        ImageDraw.Draw(im).rectangle((40, 40 + 10 * n, 380, 120), fill=0)  # "scanned" ink, no text
        images.append(im)
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:])
    return out.getvalue()


def test_image_only_page_has_no_text_layer():
    doc = parse_pdf(_image_pdf())
    assert [(p.number, p.text, p.has_text_layer) for p in doc.pages] == [(1, "", False)]
    assert doc.warnings == ("sida 1 saknar textlager (skannad?)",)


def test_several_scanned_pages_give_one_warning():
    doc = parse_pdf(_image_pdf(3))
    assert doc.warnings == ("sidorna 1–3 saknar textlager (skannad?)",)


def test_real_scanned_pages(parse_corpus):
    doc = parse_corpus(SIMRISHAMN)
    assert [p.number for p in doc.pages if not p.has_text_layer] == [17, 25]


@pytest.mark.parametrize("keep", [0.02, 0.5, 0.97])
def test_truncated_pdf_is_corrupt(corpus, keep):
    data = (corpus / PROP_2005_06_74).read_bytes()
    with pytest.raises(ParseError) as e:
        parse_pdf(data[: int(len(data) * keep)])
    assert e.value.reason == "corrupt"
    assert e.value.message.startswith("PDF-filen är trasig eller ofullständig: ")


def test_a_page_box_that_is_no_number_is_corrupt(corpus):
    """A bit flip found by tests/ingest/parse/test_parse_properties.py: "842" read as "84r" makes
    pdfplumber's page list raise, and its close() raised it again over the ParseError."""
    data = (corpus / "real/gotland-figotland/vegetabilisk_kost_som_grund_i_skolbespisningen.pdf").read_bytes()
    assert data.count(b"MediaBox [0 0 595 842]") == 2
    with pytest.raises(ParseError) as e:
        parse_pdf(data.replace(b"MediaBox [0 0 595 842]", b"MediaBox [0 0 595 84r]", 1))
    assert e.value.reason == "corrupt" and "non-number" in e.value.message


def test_garbage_is_corrupt():
    with pytest.raises(ParseError) as e:
        parse_pdf(b"%PDF-1.7\nthis is not really a PDF\n%%EOF\n")
    assert e.value.reason == "corrupt"


def _pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF file from numbered object bodies (object 1 is the catalog)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def _rc4(key: bytes, data: bytes) -> bytes:
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _encrypted_pdf(user_password: bytes, owner_password: bytes = b"agare") -> bytes:
    """A one-page PDF locked with the standard security handler (RC4, 40 bits, revision 2)."""
    pad = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
    padded = lambda pw: (pw + pad)[:32]  # noqa: E731
    file_id, permissions = bytes(range(16)), -44
    owner = _rc4(hashlib.md5(padded(owner_password)).digest()[:5], padded(user_password))
    key = hashlib.md5(padded(user_password) + owner + struct.pack("<i", permissions) + file_id).digest()[:5]
    user = _rc4(key, pad)
    content = b"BT /F1 24 Tf 72 700 Td (Hemlig text) Tj ET"
    object_key = hashlib.md5(key + (4).to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]
    stream = _rc4(object_key, content)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
            % (owner.hex().encode(), user.hex().encode(), permissions),
        ],
        trailer=b"/Encrypt 6 0 R /ID [<%s> <%s>]" % (file_id.hex().encode(), file_id.hex().encode()),
    )


def test_encrypted_pdf_needs_a_password():
    data = _encrypted_pdf(b"hemligt")
    with pytest.raises(ParseError) as e:
        parse_pdf(data)
    assert (e.value.reason, e.value.message) == ("encrypted", "PDF-filen är krypterad och kan inte läsas utan lösenord")
    # The file itself is sound: with the password it opens and has its text.
    with pdfplumber.open(io.BytesIO(data), password="hemligt") as pdf:
        assert pdf.pages[0].extract_text() == "Hemlig text"


def test_pdf_locked_only_by_owner_password_is_read():
    doc = parse_pdf(_encrypted_pdf(b""))
    assert doc.pages[0].text == "Hemlig text"


def test_pdf_without_pages_is_empty():
    data = _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])
    with pytest.raises(ParseError) as e:
        parse_pdf(data)
    assert e.value.reason == "empty"


# --- metadata, memory, the long document -------------------------------------------------------

def test_metadata_title_that_is_a_file_name_is_ignored(parse_corpus):
    assert parse_corpus(PROP_2005_06_74).title is None  # "Microsoft Word - Proposition 200506_74 KY uppdrag.doc"
    assert parse_corpus(PROP_2005_06_74).date == "2006-03-16"


def test_each_page_is_released_before_the_next(corpus, monkeypatch):
    """Memory stays flat: at most one page's parsed objects are cached at any time (pdfplumber
    path; the PDFium path closes each page it opens, see pdf_fast.read_page)."""
    cached, most = set(), [0]
    parse_objects, close = pdfplumber.page.Page.parse_objects, pdfplumber.page.Page.close

    def tracking_parse(self):
        cached.add(self.page_number)
        most[0] = max(most[0], len(cached))
        return parse_objects(self)

    def tracking_close(self):
        cached.discard(self.page_number)
        return close(self)

    monkeypatch.setattr(pdfplumber.page.Page, "parse_objects", tracking_parse)
    monkeypatch.setattr(pdfplumber.page.Page, "close", tracking_close)
    doc = parse_pdf((corpus / PROP_2005_06_74).read_bytes(), fast=False)
    assert len(doc.pages) == 13 and most[0] == 1


def test_long_guide_with_scanned_appendix(parse_corpus):
    """The 108-page Helsingborg guide: the only test that parses it."""
    doc = parse_corpus(SAMSYN)
    assert len(doc.pages) == 108
    assert [p.number for p in doc.pages if not p.has_text_layer] == [103, 104, 105, 106, 107]
    assert "Antenn/mast på tak kräver generellt inte lov." in doc.pages[11].text
    assert "Sid 12 av 103" not in doc.pages[11].text  # page number line dropped
    assert doc.text.count("Bygglovsenhetens Stödprocess") == 1  # running head kept once
    assert doc.date == "2023-10-10" and doc.title is None  # Info /Title is empty
