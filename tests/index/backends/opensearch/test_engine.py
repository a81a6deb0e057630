"""The OpenSearch backend on the real cluster, beyond the engine contract (tests/index/contract/):
the index's shards and replicas, a rebuild behind the alias with searches answering throughout,
the health check; and bulk's retries against a client that refuses for a while."""
import threading
import uuid
from pathlib import Path

import pytest

from index.backends.opensearch import bulk
from index.backends.opensearch.mapping import prepared_source
from index.engine import EngineSettings, open_engine
from index.query import ir
from ingest.catalog.database import Catalog
from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import ingest_paths
from ingest.pipeline.settings import Settings

SEEDS = Path(__file__).resolve().parents[4] / "samples" / "seeds"


@pytest.fixture(scope="module")
def archive(opensearch_cluster, tmp_path_factory):
    data = DataDir.create(tmp_path_factory.mktemp("opensearch"))
    engine_settings = EngineSettings(backend="opensearch", batch=50, opensearch_url=",".join(opensearch_cluster.urls),
                                     opensearch_index=f"backend-{uuid.uuid4().hex[:8]}", shards=3, replicas=1)
    summary = ingest_paths(data, [SEEDS], settings=Settings(jobs=1, engine=engine_settings))
    assert summary.count("new") == len(list(SEEDS.glob("*.txt"))) >= 5, summary.failures
    engine = open_engine(data.index_path, engine_settings)
    catalog = Catalog(data.catalog_path, readonly=True)
    yield engine, catalog
    engine.close()
    catalog.close()


def test_three_shards_one_replica_each_on_another_node(archive, opensearch_cluster):
    engine, _ = archive
    (live,) = engine.live()
    engine.wait_for(live, "green")
    shards = engine.client.cat.shards(index=live, format="json")
    assert sorted((s["shard"], s["prirep"]) for s in shards) == sorted(
        (str(n), kind) for n in range(3) for kind in "pr")
    assert {s["state"] for s in shards} == {"STARTED"}
    primary = {s["shard"]: s["node"] for s in shards if s["prirep"] == "p"}
    assert all(primary[s["shard"]] != s["node"] for s in shards if s["prirep"] == "r")


def test_rebuild_moves_the_alias_while_searches_answer(archive):
    engine, catalog = archive
    ids = catalog.iter_ids()
    (before,) = engine.live()
    totals: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def search_throughout():
        while not done.is_set():
            try:
                totals.append(engine.reader().search(ir.Every(), None, 1).total)
            except BaseException as e:  # noqa: BLE001 - reported by the test
                errors.append(e)

    searcher = threading.Thread(target=search_throughout)
    searcher.start()
    try:
        assert engine.rebuild(catalog.iter_documents(ids)) == len(ids)
    finally:
        done.set()
        searcher.join(timeout=60)
    (after,) = engine.live()
    assert after != before
    assert not engine.client.indices.exists(index=before)
    assert not errors
    assert totals and set(totals) == {len(ids)}  # never an empty or half-built index
    assert engine.reader().doc_count() == len(ids)
    assert engine.is_healthy() == (True, "")


def test_health_names_a_missing_index_and_another_build(archive):
    engine, _ = archive
    other = open_engine(None, EngineSettings(backend="opensearch", opensearch_url=engine.settings.opensearch_url,
                                             opensearch_index=f"missing-{uuid.uuid4().hex[:8]}"))
    healthy, why = other.is_healthy()
    assert not healthy and "finns inte" in why
    other.ensure_index()
    (live,) = other.live()
    other.client.indices.put_mapping(index=live, body={"_meta": {"diariet": {"analysis": 0}}})
    healthy, why = other.is_healthy()
    assert not healthy and "annan analys" in why
    other.client.indices.delete(index=live)
    other.close()


class RefusingClient:
    """A bulk client answering each document's first `refusals` sends with `status`."""

    def __init__(self, status: int, refusals: int = 1):
        self.status, self.refusals = status, refusals
        self.sent: dict[str, int] = {}

    def bulk(self, body: str, params: dict) -> dict:
        import json

        items = []
        for line in map(json.loads, body.splitlines()):
            op = next(iter(line))
            if len(line) != 1 or op not in ("index", "delete") or "_index" not in line[op]:
                continue  # a document's source
            doc_id = line[op]["_id"]
            n = self.sent[doc_id] = self.sent.get(doc_id, 0) + 1
            status = self.status if n <= self.refusals else 201
            items.append({op: {"_id": doc_id, "status": status, "error": {"type": "x"} if status >= 300 else None}})
        return {"items": items}


def test_bulk_sends_again_what_the_cluster_refused_for_a_while(archive):
    _, catalog = archive
    docs = list(catalog.iter_documents(catalog.iter_ids()[:3]))
    actions = [("index", d.id, prepared_source(d)[0]) for d in docs]
    pauses: list[float] = []
    client = RefusingClient(429, refusals=2)
    assert bulk.send(client, "i", actions, sleep=pauses.append) == 2
    assert client.sent == {d.id: 3 for d in docs}
    assert pauses == [bulk.FIRST_PAUSE, bulk.FIRST_PAUSE * 2]  # growing pauses: back-pressure


def test_bulk_fails_at_once_on_a_refusal_that_lasts():
    client = RefusingClient(400)
    with pytest.raises(bulk.BulkError, match="400"):
        bulk.send(client, "i", [("index", "a", {"id": "a"})], sleep=lambda s: None)
    assert client.sent == {"a": 1}


def test_bulk_gives_up_at_its_deadline():
    client = RefusingClient(503, refusals=10**6)
    with pytest.raises(bulk.BulkError, match="not written"):
        bulk.send(client, "i", [("index", "a", {"id": "a"})], deadline=0.0, sleep=lambda s: None)
