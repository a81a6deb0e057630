"""Hints from a listing page (ingest/fetch/hints.py) and what extraction makes of them."""
from ingest.extract.metadata import extract
from ingest.fetch.hints import item_hints, link_title, listing_hints


def test_meeting_heading_gives_body_date_and_type():
    hints = listing_hints("§ 16 PEER support", ["Kommunstyrelsen 2020-11-04", "Protokollsutdrag"], "Region Halland")
    assert hints == {"organization": "Region Halland", "title": "§ 16 PEER support", "date": "2020-11-04",
                     "body": "Kommunstyrelsen", "doctype": "protokollsutdrag"}


def test_the_nearest_heading_wins_and_the_link_names_the_type_first():
    hints = listing_hints("Kallelse", ["Socialnämnden 2019-01-10", "Socialnämnden 2019-09-19", "Protokoll"], None)
    assert (hints["date"], hints["body"], hints["doctype"]) == ("2019-09-19", "Socialnämnden", "kallelse")
    assert listing_hints("Tjänsteskrivelse om budget", ["Tjänsteskrivelser"], None)["doctype"] == "tjänsteskrivelse"
    assert "date" not in listing_hints("Budget", ["Nyheter"], None)


def test_link_titles():
    assert link_title("Protokoll SPn april 2024 (pdf, 2,4 MB)") == "Protokoll SPn april 2024"
    assert link_title("Budget 2025 [PDF]") == "Budget 2025"
    assert link_title("Taxor 2025 pdf 120 kB") == "Taxor 2025"
    assert link_title("Ladda ner") is None and link_title("PDF") is None and link_title("  ") is None


def test_feed_items():
    assert item_hints("  Regeringen  tar nästa steg ", "2025-12-15", None) == {
        "title": "Regeringen tar nästa steg", "date": "2025-12-15"}


def test_hints_fill_only_what_the_document_leaves_open(parse_corpus):
    """The badanalys memo names no body, date or type; the SPn protocol names all three itself."""
    memo = parse_corpus("real/simrishamn-lundgren9/260330_badanalys.pdf")
    hints = listing_hints("Tobisviksbadet", ["Kultur- och fritidsnämnden 2026-03-31", "Tjänsteskrivelser"],
                          "Simrishamns kommun")
    meta = extract(memo, "https://www.simrishamn.se/kfn/260330_badanalys.pdf", hints)
    assert (meta.body, meta.date, meta.doctype, meta.organization) == (
        "Kultur- och fritidsnämnden", "2026-03-31", "tjänsteskrivelse", "Simrishamns kommun")
    protocol = parse_corpus("real/simrishamn-lundgren9/Protokoll  SPn april 2024_Bortredigerad.pdf")
    wrong = listing_hints("Protokoll", ["Kommunstyrelsen 2020-11-04", "Kallelse"], None)
    meta = extract(protocol, "https://www.simrishamn.se/spn/protokoll.pdf", wrong)
    assert (meta.body, meta.date, meta.doctype) == ("Samhällsplaneringsnämnden", "2024-04-25", "protokoll")
