"""Measuring: percentiles, CPU and timing helpers, the memory of a process tree (/proc)."""
from __future__ import annotations

import os
import resource
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.perf.corpus import ROOT
from benchmarks.perf.queries import QUERIES, BenchQuery, fresh_round
from ingest.catalog.datadir import DataDir

MIB = 2**20

# -- small helpers ---------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def latency(values: list[float]) -> dict:
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "p99": percentile(values, 99)}


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def catalog_size(data: DataDir) -> int:
    return sum(size_of(p) for p in data.root.glob("catalog.sqlite*"))


def code_stamp() -> dict[str, float]:
    """Modification times of the production code: the ingest child and the web server import
    it afresh, so a change during a run would mix versions in one table (then reported)."""
    return {str(p.relative_to(ROOT)): p.stat().st_mtime
            for package in ("index", "ingest", "web") for p in (ROOT / package).rglob("*.py")}


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, idle, iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_seconds() -> float:
    """CPU seconds of this process and of its children that ended (ingest, web server, pools)."""
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                   resource.getrusage(resource.RUSAGE_CHILDREN)))


def timed(fn: Callable, *args, **kwargs) -> float:
    """Milliseconds one call takes."""
    t = time.perf_counter()
    fn(*args, **kwargs)
    return (time.perf_counter() - t) * 1000


def run_rounds(run: Callable[[BenchQuery], object], rounds: list[list[BenchQuery]],
               max_seconds: float) -> dict:
    """Latency of the rounds of queries (fewer when time runs out); medians by query and kind."""
    per_query: dict[str, list[float]] = {}
    per_kind: dict[str, list[float]] = {}
    everything: list[float] = []
    deadline = time.monotonic() + max_seconds
    for queries in rounds:
        for bq in queries:
            ms = timed(run, bq)
            per_query.setdefault(bq.label, []).append(ms)
            per_kind.setdefault(bq.kind, []).append(ms)
            everything.append(ms)
        if time.monotonic() > deadline:
            break
    out = latency(everything)
    out["median_by_query"] = {k: percentile(v, 50) for k, v in per_query.items()}
    out["median_by_kind"] = {k: percentile(v, 50) for k, v in per_kind.items()}
    return out


def run_both(run: Callable[[BenchQuery], object], repeat: int, max_seconds: float) -> dict:
    """The fixed mix (each query once to warm, then `repeat` rounds: repeats of a query may be
    answered from what the engine remembers), then `repeat` rounds of fresh queries."""
    for bq in QUERIES:
        run(bq)
    out = run_rounds(run, [QUERIES] * repeat, max_seconds)
    out["fresh"] = run_rounds(run, [fresh_round(r) for r in range(repeat)], max_seconds)
    return out


# -- memory of a process tree ----------------------------------------------------------------


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


def _status_kib(pid: int, key: str, file: str = "status") -> int:
    """A kB figure of /proc/<pid>/status (VmRSS, VmHWM) or smaps_rollup (Pss); 0 if gone."""
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the memory of a process and its descendants; keeps the peaks. PSS shares pages
    that forked workers have in common with the writer among them (the real footprint); the
    sum of RSS counts them in every process (an upper bound)."""

    def __init__(self, pid: int, interval: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss_kib = self.peak_pss_kib = 0
        self.peak_processes = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.wait(self.interval):
            children = _children_map()
            tree, todo = [], [self.pid]
            while todo:
                pid = todo.pop()
                tree.append(pid)
                todo.extend(children.get(pid, []))
            rss = sum(_status_kib(pid, "VmRSS") for pid in tree)
            pss = sum(_status_kib(pid, "Pss", "smaps_rollup") for pid in tree)
            self.peak_rss_kib = max(self.peak_rss_kib, rss)
            if pss > self.peak_pss_kib:
                self.peak_pss_kib, self.peak_processes = pss, len(tree)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
