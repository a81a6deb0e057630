"""Tests on blind set 12's records (benchmarks/corpus/municipal3, its SOURCES.md), studied after
their first score: papers others wrote and a kommun filed, a state authority's föreskrifter."""
from functools import cache
from pathlib import Path

import pytest

from ingest.extract.metadata import extract
from ingest.extract.outside_authors import client, signed_by
from ingest.model import Metadata
from ingest.parse.registry import parse

SET12 = Path(__file__).resolve().parents[3] / "benchmarks" / "corpus" / "municipal3"
ENERGY_SAMRAD = "alingsas-energi-ab/bygg-och-miljonamnden_2026-06-16_remiss-samrad-solveden-.pdf"
FEE_REPORT = "soderberg-partners/kommunfullmaktige_2026-06-10_ab-alingsas-radhus-rapport-borgensavgifter-2026-03-26.pdf"
FEE_REPORT_ENERGY = ("soderberg-partners/kommunfullmaktige_2026-06-10_alingsas-energi-ab-rapport-borgensavgifter-"
                     "2026-03-26-.pdf")
CLUB_APPLICATION = "holmalund-city-ff/kommunstyrelsen_2026-06-15_ansokan-om-investeringsbidrag.pdf"
TSFS = ("transportstyrelsen/tekniska-namnden_2026-05-18_transportstyrelsens-foreskrifter-om-parkeringsanmarkningar-"
        "och-felparkeringsavgift-tsfs-202457.pdf")
CASE_PAPER = "alingsas-kommun/kommunstyrelsen_2026-06-15_tjansteskrivelse-investeringsbidrag-for-renovering-holmalund-city-ff.pdf"


@cache
def load(relative: str) -> Metadata:
    path = SET12 / relative
    return extract(parse(path.read_bytes(), path.name), "municipal3/" + relative)


@pytest.mark.parametrize("relative, organization", [
    (ENERGY_SAMRAD, "Alingsås Energi AB"),  # Sweco's title block "Kund Alingsås Energi AB", not the kommun it lies in
    (FEE_REPORT, "Söderberg & Partners"),  # closes with "soderbergpartners.se", its disclaimer spells the name
    (FEE_REPORT_ENERGY, "Söderberg & Partners"),
    (CLUB_APPLICATION, "Holmalund City FF"),  # "Styrelsen Holmalund City FF, representerad av ..."
    (TSFS, "Transportstyrelsen"),  # its series "TSFS 2024:57" (data/national.tsv)
    (CASE_PAPER, "Alingsås kommun"),  # the kommun's own paper on the club's application stays the kommun's
])
def test_organization_of_a_paper_others_wrote(relative, organization):
    assert load(relative).organization == organization


def test_a_foreskrift_is_dated_by_its_decision():
    """"beslutade den 28 augusti 2024", not "Utkom från trycket den 10 september 2024" beside the title."""
    meta = load(TSFS)
    assert (meta.date, meta.date_kind) == ("2024-08-28", "beslutad")


def test_a_kommun_paper_names_no_outside_author():
    text = (SET12 / CASE_PAPER).read_bytes()
    parsed = parse(text, "x.pdf").text
    assert client(parsed) is None and signed_by(parsed) is None


SET12_ALINGSAS = "alingsas-kommun/"
DELEGATED_2018 = SET12_ALINGSAS + "samhallsbyggnadsnamnden_2018-01-22_anmalan-om-delegerade-beslut-till-sbn-2018-01-22.pdf"
INCOMING_2018 = SET12_ALINGSAS + "samhallsbyggnadsnamnden_2018-01-22_inkomna-skrivelsermeddelanden-till-sbn-2018-01-22.pdf"
E_SERVICE = SET12_ALINGSAS + "barn-och-ungdomsnamnden_2026-05-26_delegationsbeslut-om-stallforetradande-rektor--19496.pdf"
IOP = SET12_ALINGSAS + ("socialnamnden_2026-06-16_forslag-till-overenskommelse-om-ideburet-offentligt-partnerskap-mellan-"
                        "alingsas-kommun-och-nolbygards-intresseforening-92648.pdf")


@pytest.mark.parametrize("relative, doctype", [
    (DELEGATED_2018, "delegationsbeslut"),  # "Anmälan om delegerade beslut till SBN", not its "delegationsordning."
    (IOP, "avtal"),  # "Idéburet offentligt partnerskap mellan Alingsås kommun och ..."
])
def test_document_kind_set12(relative, doctype):
    assert load(relative).doctype == doctype


@pytest.mark.parametrize("relative, unit", [
    # signed "Samhällsbyggnadskontoret" after "Beslutet ska skickas till" left as its template's
    # placeholder "Klicka här för att fylla i ...": the sign-off is no recipient
    (DELEGATED_2018, "Samhällsbyggnadskontoret"),
    (INCOMING_2018, "Samhällsbyggnadskontoret"),
    # an e-service form's row "Förvaltning Avdelning" over "Barn och ungdomsförvaltningen BoU ..."
    (E_SERVICE, "Barn- och ungdomsförvaltningen"),
    (IOP, "Socialförvaltningen"),  # "Socialförvaltningen i Alingsås vill stärka samverkan ..."
])
def test_unit_set12(relative, unit):
    assert load(relative).unit == unit


def test_a_list_of_incoming_cases_under_the_letterhead_is_mentioned():
    """"Diarienr: 2018.005 SBN" is the paper's; the listed "Ärende 2017.289/200 SBN-001, 002, 003"
    are the cases of the letters it lists, their filing code "/200" part of the number."""
    from ingest.extract import dnr

    meta = load(INCOMING_2018)
    assert meta.dnr == ("2018.005 SBN",)
    assert {dnr.key(d) for d in meta.dnr_mentioned} == {"2017289200SBN", "2017284070SBN", "2017285078SBN"}


def test_court_cases_are_mentioned():
    """"i mål nr AM 112/1947", "i mål nr VA 26/76": the vattendomstol's cases, not the samrådsunderlag's."""
    meta = load(ENERGY_SAMRAD)
    assert {"AM 112/1947", "VA 26/76"} <= set(meta.dnr_mentioned)
    assert "AM 112/1947" not in meta.dnr


@pytest.mark.parametrize("relative", [FEE_REPORT, FEE_REPORT_ENERGY])
def test_a_letter_spaced_cover_date(relative):
    """The cover's "2 0 2 6 - 0 3 - 2 6" is the report's date."""
    assert load(relative).date == "2026-03-26"


GR_LETTER = "goteborgsregionen/tekniska-namnden_2026-06-15_strategiska-vagval-storregional-kollektivtrafik-.pdf"
MOTION = SET12_ALINGSAS + ("kommunstyrelsen_2026-06-01_motion-gallande-stod-till-foreningar-som-nattvandrar-irene-jonsson-s-"
                           "sebastian-aronsson-s-camilla-stensson-s-och-peter-norlander-s-.pdf")
KUNAU = SET12_ALINGSAS + "kultur-och-utbildningsnamnden_2026-06-17_ss49-kunau-utmaning-gallande-teknisk-bemanning-av-kommunens-scener.pdf"


def test_a_letter_is_its_contacts_organization():
    """GR writes "GR" and its contacts' "...@goteborgsregionen.se"; "Västra Götalandsregionen (VGR) har
    beslutat" in its opening is the subject of a sentence, not a letterhead."""
    assert load(GR_LETTER).organization == "Göteborgsregionen"


@pytest.mark.parametrize("relative, body", [
    (MOTION, "Kommunfullmäktige"),  # "vi föreslår därför att kommunfullmäktige beslutar:"
    (KUNAU, "Kultur- och utbildningsnämndens arbetsutskott"),  # "Kultur- och\nutbildningsnämndens\narbetsutskott"
])
def test_body_set12(relative, body):
    assert load(relative).body == body
