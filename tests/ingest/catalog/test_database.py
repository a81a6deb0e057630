"""The catalog (ingest/catalog/database.py): documents, versions and cases."""
from pathlib import Path

import pytest

from ingest.catalog.database import Catalog, document_id_for, open_catalog
from ingest.catalog.datadir import DataDir
from ingest.extract import dnr
from ingest.model import Document, Metadata, Page
from ingest.pipeline.runner import dnr_keys, ingest_paths

CASES = Path(__file__).parents[2] / "fixtures" / "cases"


@pytest.fixture(params=["sqlite", "postgresql"])
def new_catalog(request, tmp_path):
    """A new empty catalog on each backend: the data directory's SQLite file, a PostgreSQL database."""
    location = request.getfixturevalue("postgres_catalog") if request.param == "postgresql" else tmp_path / "c.sqlite"
    catalog = open_catalog(location)
    yield catalog
    catalog.close()


def make(source, organization, own, doctype="annat", date=None, sha="0" * 64, body=None, mentioned=()):
    meta = Metadata(title=source, organization=organization, dnr=tuple(own), doctype=doctype, date=date, body=body,
                    dnr_mentioned=tuple(mentioned))
    return Document(id=document_id_for(source), source=source, sha256=sha, media_type="text/plain",
                    size=1, pages=[Page(1, "x")], meta=meta)


def test_same_number_in_two_organizations_is_two_cases(new_catalog):
    c = new_catalog
    for doc in (make("a", "Malmö stad", ["KS-2020-1234"]), make("b", "Lunds kommun", ["KS-2020-1234"])):
        c.save(doc, dnr_keys(doc))
    cases = c.cases_by_key(dnr.key("ks 2020 1234"))
    assert sorted(case["organization"] for case in cases) == ["Lunds kommun", "Malmö stad"]


def test_case_documents_in_the_order_a_case_runs(new_catalog):
    c = new_catalog
    docs = [make("p", "X kommun", ["KS-2020-1"], "protokoll", "2020-05-01"),
            make("t", "X kommun", ["KS-2020-1"], "tjänsteskrivelse", "2020-05-01"),
            make("m", "X kommun", ["KS-2020-1"], "motion", "2020-01-10"),
            make("u", "X kommun", ["KS-2020-1"], "protokollsutdrag", None)]
    for doc in docs:
        c.save(doc, dnr_keys(doc))
    (case,) = c.cases_by_key(dnr.key("KS-2020-1"))
    assert [d["doctype"] for d in case["documents"]] == ["motion", "tjänsteskrivelse", "protokoll", "protokollsutdrag"]


def test_kungsbacka_registers_are_not_merged(tmp_path, corpus):
    data = DataDir.create(tmp_path / "data")
    ingest_paths(data, [corpus / "real/kungsbacka-kommunhandlingar"])
    c = Catalog(data.catalog_path)
    bygg = c.cases_by_key(dnr.key("2024-00015"))
    val = c.cases_by_key(dnr.key("VN-2024-00015"))
    assert bygg and val
    assert {case["dnr"] for case in bygg} == {"2024-00015"}
    assert {case["dnr"] for case in val} == {"VN-2024-00015"}
    bygg_bodies = {d["body"] for case in bygg for d in case["documents"]}
    assert all("Byggnadsnämnd" in (b or "") for b in bygg_bodies), bygg_bodies
    # The case followed across a kallelse, the arbetsutskott's protokoll and the nämnd's protokoll:
    # the bare number is in the byggnadsnämnd's register, which its arbetsutskott writes in.
    (årsredovisning,) = c.cases_by_key(dnr.key("2024-00013"))
    assert {d["doctype"] for d in årsredovisning["documents"]} >= {"kallelse", "protokoll"}
    assert len(årsredovisning["documents"]) == 3
    # Learned from the archive: the byggnadsnämnd's prefixed numbers are BN's, so its bare ones are.
    assert årsredovisning["register"] == "BN"
    assert c.cases_by_key(dnr.key("BN-2024-00013")) == [årsredovisning]
    assert {case["register"] for case in c.cases_by_key(dnr.key("VN-2024-00015"))} == {"VN"}
    # A prefixed number names its register, whichever body's document carries it.
    (valsedlar,) = c.cases_by_key(dnr.key("VN-2023-00023"))
    assert valsedlar["register"] == "VN" and len(valsedlar["documents"]) >= 2


def test_two_nämnders_equal_bare_numbers_are_two_cases_and_a_prefixed_number_one(new_catalog):
    c = new_catalog
    # A protocol's §§' numbers are mentioned by the protocol (its own: only its header's).
    docs = [make("bygg-kallelse", "X kommun", ["2024-00013"], "kallelse", "2024-02-01", body="Byggnadsnämndens arbetsutskott"),
            make("bygg-protokoll", "X kommun", [], "protokoll", "2024-02-22", body="Byggnadsnämnden", mentioned=["2024-00013"]),
            make("miljo-protokoll", "X kommun", [], "protokoll", "2024-03-01", body="Miljönämnden", mentioned=["2024-00013"]),
            make("ks-skrivelse", "X kommun", ["BN-2024-00013"], "tjänsteskrivelse", body="Kommunstyrelsen"),
            make("bn-protokoll", "X kommun", ["BN-2024-00013"], "protokoll", body="Byggnadsnämnden")]
    for doc in docs:
        c.save(doc, dnr_keys(doc))
    bare = c.cases_by_key(dnr.key("2024-00013"))
    assert [(case["register"], [d["id"] for d in case["documents"]]) for case in bare] == [
        ("Byggnadsnämnden", [document_id_for("bygg-kallelse"), document_id_for("bygg-protokoll")]),
        ("Miljönämnden", [document_id_for("miljo-protokoll")])]
    (prefixed,) = c.cases_by_key(dnr.key("BN-2024-00013"))
    assert prefixed["register"] == "BN" and len(prefixed["documents"]) == 2
    assert [case["register"] for case in c.cases_by_key(dnr.key("2024-00013"), register="Miljönämnden")] == ["Miljönämnden"]


def test_a_number_cited_from_another_organization_links_to_its_case_but_is_not_its_own(new_catalog):
    c = new_catalog
    docs = [make("ks", "Alingsås kommun", ["2025.446 KS"], "tjänsteskrivelse", "2026-05-11", body="Kommunstyrelsen"),
            make("remiss", "Vårgårda kommun", ["KS 2026/12"], "remissvar", "2026-05-20", mentioned=["2025.446 KS"])]
    for doc in docs:
        c.save(doc, dnr_keys(doc))
    (case,) = c.cases_by_key(dnr.key("2025.446 KS"))
    assert case["organization"] == "Alingsås kommun" and case["register"] == "KS"
    assert [(d["id"], d["own"]) for d in case["documents"]] == [(document_id_for("ks"), True),
                                                                (document_id_for("remiss"), False)]


def test_one_case_across_the_bodies_that_handle_it(tmp_path):
    """Alingsås: the motion's number 2025.446 KS in KF § 204, KSAU § 76 and a tjänsteskrivelse."""
    data = DataDir.create(tmp_path / "data")
    ingest_paths(data, sorted(CASES.glob("*.txt")))
    (case,) = Catalog(data.catalog_path).cases_by_key(dnr.key("2025.446 KS"))
    assert case["organization"] == "Alingsås kommun" and case["register"] == "KS"
    assert len(case["documents"]) == 3 and all(d["own"] for d in case["documents"])
    assert len({d["body"] for d in case["documents"]}) >= 2


def test_an_old_catalog_gets_its_numbers_registers(tmp_path):
    path = tmp_path / "c.sqlite"
    c = Catalog(path)
    for doc in (make("bygg", "X kommun", ["2024-00013"], body="Byggnadsnämnden"),
                make("miljo", "X kommun", ["2024-00013"], body="Miljönämnden")):
        c.save(doc, dnr_keys(doc))
    c.db.execute("DROP INDEX document_dnr_number")
    c.db.execute("ALTER TABLE document_dnr DROP COLUMN register")
    c.db.execute("ALTER TABLE document_dnr DROP COLUMN number")
    c.db.execute("PRAGMA user_version=3")
    c.db.commit()
    c.close()
    reader = Catalog(path, readonly=True)  # the web's read-only open of a catalog before schema 4
    assert [case["register"] for case in reader.cases_by_key(dnr.key("2024-00013"))] == ["Byggnadsnämnden", "Miljönämnden"]
    reader.close()
    c = Catalog(path)  # the writer's open migrates
    rows = c.db.execute("SELECT register, number FROM document_dnr ORDER BY register").fetchall()
    assert [tuple(r) for r in rows] == [("Byggnadsnämnden", "202400013"), ("Miljönämnden", "202400013")]


def test_seeds_link_the_stockholm_case(tmp_path, corpus):
    data = DataDir.create(tmp_path / "data")
    ingest_paths(data, [corpus / "seeds"])
    c = Catalog(data.catalog_path)
    (case,) = c.cases_by_key(dnr.key("1.5.1-646/2018"))
    assert case["organization"] == "Stockholms stad"
    assert [d["doctype"] for d in case["documents"]] == ["tjänsteutlåtande", "protokollsutdrag"]
    (halland,) = c.cases_by_key(dnr.key("rs 200880"))
    assert halland["organization"] == "Region Halland"


def test_decision_records_survive_the_catalog(new_catalog):
    from ingest.model import MemberVote, Motion, Paragraph, Vote
    vote = Vote(4, 7, 0, None, {"S": {"yes": 3, "no": 0, "abstain": 0}}, (MemberVote("Anna Ek", "S", "yes"),), "att godkänna")
    paragraph = Paragraph("77", "Ändring av detaljplan", 22, ("2020/91",), "Inte godkänna planhandlingarna.",
                          proposed_by="Samhällsbyggnadsförvaltningen", motions=(Motion("Roland Thord", "M", "avslag", "Inte godkänna"),),
                          procedure="Omröstning begärs.", vote=vote, votes=(Vote(8, 3),), outcome="avslag",
                          as_proposed=False, changes=("Planarbetet avslutas.",), conflicts=("Per Persson",))
    doc = make("p", "Simrishamns kommun", ["2020/91"], "protokoll", "2024-04-25")
    doc.meta = Metadata(**{**doc.meta.__dict__, "paragraphs": (paragraph,), "posted_on": "2024-05-03",
                           "appeal_deadline": "2024-05-24", "appeal_note": "Tre veckor från anslaget 2024-05-03"})
    c = new_catalog
    c.save(doc, dnr_keys(doc))
    back = c.get(doc.id)
    assert back.meta.paragraphs == (paragraph,)
    assert back.meta.appeal_deadline == "2024-05-24"
    shape = back.to_dict()["paragraphs"][0]
    assert shape["vote"]["by_member"] == [{"name": "Anna Ek", "party": "S", "vote": "yes"}]
    assert shape["motions"][0]["position"] == "avslag" and shape["statements"] == []


def test_pages_keep_how_their_text_was_read_and_an_old_catalog_is_migrated(tmp_path):
    path = tmp_path / "c.sqlite"
    c = Catalog(path)
    c.save(make("old", None, []), {})
    c.db.execute("ALTER TABLE pages DROP COLUMN confidence")
    c.db.execute("ALTER TABLE pages DROP COLUMN ocr")
    c.db.execute("PRAGMA user_version=2")
    c.db.commit()
    c.close()
    reader = Catalog(path, readonly=True)  # the web's read-only open of a catalog before schema 3
    assert reader.pages(document_id_for("old")) == [Page(1, "x")]
    reader.close()
    c = Catalog(path)  # the writer's open migrates
    scanned = make("scan", None, [], sha="1" * 64)
    scanned.pages = [Page(1, "§ 620 Årsredovisning 2025", has_text_layer=False, ocr=True, confidence=0.914),
                     Page(2, "", has_text_layer=False, ocr=True, confidence=None)]
    scanned.parsed_meta = {"title": None, "date": None, "headings": [], "warnings": []}
    c.save(scanned, {})
    assert c.pages(scanned.id) == scanned.pages
    assert c.parsed("1" * 64).pages == tuple(scanned.pages)  # what identical bytes reuse
    assert c.pages(document_id_for("old")) == [Page(1, "x")]
    c.close()


def test_the_vocabulary_walk_and_a_text_with_a_nul_on_both_backends(new_catalog):
    """The suggestions' walk asks for the first word after w as w + NUL (index/search/vocabulary.py),
    and a PDF's text layer may hold a NUL, which PostgreSQL's text cannot: both work on both."""
    from collections import Counter

    c = new_catalog
    doc = make("nul", "X kommun", [])
    doc.pages = [Page(1, "Sid\x00a 1: nämnden beslutar")]
    c.save(doc, {})
    c.mark_indexed({doc.id: 1}, Counter({"nämnd": 1, "nämnden": 1, "nämnder": 1}))
    assert c.next_word("nämnd") == "nämnd"
    assert c.next_word("nämnd\x00") == "nämnden"
    assert c.next_word("nämnder\x00") is None
    assert c.get(doc.id).pages[0].text.replace("\x00", "") == "Sida 1: nämnden beslutar"
