"""The ingest run on the Whoosh backend's own files: a damaged or older index rebuilt from the
catalog, and the analysis done in worker processes indexing exactly what the writer would."""
from index.backends.whoosh.engine import WhooshEngine
from index.backends.whoosh.store import IndexStore
from ingest.catalog.database import Catalog
from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import Ingester, ingest_paths
from tests.ingest.pipeline.test_runner import catalog_ids, index_ids


def test_damaged_index_is_rebuilt_from_the_catalog(tmp_path, corpus):
    data = DataDir.create(tmp_path / "data")
    ingest_paths(data, [corpus / "seeds"])
    live = IndexStore(data.index_path).current_dir()
    for segment in live.glob("*.seg"):
        segment.write_bytes(b"garbage")
    summary = ingest_paths(data, [corpus / "seeds"])
    assert summary.reindexed == 5
    assert IndexStore(data.index_path).current_dir() != live
    assert index_ids(data) == catalog_ids(data)


def test_an_index_with_an_older_schema_is_rebuilt(tmp_path, corpus):
    from whoosh import fields
    from whoosh import index as whoosh_index

    data = DataDir.create(tmp_path / "data")
    ingest_paths(data, [corpus / "seeds"])
    live = IndexStore(data.index_path).current_dir()
    old = fields.Schema(id=fields.ID(stored=True, unique=True), text=fields.TEXT())
    whoosh_index.create_in(live, old, indexname="MAIN")  # as an earlier release left it
    summary = ingest_paths(data, [corpus / "seeds"])
    assert summary.reindexed == 5
    assert index_ids(data) == catalog_ids(data)
    ix = IndexStore(data.index_path).open()
    assert "statement" in ix.schema.names()


def test_analysis_in_workers_indexes_what_the_writer_would(tmp_path, corpus):
    """Pre-analysed fields (jobs > 1) give the very terms, positions and frequencies of a rebuild."""
    data = DataDir.create(tmp_path / "data")
    ingest_paths(data, [corpus / "seeds", corpus / "real/kungsbacka-kommunhandlingar"], jobs=2)

    def postings(store):
        """(field, term) → sorted [(document id, positions or None)] over the whole index."""
        ix = store.open()
        with ix.searcher() as s:
            r = s.reader()
            ids = {docnum: fields["id"] for docnum, fields in r.iter_docs()}
            out = {}
            for fieldname, term in r.all_terms():
                if fieldname == "ingested":
                    continue
                m = r.postings(fieldname, term)
                positional = m.supports("positions")
                found = []
                while m.is_active():
                    found.append((ids[m.id()], tuple(m.value_as("positions")) if positional else None))
                    m.next()
                out[(fieldname, term)] = sorted(found)
            return out

    store = IndexStore(data.index_path)
    before = postings(store)
    Ingester(data).rebuild_index()
    after = postings(store)
    assert before == after and len(before) > 1000
    from index.query.parser import SearchRequest
    from index.search.searcher import Searcher
    c = Catalog(data.catalog_path)
    phrase = Searcher(WhooshEngine(store.root)).search(SearchRequest(q='"Förändring av ärendelista"'), c)
    assert phrase.total >= 1
