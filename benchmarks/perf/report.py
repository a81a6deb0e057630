"""The report: the figures of each size in one table, growth between sizes, ratios to the peers."""
from __future__ import annotations

import os
from collections.abc import Callable

from benchmarks.perf.corpus import CORPUS, PDF_CORPUS
from benchmarks.perf.queries import QUERIES


def _ratio(a: float, b: float) -> str:
    if not a or not b or a != a or b != b:
        return "-"
    r = a / b
    return f"{r:.1f}×" if r < 100 else f"{r:.0f}×"


def report(results: dict, args) -> str:
    sizes = results["sizes"]
    c = args.clients
    head = "".join(f"{s['size']:>14,}" for s in sizes) + ("      growth" if len(sizes) > 1 else "")
    lines = [f"Diariet performance — {os.cpu_count()} cores, jobs={args.jobs}, "
             f"corpus {CORPUS.name} ({results['corpus_files']} files; larger sizes add shuffled variants)",
             "", f"{'documents':42s}{head}"]

    def row(label: str, get: Callable[[dict], float], fmt: str = "{:.1f}", lower_better=True):
        values = [get(s) for s in sizes]
        cells = "".join(f"{fmt.format(v):>14}" for v in values)
        growth = f"{_ratio(values[-1], values[0]):>12}" if len(values) > 1 else ""
        lines.append(f"{label:42s}{cells}{growth}")

    row("ingest documents/s (ingest_paths)", lambda s: s["ingest"]["docs_per_s"], "{:.0f}")
    row("  ingest wall s", lambda s: s["ingest"]["seconds"], "{:.0f}")
    row("  writer CPU ms/doc", lambda s: 1000 * s["ingest"]["writer_cpu_s"] / s["ingest"]["documents"])
    row("  other processes' CPU ms/doc", lambda s: 1000 * s["ingest"]["workers_cpu_s"] / s["ingest"]["documents"])
    row("  CPU use (all processes / wall × cores)", lambda s: 100 * s["ingest"]["cpu_utilisation"], "{:.0f}%")
    row("peak memory, ingest tree PSS MiB", lambda s: s["ingest"]["peak_tree_pss_mib"], "{:.0f}")
    row("  same, summed RSS MiB", lambda s: s["ingest"]["peak_tree_rss_mib"], "{:.0f}")
    row("  writer max RSS MiB", lambda s: s["ingest"]["writer_maxrss_mib"], "{:.0f}")
    row("  largest worker max RSS MiB", lambda s: s["ingest"]["worker_maxrss_mib"], "{:.0f}")
    row("index MiB (Whoosh)", lambda s: s["disk_mib"]["index"])
    row("  index segments", lambda s: s["index_segments"], "{:.0f}")
    row("catalog MiB (SQLite)", lambda s: s["disk_mib"]["catalog"])
    row("originals MiB", lambda s: s["disk_mib"]["originals"])
    for key, label in (("full", "in-process Searcher.search"), ("no_catalog", "  without hit rows/snippets")):
        for p in ("p50", "p95", "p99"):
            row(f"{label} {p} ms", lambda s, k=key, p=p: s["in_process"][k][p])
        for p in ("p50", "p95", "p99"):
            row(f"  fresh queries {p} ms", lambda s, k=key, p=p: s["in_process"][k]["fresh"][p])
    for p in ("p50", "p95", "p99"):
        row(f"HTTP /api/search, 1 client {p} ms", lambda s, p=p: s["http_1"][p])
    for p in ("p50", "p95", "p99"):
        row(f"  fresh queries {p} ms", lambda s, p=p: s["http_1"]["fresh"][p])
    row(f"HTTP, {c} clients requests/s", lambda s: s[f"http_{c}"]["requests_per_s"])
    for p in ("p50", "p95", "p99"):
        row(f"HTTP, {c} clients {p} ms", lambda s, p=p: s[f"http_{c}"][p])
    row(f"  {c} clients: requests made", lambda s: s[f"http_{c}"]["requests"], "{:.0f}")
    row(f"  {c} clients: errors", lambda s: s[f"http_{c}"]["errors"], "{:.0f}")
    row("web server peak RSS MiB", lambda s: s["server_peak_rss_mib"], "{:.0f}")
    row("analysis for the peers documents/s", lambda s: s["peer_analysis"]["docs_per_s"], "{:.0f}")
    for name in ("tantivy", "fts5"):
        row(f"{name} index documents/s (pre-analysed)", lambda s, n=name: s[n]["index_docs_per_s"], "{:.0f}")
        row(f"{name} index MiB", lambda s, n=name: s[n]["index_mib"])
        for p in ("p50", "p95", "p99"):
            row(f"{name} {p} ms", lambda s, n=name, p=p: s[n][p], "{:.2f}")
        for p in ("p50", "p95"):
            row(f"  fresh queries {p} ms", lambda s, n=name, p=p: s[n]["fresh"][p], "{:.2f}")

    stages = results["stages"]
    whoosh_docs_per_s = 1000 / stages["ms_per_doc"]["index"] if stages["ms_per_doc"]["index"] else 0
    lines += ["", "Peers vs ours (same documents and token streams, same queries; latency against "
                  "Searcher.search, fixed mix / fresh queries):"]
    for s in sizes:
        ours = s["in_process"]["full"]
        for name in ("tantivy", "fts5"):
            peer = s[name]
            lines.append(
                f"  {s['size']:>7,} {name:8s} indexes {_ratio(peer['index_docs_per_s'], s['ingest']['docs_per_s'])} "
                f"faster than our pipeline, {_ratio(peer['index_docs_per_s'], whoosh_docs_per_s)} than our "
                f"Whoosh write alone; p50 {_ratio(ours['p50'], peer['p50'])} / "
                f"{_ratio(ours['fresh']['p50'], peer['fresh']['p50'])} lower, p95 "
                f"{_ratio(ours['p95'], peer['p95'])} / {_ratio(ours['fresh']['p95'], peer['fresh']['p95'])} lower")
    lines.append("  Not compared: ours also computes 7 facet counts, spelling suggestions and snippets per "
                 "query; the peers return top 10 + exact count. All query kinds were expressed in both.")

    ms = stages["ms_per_doc"]
    lines += ["", f"Ingest stages (the pipeline's code timed by part on {stages['documents']} documents, "
                  f"{stages['tokens_per_doc']:.0f} tokens/doc; ms per document and share):"]
    where = {"parse": "workers", "extract": "workers", "analyse": "workers", "original": "workers",
             "index": "writer", "catalog": "writer", "decisions": "writer"}
    for k, share in stages["share"].items():
        lines.append(f"  {k:8s} {ms[k]:7.2f} ms  {share:6.1%}   ({where[k]})")
    lines.append("  (analyse = our analysis and Whoosh's encoding of the text fields, done in the workers; "
                 "original = the original file, synced once per batch; index = the writer's Whoosh "
                 "add and commit of those postings; catalog = the catalog rows, a transaction per chunk; "
                 "decisions = the §§ index, replaced at each commit)")
    writer = ms["index"] + ms["catalog"]
    workers = ms["parse"] + ms["extract"] + ms["analyse"] + ms["original"]
    lines.append(f"  ceilings from these costs: one writer ≤ {1000 / writer:.0f} documents/s; parse+extract+analyse "
                 f"+original in {args.jobs} workers ≤ {1000 * args.jobs / workers:.0f} documents/s; all on "
                 f"{os.cpu_count()} cores ≤ {1000 * (os.cpu_count() or 1) / (writer + workers):.0f} documents/s")
    pdf = results.get("pdf")
    if pdf:
        lines += ["", f"PDF ({pdf['files']} files, {pdf['pages']} pages in {PDF_CORPUS.name}/): "
                      f"parse only {pdf['parse_pages_per_s']:.1f} pages/s (1 process); "
                      f"ingest_paths {pdf['ingest_pages_per_s']:.1f} pages/s (jobs={args.jobs}), "
                      f"peak tree PSS {pdf['ingest_peak_tree_pss_mib']:.0f} MiB"]
    last = sizes[-1]
    lines += ["", f"Per query at {last['size']:,} (hits ours/tantivy/fts5; median ms in-process, "
                  f"HTTP, tantivy, fts5):"]
    for bq in QUERIES:
        lab = bq.label
        lines.append(
            f"  {bq.kind:7s}{lab[:38]:38s} {last['in_process']['totals'][lab]:>7}/{last['tantivy']['totals'][lab]:>7}"
            f"/{last['fts5']['totals'][lab]:>7}  {last['in_process']['full']['median_by_query'][lab]:8.1f}"
            f"{last['http_1']['median_by_query'][lab]:8.1f}{last['tantivy']['median_by_query'][lab]:8.2f}"
            f"{last['fts5']['median_by_query'][lab]:8.2f}")
    lines += ["", f"Fresh queries at {last['size']:,}, median ms by kind (in-process, without hit "
                  f"rows/snippets, HTTP, tantivy, fts5):"]
    for kind, ms_kind in last["in_process"]["full"]["fresh"]["median_by_kind"].items():
        cells = [last["in_process"]["no_catalog"], last["http_1"], last["tantivy"], last["fts5"]]
        lines.append(f"  {kind:8s}{ms_kind:8.1f}" + "".join(
            f"{c['fresh']['median_by_kind'].get(kind, float('nan')):8.1f}" for c in cells[:2]) + "".join(
            f"{c['fresh']['median_by_kind'].get(kind, float('nan')):8.2f}" for c in cells[2:]))
    return "\n".join(lines)
