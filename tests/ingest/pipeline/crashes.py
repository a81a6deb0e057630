"""Test and benchmark helper (issue 18): crash trials of a real `python -m ingest`.

A trial starts an ingest of a fresh copy of real documents into an archive that earlier trials
filled, stops it with a signal at a seeded random moment (kill -9 of the ingest alone, SIGTERM
to its process group as systemd sends it, SIGINT to the group as Ctrl-C does), notes what the
data directory showed at that moment (a commit writing a segment, a background merge under way),
runs the same command again at once, and checks the archive: every file exactly once in the
catalog and in the index, the engine's count of everything equal to the catalog's, every
original stored whole under its sha256, no process of the stopped run left, the rerun not
refused by the writer lock. Used by tests/ingest/pipeline/test_crash_trials.py (a few trials)
and benchmarks/crash_trials.py (many, with a table).
"""
from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SIGNALS = {"KILL": signal.SIGKILL, "TERM": signal.SIGTERM, "INT": signal.SIGINT}
LOCKED = "en annan inläsning skriver redan"  # the writer lock's refusal (ingest/catalog/datadir.py)
# A segment's column files exist only while Whoosh writes the segment out at a commit (and a
# TOC's temporary file while it writes the new table of contents).
_COMMIT_FILE = re.compile(r"MAIN_\w+\.(?!_stored\.)[\w.]+\.col$|_MAIN_\d+\.toc\.")


@dataclass
class Trial:
    number: int
    signal: str  # KILL, TERM, INT
    delay: float  # seconds after the start
    moments: set[str] = field(default_factory=set)  # what the data directory showed: start, work, commit, merge, ended
    stopped_code: int | None = None  # exit code of the stopped run (-9 for kill -9)
    ran: float = 0.0  # seconds from its start to its end
    leftovers: int = 0  # its processes still alive 10 s after it ended
    rerun_code: int | None = None
    rerun_blocked: bool = False  # the rerun was refused: another ingest holds the lock
    rerun_seconds: float = 0.0
    documents: int = 0  # in the archive after the rerun
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def ingest_command(data: Path, folder: Path, jobs: int, batch: int) -> list[str]:
    return [sys.executable, "-m", "ingest", "--data", str(data), "--quiet", "--jobs", str(jobs),
            "--batch", str(batch), str(folder)]


def moments(data: Path) -> set[str]:
    """What the data directory shows now: a background merge under way (DIR/index/.merge-*), a
    commit writing its segment (column files in the live generation), the start (no index yet)."""
    index = data / "index"
    try:
        names = [p.name for p in index.iterdir()]
        current = (index / "CURRENT").read_text().strip()
        live = [p.name for p in (index / current).iterdir()]
    except (OSError, UnicodeDecodeError):
        return {"start"}
    seen = set()
    if any(n.startswith(".merge-") for n in names):
        seen.add("merge")
    if any(_COMMIT_FILE.search(n) for n in live):
        seen.add("commit")
    return seen or {"work"}


def group_members(pgid: int) -> list[int]:
    """Pids of the live processes (zombies aside) in process group `pgid`."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) ": state ppid pgrp ...
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append(int(entry.name))
    return out


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def expected_sources(folder: Path, archivable: set[str]) -> dict[str, str]:
    """source (resolved path) → sha256 of each archivable file (relative path) under `folder`."""
    return {str((folder / rel).resolve()): sha256_file(folder / rel) for rel in archivable}


def check_archive(data: Path, expected: dict[str, str]) -> list[str]:
    """What is wrong with the archive in `data`, which must hold exactly the `expected` files."""
    from index.backends.whoosh.store import IndexStore
    from index.engine import EngineSettings, open_engine
    from index.query.parser import SearchRequest, build
    from ingest.catalog.filestore import FileStore

    problems = []
    db = sqlite3.connect(f"file:{data / 'catalog.sqlite'}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT id, source, sha256, size, version, indexed_version FROM documents").fetchall()
    finally:
        db.close()
    sources = Counter(r[1] for r in rows)
    if doubled := [s for s, n in sources.items() if n > 1]:
        problems.append(f"{len(doubled)} sources catalogued twice")
    if missing := set(expected) - set(sources):
        problems.append(f"{len(missing)} files missing from the catalog, e.g. {sorted(missing)[0]}")
    if extra := set(sources) - set(expected):
        problems.append(f"{len(extra)} unexpected sources in the catalog, e.g. {sorted(extra)[0]}")
    if unindexed := [r for r in rows if r[4] != r[5]]:
        problems.append(f"{len(unindexed)} documents not marked indexed")
    store = FileStore(data / "files")
    for _id, source, sha256, _size, _v, _iv in rows:
        if source in expected and expected[source] != sha256:
            problems.append(f"catalogued sha256 of {source} is not the file's")
    for sha256, size in {(r[2], r[3]) for r in rows}:  # each original once (copies share them)
        path = store.path_for(sha256)
        if not path.is_file() or path.stat().st_size != size or sha256_file(path) != sha256:
            problems.append(f"original {sha256} not stored whole")
    ids = {r[0] for r in rows}
    ix = IndexStore(data / "index").open()
    with ix.searcher() as s:
        indexed = Counter(fields["id"] for fields in s.reader().all_stored_fields())
    if twice := [i for i, n in indexed.items() if n > 1]:
        problems.append(f"{len(twice)} documents twice in the index")
    if set(indexed) != ids:
        problems.append(f"index holds {len(set(indexed) - ids)} ids the catalog does not, "
                        f"lacks {len(ids - set(indexed))} it does")
    engine = open_engine(data / "index", EngineSettings())
    try:
        total = engine.reader().search(build(SearchRequest(q="*:*")).query, None, 0).total
    finally:
        engine.close()
    if total != len(rows):
        problems.append(f"a search for *:* counts {total}, the catalog {len(rows)}")
    leftover = sorted(p.name for p in (data / "index").iterdir() if p.name != "CURRENT")
    if len(leftover) != 1 or not leftover[0].startswith("gen-"):
        problems.append(f"the index folder holds {leftover} besides CURRENT")
    return problems


def stop_at(proc: subprocess.Popen, data: Path, trial: Trial, started: float,
            wait_for: Callable[[], bool] | None = None) -> None:
    """Send the trial's signal `trial.delay` seconds after `started` (or after `wait_for()`
    first holds), noting what the data directory showed just before."""
    if wait_for is not None:
        while proc.poll() is None and not wait_for():
            time.sleep(0.02)
        started = time.monotonic()
    while proc.poll() is None and time.monotonic() - started < trial.delay:
        time.sleep(0.005)
    if proc.poll() is not None:
        trial.moments = {"ended"}
        return
    trial.moments = moments(data)
    name = trial.signal
    if name == "KILL":
        os.kill(proc.pid, signal.SIGKILL)  # the ingest alone: its workers and merger must go by themselves
    else:
        os.killpg(proc.pid, SIGNALS[name])  # as systemd's stop and a terminal's Ctrl-C send them


def run_trial(trial: Trial, data: Path, command: list[str], expected: dict[str, str], logs: Path,
              wait_for: Callable[[], bool] | None = None) -> Trial:
    """One trial: `command` (an ingest or a crawl into `data`) stopped as `trial` says, then the
    same command again and the checks: the archive must hold exactly the `expected` sources."""
    with open(logs / f"trial-{trial.number:03d}.out", "w") as out, open(logs / f"trial-{trial.number:03d}.err", "w") as err:
        started = time.monotonic()
        proc = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err, start_new_session=True)
        try:
            stop_at(proc, data, trial, started, wait_for)
            trial.stopped_code = proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            trial.problems.append(f"the stopped run did not end within 120 s of {trial.signal}")
            os.killpg(proc.pid, signal.SIGKILL)
            trial.stopped_code = proc.wait()
        except BaseException:  # the trials themselves stopped (Ctrl-C): leave no run behind
            os.killpg(proc.pid, signal.SIGKILL)
            raise
        trial.ran = time.monotonic() - started
    if trial.signal != "KILL" and "ended" not in trial.moments:
        if trial.stopped_code != 130:
            trial.problems.append(f"{trial.signal} ended the run with {trial.stopped_code}, not 130")
        if "Avbruten" not in (logs / f"trial-{trial.number:03d}.out").read_text():
            trial.problems.append(f"no summary after {trial.signal}")
    deadline = time.monotonic() + 10
    while (members := group_members(proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    trial.leftovers = len(members)
    if members:
        trial.problems.append(f"{len(members)} processes of the stopped run still alive after 10 s")
    t = time.monotonic()
    rerun = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    trial.rerun_seconds = time.monotonic() - t
    trial.rerun_code = rerun.returncode
    trial.rerun_blocked = LOCKED in rerun.stderr
    for pid in members:  # only now: they would have held the lock against the rerun
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if rerun.returncode != 0:
        trial.problems.append(f"rerun exit {rerun.returncode}: {rerun.stderr.strip()[-300:]}")
    if "Traceback" in rerun.stderr:
        trial.problems.append("traceback in the rerun")
    trial.problems += check_archive(data, expected)
    db = sqlite3.connect(f"file:{data / 'catalog.sqlite'}?mode=ro", uri=True)
    trial.documents = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    db.close()
    return trial


def plan(trials: int, seed: int, weights: dict[str, int] | None = None) -> list[tuple[str, float]]:
    """Seeded (signal, fraction) of each trial: kill -9 three times as often as SIGTERM or
    SIGINT, at a uniformly random fraction of the run's expected length."""
    rng = random.Random(seed)
    weights = weights or {"KILL": 3, "TERM": 1, "INT": 1}
    names = list(weights)
    return [(rng.choices(names, [weights[n] for n in names])[0], rng.random()) for _ in range(trials)]


def copy_documents(sources: list[Path], folder: Path) -> None:
    """A copy of the real documents under `folder` (a trial's files: new paths, the same bytes)."""
    folder.mkdir(parents=True)
    for source in sources:
        shutil.copytree(source, folder / source.name, symlinks=False)


def catalogued_under(data: Path, folder: Path) -> int:
    """Documents catalogued from files under `folder` so far (0 while there is no catalog)."""
    try:
        db = sqlite3.connect(f"file:{data / 'catalog.sqlite'}?mode=ro", uri=True, timeout=1)
        try:
            return db.execute("SELECT count(*) FROM documents WHERE source LIKE ?",
                              (str(folder.resolve()) + os.sep + "%",)).fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0
