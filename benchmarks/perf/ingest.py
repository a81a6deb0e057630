"""Ingest through the real pipeline: a run in a child process, the stage costs, PDF pages/s."""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.perf.corpus import ROOT
from benchmarks.perf.measure import TreeMemory
from index.analysis.chain import analyze
from ingest.catalog.database import Catalog
from ingest.catalog.datadir import DataDir
from ingest.parse.registry import parse
from ingest.pipeline.runner import CHUNK_FILES, Ingester, Prepared, ingest_paths, prepare
from ingest.pipeline.settings import Settings

# -- ingest ----------------------------------------------------------------------------------


def ingest_child(data_dir: Path, list_file: Path, jobs: int) -> int:
    """Runs in a child process (--ingest-child): ingest_paths on the listed files; prints JSON."""
    files = [Path(line) for line in list_file.read_text(encoding="utf-8").splitlines() if line]
    data = DataDir.create(data_dir)
    t = time.perf_counter()
    summary = ingest_paths(data, files, jobs=jobs)
    seconds = time.perf_counter() - t
    me, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    ok = [o for o in summary.outcomes if o.status in ("new", "updated")]
    catalog = Catalog(data.catalog_path, readonly=True)  # a fresh data directory: all new
    pages = catalog.db.execute("SELECT coalesce(sum(page_count), 0) FROM documents").fetchone()[0]
    catalog.close()
    print(json.dumps({
        "files": len(files), "documents": len(ok), "failed": len(summary.failures),
        "failures": [f"{o.source}: {o.reason}" for o in summary.failures[:5]],
        "pages": pages, "seconds": seconds,
        "writer_cpu_s": me.ru_utime + me.ru_stime, "workers_cpu_s": workers.ru_utime + workers.ru_stime,
        "writer_maxrss_mib": me.ru_maxrss / 1024, "worker_maxrss_mib": workers.ru_maxrss / 1024,
    }))
    return 0


def run_ingest(data_dir: Path, files: list[Path], jobs: int, tmp: Path) -> dict:
    """ingest_paths in a fresh process (clean memory figures), its process tree sampled."""
    list_file = tmp / f"{data_dir.name}.files"
    list_file.write_text("\n".join(str(p) for p in files), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.perf", "--ingest-child", str(data_dir), str(list_file), "--jobs", str(jobs)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    sampler = TreeMemory(proc.pid)
    sampler.start()
    out, _ = proc.communicate()
    sampler.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"ingest child failed with {proc.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result["docs_per_s"] = result["documents"] / result["seconds"]
    result["pages_per_s"] = result["pages"] / result["seconds"]
    result["peak_tree_rss_mib"] = sampler.peak_rss_kib / 1024
    result["peak_tree_pss_mib"] = sampler.peak_pss_kib / 1024
    cpu = result["writer_cpu_s"] + result["workers_cpu_s"]
    result["cpu_utilisation"] = cpu / (result["seconds"] * (os.cpu_count() or 1))
    result["peak_tree_processes"] = sampler.peak_processes
    return result


# -- stage costs -----------------------------------------------------------------------------


class Clocked:
    """A stand-in for one of the Ingester's parts (catalog, file store, index writer, decisions)
    that adds the time of every method call to `ms[stage]`: the real code runs, timed by part."""

    def __init__(self, target, ms: dict[str, float], stage: str):
        self._target, self._ms, self._stage = target, ms, stage

    def __getattr__(self, name):
        attr = getattr(self._target, name)
        if not callable(attr):
            return attr

        def call(*args, **kwargs):
            t = time.perf_counter()
            try:
                return attr(*args, **kwargs)
            finally:
                self._ms[self._stage] += (time.perf_counter() - t) * 1000

        return call


def stage_costs(files: list[Path], warm: list[Path], tmp: Path) -> dict:
    """Milliseconds per document of each ingest stage, measured on the pipeline's own code.

    The workers' steps as a worker runs them, in this process: parse (ingest.parse.registry),
    extract (ingest.pipeline.runner.prepare on the parsed file), analyse (the engine's prepare
    function, index.engine.Prepare) and the original stored without a sync. The writer's steps
    through a real Ingester: store_prepared() a chunk at a time and flush() at each batch and at
    the end, its catalog, file store, index writers and decisions index clocked by part."""
    ingester = Ingester(DataDir.create(tmp / "stages"), Settings(jobs=1))
    for path in warm:  # steady state: the analysis caches hold the common words
        ingester.prepare(prepare(str(path.resolve()), path.name, path.read_bytes()))
    ms = dict.fromkeys(("parse", "extract", "analyse", "original", "catalog", "index", "decisions"), 0.0)
    prepared, tokens = [], 0
    for path in files:
        data = path.read_bytes()
        t0 = time.perf_counter()
        parsed = parse(data, path.name)
        t1 = time.perf_counter()
        doc = prepare(str(path.resolve()), path.name, data, parsed=parsed)
        t2 = time.perf_counter()
        analyzed, words = ingester.prepare(doc)
        t3 = time.perf_counter()
        ingester.files.put(data, doc.sha256, sync=False)  # as _prepare_bytes does in a worker
        ms["parse"] += (t1 - t0) * 1000
        ms["extract"] += (t2 - t1) * 1000
        ms["analyse"] += (t3 - t2) * 1000
        ms["original"] += (time.perf_counter() - t3) * 1000
        tokens += sum(1 for value in (doc.meta.title, doc.text) if value for _ in analyze(value, "sv"))
        prepared.append(Prepared(doc, analyzed, words))
    ingester.catalog = Clocked(ingester.catalog, ms, "catalog")
    ingester.files = Clocked(ingester.files, ms, "original")  # the sync before each commit
    ingester.decisions = Clocked(ingester.decisions, ms, "decisions")
    open_writer = ingester.engine.writer
    ingester.engine.writer = lambda: Clocked(open_writer(), ms, "index")  # add, commit
    try:
        for start in range(0, len(prepared), CHUNK_FILES):
            chunk = prepared[start:start + CHUNK_FILES]
            ingester.store_prepared(chunk, [None] * len(chunk))
        ingester.flush()
    finally:
        ingester.close()
        shutil.rmtree(tmp / "stages", ignore_errors=True)
    n = len(prepared)
    per_doc = {k: v / n for k, v in ms.items()}
    total = sum(per_doc.values())
    return {"documents": n, "tokens_per_doc": tokens / n, "ms_per_doc": per_doc,
            "share": {k: v / total for k, v in per_doc.items()}, "total_ms_per_doc": total}


# -- PDFs ------------------------------------------------------------------------------------


def pdf_figures(pdfs: list[Path], jobs: int, tmp: Path) -> dict:
    pages, seconds, failed = 0, 0.0, 0
    for path in pdfs:
        data = path.read_bytes()
        t = time.perf_counter()
        try:
            pages += len(parse(data, path.name).pages)
        except Exception:
            failed += 1
        seconds += time.perf_counter() - t
    through = run_ingest(tmp / "data-pdf", pdfs, jobs, tmp)
    shutil.rmtree(tmp / "data-pdf", ignore_errors=True)
    return {"files": len(pdfs), "pages": pages, "failed": failed, "parse_seconds": seconds,
            "parse_pages_per_s": pages / seconds if seconds else 0.0,
            "ingest_pages_per_s": through["pages_per_s"], "ingest_seconds": through["seconds"],
            "ingest_pages": through["pages"], "ingest_peak_tree_pss_mib": through["peak_tree_pss_mib"]}
