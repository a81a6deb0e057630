"""Benchmark of issue 16: the same documents into Whoosh and into a local three-node OpenSearch
cluster, in one run: indexing throughput and query latency of perf.py's fixed query mix.

    python benchmarks/opensearch.py [--size 5000] [--repeat 5] [--batch 500] [--heap 384m]
                                    [--whoosh separate|ingest] [--json PATH]

  * the corpus: ../shared/corpus/bulk/regeringen, a fixed sample of `--size` pages (variants
    above its size, as perf.py makes them), ingested once through the real pipeline into a
    Whoosh archive; its catalog is the source of both engines' documents;
  * indexing: each engine's prepare function over every document (the analysis the ingest's
    workers do), then the engine's writer, `--batch` documents per commit (Whoosh: segments on
    disk, merges at commit; OpenSearch: bulk requests, a refresh per commit, 3 shards × 1
    replica), documents/s of each; the documents are read from the catalog a batch at a time
    (memory stays bounded at a million). `--whoosh ingest` does not write Whoosh a second time:
    its index is the one the pipeline wrote (its rate is the whole ingest's), which halves the
    run at a million documents;
  * queries: the mix of perf.py (top 10 with exact totals and facets), each query once to warm,
    then `--repeat` rounds; p50/p95/p99 in ms through IndexReader.search (no snippets, no
    catalog rows: the engines, not the web). Totals of both engines are compared per query;
  * memory and disk: the cluster's JVMs' resident set after the run (VmRSS; the heap is
    `--heap` each), the ingest's peak resident set (this process and its workers), the
    OpenSearch index's store (primaries, and with replicas) and the Whoosh index's.
Figures, not assertions. The cluster is started in a temporary folder and stopped at the end.
"""
from __future__ import annotations

import argparse
import itertools
import json
import resource
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


def index_with(engine, catalog: Catalog, ids: list[str], batch: int) -> dict:
    """Prepare and write every document, `batch` at a time (read from the catalog untimed)."""
    prepare = engine.prepare_function()
    prepare_s = write_s = 0.0
    documents = catalog.iter_documents(ids)
    while chunk := list(itertools.islice(documents, batch)):
        start = time.perf_counter()
        prepared = [prepare(doc)[0] for doc in chunk]
        prepare_s += time.perf_counter() - start
        start = time.perf_counter()
        writer = engine.writer()
        for doc, fields in zip(chunk, prepared):
            writer.add(doc, fields, new=True)
        writer.commit()
        write_s += time.perf_counter() - start
    return {"prepare_s": round(prepare_s, 2), "write_s": round(write_s, 2),
            "prepare_docs_per_s": round(len(ids) / prepare_s), "write_docs_per_s": round(len(ids) / write_s)}


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
    p.add_argument("--heap", default="384m", help="each cluster node's JVM heap")
    p.add_argument("--whoosh", choices=("separate", "ingest"), default="separate",
                   help="write Whoosh again from the catalog, or measure the pipeline's own index")
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"the corpus is missing: {CORPUS}", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="diariet-os-bench-"))
    result: dict = {"size": args.size, "batch": args.batch, "heap": args.heap, "whoosh_index": args.whoosh,
                    "date": time.strftime("%Y-%m-%d")}
    running = None
    try:
        base = sorted(CORPUS.rglob("*.md"))
        files = file_set(args.size, base, tmp)
        data = DataDir.create(tmp / "archive")
        start = time.perf_counter()
        summary = ingest_paths(data, files, settings=Settings(jobs=2))
        result["ingest_whoosh_s"] = round(time.perf_counter() - start, 1)
        result["ingested"] = summary.count("new")
        result["ingest_docs_per_s"] = round(result["ingested"] / result["ingest_whoosh_s"])
        result["ingest_peak_rss_mib"] = {
            "process": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "largest_worker": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)}
        print(f"ingested {result['ingested']} documents in {result['ingest_whoosh_s']} s", flush=True)
        catalog = Catalog(data.catalog_path, readonly=True)
        ids = catalog.iter_ids()
        start = time.perf_counter()
        running = local_cluster.start(tmp / "cluster", nodes=3, heap=args.heap)
        result["cluster_start_s"] = round(time.perf_counter() - start, 1)
        whoosh_root = data.index_path if args.whoosh == "ingest" else tmp / "whoosh-index"
        engines = {
            "whoosh": open_engine(whoosh_root, EngineSettings(batch=args.batch, merge="commit")),
            "opensearch": open_engine(None, EngineSettings(
                backend="opensearch", opensearch_url=",".join(running.urls),
                opensearch_index=f"bench-{uuid.uuid4().hex[:6]}", shards=3, replicas=1)),
        }
        for name, engine in engines.items():
            if name == "whoosh" and args.whoosh == "ingest":
                result[name] = {"index": {"by": "the ingest pipeline", "docs_per_s": result["ingest_docs_per_s"]}}
            else:
                result[name] = {"index": index_with(engine, catalog, ids, args.batch)}
            print(name, "index", result[name]["index"], flush=True)
        catalog.close()
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
        result["whoosh_index_mib"] = round(sum(f.stat().st_size for f in whoosh_root.rglob("*")
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
