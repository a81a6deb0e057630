"""Benchmark of issue 18: load while an ingest writes. The production server (`python -m web`,
waitress) on 127.0.0.1 answers 50 concurrent searchers (a bounded pool of threads, each with
its own keep-alive connection, cycling through the fixed query mix of benchmarks/perf/queries.py
through the JSON API and the search page) while an ingest of tests/fixtures/corpus commits into
the same data directory (an archive of samples/ to begin with); then two ingests started at
once on one data directory, several times.

    nice -n 10 python benchmarks/load_during_ingest.py [--clients 50] [--batch 25] [--rounds 5]

Prints the requests, errors (any status but 200, any failed connection), p50/p95/p99 latency,
the commits and documents that became searchable during the load, and for the two ingests how
each ended; the archives are checked (tests/ingest/pipeline/crashes.py) after both.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.perf.measure import latency  # noqa: E402
from benchmarks.perf.queries import QUERIES, api_path  # noqa: E402
from benchmarks.perf.serving import Server  # noqa: E402
from ingest.catalog.datadir import DataDir  # noqa: E402
from tests.ingest.many import text_files  # noqa: E402
from tests.ingest.pipeline.crashes import LOCKED, check_archive, expected_sources, ingest_command  # noqa: E402

SAMPLES = ROOT / "samples"
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
# The mix: every query of the fixed mix through the API, and the search page (snippets and all).
PATHS = [api_path(bq) for bq in QUERIES] + ["/?" + urlencode({"q": bq.q}) for bq in QUERIES if bq.q]


def toc_generation(data: Path) -> int:
    """The live index's commit number (Whoosh's _MAIN_<n>.toc): one more per commit."""
    current = (data / "index" / "CURRENT").read_text().strip()
    return max(int(p.name.split("_")[2].split(".")[0]) for p in (data / "index" / current).glob("_MAIN_*.toc"))


def total(server: Server) -> int:
    import json

    conn = server.connect()
    try:
        status, body = server.get(conn, "/api/search?q=&per_page=1")
        return json.loads(body)["total"] if status == 200 else -1
    finally:
        conn.close()


def load(server: Server, clients: int, running) -> dict:
    """`clients` searchers in a bounded pool, each cycling through PATHS until running() is false."""
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []

    def searcher(offset: int) -> None:
        conn = server.connect()
        number = offset
        while running():
            path = PATHS[number % len(PATHS)]
            number += 1
            t = time.perf_counter()
            try:
                status, _ = server.get(conn, path)
                problem = None if status == 200 else f"{status} {path}"
            except OSError as e:
                problem = f"{type(e).__name__} {path}"
                conn.close()
                conn = server.connect()
            ms = (time.perf_counter() - t) * 1000
            with lock:
                latencies.append(ms)
                if problem:
                    errors.append(problem)
        conn.close()

    t = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for future in [pool.submit(searcher, i) for i in range(clients)]:
            future.result()
    seconds = time.perf_counter() - t
    out = latency(latencies)
    out.update(requests=len(latencies), seconds=seconds, errors=errors)
    return out


def searching_while_ingesting(work: Path, clients: int, batch: int, jobs: int) -> None:
    data = work / "data"
    first = subprocess.run(ingest_command(data, SAMPLES, jobs, batch), cwd=ROOT, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    with Server(DataDir(data), work / "web.log") as server:
        before_total, before_toc = total(server), toc_generation(data)
        ingest = subprocess.Popen(ingest_command(data, CORPUS, jobs, batch), cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        result = load(server, clients, lambda: ingest.poll() is None)
        out, err = ingest.communicate()
        after_total, after_toc = total(server), toc_generation(data)
        peak = server.peak_rss_mib()
    print(f"Searching while an ingest commits: {clients} concurrent searchers, {len(PATHS)} paths "
          f"(the fixed mix through /api/search and the search page)")
    print(f"  ingest of tests/fixtures/corpus (--batch {batch} --jobs {jobs}): exit {ingest.returncode}, "
          f"{out.strip().splitlines()[0] if out.strip() else err.strip()[-200:]}")
    print(f"  during the load: {after_toc - before_toc} commits, searchable documents {before_total} -> {after_total}")
    print(f"  {result['requests']} requests in {result['seconds']:.0f} s ({result['requests'] / result['seconds']:.1f}/s), "
          f"errors {len(result['errors'])}; latency p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, "
          f"p99 {result['p99']:.0f} ms; server peak RSS {peak:.0f} MiB")
    for line in result["errors"][:10]:
        print(f"    error: {line}")


def two_ingests_at_once(work: Path, rounds: int, jobs: int) -> None:
    """Two `python -m ingest` of one folder into one fresh data directory, started together."""
    folder = work / "two" / "src"
    files = text_files(folder, 200)  # long enough that the first still holds the lock when the second starts
    expected = expected_sources(folder, {p.name for p in files})
    outcomes = []
    for number in range(1, rounds + 1):
        data = work / "two" / f"data-{number}"
        command = ingest_command(data, folder, jobs, 50)
        procs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        ends = [(p.wait(), *p.communicate()) for p in procs]
        refused = [e for e in ends if e[0] == 2 and LOCKED in e[2]]
        archived = [e for e in ends if e[0] == 0 and e[1].startswith("Klart: 200 filer: 200 nya")]
        problems = check_archive(data, expected)
        outcomes.append((len(refused), len(archived), problems))
        message = refused[0][2].strip() if refused else "-"
        print(f"  round {number}: exits {[e[0] for e in ends]}; refused {len(refused)}, archived all {len(archived)}; "
              f"archive {'ok' if not problems else problems}; refusal: {message}")
    good = sum(1 for r, a, p in outcomes if r == 1 and a == 1 and not p)
    print(f"Two ingests at once: {good} of {rounds} rounds one refused with the message, the other archived all "
          f"200 files, archive checked")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--batch", type=int, default=25, help="documents per commit of the ingest under load")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--rounds", type=int, default=5, help="times two ingests are started at once")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="diariet-load-") as tmp:
        searching_while_ingesting(Path(tmp) / "load", args.clients, args.batch, args.jobs)
        print()
        two_ingests_at_once(Path(tmp), args.rounds, args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
