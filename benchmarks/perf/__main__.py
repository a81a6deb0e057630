"""python -m benchmarks.perf: the whole run (the package docstring says what it measures)."""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.perf.corpus import CORPUS, PDF_CORPUS, file_set
from benchmarks.perf.ingest import ingest_child, pdf_figures, run_ingest, stage_costs
from benchmarks.perf.measure import MIB, busy_seconds, catalog_size, code_stamp, log, own_seconds, size_of
from benchmarks.perf.peers import Fts5Peer, TantivyPeer, peer_rows, run_peer
from benchmarks.perf.report import report
from benchmarks.perf.serving import Server, http_concurrent, http_single, in_process
from index.backends.whoosh.store import IndexStore
from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import collect

# -- one size ---------------------------------------------------------------------------------


def measure(size: int, base: list[Path], tmp: Path, args) -> dict:
    files = file_set(size, base, tmp)
    data = DataDir(tmp / f"data-{size}")
    log(f"[{size}] ingest of {len(files)} files through ingest_paths (jobs={args.jobs}) ...")
    out: dict = {"size": size, "ingest": run_ingest(data.root, files, args.jobs, tmp)}
    ing = out["ingest"]
    log(f"[{size}]   {ing['documents']} documents in {ing['seconds']:.0f} s = {ing['docs_per_s']:.0f}/s, "
        f"peak tree PSS {ing['peak_tree_pss_mib']:.0f} MiB")
    t = time.perf_counter()
    os.sync()  # the ingest's dirty pages written back now, not while queries are timed
    out["sync_seconds"] = time.perf_counter() - t
    out["disk_mib"] = {"index": size_of(data.index_path) / MIB, "catalog": catalog_size(data) / MIB,
                       "originals": size_of(data.files_path) / MIB}
    out["index_segments"] = len(list(IndexStore(data.index_path).current_dir().glob("*.seg")))
    log(f"[{size}] in-process queries ...")
    out["in_process"] = in_process(data, args.repeat, args.phase_seconds)
    log(f"[{size}]   p50 {out['in_process']['full']['p50']:.1f} ms, p95 {out['in_process']['full']['p95']:.1f} ms")
    log(f"[{size}] HTTP (python -m web) ...")
    with Server(data, tmp / f"web-{size}.log") as server:
        out["http_1"] = http_single(server, args.repeat, args.phase_seconds)
        out[f"http_{args.clients}"] = http_concurrent(server, args.clients, args.requests, args.phase_seconds)
        out["server_peak_rss_mib"] = server.peak_rss_mib()
    log(f"[{size}]   1 client p50 {out['http_1']['p50']:.1f} ms; {args.clients} clients "
        f"{out[f'http_{args.clients}']['requests_per_s']:.1f} req/s")
    log(f"[{size}] peers: analysing the catalogued documents for them ...")
    rows, seconds = peer_rows(data, args.jobs)
    out["peer_analysis"] = {"documents": len(rows), "seconds": seconds, "docs_per_s": len(rows) / seconds}
    peers = (TantivyPeer(tmp / f"tantivy-{size}"), Fts5Peer(tmp / f"fts5-{size}.sqlite"))
    for peer in peers:
        log(f"[{size}]   {peer.name} ...")
        out[peer.name] = run_peer(peer, rows, args.repeat, args.phase_seconds)
        peer.close()
    log(f"[{size}]   tantivy p50 {out['tantivy']['p50']:.2f} ms, fts5 p50 {out['fts5']['p50']:.2f} ms")
    del rows
    if not args.keep:  # free the disk before the next size
        shutil.rmtree(data.root, ignore_errors=True)
        shutil.rmtree(peers[0].path, ignore_errors=True)
        for path in tmp.glob(f"fts5-{size}.sqlite*"):
            path.unlink()
    return out


# -- entry ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", help="document counts, comma-separated (default 10000,100000; "
                                    "--quick: 2000)")
    ap.add_argument("--quick", action="store_true", help="a 2,000-document subset, fewer repeats")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="ingest processes")
    ap.add_argument("--repeat", type=int, help="rounds of the query mix per measurement")
    ap.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    ap.add_argument("--requests", type=int, help="requests of the concurrent run (at most)")
    ap.add_argument("--phase-seconds", type=float, default=90.0,
                    help="time bound of each latency measurement (at least one round runs)")
    ap.add_argument("--stage-sample", type=int, help="documents of the stage timing")
    ap.add_argument("--no-pdf", action="store_true", help="skip the PDF figures")
    ap.add_argument("--json", type=Path, help="also write the figures here as JSON")
    ap.add_argument("--tmp", type=Path, help="work folder (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep data directories and peer indexes")
    ap.add_argument("--ingest-child", nargs=2, metavar=("DATA", "LIST"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.ingest_child:
        return ingest_child(Path(args.ingest_child[0]), Path(args.ingest_child[1]), args.jobs)
    sizes = [int(s.replace("_", "")) for s in (args.sizes or ("2000" if args.quick else "10000,100000")).split(",")]
    args.repeat = args.repeat or (3 if args.quick else 10)
    args.requests = args.requests or (400 if args.quick else 2000)
    args.stage_sample = args.stage_sample or (100 if args.quick else 400)
    if not CORPUS.is_dir():
        print(f"corpus not found: {CORPUS}", file=sys.stderr)
        return 1
    base = list(collect([CORPUS]))
    pdfs = sorted(PDF_CORPUS.rglob("*.pdf"), key=lambda p: p.stat().st_size)
    if args.quick:
        pdfs = pdfs[: len(pdfs) // 2]
    tmp = Path(tempfile.mkdtemp(prefix="diariet-perf-", dir=args.tmp))
    started = time.perf_counter()
    stamp = code_stamp()
    busy, own = busy_seconds(), own_seconds()
    try:
        results: dict = {"corpus_files": len(base), "jobs": args.jobs, "cores": os.cpu_count(),
                         "sizes_requested": sizes, "sizes": []}
        sample = random.Random(11).sample(base, args.stage_sample + 200)
        log(f"stage costs on {args.stage_sample} documents ...")
        results["stages"] = stage_costs(sample[200:], sample[:200], tmp)
        if not args.no_pdf and pdfs:
            log(f"PDF: {len(pdfs)} files ...")
            results["pdf"] = pdf_figures(pdfs, args.jobs, tmp)
        for size in sizes:
            results["sizes"].append(measure(size, base, tmp, args))
        results["seconds"] = time.perf_counter() - started
        foreign = max(busy_seconds() - busy - (own_seconds() - own), 0.0)
        results["other_cpu_share"] = foreign / (results["seconds"] * (os.cpu_count() or 1))
        text = report(results, args)
        print(text)
        print(f"\n(whole run {results['seconds'] / 60:.1f} min; sizes {', '.join(f'{s:,}' for s in sizes)})")
        if results["other_cpu_share"] > 0.05:
            print(f"WARNING: other processes used {results['other_cpu_share']:.0%} of this machine's CPU "
                  f"during the run: the figures are slower than on an idle machine.")
        changed = sorted(k for k, v in code_stamp().items() if stamp.get(k) != v)
        results["code_changed_during_run"] = changed
        if changed:
            print(f"WARNING: production code changed during this run ({', '.join(changed)}): the "
                  f"processes started later (ingest, web server) ran newer code than this one.")
        if args.json:
            args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
