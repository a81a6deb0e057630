"""Tests for ingest/parse/docx.py: real Word files, the PDF twin, documents built here."""
import io
import re

import docx
import pytest

from ingest.model import ParseError
from ingest.parse.docx import parse_docx

BORRBY = "real/simrishamn-lundgren9/Sammanstallning_granskningsyttranden_Borrby"


def _words(text: str) -> list[str]:
    return re.findall(r"\w+(?:[-:/.]\w+)*", text)


def test_docx_and_its_pdf_twin_have_the_same_words(parse_corpus):
    """The Borrby summary exists as DOCX and as the PDF Word made of it: same words, same order."""
    from_docx = parse_corpus(BORRBY + ".docx")
    from_pdf = parse_corpus(BORRBY + ".pdf")
    assert len(from_pdf.pages) == 8
    pdf_words = _words(from_pdf.text)
    # The PDF adds its running head (kept once, on page 1) and the numbers of Word's
    # automatic lists, which are not text in the DOCX; otherwise every word matches.
    head = "Sammanställning granskningsyttranden Borrby 58:3 och S:35".split()
    assert pdf_words[: len(head)] == head
    not_digit = lambda words: [w for w in words if not re.fullmatch(r"\d", w)]  # noqa: E731
    assert not_digit(_words(from_docx.text)) == not_digit(pdf_words[len(head):])
    assert len(_words(from_docx.text)) > 1500
    flat = " ".join(from_pdf.text.split())
    for sentence in (
        "Planområdet omfattar cirka 42 300 kvadratmeter och ligger vid Borrbystrand i kommunens sydöstra del.",
        "Den korrekta formuleringen är att markägare har rätt att kräva inlösen enligt 14 kap. 14 § plan- och bygglagen (PBL), inte att kommunen har en skyldighet.",
        "Diarienummer: LM2024/027148",
    ):
        assert sentence in from_docx.text
        assert sentence in flat


def test_layout_table_with_merged_cells_is_read_once(parse_corpus):
    doc = parse_corpus("real/ferenda/dv/downloaded/HDO/T3592-13.docx")
    assert "Målnummer: | T3592-13 | Avdelning: | 2" in doc.text
    assert "Rubrik: | Diskrimineringsersättning (I och II)." in doc.text
    assert doc.text.count("Diskrimineringsombudsmannen förde vid Solna tingsrätt den talan") == 1
    assert doc.title is None  # core title is the template name "ReferatLagrummet"


def _built(build) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_body_order_headings_tables_and_title():
    def build(d):
        d.add_heading("Protokoll från nämnden", 0)  # the Title style
        d.add_heading("§ 1 Val av justerare", 1)
        d.add_paragraph("Nämnden utser Anna Andersson att justera protokollet.")
        table = d.add_table(rows=3, cols=3)
        table.cell(0, 0).text, table.cell(0, 1).text, table.cell(0, 2).text = "Ärende", "Dnr", "Beslut"
        table.cell(1, 0).text, table.cell(1, 1).text = "Bygglov", "BN 2024/1"
        table.cell(1, 2).merge(table.cell(2, 2)).text = "Bifall"
        table.cell(2, 0).merge(table.cell(2, 1)).text = "Rivningslov för förråd"
        d.add_heading("§ 2 Övrigt", 2)
        run = d.add_paragraph("Inga övriga frågor").add_run()
        run.add_break()
        run.add_text("Mötet avslutas.")
        d.add_heading("Bilaga", 4)

    doc = parse_docx(_built(build))
    assert doc.text.split("\n") == [
        "Protokoll från nämnden",
        "§ 1 Val av justerare",
        "Nämnden utser Anna Andersson att justera protokollet.",
        "| Ärende | Dnr | Beslut |",
        "| Bygglov | BN 2024/1 | Bifall |",
        "Rivningslov för förråd",
        "§ 2 Övrigt",
        "Inga övriga frågor",
        "Mötet avslutas.",
        "Bilaga",
    ]
    assert doc.headings == ("Protokoll från nämnden", "§ 1 Val av justerare", "§ 2 Övrigt")
    assert doc.title == "Protokoll från nämnden"
    assert [p.number for p in doc.pages] == [1]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.date or "")


def test_core_properties_title_and_date():
    def build(d):
        d.core_properties.title = "Riktlinje för anhörigstöd"
        d.core_properties.created = __import__("datetime").datetime(2025, 6, 16, 10, 0)
        d.add_heading("Inledning", 1)
        d.add_paragraph("Text.")

    doc = parse_docx(_built(build))
    assert (doc.title, doc.date) == ("Riktlinje för anhörigstöd", "2025-06-16")


def test_swedish_heading_style_names():
    def build(d):
        d.styles["Heading 2"].name = "Rubrik 2"  # as in a Swedish Word template
        d.add_paragraph("Bakgrund", style="Rubrik 2")
        d.add_paragraph("Text.")

    assert parse_docx(_built(build)).headings == ("Bakgrund",)


@pytest.mark.parametrize("keep", [0.0, 0.1, 0.5, 0.99])
def test_truncated_docx_is_corrupt(corpus, keep):
    data = (corpus / (BORRBY + ".docx")).read_bytes()
    with pytest.raises(ParseError) as e:
        parse_docx(data[: int(len(data) * keep)])
    assert e.value.reason == "corrupt"
    assert e.value.message.startswith("DOCX-filen är trasig: ")


def test_docx_without_text_is_empty():
    with pytest.raises(ParseError) as e:
        parse_docx(_built(lambda d: d.add_paragraph("   ")))
    assert e.value.reason == "empty"
