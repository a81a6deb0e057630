"""A node killed (SIGKILL, as a crash) while the writer sends its batches: with one replica per
shard and bulk's retries no acknowledged document is lost, searches answer while the node is
gone, and the cluster is green again once the node is back."""
import dataclasses
import threading
import uuid
from pathlib import Path

import pytest

from index.backends.opensearch.mapping import prepared_source
from index.engine import EngineSettings, open_engine
from index.query import ir
from ingest.catalog.database import Catalog
from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import ingest_paths
from ingest.pipeline.settings import Settings

SEEDS = Path(__file__).resolve().parents[4] / "samples" / "seeds"
COPIES = 3000  # documents written: the seeds' texts under new ids
BATCH = 150


@pytest.fixture()
def engine(opensearch_cluster, tmp_path):
    settings = EngineSettings(backend="opensearch", opensearch_url=",".join(opensearch_cluster.urls),
                              opensearch_index=f"failover-{uuid.uuid4().hex[:8]}", shards=3, replicas=1)
    engine = open_engine(None, settings)
    yield engine
    engine.close()


def _seed_documents(tmp_path):
    data = DataDir.create(tmp_path / "seeds")
    ingest_paths(data, [SEEDS], settings=Settings(jobs=1))
    catalog = Catalog(data.catalog_path, readonly=True)
    try:
        return list(catalog.iter_documents(catalog.iter_ids()))
    finally:
        catalog.close()


def test_kill_a_primary_node_while_indexing_loses_nothing(engine, opensearch_cluster, tmp_path):
    seeds = _seed_documents(tmp_path)
    sources = []
    for i in range(COPIES):
        doc = dataclasses.replace(seeds[i % len(seeds)], id=f"copy-{i:05d}")
        sources.append((doc, prepared_source(doc)[0]))
    engine.ensure_index()
    (live,) = engine.live()
    engine.wait_for(live, "green")
    shards = engine.client.cat.shards(index=live, format="json")
    victim_name = next(s["node"] for s in shards if s["prirep"] == "p" and s["shard"] == "0")
    victim = next(n for n in opensearch_cluster.nodes if n.name == victim_name)

    committed = threading.Event()
    written: list[str] = []

    def write():
        for start in range(0, COPIES, BATCH):
            writer = engine.writer()
            for doc, source in sources[start:start + BATCH]:
                writer.add(doc, source, new=True)
            writer.commit()  # returns only when every document of the batch is acknowledged
            written.extend(doc.id for doc, _ in sources[start:start + BATCH])
            committed.set()

    failure: list[BaseException] = []

    def guarded():
        try:
            write()
        except BaseException as e:  # noqa: BLE001 - reported by the test
            failure.append(e)

    writer_thread = threading.Thread(target=guarded)
    writer_thread.start()
    try:
        assert committed.wait(120), failure
        opensearch_cluster.kill_node(victim)  # SIGKILL, mid-run: later batches meet a promoted replica
        assert len(written) < COPIES  # the kill came while the writer was still sending
        answered = engine.reader().search(ir.Every(), None, 1)  # searches answer while it is gone
        assert answered.total is not None and answered.total >= BATCH
        writer_thread.join(600)
        assert not writer_thread.is_alive() and not failure, failure
        assert len(written) == COPIES and written[-1] == f"copy-{COPIES - 1:05d}"
        everything = engine.reader().search(ir.Every(), None, COPIES + 10, order="newest")
        assert everything.total == COPIES
        assert sorted(everything.ids) == sorted(written)  # not one lost, none twice
    finally:
        writer_thread.join(600)
        if not opensearch_cluster.alive(victim):
            opensearch_cluster.start_node(victim)
        opensearch_cluster.wait_for("green", timeout=240)
        opensearch_cluster.wait_for_http(timeout=120)
    engine.wait_for(live, "green")
    assert engine.reader().doc_count() == COPIES
    engine.client.indices.delete(index=live)
