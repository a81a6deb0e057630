"""Cached totals and facet counts (index/search/searcher.py) follow the index as it changes."""
import shutil

from index.backends.whoosh.engine import WhooshEngine
from index.query.parser import SearchRequest
from index.search.searcher import Searcher
from ingest.catalog.database import Catalog
from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import ingest_paths


def test_counts_are_recomputed_after_a_commit(tmp_path, corpus):
    src = tmp_path / "src"
    src.mkdir()
    seeds = sorted((corpus / "seeds").glob("*.txt"))
    shutil.copy(seeds[0], src)
    data = DataDir.create(tmp_path / "data")
    ingest_paths(data, [src])
    searcher = Searcher(WhooshEngine(data.index_path))
    catalog = Catalog(data.catalog_path, readonly=True)
    req = SearchRequest(q="peer support")
    first = searcher.search(req, catalog)
    assert first.total == 1
    assert searcher.search(SearchRequest(q="peer support", page=2), catalog).total == 1  # from the cache
    for seed in seeds[1:]:
        shutil.copy(seed, src)
    ingest_paths(data, [src])
    after = searcher.search(req, catalog)
    assert after.total == 5
    assert sum(after.facets["doctype"].values()) == 5
    catalog.close()
