"""+ and - are operators only at the start of a word (index/query/parser.py)."""
from index.backends.whoosh.engine import WhooshEngine
from index.query import ir
from index.query.parser import SearchRequest, build
from index.search.searcher import Searcher
from ingest.catalog.database import Catalog
from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import ingest_paths


def _walk(q):
    yield q
    for child in ir.children(q):
        yield from _walk(child)


def test_suspended_compound_and_hyphenated_words_are_not_negations():
    for text in ("kommunal hälso- och sjukvård", "e-post till nämnden", "covid-19"):
        q = build(SearchRequest(q=text)).query
        assert not [c for c in _walk(q) if isinstance(c, (ir.Not, ir.AndNot))], text


def test_minus_at_the_start_of_a_word_negates():
    q = build(SearchRequest(q="budget -investering")).query
    assert [c for c in _walk(q) if isinstance(c, ir.AndNot)]


def test_halso_och_sjukvard_finds_the_press_releases(tmp_path, corpus):
    data = DataDir.create(tmp_path / "data")
    ingest_paths(data, [corpus / "real/regeringen-g0vse/pressmeddelanden"])
    catalog = Catalog(data.catalog_path)
    result = Searcher(WhooshEngine(data.index_path)).search(
        SearchRequest(q="kommunal hälso- och sjukvård", per_page=20), catalog)
    titles = [h["title"] for h in result.hits]
    assert sum("hälso- och sjukvård" in t for t in titles) >= 3, titles
