"""Benchmark of issue 16: the same documents into Whoosh and into a local three-node OpenSearch
cluster, in one run: indexing throughput and query latency of perf.py's fixed query mix.

    python benchmarks/opensearch.py [--size 5000] [--repeat 5] [--batch 500] [--json PATH]

  * the corpus: ../shared/corpus/bulk/regeringen, a fixed sample of `--size` pages (variants
    above its size, as perf.py makes them), ingested once through the real pipeline into a
    Whoosh archive; its catalog is the source of both engines' documents;
  * indexing: each engine's prepare function over every document (the analysis the ingest's
    workers do), then the engine's writer, `--batch` documents per commit (Whoosh: segments on
    disk, merges at commit; OpenSearch: bulk requests, a refresh per commit, 3 shards × 1
    replica), documents/s of each;
  * queries: the mix of perf.py (top 10 with exact totals and facets), each query once to warm,
    then `--repeat` rounds; p50/p95/p99 in ms through IndexReader.search (no snippets, no
    catalog rows: the engines, not the web). Totals of both engines are compared per query;
  * memory and disk: the cluster's JVMs' resident set after the run (VmRSS; the heap is 384 MB
    each), the OpenSearch index's store (primaries, and with replicas) and the Whoosh index's.
Figures, not assertions. The cluster is started in a temporary folder and stopped at the end.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.perf.corpus import CORPUS, file_set  # noqa: E402
from benchmarks.perf.measure import latency, percentile  # noqa: E402
from benchmarks.perf.queries import QUERIES, request_of  # noqa: E402
from index.engine import EngineSettings, open_engine  # noqa: E402
from index.query.parser import build  # noqa: E402
from ingest.catalog.database import Catalog  # noqa: E402
from ingest.catalog.datadir import DataDir  # noqa: E402
from ingest.pipeline.runner import ingest_paths  # noqa: E402
from ingest.pipeline.settings import Settings  # noqa: E402
from tools import cluster as local_cluster  # noqa: E402


def index_with(engine, docs: list, batch: int) -> dict:
    prepare = engine.prepare_function()
    start = time.perf_counter()
    prepared = [prepare(doc)[0] for doc in docs]
    prepare_s = time.perf_counter() - start
    start = time.perf_counter()
    for first in range(0, len(docs), batch):
        writer = engine.writer()
        for doc, fields in zip(docs[first:first + batch], prepared[first:first + batch]):
            writer.add(doc, fields, new=True)
        writer.commit()
    write_s = time.perf_counter() - start
    return {"prepare_s": round(prepare_s, 2), "write_s": round(write_s, 2),
            "prepare_docs_per_s": round(len(docs) / prepare_s), "write_docs_per_s": round(len(docs) / write_s)}


def query_with(engine, repeat: int) -> dict:
    reader = engine.reader()
    built = {bq.label: build(request_of(bq)) for bq in QUERIES}

    def run(bq):
        b = built[bq.label]
        order = "newest" if bq.sort == "date" or not bq.q else "relevance"
        return reader.search(b.query, b.filter, 10, order)

    totals = {bq.label: run(bq).total for bq in QUERIES}
    times: list[float] = []
    by_query: dict[str, list[float]] = {}
    for _ in range(repeat):
        for bq in QUERIES:
            reader = engine.reader()  # the latest state, as each web request takes it
            start = time.perf_counter()
            run(bq)
            ms = (time.perf_counter() - start) * 1000
            times.append(ms)
            by_query.setdefault(bq.label, []).append(ms)
    out = latency(times)
    out["median_by_query"] = {k: round(percentile(v, 50), 2) for k, v in by_query.items()}
    out["totals"] = totals
    return out


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size", type=int, default=5000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--batch", type=int, default=500)
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"the corpus is missing: {CORPUS}", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="diariet-os-bench-"))
    result: dict = {"size": args.size, "batch": args.batch, "date": time.strftime("%Y-%m-%d")}
    running = None
    try:
        base = sorted(CORPUS.rglob("*.md"))
        files = file_set(args.size, base, tmp)
        data = DataDir.create(tmp / "archive")
        start = time.perf_counter()
        summary = ingest_paths(data, files, settings=Settings(jobs=2))
        result["ingest_whoosh_s"] = round(time.perf_counter() - start, 1)
        print(f"ingested {summary.count('new')} documents in {result['ingest_whoosh_s']} s", flush=True)
        catalog = Catalog(data.catalog_path, readonly=True)
        docs = list(catalog.iter_documents(catalog.iter_ids()))
        catalog.close()
        start = time.perf_counter()
        running = local_cluster.start(tmp / "cluster", nodes=3, heap="384m")
        result["cluster_start_s"] = round(time.perf_counter() - start, 1)
        engines = {
            "whoosh": open_engine(tmp / "whoosh-index", EngineSettings(batch=args.batch, merge="commit")),
            "opensearch": open_engine(None, EngineSettings(
                backend="opensearch", opensearch_url=",".join(running.urls),
                opensearch_index=f"bench-{uuid.uuid4().hex[:6]}", shards=3, replicas=1)),
        }
        for name, engine in engines.items():
            result[name] = {"index": index_with(engine, docs, args.batch)}
            print(name, "index", result[name]["index"], flush=True)
        for name, engine in engines.items():
            result[name]["query"] = query_with(engine, args.repeat)
            q = result[name]["query"]
            print(name, f"query ms p50 {q['p50']:.1f} p95 {q['p95']:.1f} p99 {q['p99']:.1f}", flush=True)
        result["same_totals"] = result["whoosh"]["query"]["totals"] == result["opensearch"]["query"]["totals"]
        result["cluster_rss_mib"] = [round(rss_mib(n.pid)) for n in running.nodes]
        os_engine = engines["opensearch"]
        stats = os_engine.client.indices.stats(index=os_engine.alias, metric="store")["_all"]
        result["opensearch_store_mib"] = {"primaries": round(stats["primaries"]["store"]["size_in_bytes"] / 2**20, 1),
                                          "total": round(stats["total"]["store"]["size_in_bytes"] / 2**20, 1)}
        result["whoosh_index_mib"] = round(sum(f.stat().st_size for f in (tmp / "whoosh-index").rglob("*")
                                               if f.is_file()) / 2**20, 1)
        for engine in engines.values():
            engine.close()
    finally:
        if running is not None:
            running.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps({k: v for k, v in result.items() if k not in ("whoosh", "opensearch")}))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
