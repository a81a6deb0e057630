"""The engine switch end to end: `python -m ingest --engine opensearch` fills the cluster from
the bundled samples, `python -m web --engine opensearch`'s options serve them through the JSON
API, and the same corpus ingested into Whoosh gives the same answers to a set of queries."""
import uuid
from pathlib import Path

import pytest

from index.engine import EngineSettings, open_engine
from index.options import engine_options
from ingest.__main__ import main as ingest_main
from ingest.catalog.database import Catalog
from ingest.catalog.datadir import DataDir
from web import options as web_options
from web.app import create_app

SAMPLES = Path(__file__).resolve().parents[4] / "samples"

# Queries of every kind the parser makes: words, inflections, phrases across stop words, prefixes,
# a field, a dnr, boolean operators, English, a facet filter.
QUERIES = [
    {"q": "kommun"},
    {"q": "kommunstyrelsen beslut"},
    {"q": "särskilda uttalanden"},
    {"q": '"hälso- och sjukvård"'},
    {"q": "sjukv*"},
    {"q": "budget OR investering"},
    {"q": "skola NOT förskola"},
    {"q": "title:protokoll"},
    {"q": "äldreomsorg hemtjänst"},
    {"q": "peer support"},
    {"q": "Tobisviksbadet"},
    {"q": "regeringen uppdrag"},
    {"q": "kommun", "doctype": "protokoll"},
]


@pytest.fixture(scope="module")
def cluster_flags(opensearch_cluster):
    return ["--engine", "opensearch", "--opensearch-url", ",".join(opensearch_cluster.urls),
            "--opensearch-index", f"switch-{uuid.uuid4().hex[:8]}"]


def _ingest(root: Path, flags: list[str]) -> Path:
    code = ingest_main(["--data", str(root), "--jobs", "1", "--quiet", *flags,
                        str(SAMPLES / "seeds"), str(SAMPLES / "real")])
    assert code == 0
    return root


@pytest.fixture(scope="module")
def opensearch_archive(tmp_path_factory, cluster_flags):
    return _ingest(tmp_path_factory.mktemp("os-archive"), cluster_flags)


@pytest.fixture(scope="module")
def whoosh_archive(tmp_path_factory):
    return _ingest(tmp_path_factory.mktemp("whoosh-archive"), ["--engine", "whoosh"])


@pytest.fixture(scope="module")
def opensearch_client(opensearch_archive, cluster_flags):
    args = web_options.parse(["--data", str(opensearch_archive), *cluster_flags], environ={})
    app = create_app(args.data, {"TESTING": True}, engine=EngineSettings(**engine_options(args)))
    return app.test_client()


@pytest.fixture(scope="module")
def whoosh_client(whoosh_archive):
    return create_app(whoosh_archive, {"TESTING": True}).test_client()


def _search(client, **params) -> dict:
    r = client.get("/api/search", query_string={"per_page": 10, **params})
    assert r.status_code == 200, r.data
    return r.get_json()


def test_the_ingest_wrote_to_the_cluster(opensearch_archive, cluster_flags):
    flags = dict(zip(cluster_flags[::2], cluster_flags[1::2]))
    engine = open_engine(None, EngineSettings(backend="opensearch", opensearch_url=flags["--opensearch-url"],
                                              opensearch_index=flags["--opensearch-index"]))
    data = DataDir.existing(opensearch_archive)
    catalog = Catalog(data.catalog_path, readonly=True)
    try:
        assert engine.reader().doc_count() == len(catalog.iter_ids()) > 20
        assert engine.is_healthy() == (True, "")
        assert not any(data.index_path.iterdir()) if data.index_path.exists() else True  # no Whoosh index
    finally:
        catalog.close()
        engine.close()


def test_web_api_searches_the_cluster(opensearch_client):
    data = _search(opensearch_client, q="Tobisviksbadet")
    assert data["total"] >= 1
    doc = opensearch_client.get(f"/api/documents/{data['hits'][0]['id']}").get_json()
    assert "tobisviksbadet" in " ".join(p["text"] for p in doc["pages"]).lower()
    hit = _search(opensearch_client, q="peer support")["hits"][0]
    assert "<mark>" in hit["snippet"]  # snippets from Diariet's Python, as with Whoosh
    assert set(_search(opensearch_client, q="kommun")["facets"]) >= {"doctype", "organization", "year", "party"}


@pytest.mark.parametrize("params", QUERIES, ids=[" ".join(p.values()) for p in QUERIES])
def test_whoosh_and_opensearch_answer_alike(params, whoosh_client, opensearch_client):
    ours, theirs = _search(whoosh_client, **params), _search(opensearch_client, **params)
    assert theirs["total"] == ours["total"]
    assert theirs["facets"] == ours["facets"]
    theirs_ids, our_ids = [h["id"] for h in theirs["hits"]], [h["id"] for h in ours["hits"]]
    if ours["total"] <= 10:  # every match on the page: the same documents
        assert set(theirs_ids) == set(our_ids)
    # The same top documents, give or take one of the first five: the scores are BM25 on the same
    # terms and statistics (dfs_query_then_fetch), but Lucene's idf and its one-byte length norms
    # are not Whoosh's (docs/opensearch.md, "Ranking").
    top = min(5, len(our_ids))
    assert len(set(theirs_ids[:5]) & set(our_ids[:5])) >= top - 1, (theirs_ids, our_ids)
