"""Benchmark of issue 18: the fault corpus (tests/faults/corpus.py) ingested in one run, its
time and the peak memory of the whole ingest (PSS of the process tree: writer, workers, merger).

    python benchmarks/fault_corpus.py [--jobs 2] [--sparse-gb 3]

Prints the files, their outcomes by reason, the wall time and the peak PSS and RSS; figures, not
assertions (tests/faults/test_fault_corpus.py checks each file's outcome).
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.perf.measure import TreeMemory  # noqa: E402
from tests.faults.corpus import build  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--sparse-gb", type=int, default=3)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="diariet-faults-") as tmp:
        folder = Path(tmp) / "in"
        t = time.perf_counter()
        expected = build(folder, sparse_gb=args.sparse_gb)
        built = time.perf_counter() - t
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "ingest", "--data", str(Path(tmp) / "data"), "--quiet",
                                 "--jobs", str(args.jobs), str(folder)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        memory = TreeMemory(proc.pid, interval=0.05)
        memory.start()
        out, _ = proc.communicate()
        memory.stop()
        seconds = time.perf_counter() - t
    reasons = Counter(m.group(1) for m in re.finditer(r"\[([a-z0-9-]+)\]$", out, re.M))
    print(out.splitlines()[0] if out else "(no output)")
    print(f"corpus: {len(expected)} entries, built in {built:.1f} s (a {args.sparse_gb} GB sparse file among them)")
    print(f"ingest: exit {proc.returncode}, {seconds:.1f} s with --jobs {args.jobs}")
    print("failures by reason: " + ", ".join(f"{r} {n}" for r, n in sorted(reasons.items())))
    print(f"peak memory of the ingest's process tree: PSS {memory.peak_pss_kib / 1024:.0f} MiB "
          f"({memory.peak_processes} processes), sum of RSS {memory.peak_rss_kib / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
