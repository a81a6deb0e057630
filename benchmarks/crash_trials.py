"""Benchmark of issue 18: crash trials. A real `python -m ingest` of the real documents (samples/
and tests/fixtures/corpus, a fresh copy each trial, into one archive that grows trial by trial)
is stopped at seeded random moments by kill -9 (the ingest alone), SIGTERM or SIGINT (its
process group), then run again at once; and a crawl of a loopback site serving real documents
is killed and resumed. After each rerun the archive is checked (tests/ingest/pipeline/crashes.py):
every file exactly once in the catalog and the index, a search for *:* counting what the catalog
holds, every original whole under its sha256, no process of the stopped run alive, the rerun not
refused by the lock.

    nice -n 10 python benchmarks/crash_trials.py [--trials 30] [--crawl-trials 5] [--seed 18]
                                                 [--jobs 2] [--batch 25] [--keep DIR]

Prints a table of the trials and how often each moment was hit (a commit writing its segment, a
background merge under way, as the data directory showed them when the signal went).
"""
from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.ingest.pipeline.crashes import (  # noqa: E402
    Trial,
    check_archive,
    copy_documents,
    expected_sources,
    ingest_command,
    plan,
    run_trial,
)

DOCUMENTS = [ROOT / "samples", ROOT / "tests" / "fixtures" / "corpus"]


def baseline(work: Path, data: Path, jobs: int, batch: int) -> tuple[set[str], float]:
    """The first copy ingested without a stop: which files are archivable, and how long it took."""
    import sqlite3
    import subprocess

    folder = work / "src-000"
    copy_documents(DOCUMENTS, folder)
    t = time.monotonic()
    run = subprocess.run(ingest_command(data, folder, jobs, batch), cwd=ROOT, capture_output=True, text=True)
    seconds = time.monotonic() - t
    if run.returncode != 0:
        sys.exit(f"the baseline ingest failed ({run.returncode}): {run.stderr[-2000:]}")
    db = sqlite3.connect(data / "catalog.sqlite")
    prefix = str(folder.resolve()) + "/"
    archivable = {source[len(prefix):] for (source,) in db.execute("SELECT source FROM documents")}
    db.close()
    failed = sum(1 for line in run.stdout.splitlines() if "MISSLYCKADES" in line)
    print(f"Baseline: {len(archivable)} files archived, {failed} failed as they always do, in {seconds:.0f} s "
          f"(--jobs {jobs} --batch {batch})", flush=True)
    return archivable, seconds


def ingest_trials(work: Path, trials: int, seed: int, jobs: int, batch: int) -> list[Trial]:
    data, logs = work / "data", work / "logs"
    logs.mkdir(parents=True)
    archivable, seconds = baseline(work, data, jobs, batch)
    expected = expected_sources(work / "src-000", archivable)
    problems = check_archive(data, expected)
    if problems:
        sys.exit(f"the baseline archive is not as expected: {problems}")
    lengths = [seconds]  # how long a whole run takes: a stopped run's delay plus its rerun's time
    done = []
    for number, (name, fraction) in enumerate(plan(trials, seed), start=1):
        folder = work / f"src-{number:03d}"
        copy_documents(DOCUMENTS, folder)
        expected |= expected_sources(folder, archivable)
        # The baseline parsed every file; later copies reuse what identical bytes gave (the catalog's
        # parse cache), so once a trial has measured a whole run, the trials' own lengths count.
        trial = Trial(number, name, round(fraction * statistics.median(lengths[1:] or lengths), 2))
        run_trial(trial, data, ingest_command(data, folder, jobs, batch), expected, logs)
        lengths.append(trial.ran if "ended" in trial.moments else trial.delay + trial.rerun_seconds)
        done.append(trial)
        print(row(trial), flush=True)
    return done


def crawl_trials(work: Path, trials: int, seed: int) -> list[Trial]:
    """kill -9 of a crawl of a loopback site of real documents part-way, then the crawl again
    (it resumes from its persisted frontier)."""
    from tests.ingest.fetch.site import Site, page, serve

    corpus = ROOT / "tests" / "fixtures" / "corpus"
    files = (sorted((corpus / "bulk/regeringen").rglob("*.md"))[:40]
             + sorted((corpus / "real").rglob("*.pdf"))[:12] + sorted((corpus / "real").rglob("*.docx"))[:4])
    types = {".md": "text/markdown; charset=utf-8", ".pdf": "application/pdf",
             ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    site = Site()
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    links = "".join(f'<li><a href="dok-{i:03d}{p.suffix}">{p.stem[:40]}</a></li>' for i, p in enumerate(files))
    site.add("/arkiv/", page("Arkiv", f"<h1>Arkiv</h1><h2>Handlingar</h2><ul>{links}</ul>"))
    for i, p in enumerate(files):
        # Each answers a little slowly the first time: the crawl lasts long enough to be killed.
        site.add(f"/arkiv/dok-{i:03d}{p.suffix}", p.read_bytes(), types[p.suffix], delay_first=0.1)
    server = serve(site, "127.0.0.1", "main")
    url = f"http://127.0.0.1:{server.server_address[1]}"
    rng = random.Random(seed)
    done = []
    try:
        for number in range(1, trials + 1):
            root = work / f"crawl-{number:02d}"
            root.mkdir(parents=True)
            sources = root / "sources.toml"
            sources.write_text(f'[[sources]]\nname = "arkivet"\nkind = "site"\nstart_urls = ["{url}/arkiv/"]\n'
                               f"max_depth = 1\ndelay = 0.05\n", encoding="utf-8")
            data, logs = root / "data", root / "logs"
            logs.mkdir()
            expected = {f"{url}/arkiv/dok-{i:03d}{p.suffix}": hashlib.sha256(p.read_bytes()).hexdigest()
                        for i, p in enumerate(files)}
            command = [sys.executable, "-m", "ingest", "--data", str(data), "--sources", str(sources), "--quiet"]
            trial = Trial(number, "KILL", round(rng.uniform(0, 4.0), 2))

            run_trial(trial, data, command, expected, logs, wait_for=lambda data=data: _catalogued(data) > 0)
            done.append(trial)
            print(row(trial, crawl=True), flush=True)
    finally:
        server.shutdown()
    return done


def _catalogued(data: Path) -> int:
    import sqlite3

    try:
        db = sqlite3.connect(f"file:{data / 'catalog.sqlite'}?mode=ro", uri=True, timeout=1)
        try:
            return db.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


HEADER = (f"{'trial':>7} {'signal':>6} {'at s':>6} {'moment':>13} {'exit':>5} {'left':>4} {'rerun':>5} "
          f"{'rerun s':>7} {'docs':>6}  result")


def row(t: Trial, crawl: bool = False) -> str:
    label = f"{'crawl ' if crawl else ''}{t.number}"
    return (f"{label:>7} {t.signal:>6} {t.delay:6.2f} {'+'.join(sorted(t.moments)):>13} {t.stopped_code!s:>5} "
            f"{t.leftovers:4d} {t.rerun_code!s:>5} {t.rerun_seconds:7.1f} {t.documents:6d}  "
            f"{'ok' if t.ok else '; '.join(t.problems)}")


def summary(ingests: list[Trial], crawls: list[Trial]) -> None:
    everything = ingests + crawls
    signals = Counter(t.signal for t in ingests)
    hit = Counter(m for t in ingests for m in t.moments)
    print()
    print(f"Ingest trials: {len(ingests)} ({', '.join(f'{n} {s}' for s, n in sorted(signals.items()))}); "
          f"crawl trials (kill -9): {len(crawls)}")
    print("Moments hit: " + ", ".join(f"{m} {hit[m]}" for m in ("start", "work", "commit", "merge", "ended")))
    print(f"Trials with a problem: {sum(1 for t in everything if not t.ok)}; processes left: "
          f"{sum(t.leftovers for t in everything)}; reruns refused by the lock: "
          f"{sum(1 for t in everything if t.rerun_blocked)}; reruns that failed: "
          f"{sum(1 for t in everything if t.rerun_code != 0)}")
    if ingests:
        print(f"Archive at the end: {ingests[-1].documents} documents")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trials", type=int, default=30, help="ingest trials")
    p.add_argument("--crawl-trials", type=int, default=5)
    p.add_argument("--seed", type=int, default=18)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--batch", type=int, default=25, help="documents per commit: small, so commits and merges are frequent")
    p.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = p.parse_args()
    # A shell without job control starts a background command with SIGINT ignored, and the
    # ingests would inherit that (a program started so keeps ignoring it, as Unix intends):
    # give them the default, so that the SIGINT trials are what Ctrl-C does.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    work = args.keep or Path(tempfile.mkdtemp(prefix="diariet-crash-"))
    work.mkdir(parents=True, exist_ok=True)
    t = time.monotonic()
    try:
        print(HEADER, flush=True)
        ingests = ingest_trials(work / "ingest", args.trials, args.seed, args.jobs, args.batch) if args.trials else []
        crawls = crawl_trials(work / "crawl", args.crawl_trials, args.seed) if args.crawl_trials else []
        summary(ingests, crawls)
        print(f"Wall time: {time.monotonic() - t:.0f} s")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if all(t.ok for t in ingests + crawls) else 1


if __name__ == "__main__":
    sys.exit(main())
