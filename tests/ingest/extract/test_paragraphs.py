"""Tests for ingest.extract.paragraphs on real protocols: Simrishamn (PDF), Kungsbacka (Markdown), seed 000."""
import re
from pathlib import Path

import pytest

from ingest.extract.metadata import normalize_text
from ingest.extract.paragraphs import join, listed_dnr, page_at, split
from ingest.model import Page
from tests.corpus import CORPUS

REAL = CORPUS / "real"
KUNGSBACKA = REAL / "kungsbacka-kommunhandlingar/data/kungsbacka"


def markdown_pages(path: Path) -> list[Page]:
    text = path.read_text(encoding="utf-8")
    return [Page(1, normalize_text(text[text.index("\n---", 4) + 4:] if text.startswith("---\n") else text))]


def pdf_pages(path: Path) -> list[Page]:
    try:
        from ingest.parse.registry import parse
    except ImportError:
        from ingest.parse.pdf.parse import parse_pdf
        parsed = parse_pdf(path.read_bytes())
    else:
        parsed = parse(path.read_bytes(), path.name)
    return [Page(p.number, normalize_text(p.text)) for p in parsed.pages]


@pytest.fixture(scope="module")
def simrishamn():
    return split(pdf_pages(REAL / "simrishamn-lundgren9" / "Protokoll  SPn april 2024_Bortredigerad.pdf"))


def test_simrishamn_has_paragraphs_66_to_89_each_with_its_dnr(simrishamn):
    assert [p.number for p in simrishamn] == [str(n) for n in range(66, 90)]
    assert all(len(p.dnr) == 1 for p in simrishamn)
    by_number = {p.number: p for p in simrishamn}
    assert by_number["76"].dnr == ("2019/1005",)
    assert by_number["76"].title == "Detaljplan Del av Borrby 58:3 och Borrby S:35 - granskning 2"
    assert by_number["82"].dnr == ("2024/93",)
    assert "Tobisviksbadet" in by_number["82"].title
    assert by_number["68"].dnr == by_number["71"].dnr == ("2023/314",)


def test_each_paragraph_keeps_where_its_heading_starts():
    """The web cuts a protocol's pages at these offsets (web/render.py) without sectioning again."""
    pages = pdf_pages(REAL / "simrishamn-lundgren9" / "Protokoll  SPn april 2024_Bortredigerad.pdf")
    text, starts = join(pages)
    found = split(pages)
    offsets = [p.start for p in found]
    assert all(isinstance(o, int) for o in offsets) and offsets == sorted(offsets)
    for p in found:
        assert re.match(rf"§\s*{p.number}\b", text[p.start:p.start + 12]), (p.number, text[p.start:p.start + 40])
        assert page_at(starts, p.start) == p.page


def test_simrishamn_pages_titles_and_decisions(simrishamn):
    first = simrishamn[0]
    assert (first.title, first.page) == ("Upprop och val av justeringsperson", 4)  # the table of contents is on page 3
    assert "justera dagens protokoll" in first.decision
    by_number = {p.number: p for p in simrishamn}
    assert by_number["74"].title.endswith("eventuella beslut undanröjs")  # hyphenated over two lines
    assert "Godkänna planhandlingarna för granskning 2." in by_number["76"].decision
    # § 77 continues over pages ("§ 77 forts"): its decision is the nämnd's, not a yrkande
    assert by_number["77"].decision.startswith("Inte godkänna planhandlingarna")


def test_references_to_other_paragraphs_are_not_headings():
    text = ("§ 5 Dnr 2024/7\nTaxa\nÄrendebeskrivning\nEnligt 4 kap. 1 §\nkommunallagen och beslut i KS 2024-02-14\n"
            "§ 27 ska nämnden yttra sig.\nBeslut\nNämnden godkänner.\n")
    (only,) = split([Page(1, text)])
    assert (only.number, only.title, only.dnr, only.decision) == ("5", "Taxa", ("2024/7",), "Nämnden godkänner.")


def test_seed_000():
    text = normalize_text((CORPUS / "seeds" / "000_c6a6d7e471c0821b.txt").read_text(encoding="utf-8"))
    (p,) = split([Page(1, text)])
    assert p.number == "16"
    assert p.title == "PEER support Stockholms stads socialpsykiatri – utvärdering år två och inriktning för arbetet 2020"
    assert p.dnr == ("1.5.1-646/2018",)
    assert p.decision.count("Socialnämnden") == 3


def test_kungsbacka_valnamnd():
    pages = markdown_pages(KUNGSBACKA / "val/2024/2024-05-06/protokoll.md")
    found = split(pages)
    assert [p.number for p in found] == [str(n) for n in range(13, 21)]
    by_number = {p.number: p for p in found}
    assert by_number["15"].dnr == ("VN-2023-00023",)
    assert by_number["16"].title == "Tjänstgörande personer vid valnämndens kansli - Europaparlamentvalet 2024"
    assert by_number["13"].page == 3  # from the "<!-- sida 3 -->" marker
    assert by_number["14"].decision.startswith("Valnämnden godkänner uppföljning")


def test_kungsbacka_excerpt_lists_all_dnr_but_has_five_paragraphs():
    pages = markdown_pages(KUNGSBACKA / "bygg-au/2024/2024-02-01/protokoll.md")
    found = split(pages)
    assert [p.number for p in found] == ["1", "2", "3", "4", "5"]  # the excerpt ends after § 5
    assert found[2].dnr == ("2024-00013",)
    assert found[2].decision.startswith("Byggnadsnämnden godkänner årsredovisning 2023.")  # the AU's proposal
    listed = listed_dnr(pages)
    assert len(listed) == 42 and "BN-2020-002255" in listed and "BN-2008-001279" in listed


def test_attendance_list_paragraph_numbers_are_not_headings():
    pages = markdown_pages(KUNGSBACKA / "bygg/2024/2024-02-22/protokoll-byggnadsnamndens-protokoll-2024-02-22-31-33.md")
    assert [p.number for p in split(pages)] == ["31", "32", "33"]
