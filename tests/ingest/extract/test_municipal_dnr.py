"""Tests for the diarienummer of municipal protocols (issue 17) on committed real documents:
each § gets its case's number, the protocol mentions them, a one-§ extract owns its number."""
from pathlib import Path

from ingest.extract import dnr, registers
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


def test_a_protocol_of_one_paragraph_with_its_front_page_owns_none():
    """Alingsås KF 2026-06-10 held one § ('Paragrafer §116'): a protocol, not an extract."""
    text = ("Kommunfullmäktige\nProtokoll\n2026-06-10\nPlats och tid Stadshuset 18.00\nParagrafer §116\n"
            "Beslutande Anna A\n§ 116 2020.008 KS\nDetaljplan för förskola vid Nolhaga allé\nBeslut\nAntas.")
    own, mentioned = document_dnr(text, "protokoll", ("2020.008 KS",), first_paragraph=text.index("§ 116"),
                                  paragraph_count=1)
    assert own == () and mentioned == ("2020.008 KS",)


def test_a_letterhead_number_under_the_date_is_own():
    text = ("Datum: 2026-06-09\n2026-000297\nHandläggare Bygglovsenheten Alingsås\nYttrande om bygglov\n"
            "Kommunens diarienummer: 2026-000237\n" + "Text.\n" * 400 + "Glöm inte ange räddningstjänstens\n"
            "ärendenummer 2026-000297.\nDnr LOV 2026-000237 – Ankom 2026-06-10\n")
    own, mentioned = document_dnr(text, "yttrande", ())
    assert own == ("2026-000297", "LOV 2026-000237") and mentioned == ("2026-000237",)


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


# Blind set 11's records, committed under benchmarks/corpus/municipal2 (its SOURCES.md).
SET11 = Path(__file__).resolve().parents[3] / "benchmarks" / "corpus" / "municipal2"


def load_set11(relative: str):
    path = SET11 / relative
    return extract(parse(path.read_bytes(), path.name), "municipal2/" + relative)


def test_delegation_list_column_lists_its_cases():
    """Alingsås BUN's delegationslista: the 'Diarienummer centralt diarium' column's rows are
    the decisions' cases, mentioned; the list owns none."""
    meta = load_set11("alingsas-kommun/barn-och-ungdomsnamnden_2026-05-26_delegationslista-skolkjuts-1-april-2026.pdf")
    assert meta.dnr == ()
    assert len(meta.dnr_mentioned) == 14 and {"2026-6395", "2026-6411", "2026-6402", "2026-6410"} <= set(meta.dnr_mentioned)
    assert not {"2.5.4", "10:32"} & set(meta.dnr_mentioned)


def test_plan_map_title_block_owns_its_number():
    """Mark's plankarta: 'Diarienummer: Koordinatsystem i plan: ...' over 'PLAN.2017.807 SWEREF99_12_00',
    the title block at the end of its text layer."""
    meta = load_set11("mark-kommun/melltorp_plankarta.pdf")
    assert meta.doctype == "detaljplan" and meta.dnr == ("PLAN.2017.807",)
    assert registers.register(meta.dnr[0], meta.body) == "PLAN"


def test_plan_references_and_filing_codes():
    """Mark's översiktsplan, del 3: its reference list cites other registers' numbers in their
    own shapes; the appended KF extract's number carries Mark's filing code and is KS's case."""
    meta = load_set11("mark-kommun/Oversiktsplan_del3_Underlag.txt")
    keys = {dnr.key(d) for d in (*meta.dnr, *meta.dnr_mentioned)}
    for number in ("2012-531 014-2", "382-6897-07 Rv", "SA10A 2004:9166", "TRV 2011/30571-B", "KS/2008:387",
                   "TRV 2010/13990", "27639-2016", "2010-5138", "KS 2010-313 212", "2010-331 212"):
        assert dnr.key(number) in keys, number
    assert dnr.key("TRV 2011/30571") not in keys  # the sub-case letter is part of the number
    bare = next(d for d in (*meta.dnr, *meta.dnr_mentioned) if dnr.key(d) == dnr.key("2010-331"))
    assert meta.body == "Kommunfullmäktige" and registers.register(bare, meta.body) == "Kommunstyrelsen"


def test_a_statute_in_a_plan_table_is_no_number():
    meta = load_set11("mark-kommun/planbeskrivning.txt")
    assert meta.dnr == ("PLAN.2024.747",) and meta.dnr_mentioned == ()


def test_a_plan_owns_the_number_of_its_appended_adoption_extract():
    """Mark's översiktsplan del 3: the cover says 'Antagen av kommunfullmäktige 2017-04-20 § 43', its
    Bilaga 3 is that § ('§ 43/2017   Dnr 2010-331 212'): the plan's case. Bilaga 1's 'KS 2010-313 212'
    (an earlier inriktningsbeslut) and Länsstyrelsen's '27639-2016' (Bilaga 2) stay mentioned."""
    meta = load_set11("mark-kommun/Oversiktsplan_del3_Underlag.txt")
    assert meta.dnr == ("2010-331 212",)
    assert {dnr.key("KS 2010-313 212"), dnr.key("27639-2016")} <= {dnr.key(d) for d in meta.dnr_mentioned}


def test_an_adoption_paragraph_without_its_extract_names_no_number():
    text = ("Riktlinje för X\nAntagen av kommunfullmäktige 2020-02-24 § 12\n" + "Text.\n" * 500
            + "§ 13 Annat ärende Dnr 2020.111 KS\n")
    own, mentioned = document_dnr(text, "styrdokument", ())
    assert own == () and mentioned == ("2020.111 KS",)
    extract_appended = text + "§ 12           Dnr 2019.333 KS\nRiktlinje för X – antagande\n"
    own, _ = document_dnr(extract_appended, "styrdokument", ())
    assert own == ("2019.333 KS",)


def test_a_list_of_cases_under_the_opening_owns_none():
    """Göteborg's Intraservice answers a request with its IT-ramavtal, each with its number
    ("Dnr 0133/25", "Dnr 0226/25 (25/12)", "dnr\\n0100/23"): three cases, none in a letterhead."""
    meta = load("municipal/goteborg-dearbetarfordig/intraservice_ramavtal_svar.txt")
    assert meta.dnr == ()
    assert {"0133/25", "0226/25", "0100/23"} <= set(meta.dnr_mentioned)


def test_several_numbers_in_the_letterhead_stay_own():
    text = "Tjänsteskrivelse\nDatum 2026-01-10\nDnr KS 2019/562, KS 2019/563, KS 2019/564\nRubrik\n" + "Text.\n" * 20
    own, _ = document_dnr(text, "tjänsteskrivelse", ())
    assert own == ("KS 2019/562", "KS 2019/563", "KS 2019/564")
