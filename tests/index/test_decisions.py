"""The decision index (index/decisions.py): §§ of real protocols as search units in SQLite FTS5."""
import gzip
import json
from pathlib import Path

import pytest

from index.decisions import DecisionIndex, DecisionRequest, to_fts
from index.query.parser import SearchRequest, build
from ingest.extract.metadata import extract
from ingest.model import Document, Page, ParsedDocument

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "decisions"


def fixture_document(name_part: str, version: int = 1) -> Document:
    for f in sorted(FIXTURES.glob("*.pages.json.gz")):
        d = json.loads(gzip.decompress(f.read_bytes()))
        if name_part in d["path"]:
            pages = tuple(Page(p["number"], p["text"], p["has_text_layer"]) for p in d["pages"])
            meta = extract(ParsedDocument(d["media_type"], pages), d["path"].split("/")[-1])
            return Document(id=f.name[:16], source=d["path"], sha256=d["sha256"], media_type=d["media_type"],
                            size=1, pages=list(pages), meta=meta, version=version)
    raise LookupError(name_part)


@pytest.fixture(scope="module")
def docs():
    return [fixture_document(n) for n in ("simrishamn", "jonkoping", "protokoll-kf-2026-03-25")]


@pytest.fixture()
def index(tmp_path, docs):
    ix = DecisionIndex(tmp_path / "decisions.sqlite")
    ix.replace(docs)
    yield ix
    ix.close()


def test_every_paragraph_is_a_unit(index, docs):
    assert index.count() == sum(len(d.meta.paragraphs) for d in docs)
    assert [h["number"] for h in index.for_document(docs[0].id)][:3] == ["66", "67", "68"]


def test_search_words_in_any_inflection_and_facets(index):
    found = index.search(DecisionRequest(q="motionen"))  # "motion", "motionen", "motioner"
    assert found["total"] >= 4
    assert found["facets"]["organization"] == {"Alingsås kommun": found["total"]}
    assert set(found["facets"]["outcome"]) <= {"avslag", "besvarad", "anmäld", "bifall"}
    assert index.search(DecisionRequest(q="motionen", filters={"outcome": "besvarad"}))["total"] == 2


def test_phrases_not_and_prefix(index):
    assert index.search(DecisionRequest(q='"kommunala aktivitetsansvaret"'))["total"] >= 2
    both = index.search(DecisionRequest(q="motion"))["total"]
    without = index.search(DecisionRequest(q="motion -ungdomar"))["total"]
    assert 0 < without < both
    assert index.search(DecisionRequest(q="planhandl*"))["total"] >= 2


def test_a_dnr_query_finds_the_case(index):
    hits = index.search(DecisionRequest(filters={"dnr": "2020/91"}))["hits"]
    assert [h["number"] for h in hits] == ["77"]
    assert [h["number"] for h in index.for_keys(["202091"])] == ["77"]


def test_replace_removes_the_old_version_and_sync_follows_the_catalog(tmp_path, docs):
    ix = DecisionIndex(tmp_path / "d.sqlite")
    ix.replace(docs)
    ix.replace([docs[0]])
    assert ix.count() == sum(len(d.meta.paragraphs) for d in docs)

    class Catalog:  # what sync() needs of ingest.catalog.database.Catalog
        def versions_of(self, doctypes):
            return {docs[1].id: 2}

        def get_many(self, ids):
            return {i: fixture_document("jonkoping", version=2) for i in ids}

    replaced = ix.sync(Catalog())
    assert replaced == 1 and ix.versions() == {docs[1].id: 2}
    ix.close()


def test_similar_decisions_share_distinctive_words(index, docs):
    (p77,) = [h for h in index.for_document(docs[0].id) if h["number"] == "77"]
    similar = index.similar(p77["id"])
    assert similar and p77["id"] not in {h["id"] for h in similar}
    assert any("detaljplan" in h["title"].lower() for h in similar)


def test_party_roles(index):
    s = index.party("S")
    assert s["roles"]["reserverade sig"] == 1 and s["roles"]["röstade ja"] == 1
    assert s["years"]["2024"] >= 1 and s["bodies"]["Samhällsplaneringsnämnden"] >= 1
    assert sum(s["topics"].values()) == s["total"] == len(s["hits"])


def test_party_by_topic(index):
    s = index.party("S")
    assert all(h["topic"] in s["topics"] for h in s["hits"])
    topic, n = next(iter(s["topics"].items()))
    narrowed = index.party("S", {"topic": topic})
    assert narrowed["total"] == n and {h["topic"] for h in narrowed["hits"]} == {topic}
    assert sum(narrowed["years"].values()) == n
    assert narrowed["topics"] == s["topics"]  # the topic facet still lists every topic
    assert index.party("S", {"topic": "inget sådant ämne"})["total"] == 0


def test_appealable_between_posting_and_deadline(index):
    assert {h["appeal_deadline"] for h in index.appealable("2024-05-10")} == {"2024-05-24"}
    assert index.appealable("2024-05-25") == []
    assert index.appealable("2024-05-02") == []  # not yet posted


def test_fts_translation():
    assert to_fts(build(SearchRequest(q="budget")).query).count('"budget"') >= 2
    assert to_fts(build(SearchRequest(q='"a;b"')).query) is None or '"' in to_fts(build(SearchRequest(q='"a;b"')).query)
