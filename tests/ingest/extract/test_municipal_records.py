"""Tests for the metadata of municipal records (issue 17) on committed real documents from blind
sets 9 and 10 (tests/fixtures/extract/municipal, SOURCES.md): the document kind, organization,
body and unit, and the date by kind."""
from functools import cache
from pathlib import Path

import pytest

from ingest.extract.doctype import classify
from ingest.extract.metadata import extract
from ingest.model import Metadata
from ingest.parse.registry import parse

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "extract"
ALINGSAS = "municipal/alingsas-knarrbyn/"
GOTEBORG = "municipal/goteborg-dearbetarfordig/"
DELEGATED = ALINGSAS + "bygg-och-miljonamnden_2026-05-19_anmalan-av-delegerade-beslut-till-bmn-2026-05-19-.pdf"
EXTRACT = ALINGSAS + ("kommunstyrelsen_2026-06-01_ss204-kf-motion-gallande-att-att-infora-laddstationer-for-"
                      "alingsas-cyklister-amanda-andersson-mp.pdf")
TAXA = ALINGSAS + "tekniska-namnden_2026-05-18_felparkeringsavgifter-i-alingsas-kommun-antagen-2023.pdf"
CASE_PAPER = ALINGSAS + "kommunfullmaktige_2026-06-10_tjansteskrivelse-arsredovisning-2025-for-tolkformedling-vast.pdf"
COUNTY_DECISION = ALINGSAS + "bygg-och-miljonamnden_2026-07-07_beslut-ls-beslutet-upphavs-och-aterforvisas5475-2026-26.pdf"
AUDIT = GOTEBORG + "granskning_planer_program.pdf"
DIRECTIONS = GOTEBORG + "stadsledningskontoret_punkt3.txt"


@cache
def load(relative: str) -> Metadata:
    """The metadata of a fixture, extracted under its corpus path (the folder names the source)."""
    path = FIXTURES / relative
    return extract(parse(path.read_bytes(), path.name), relative)


@pytest.mark.parametrize("relative, expected", [
    (DELEGATED, "delegationsbeslut"),  # "Anmälan av delegerade beslut till BMN", not its "delegationsordning."
    (EXTRACT, "protokollsutdrag"),  # one §, headed "Protokoll", without the meeting's front page
    (TAXA, "styrdokument"),  # "Typ av styrdokument: Taxa"
    (CASE_PAPER, "tjänsteskrivelse"),
    (COUNTY_DECISION, "beslut"),  # a länsstyrelse's letter opening "Beslut 1 (20)"
    (AUDIT, "utvärdering"),  # "Rapportsammandrag", the auditors' missiv
    (DIRECTIONS, "styrdokument"),  # "Dokumentsort: Anvisning"
])
def test_document_kind(relative, expected):
    assert load(relative).doctype == expected


@pytest.mark.parametrize("opening, source, expected", [
    ("Antagandehandling\nUtökat förfarande\n2020.008 KS\nDetaljplan för förskola vid Nolhaga allé", "x.pdf", "detaljplan"),
    ("ÅRSREDOVISNING\nDnr 26/0005-2\n2025-03-27\nÅrsredovisning 2025", "x.pdf", "årsredovisning"),
    ("Nämnden för Intraservice\nDelårsrapport mars 2026-nämnder", "x.pdf", "årsredovisning"),
    ("Initiativärende\nKommunstyrelsen, Alingsås kommun\n2026-06-01", "x.pdf", "motion"),
    ("Regional utvecklingsstrategi\nför Västra Götaland", "x.pdf", "styrdokument"),
    ("Samverkansavtal\nmellan kommunerna", "x.pdf", "avtal"),
    ("Mål och budget 2027\nmed plan 2028-2029", "x.pdf", "budget"),
    ("Remissvar\nDs 2025:3 Ny lag om ...", "x.pdf", "remissvar"),
    # a scan without text: the file name's words, "ss-620" a slug's § ("§" transliterated)
    ("", "kommunfullmaktige_2026-06-10_ss-620-tolkformedling-vast-arsredovisning-2025.pdf", "protokollsutdrag"),
    ("", "tekniska-namnden_2026-05-18_aterrapportering-av-delegerade-beslut.pdf", "delegationsbeslut"),
    ("", "kommunfullmaktige_2026-06-10_internkontrollrapport-tolkformedling-vast.pdf", "utvärdering"),
])
def test_document_kind_from_headings_and_names(opening, source, expected):
    assert classify(opening, source) == expected


@pytest.mark.parametrize("opening", [
    "Tidplan\nVecka 12 budgetdialog",  # a schedule is not a plan that governs
    "Beslutsordning\nOrdföranden ställer proposition",  # a protocol's procedure heading
    "Här följer text\navtal som tecknats gäller",  # a wrapped prose line is no heading
    "Remissvar Ds 2016:20 Strada\nHär kan du ta del av de remissvar som har kommit till Näringsdepartementet",
])
def test_words_that_are_not_a_kind(opening):
    assert classify(opening, "x.pdf") == "annat"


@pytest.mark.parametrize("relative, body, unit", [
    # "Datum: 2026-04-20 Kommunstyrelsen" heads it; "Kommunledningskontoret har tagit del av ..." speaks
    (CASE_PAPER, "Kommunstyrelsen", "Kommunledningskontoret"),
    # the auditors' missiv: "För revisorsgruppen," signs it, the office's letterhead "Stadsrevisionen"
    (AUDIT, "Revisorsgruppen", "Stadsrevisionen"),
    # an office's own directions decided by its head: no political body
    (DIRECTIONS, None, "Stadsledningskontoret"),
    (EXTRACT, "Kommunfullmäktige", None),  # a meeting's paper: the body's own, no unit
    # the file lies in the nämnd's meeting folder ("bygg-och-miljonamnden_2026-05-19_..."), and the
    # text names the nämnd: the case is in its register
    (DELEGATED, "Bygg- och miljönämnden", None),
])
def test_body_and_unit(relative, body, unit):
    meta = load(relative)
    assert (meta.body, meta.unit) == (body, unit)


@pytest.mark.parametrize("text, body", [
    ("Nämnden för Teknik & Fritid\nProtokoll\n2026-05-20\n§ 12", "Nämnden för Teknik & Fritid"),
    ("NÄMNDEN FÖR INTRASERVICE\nDelårsrapport mars 2026", "Nämnden för Intraservice"),
    ("Tekniska nämnden\nProtokoll\n2025-12-15\n§ 65 2025.242 TEN", "Tekniska nämnden"),
    ("Kommunstyrelsens\narbetsutskott\nProtokoll\n2026-05-20\n§ 76", "Kommunstyrelsens arbetsutskott"),
    ("Alingsås och Vårgårda\nRäddningstjänstförbund\nProtokoll\n2026-04-17\n§ 10\n"
     "Ordföranden ställer förslagen mot varandra och finner att direktionen beslutar att bifalla.", "Direktionen"),
    # prose writes bodies in lower case: not a letterhead, however early
    ("Revisionsrapport\nGranskningen har omfattat kommunstyrelsen,\nsocialnämnderna och utbildningsnämnden.\n"
     "Till Göteborgs kommunfullmäktige", "Kommunfullmäktige"),
    # a case paper about the auditors' report is the styrelse's (Alingsås KS, set 9)
    ("Datum: 2026-05-13 Kommunstyrelsen\nHandläggare: Jerker Gustafsson\nDiarienr: 2026.204 KS\n"
     "Svar på uppföljande granskning av revisionsrapporter från\n2023\nÄrendebeskrivning\nRevisionsföretaget "
     "Azets har på uppdrag av kommunens revisorer genomfört en uppföljning\nav tidigare granskning. "
     "Kommunstyrelsen yttrade sig över granskningen under 2024.", "Kommunstyrelsen"),
    ("REGIONENS REVISORER\nRevisorerna\nRegion Halland\nTill regionfullmäktige för kännedom\nGranskning", "Regionens revisorer"),
])
def test_body_forms(text, body):
    from ingest.extract.organization import find_body

    assert find_body(text) == body


def test_unit_is_not_an_abstract_noun():
    from ingest.extract.units import find_unit

    text = "Rapport\nErfarenheten visar\nErfarenheten har\nÖppenheten har ökat\nÖppenheten gör"
    assert find_unit(text, "utvärdering") is None


@pytest.mark.parametrize("relative, organization", [
    # no "Alingsås kommun" in its text (the logo is an image): the folder says whose it is; the
    # kommunalförbund it is about only named, and the recipient list "Beslutet ska skickas till" left out
    (CASE_PAPER, "Alingsås kommun"),
    (DELEGATED, "Alingsås kommun"),  # nothing in the text names the kommun: the folder does
    (AUDIT, "Göteborgs Stad"),
    (DIRECTIONS, "Göteborgs Stad"),
])
def test_organization_from_text_then_source(relative, organization):
    assert load(relative).organization == organization


def test_county_board_and_kommunalforbund_by_name():
    from ingest.extract.organization import find_organization

    letter = ("Information 1 (2)\nDatum\n2026-06-01\nLänsstyrelsen Västra Götalands pris för ungas\nideella engagemang\n"
              "Vi inrättar nu priset.\n\fLänsstyrelsen Västra Götaland Information 2 (2)\nText.")
    assert find_organization(letter) == "Länsstyrelsen Västra Götalands län"
    protocol = "Alingsås och Vårgårda\nRäddningstjänstförbund\nProtokoll\n2026-04-17\n§ 10 2026.031 AVRF"
    assert find_organization(protocol) == "Alingsås och Vårgårda räddningstjänstförbund"


def test_a_party_letterhead_on_a_motion_is_its_author():
    from ingest.extract.metadata import extract
    from ingest.model import Page, ParsedDocument

    text = ("Vänsterpartiet i Alingsås\nMotion till kommunfullmäktige om fler laddstationer\n"
            "Vi föreslår att kommunfullmäktige beslutar att utreda laddstationer.\nAnna Andersson (V)")
    meta = extract(ParsedDocument("text/plain", (Page(1, text),)), "motion.txt")
    assert (meta.doctype, meta.organization) == ("motion", "Alingsås kommun")
    assert "V" in meta.parties


@pytest.mark.parametrize("relative, date, kind", [
    (TAXA, "2023-09-27", "beslutad"),  # "Datum för beslut: 2023-09-27 § 165", not the meeting folder's 2026-05-18
    (AUDIT, "2025-11-18", "ort och datum"),  # "Göteborg den 18 november 2025"
    (DELEGATED, "2026-05-13", "datum"),  # "Datum: 2026-05-13", not the meeting's 2026-05-19 in its name
    (CASE_PAPER, "2026-04-20", "datum"),
    (EXTRACT, "2025-09-24", "brevhuvud"),  # the meeting's date under "Protokoll"
])
def test_date_by_kind(relative, date, kind):
    meta = load(relative)
    assert (meta.date, meta.date_kind) == (date, kind)


def test_an_undated_document_says_why():
    from ingest.extract.docdate import document_date

    template = "Biblioteksplan\n2027–2030\nTyp av styrdokument: XX\nDatum för beslut: ÅÅÅ-MM-DD\nDiarienummer: XX"
    dated = document_date(template, "styrdokument", "barn-och-ungdomsnamnden_2026-06-16_bilaga-biblioteksplan.pdf")
    assert (dated.iso, dated.missing) == (None, "datumfältet är inte ifyllt (ÅÅÅ-MM-DD)")
    dated = document_date("Reglemente för ersättningar\nText utan datum.", "styrdokument",
                          "kommunfullmaktige_2026-06-10_reglemente.pdf")
    assert dated.iso is None and "2026-06-10 i filnamnet är mötets" in (dated.missing or "")
    # a file's own name with a date, no meeting folder: the date, marked as the file name's
    assert document_date("Rapport utan datum.", "annat", "gotland/2016-09-27-rapport.md").kind == "filnamn"
    # a period of validity is not the date; "Uppdaterad" is
    dated = document_date("Förbundsordning\nGäller fr.o.m. 2026-01-01\nUppdaterad: Granskad:\n2025-03-28 2025-03-28",
                          "styrdokument")
    assert dated.iso == "2025-03-28"


@pytest.mark.parametrize("text, body", [
    ("2025-09-24\nMotion till kommunfullmäktige om att införa laddstationer för Alingsås\ncyklister\n"
     "Cykel är ett vanligt transportmedel.\nAmanda Andersson\nMiljöpartiet de gröna Alingsås", "Kommunfullmäktige"),
    ("Initiativ i kommunstyrelsen\n11 maj 2026\nav Jens Christian Berlin (L)\nInrätta en kollektivtrafikdialog",
     "Kommunstyrelsen"),
])
def test_a_members_paper_names_the_body_it_is_put_to(text, body):
    from ingest.extract.organization import find_body

    assert find_body(text) == body


# Blind set 11's records, committed under benchmarks/corpus/municipal2 (its SOURCES.md).
SET11 = Path(__file__).resolve().parents[3] / "benchmarks" / "corpus" / "municipal2"
SET11_ALINGSAS = "alingsas-kommun/"
SET11_DELEGATION = SET11_ALINGSAS + "barn-och-ungdomsnamnden_2026-05-26_delegationslista-skolkjuts-1-april-2026.pdf"
SET11_LEASE = SET11_ALINGSAS + ("kultur-och-utbildningsnamnden_2026-06-17_hyresavtal-alingsas-konstakningsklubb-"
                                "2026-03-01-till-2028-05-31-nolhaga-ishall.pdf")
SET11_MOTION = SET11_ALINGSAS + ("kultur-och-utbildningsnamnden_2026-06-17_motion-gallande-att-utreda-och-starka-"
                                 "insatserna-inom-det-kommunala-aktivitetsansvaret-camilla-stensson-s-med-flera-26954.pdf")
SET11_MISSIV = SET11_ALINGSAS + "overformyndarnamnden_2026-06-11_missiv-grundlaggande-granskning-2025.pdf"
SET11_AUDIT = SET11_ALINGSAS + "overformyndarnamnden_2026-06-11_grundlaggande-granskning-2025.pdf"


@cache
def load_set11(relative: str) -> Metadata:
    path = SET11 / relative
    return extract(parse(path.read_bytes(), path.name), "municipal2/" + relative)


@pytest.mark.parametrize("relative, expected", [
    # "ANMÄLAN AV BESLUT/MYNDIGHETSUTÖVNING FATTADE MED STÖD AV\nDELEGATION"
    (SET11_DELEGATION, "delegationsbeslut"),
    (SET11_LEASE, "avtal"),  # "HYRESKONTRAKT 1 (4)"
    ("linkopings-kommun/taxeforeskrifter-och-priser-fran-1-september-2026.pdf", "styrdokument"),  # "Taxa för Linköping"
    ("mark-kommun/LIS.txt", "styrdokument"),  # an underlag "Antagen av kommunfullmäktige 2017-04-20 § 43"
])
def test_document_kind_set11(relative, expected):
    assert load_set11(relative).doctype == expected


@pytest.mark.parametrize("relative, body", [
    (SET11_DELEGATION, "Barn- och ungdomsnämnden"),  # "BARN- OCH UNGDOMSNÄMNDEN § ....": the capitals' "OCH"
    (SET11_LEASE, "Kultur- och utbildningsnämnden"),  # signed for "Kultur- & utbildningsnämnden"
    (SET11_MOTION, "Kommunfullmäktige"),  # "föreslår vi att kommunfullmäktige beslutar"
    # the auditors' letterhead "REVISORERNA", a copy "Till kommunfullmäktige för kännedom"
    (SET11_MISSIV, "Kommunens revisorer"),
    (SET11_AUDIT, "Kommunens revisorer"),  # "har av Alingsås kommuns revisorer fått i uppdrag"
])
def test_body_set11(relative, body):
    assert load_set11(relative).body == body


@pytest.mark.parametrize("relative", [
    "mark-kommun/Oversiktsplan_del1_Strategier_och_avvagningar.txt",
    "mark-kommun/Oversiktsplan_del2_Kartor_och_bestammelser.pdf",
    # its credit follows an appended KF extract whose "Beslutet skickas till" list ends at two blank lines
    "mark-kommun/Oversiktsplan_del3_Underlag.txt",
])
def test_unit_from_a_credit(relative):
    """"Översiktsplanen har utarbetats av bygg- och miljökontorets byggenhet, Marks kommun"."""
    assert load_set11(relative).unit == "Bygg- och miljökontoret"


def test_a_recipient_list_ends_at_a_page_break_or_two_blank_lines():
    from ingest.extract.organization import without_recipient_lists

    text = ("§ 43 Översiktsplan\nBeslutet skickas till\nKommunstyrelsen\nSamhällsbyggnadsenheten\n\n\n\n"
            "Justerandes sign\n\fÖversiktsplanen har utarbetats av bygg- och miljökontoret.")
    assert without_recipient_lists(text).endswith("\n\n\nJusterandes sign\n\fÖversiktsplanen har utarbetats av bygg- och miljökontoret.")
    assert "Samhällsbyggnadsenheten" not in without_recipient_lists(text)


@pytest.mark.parametrize("relative, date, kind", [
    # the title block's "Antagande: 2025-03-13", not its "Upprättad datum: 2022-02-03"
    ("mark-kommun/melltorp_plankarta.pdf", "2025-03-13", "antagen"),
    # "Plan- och genomförandebeskrivning (den här handlingen) 2026-02-16" in its list of papers,
    # not the case's "Påbörjad: 2025-05-16" nor "Antagande beräknas ske första kvartalet 2027"
    ("mark-kommun/planbeskrivning.txt", "2026-02-16", "den här handlingen"),
])
def test_date_of_a_plan(relative, date, kind):
    meta = load_set11(relative)
    assert (meta.date, meta.date_kind) == (date, kind)
