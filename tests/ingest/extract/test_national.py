"""National documents (Government Offices, Riksdag, authorities) on real pages from
the committed corpus (tests/fixtures/corpus): ministries, committees, statutes, the government's case numbers."""
import pytest

from ingest.extract import dnr
from ingest.extract.dates import date_in_name, year_in_path
from ingest.extract.organization import canonical_body, ministry_of
from ingest.pipeline.runner import prepare


@pytest.fixture(scope="module")
def meta(corpus):
    def get(relative: str, hints: dict | None = None):
        path = corpus / relative
        return prepare(str(path), path.name, path.read_bytes(), hints).meta
    return get


def test_a_quoted_minister_names_the_ministry(meta):
    m = meta("real/regeringen-g0vse/pressmeddelanden/2023/06/"
             "regeringen-uppmanar-kommunerna-att-se-over-beredskapen-infor-en-eventuell-varmebolja-i-sommar.md")
    assert (m.organization, m.body) == ("Regeringen", "Socialdepartementet")


def test_a_minister_title_of_the_2023_ministries_is_read_by_the_documents_year(meta):
    m = meta("bulk/regeringen/pressmeddelanden/2023/10/"
             "landsbygdsminister-peter-kullgren-deltar-i-jordbruks--och-fiskeradet-i-luxemburg.md")
    assert m.body == "Landsbygds- och infrastrukturdepartementet" and m.organization == "Regeringen"
    assert ministry_of("landsbygdsminister", 2021) == "Näringsdepartementet"
    assert ministry_of("landsbygdsminister", None) is None  # no year, no guess


def test_a_bill_names_its_ministrys_case_file_as_its_own_dnr(meta):
    m = meta("real/riksdagen-gco/bill_2022_23_110.html")
    assert m.dnr == ("S2023/01343",) and m.organization == "Regeringen"
    assert m.doctype == "annat"


def test_a_proposition_is_not_a_protokollsutdrag(meta):
    m = meta("real/ferenda/proptrips/downloaded/2012-13/144/index.docx")
    assert m.doctype == "annat"
    assert "N2013/969/RS" in m.dnr


def test_a_committee_report_is_the_committees(meta):
    m = meta("real/riksdagen-gco/report_2022_23_juu31.html")
    assert (m.organization, m.body) == ("Riksdagen", "Justitieutskottet")


def test_a_statute_is_a_styrdokument_of_its_ministry(meta):
    m = meta("real/riksdagen-gco/law_2023_482.html")
    assert m.doctype == "styrdokument"
    assert (m.organization, m.body, m.date) == ("Regeringen", "Landsbygds- och infrastrukturdepartementet",
                                                "2023-06-22")


def test_an_authoritys_regulations_name_the_authority(meta):
    m = meta("real/ferenda/sosfs/downloaded/konsolidering-sosfs-2005/27/index.html")
    assert (m.doctype, m.organization) == ("styrdokument", "Socialstyrelsen")


def test_where_reports_go_names_the_ministry_and_a_deadline_is_no_date(meta):
    m = meta("bulk/regeringen/remisser/2024/02/remiss-av-eus-klimatmal-2040-och-industriell-koldioxidforvaltning.md")
    assert m.body == "Klimat- och näringslivsdepartementet"
    assert m.date is None  # "senast den 30 april 2024" is the answers' deadline


def test_a_hint_beats_a_passing_mention_and_the_file_name_dates_a_post(meta):
    m = meta("real/gotland-figotland/2016-09-27-rapport-fran-fullmaktige.markdown",
             {"organization": "Feministiskt initiativ Gotland"})
    assert (m.organization, m.date) == ("Feministiskt initiativ Gotland", "2016-09-27")


def test_several_numbers_after_one_label_are_all_labelled():
    found = dnr.find("# Uppdrag till Göteborgs universitet\nDiarienummer: U2025/01526 U2025/01882\n")
    assert [(m.canonical, m.labelled) for m in found] == [("U2025/01526", True), ("U2025/01882", True)]


def test_small_helpers():
    assert canonical_body("Kommunstyrelseförvaltningen") == "Kommunstyrelseförvaltningen"
    assert canonical_body("Klimat-och näringslivsdepartementet") == "Klimat- och näringslivsdepartementet"
    assert date_in_name("x/Riktlinjer-Mot_mutor_och_jäv-20131213.md") == "2013-12-13"
    assert date_in_name("2019/12/uppdrag.md") is None
    assert year_in_path("https://www.regeringen.se/pressmeddelanden/2023/05/x/") == 2023


def test_the_bodies_a_remiss_was_sent_to_did_not_write_it(meta):
    m = meta("bulk/regeringen/remisser/2018/03/"
             "remiss-sou-2017104-etikprovning--en-oversyn-av-reglerna-om-forskning-och-halso--och-sjukvard.md")
    assert (m.organization, m.body) == ("Regeringen", None)  # not JO, first of 106 recipients


def test_a_speaker_named_before_the_title_names_the_ministry(meta):
    m = meta("bulk/regeringen/pressmeddelanden/2023/06/"
             "diskrimineringsombudsmannen-far-i-uppdrag-att-genomfora-sarskilda-utbildningsinsatser-om-diskriminering.md")
    assert m.body == "Arbetsmarknadsdepartementet"  # "säger Paulina Brandberg jämställdhets- och biträdande arbetsmarknadsminister"


def test_a_ministry_name_broken_at_a_line_end_is_read_whole(meta):
    m = meta("bulk/regeringen/regeringsuppdrag/2025/12/uppdrag-till-trafikanalys-att-forbereda-overforing-av-"
             "uppgifter-till-myndigheten-for-tillvaxtpolitiska-utvarderingar-och-analyser-samt-forbereda-"
             "avveckling-av-trafikanalys.md")
    assert m.body == "Landsbygds- och infrastrukturdepartementet" and m.dnr == ("LI2025/02012",)
    assert canonical_body("Klimat-och näringslivsdepartementet") == "Klimat- och näringslivsdepartementet"


def test_a_deadline_on_a_weekday_is_no_date(meta):
    m = meta("bulk/regeringen/remisser/2020/06/"
             "promemoria-utbetalning-av-garantipension-inom-ees-och-i-schweiz-samt-i-forenade-kungariket.md")
    assert m.date is None and m.body == "Socialdepartementet"  # "senaste fredagen den 31 juli 2020"


def test_a_number_cited_in_a_sentence_is_not_the_pages_own(meta):
    m = meta("bulk/regeringen/regeringsuppdrag/2016/02/"
             "andring-av-uppdrag-om-riktade-insatser-inom-landsbygdsprogrammet-20142020.md")
    # "Med ändring av regeringens beslut den 28 augusti 2014, dnr L2014/ 02184/ELT, uppdrar ..."
    assert m.dnr == () and m.dnr_mentioned == ("L2014/02184/ELT",)
    m = meta("bulk/regeringen/remisser/2017/07/remiss-n201704696rs.md")
    assert m.dnr == ("N2017/04696/RS",)  # in the page's title: "Remiss N2017/04696/RS Ändringar i ..."


def test_the_government_deciding_is_the_author_not_the_authority_given_the_task(meta):
    m = meta("bulk/regeringen/regeringsuppdrag/2025/06/uppdrag-till-socialstyrelsen-att-stotta-"
             "arbetet-med-att-starka-kompetensen-och-kvaliteten-pa-hvb-och-stodboende.md")
    assert (m.organization, m.dnr) == ("Regeringen", ("S2025/01231",))
    m = meta("bulk/regeringen/regeringsuppdrag/2017/02/uppdrag-till-statskontoret-att-gora-en-analys-av-riksteatern.md")
    assert m.body is None and m.organization == "Regeringen"  # Statskontoret is an authority


def test_a_ministry_name_across_lines_and_the_first_of_two(meta):
    m = meta("bulk/regeringen/regeringsuppdrag/2025/09/uppdrag-till-havs--och-vattenmyndigheten-att-"
             "utreda-forutsattningarna-for-att-varna-havsoringsbestandets-fortlevnad-i-dalalven.md")
    assert m.body == "Landsbygds- och infrastrukturdepartementet"
    m = meta("bulk/regeringen/regeringsuppdrag/2012/03/uppdrag-att-utvardera-satsning-pa-skolor-i-utanforskapsomraden.md")
    assert m.body == "Utbildningsdepartementet"  # "(Utbildningsdepartementet och Arbetsmarknadsdepartementet)"


def test_a_government_assignment_is_annat_whatever_it_asks_for(meta):
    m = meta("bulk/regeringen/regeringsuppdrag/2022/10/andring-av-uppdraget-att-ta-fram-ett-"
             "handlingsprogram-for-laddinfrastruktur-och-tankinfrastruktur-for-vatgas.md")
    assert m.doctype == "annat"  # not the handlingsprogram it asks for
    m = meta("bulk/regeringen/regeringsuppdrag/2017/12/regleringsbrev-for-budgetaret-2018-avseende-"
             "bolagsverket-inom-utgiftsomrade-24-naringsliv.md")
    assert m.doctype == "styrdokument"


def test_where_a_report_goes_names_the_ministry_in_its_many_spellings(meta):
    m = meta("bulk/regeringen/regeringsuppdrag/2009/08/ij20091452disk.md")
    assert m.body == "Integrations- och jämställdhetsdepartementet"  # "Regeringskansliet, (Integrations- ...)"
    m = meta("bulk/regeringen/regeringsuppdrag/2014/02/u20141281uc.md")
    assert m.body == "Socialdepartementet"  # "(Socialdepartementet, med kopia till Utbildningsdepartementet)"
    m = meta("bulk/regeringen/regeringsuppdrag/2016/06/"
             "uppdrag-till-skydd-for-barn-mot-manniskohandel-exploatering-och-sexuella-overgrepp.md")
    assert m.body == "Socialdepartementet"  # "ska redovisas senast den ... till Socialdepartementet"


def test_a_two_part_minister_title_after_says(meta):
    m = meta("bulk/regeringen/pressmeddelanden/2023/08/"
             "lars-loow-blir-vikarierande-generaldirektor-och-chef-for-arbetsformedlingen.md")
    assert m.body == "Arbetsmarknadsdepartementet"  # "säger arbetsmarknads- och integrationsminister Johan Pehrson"


def test_a_deadline_broken_onto_the_next_line_is_no_date(meta):
    m = meta("bulk/regeringen/remisser/2017/11/"
             "remiss-av-promemorian-kompletterande-bestammelser-till-eus-forordning-om-penningmarknadsfonder.md")
    assert m.date is None and m.body == "Finansdepartementet"  # "... senast den\n9 januari 2018."
