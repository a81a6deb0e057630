"""The index.engine contract, written once and run on every backend (Whoosh and, on a real local
cluster, OpenSearch): real documents (samples/) go in through the engine's writer, queries in our IR."""
import uuid
from pathlib import Path

import pytest

from index.engine import EngineSettings, open_engine
from index.query import ir
from index.query.parser import SearchRequest, build
from ingest.catalog.database import Catalog
from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import ingest_paths
from ingest.pipeline.settings import Settings

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
BACKENDS = ["whoosh", "opensearch"]


def engine_settings(request, backend: str, **kwargs) -> EngineSettings:
    """The backend's settings; OpenSearch's on the session's cluster (tests/index/conftest.py),
    an index alias of this test's own."""
    if backend == "opensearch":
        cluster = request.getfixturevalue("opensearch_cluster")
        kwargs.update(opensearch_url=",".join(cluster.urls), opensearch_index=f"contract-{uuid.uuid4().hex[:8]}")
    return EngineSettings(backend=backend, **kwargs)


@pytest.fixture(scope="module", params=BACKENDS)
def archive(request, tmp_path_factory):
    data = DataDir.create(tmp_path_factory.mktemp(request.param))
    settings = Settings(jobs=1, engine=engine_settings(request, request.param, batch=10))
    summary = ingest_paths(data, [SAMPLES], settings=settings)
    assert summary.count("new") > 20, summary.failures
    engine = open_engine(data.index_path, settings.engine)
    catalog = Catalog(data.catalog_path, readonly=True)
    yield engine, catalog, data, settings
    engine.close()
    catalog.close()


def _search(engine, q: str, **filters):
    built = build(SearchRequest(q=q, filters=filters))
    return engine.reader().search(built.query, built.filter, 200)


def test_every_catalogued_document_is_found_once(archive):
    engine, catalog, _, _ = archive
    everything = engine.reader().search(ir.Every(), None, 1000, order="newest")
    assert everything.total == len(catalog.iter_ids()) == len(set(everything.ids)) == engine.reader().doc_count()


def test_facet_counts_are_exact(archive):
    engine, catalog, _, _ = archive
    results = _search(engine, "kommun")
    assert results.total and len(results.ids) == results.total
    docs = catalog.get_many(results.ids)
    doctypes: dict[str, int] = {}
    for doc in docs.values():
        doctypes[doc.meta.doctype] = doctypes.get(doc.meta.doctype, 0) + 1
    assert results.facets["doctype"] == dict(sorted(doctypes.items(), key=lambda kv: (-kv[1], kv[0])))


def test_a_filter_keeps_only_its_documents(archive):
    engine, catalog, _, _ = archive
    doctype = next(iter(_search(engine, "kommun").facets["doctype"]))
    results = _search(engine, "kommun", doctype=doctype)
    assert results.total == _search(engine, "kommun").facets["doctype"][doctype]
    assert {d.meta.doctype for d in catalog.get_many(results.ids).values()} == {doctype}


def test_relevance_order_is_by_score(archive):
    engine, _, _, _ = archive
    results = _search(engine, "kommunstyrelsen beslut")
    assert len(results.ids) > 2
    if results.scores:
        assert results.scores == sorted(results.scores, reverse=True)


def test_phrase_across_a_stop_word_and_prefix(archive):
    engine, catalog, _, _ = archive
    phrase = _search(engine, '"hälso- och sjukvård"')
    assert phrase.total
    for doc in catalog.get_many(phrase.ids).values():
        pages = " ".join(page.text for page in catalog.pages(doc.id))
        words = " ".join((doc.meta.title + " " + pages).lower().split())
        assert "hälso- och sjukvård" in words or "hälso- och sjukvården" in words
    prefix = _search(engine, "sjukv*")
    assert set(phrase.ids) <= set(prefix.ids)


@pytest.mark.parametrize("written, typed", [("Sandén", "Sanden"), ("diarré", "diarre"), ("Dunér", "Duner"),
                                            ("Kommittédirektiv", "Kommittedirektiv")])  # an English document too
def test_a_word_typed_without_its_accents_finds_it(archive, written, typed):
    engine, _, _, _ = archive
    accented, folded = _search(engine, written), _search(engine, typed)
    assert accented.total and set(accented.ids) <= set(folded.ids)


def test_similar_documents_exclude_the_document(archive):
    engine, catalog, _, _ = archive
    first = _search(engine, "kommun").ids[0]
    terms = {"kommun": 1.0, "nämnd": 0.5}
    similar = engine.reader().similar(terms, "text", first, 5)
    assert similar and first not in similar


def test_delete_and_replace_by_id(archive, tmp_path):
    engine, catalog, data, settings = archive
    doc = catalog.get(_search(engine, "kommun").ids[0])
    before = _search(engine, "kommun").total
    writer = engine.writer()
    writer.delete(doc.id)
    writer.commit()
    assert doc.id not in _search(engine, "kommun").ids
    assert _search(engine, "kommun").total == before - 1
    writer = engine.writer()
    prepared, _ = engine.prepare_function()(doc)
    writer.add(doc, prepared)
    writer.add(doc, prepared)  # replaced, not added twice
    writer.commit()
    assert _search(engine, "kommun").ids.count(doc.id) == 1
    assert _search(engine, "kommun").total == before


def test_a_small_batch_commits_during_the_run(tmp_path):
    """Ten documents per commit: the engine sees commits while the ingest goes on."""
    data = DataDir.create(tmp_path / "data")
    settings = Settings(jobs=1, engine=EngineSettings(batch=10, merge="commit"))
    commits = []
    from index.backends.whoosh.engine import WhooshWriter

    original = WhooshWriter.commit

    def counted(self):
        commits.append(1)
        original(self)

    WhooshWriter.commit = counted
    try:
        summary = ingest_paths(data, [SAMPLES], settings=settings)
    finally:
        WhooshWriter.commit = original
    assert len(commits) >= summary.count("new") // 10 >= 2
