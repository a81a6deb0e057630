"""Queries answered over numpy arrays of the postings (index/backends/whoosh/arrays.py) on real documents: the
same matches, totals, facet counts and order as Whoosh's own full evaluation."""
import shutil

import pytest
from whoosh import query as wq

from index.analysis.chain import terms
from index.backends.whoosh.arrays import ArrayIndex, ArrayView, Unsupported, restrict
from index.backends.whoosh.engine import WhooshEngine
from index.backends.whoosh.store import IndexStore
from index.backends.whoosh.translate import to_whoosh
from index.query.parser import SearchRequest, build
from index.search.searcher import Searcher
from ingest.catalog.database import Catalog
from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import ingest_paths

PARTS = [
    "seeds",
    "real/kungsbacka-kommunhandlingar",
    "real/regeringen-g0vse",
    "real/botkyrka-bobot-converted/Hemtjänst",
    "real/riksdagen-gco/bill_2022_23_126.html",
]
QUERIES = [
    SearchRequest(q="kommun"),
    SearchRequest(q="psykiatrin"),
    SearchRequest(q="hälso- och sjukvård"),
    SearchRequest(q="kommunal hälso- och sjukvård"),
    SearchRequest(q="skola OR förskola"),
    SearchRequest(q='"särskilt uttalande"'),
    SearchRequest(q='"hälso- och sjukvården"'),
    SearchRequest(q="bygg*"),
    SearchRequest(q="budget NOT investering"),
    SearchRequest(q="regeringen -kommun"),
    SearchRequest(q="titel:protokoll"),
    SearchRequest(q="typ:protokoll bygglov"),
    SearchRequest(q="datum:[2024-01-01 TO 2024-12-31] bygglov"),
    SearchRequest(q="1.5.1-646/2018"),
    SearchRequest(q="VN-2024-00015"),
    SearchRequest(q="kommun", filters={"organization": "Kungsbacka kommun"}),
    SearchRequest(q="", filters={"doctype": "protokoll"}),
    SearchRequest(q="", filters={"party": "V", "statement": "särskilt uttalande"}),
    SearchRequest(q="kommun", filters={"date_from": "2020-01-01", "date_to": "2024-06-30"}),
    SearchRequest(q="kommun", sort="date"),
    SearchRequest(q="kommun", sort="recency"),
    SearchRequest(q="kommun", page=2),
    SearchRequest(q=""),
]


@pytest.fixture(scope="module")
def archive(corpus, tmp_path_factory):
    data = DataDir.create(tmp_path_factory.mktemp("arrays"))
    summary = ingest_paths(data, [corpus / p for p in PARTS], jobs=2)
    assert not summary.failures, summary.failures
    store = IndexStore(data.index_path)
    catalog = Catalog(data.catalog_path, readonly=True)
    yield store, catalog
    catalog.close()


@pytest.mark.parametrize("req", QUERIES, ids=lambda r: f"{r.q or '-'} {r.filters} {r.sort} {r.page}")
def test_totals_and_facets_equal_whooshs(archive, req):
    store, catalog = archive
    arrays, whoosh = Searcher(WhooshEngine(store.root)), Searcher(WhooshEngine(store.root, use_arrays=False))
    a, w = arrays.search(req, catalog), whoosh.search(req, catalog)
    assert a.total == w.total
    assert a.facets == w.facets
    assert a.total > 0 or req.q in ("VN-2024-00015",)


@pytest.mark.parametrize("req", [r for r in QUERIES if "*" not in r.q and "NOT" not in r.q and " -" not in r.q],
                         ids=lambda r: f"{r.q or '-'} {r.filters} {r.sort}")
def test_order_equals_whooshs_full_scoring(archive, req):
    """Ranked by the scores Whoosh computes for every match (ties by document number); by
    date, newest first. (Whoosh's own top-k search may skip a better document: the reference
    is its evaluation of every match.)"""
    store, _ = archive
    built = build(req)
    with store.open().searcher() as s:
        view = ArrayIndex().view(s)
        m = view.evaluate(to_whoosh(built.query))
        if built.filter is not None:
            m = restrict(m, view.evaluate(to_whoosh(built.filter)).ids)
        if req.sort == "recency":
            return  # its factor is checked by index.search.searcher's tests
        if req.sort == "date" or not req.q:
            got = view.top(m, 20, order="newest")
            dates = [s.reader().column_reader("date")[d] for d in got]
            assert dates == sorted(dates, reverse=True)
            return
        got = view.top(m, 20)
        everything = s.search(to_whoosh(built.query), limit=None, filter=to_whoosh(built.filter) if built.filter else None, terms=False)
        reference = sorted(((h.score, h.docnum) for h in everything), key=lambda sd: (-sd[0], sd[1]))
        assert got == [d for _, d in reference[:20]]
        scores = dict(zip(m.ids.tolist(), m.scores.tolist()))
        assert [round(scores[d], 6) for d in got] == [round(sc, 6) for sc, _ in reference[:20]]


def test_not_excludes_every_document_with_the_word(archive):
    """Whoosh's own AndNot lets some documents with the excluded word through; arrays do not."""
    store, _ = archive
    query = to_whoosh(build(SearchRequest(q="regeringen -kommun")).query)
    assert isinstance(query, wq.AndNot)
    with store.open().searcher() as s:
        found = set(ArrayIndex().view(s).evaluate(query).ids.tolist())
        wanted = {h.docnum for h in s.search(query.a, limit=None)}
        unwanted = {h.docnum for h in s.search(query.b, limit=None)}
    assert unwanted and found and found == wanted - unwanted


def test_unsupported_queries_fall_back_to_whoosh(archive, monkeypatch):
    store, catalog = archive
    with store.open().searcher() as s:
        with pytest.raises(Unsupported):
            ArrayIndex().view(s).evaluate(wq.FuzzyTerm("text", "kommun"))
    req = SearchRequest(q="psykiatrin")
    expected = Searcher(WhooshEngine(store.root)).search(req, catalog)

    def unsupported(self, q):
        raise Unsupported("test")

    monkeypatch.setattr(ArrayView, "evaluate", unsupported)
    fallback = Searcher(WhooshEngine(store.root)).search(req, catalog)
    assert expected.total > 0 and fallback.total == expected.total
    assert [h["id"] for h in fallback.hits] == [h["id"] for h in expected.hits]


def test_an_updated_document_counts_once(corpus, tmp_path):
    """After an update the old version is a deleted document in an older segment."""
    source = corpus / "seeds" / "000_c6a6d7e471c0821b.txt"
    folder = tmp_path / "docs"
    folder.mkdir()
    copy = folder / source.name
    shutil.copy(source, copy)
    data = DataDir.create(tmp_path / "data")
    ingest_paths(data, [folder, corpus / "seeds" / "001_e51f5a689c1ba08a.txt"])
    copy.write_text(copy.read_text(encoding="utf-8") + "\nTillägg om peer support-verksamhet.\n",
                    encoding="utf-8")
    assert ingest_paths(data, [folder]).count("updated") == 1
    store, catalog = IndexStore(data.index_path), Catalog(data.catalog_path, readonly=True)
    arrays, whoosh = Searcher(WhooshEngine(store.root)), Searcher(WhooshEngine(store.root, use_arrays=False))
    for q in ("peer support", "socialnämnden", "tillägg"):
        a, w = arrays.search(SearchRequest(q=q), catalog), whoosh.search(SearchRequest(q=q), catalog)
        assert a.total == w.total and len({h["id"] for h in a.hits}) == len(a.hits)
    assert arrays.search(SearchRequest(q="peer support"), catalog).total == 2
    assert arrays.search(SearchRequest(q="tillägg"), catalog).total == 1
    catalog.close()


@pytest.mark.parametrize("text, slop", [
    ("hälso- och sjukvård", 2),            # a stop word between
    ("särskilt uttalande", 1),
    ("kommunal sjukvård", 6),              # the proximity phrase's slop
    ("regeringen regeringen", 40),         # a word twice: two positions, not one
    ("nationella skogsprogrammet", 1),
    ("byggnadsnämnden beslutar att", 4),   # three words, a chain of positions
    ("kommun ingetsådantord", 1),          # a word the index lacks
])
def test_phrase_positions_equal_whooshs_span_matcher(archive, text, slop):
    """Phrases are checked on the positions of the words' postings; the same documents and
    scores as Whoosh's own phrase matcher (SpanNear2) over every candidate."""
    store, _ = archive
    words = terms(text)
    with store.open().searcher() as s:
        view = ArrayIndex().view(s)
        q = wq.Phrase("text", words, slop=slop, boost=1.5)
        candidates = view.evaluate(wq.Or([wq.Term("text", w) for w in words])).ids  # not all hold every word
        ours, whooshs = view._phrase_check(q, candidates), view._phrase_check_whoosh(q, candidates)
        assert ours.ids.tolist() == whooshs.ids.tolist()
        assert [round(x, 6) for x in ours.scores.tolist()] == [round(x, 6) for x in whooshs.scores.tolist()]
        assert len(ours.ids) > 0 or "ingetsådantord" in text
