"""Benchmark: ingest the bulk regeringen.se corpus, then time searches in-process.

    python benchmarks/ingest_search.py [--corpus ../shared/corpus/bulk/regeringen] [--limit N] [--jobs N]

Prints documents per second, the catalog and index sizes, and search latency p50/p95/p99
over a fixed list of queries. Figures, not assertions: see the README for recorded runs.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.backends.whoosh.engine import WhooshEngine  # noqa: E402
from index.query.parser import SearchRequest  # noqa: E402
from index.search.searcher import Searcher  # noqa: E402
from ingest.catalog.database import Catalog  # noqa: E402
from ingest.catalog.datadir import DataDir  # noqa: E402
from ingest.pipeline.runner import collect, ingest_paths  # noqa: E402

QUERIES = [
    ("word", "skogsprogrammet", {}),
    ("word", "kommuner", {}),
    ("word", "regeringen", {}),
    ("and", "medicinsk kompetens", {}),
    ("and", "kommunal hälso- och sjukvård", {}),
    ("or", "skola OR förskola", {}),
    ("phrase", '"nationella skogsprogrammet"', {}),
    ("phrase", '"särskild utredare"', {}),
    ("prefix", "utbetalnings*", {}),
    ("not", "budget NOT försvar", {}),
    ("facet", "klimat", {"doctype": "pressmeddelande"}),
    ("facet", "", {"year": "2023"}),
    ("dnr", "N2018/03142/SK", {}),
    ("dnr", "n2018 03142 sk", {}),
    ("browse", "", {}),
    ("sorted", "energi", {"_sort": "date"}),
]


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/bulk/regeringen")
    ap.add_argument("--limit", type=int, default=0, help="ingest only the first N files")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=20, help="runs of each query")
    ap.add_argument("--data", type=Path, help="keep the archive here instead of a temporary folder")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 1
    files = list(collect([args.corpus]))
    if args.limit:
        files = files[: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        data = DataDir.create(args.data or Path(tmp) / "data")
        t0 = time.perf_counter()
        summary = ingest_paths(data, files, jobs=args.jobs)
        elapsed = time.perf_counter() - t0
        new = summary.count("new") + summary.count("updated")
        print(f"corpus: {args.corpus.name}, {len(files)} files, jobs={args.jobs}")
        print(f"ingest: {new} documents in {elapsed:.1f} s = {new / elapsed:.0f} documents/s "
              f"({len(summary.failures)} failed)")
        print(f"peak memory (max RSS of this process): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB; "
              f"workers: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MiB")
        print(f"catalog: {size_of(data.catalog_path.parent) - size_of(data.index_path) - size_of(data.files_path)} bytes; "
              f"original files: {size_of(data.files_path) / 2**20:.1f} MiB; index: {size_of(data.index_path) / 2**20:.1f} MiB")

        searcher = Searcher(WhooshEngine(data.index_path))
        catalog = Catalog(data.catalog_path, readonly=True)
        timings: dict[str, list[float]] = {}
        all_ms: list[float] = []
        for kind, q, filters in QUERIES:
            filters = dict(filters)
            sort = filters.pop("_sort", "relevance")
            req = SearchRequest(q=q, filters=filters, sort=sort)
            searcher.search(req, catalog)  # warm
            for _ in range(args.repeat):
                t = time.perf_counter()
                result = searcher.search(req, catalog)
                ms = (time.perf_counter() - t) * 1000
                timings.setdefault(kind, []).append(ms)
                all_ms.append(ms)
            print(f"  {kind:7s} {q or '(tom)':40s} {result.total:6d} hits  median {statistics.median(timings[kind][-args.repeat:]):6.1f} ms")
        print(f"search latency over {len(all_ms)} runs (top 10, facets, snippets): "
              f"p50 {percentile(all_ms, 50):.1f} ms, p95 {percentile(all_ms, 95):.1f} ms, p99 {percentile(all_ms, 99):.1f} ms")
        catalog.close()
        searcher.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
