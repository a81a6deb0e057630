"""Tests for the diarienummer of municipal protocols (issue 17) on committed real documents:
each § gets its case's number, the protocol mentions them, a one-§ extract owns its number."""
from pathlib import Path

from ingest.extract import dnr
from ingest.extract.metadata import document_dnr, extract
from ingest.parse.registry import parse

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "extract"


def load(name: str):
    path = FIXTURES / name
    return extract(parse(path.read_bytes(), path.name), name)


def test_alingsas_protocol_each_paragraph_has_its_case():
    meta = load("alingsas-protokoll-kf-2026-03-25.txt")
    by_number = {p.number: p.dnr for p in meta.paragraphs}
    assert by_number["63"] == ("2026.113 KS",)  # "§ 63 2026.113 KS" heading
    assert by_number["61"] == ()  # "§ 61 Parentation": no case
    # § 82 Meddelanden lists its cases on bullet lines, handlingsnummer after the register
    assert {dnr.key(d) for d in by_number["82"]} == {"2025252KS", "2026160KS", "2026114KS", "2026111KS"}
    assert meta.dnr == ()  # the header labels none: the §§' numbers are mentioned
    assert "2026.113 KS" in meta.dnr_mentioned


def test_jonkoping_number_under_the_paragraph_title():
    meta = load("jonkoping-barn-och-utbildningsnamnden-2025-03-18.md")
    by_number = {p.number: p.dnr for p in meta.paragraphs}
    # "## **§ 33**", "## **Verksamhetsberättelse 2024**", "Bun/2023:276 041" (a filing code after it)
    assert by_number["33"] == ("BUN/2023:276",)
    assert by_number["42"] == ("BUN/2025:99",)


def test_one_paragraph_extract_owns_its_number():
    text = "Kommunstyrelsens arbetsutskott\nProtokoll\n2026-05-20\n§ 76 2025.446 KS\nSvar på motion\nBeslut\nBifall."
    own, _ = document_dnr(text, "protokoll", ("2025.446 KS",), paragraph_count=1)
    assert own == ("2025.446 KS",)


def test_their_number_and_a_stamp():
    """Räddningstjänsten's yttrande: the kommun's number it answers is mentioned, the kommun's
    registration stamp on it is the document's own."""
    text = ("Yttrande\nDatum: 2026-06-09\nYttrande om bygglov\nKommunens diarienummer: 2026-000237\n"
            "Fastighet: Gjutaren 23\n" + "Text.\n" * 400 + "Dnr LOV 2026-000237 – Ankom 2026-06-10\n")
    own, mentioned = document_dnr(text, "yttrande", ())
    assert own == ("LOV 2026-000237",) and mentioned == ("2026-000237",)


def test_a_cited_dnr_in_a_wrapped_line_is_mentioned():
    text = ("Beslut\nDatum Diarienummer\n2026-06-22 5475-2026\nBygg- och miljönämnden i Alingsås kommun (nämnden) "
            "beslutade\nden 20 januari 2026 (§ 4, dnr 2025.034 BMN) att avslå ansökan om\nbygglov")
    own, mentioned = document_dnr(text, "beslut", ())
    assert own == ("5475-2026",) and mentioned == ("2025.034 BMN",)
