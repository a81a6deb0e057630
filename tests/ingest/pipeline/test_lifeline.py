"""Helper processes die with the run, and no lock outlives it (ingest/pipeline/lifeline.py,
ingest/catalog/datadir.py): the run after a kill -9 of the ingest alone proceeds at once."""
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.catalog.datadir import DataDir, DataDirError, WriterLock
from tests.ingest.many import text_files

ROOT = Path(__file__).resolve().parents[3]


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper that is not ours counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def children_of(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def gone_within(pids: list[int], seconds: float) -> list[int]:
    deadline = time.time() + seconds
    while time.time() < deadline and any(alive(p) for p in pids):
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


def test_workers_die_with_an_ingest_killed_alone_and_the_next_run_proceeds(tmp_path):
    files = text_files(tmp_path / "src", 300)
    data = tmp_path / "data"
    proc = subprocess.Popen([sys.executable, "-m", "ingest", "--data", str(data), "--quiet", "--jobs", "2",
                             "--batch", "20", str(tmp_path / "src")], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    workers: list[int] = []
    try:
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None:
            time.sleep(0.05)
            try:
                db = sqlite3.connect(data / "catalog.sqlite", timeout=1)
                count = db.execute("SELECT count(*) FROM documents").fetchone()[0]
                db.close()
            except sqlite3.Error:
                continue
            if count >= 30 and len(children_of(proc.pid)) >= 2:
                break
        assert proc.poll() is None, "the run ended before it could be killed"
        workers = children_of(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)  # the ingest alone, not its process group
        proc.wait(timeout=10)
        assert gone_within(workers, 10) == [], "workers outlived the killed ingest"
    finally:
        for pid in [proc.pid, *workers]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    r = subprocess.run([sys.executable, "-m", "ingest", "--data", str(data), "--quiet", str(tmp_path / "src")],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    db = sqlite3.connect(data / "catalog.sqlite")
    assert db.execute("SELECT count(DISTINCT source), count(*) FROM documents").fetchone() == (len(files), len(files))
    assert db.execute("SELECT count(*) FROM documents WHERE indexed_version != version").fetchone()[0] == 0


HOLD_AND_FORK = """
import os, sys, time
sys.path.insert(0, sys.argv[2])
from ingest.catalog.datadir import DataDir, WriterLock
WriterLock(DataDir.create(sys.argv[1])).__enter__()
if os.fork() == 0:
    time.sleep(60)
    os._exit(0)
print("held", flush=True)
time.sleep(60)
"""


def test_the_writer_lock_is_not_inherited_and_is_released_when_its_holder_dies(tmp_path):
    data = DataDir.create(tmp_path / "data")
    holder = subprocess.Popen([sys.executable, "-c", HOLD_AND_FORK, str(data.root), str(ROOT)],
                              stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DataDirError, match="en annan inläsning"):
            WriterLock(data).__enter__()
        (child,) = children_of(holder.pid)
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
        assert alive(child)  # the forked child lives on, and holds nothing
        with WriterLock(data):
            pass
    finally:
        os.killpg(holder.pid, signal.SIGKILL)


START_HELPER = """
import subprocess, sys, time
sys.path.insert(0, sys.argv[1])
from ingest.pipeline import lifeline
code = "import sys, time; sys.path.insert(0, sys.argv[1]); from ingest.pipeline import lifeline; " \\
       "lifeline.helper_start(); print('ready', flush=True); time.sleep(60)"
helper = subprocess.Popen([sys.executable, "-c", code, sys.argv[1]], env=lifeline.helper_env(),
                          stdout=subprocess.PIPE, text=True)
assert helper.stdout.readline().strip() == "ready"
print(helper.pid, flush=True)
time.sleep(60)
"""


def test_a_helper_started_with_exec_dies_with_its_parent(tmp_path):
    """As the background merger (python -m index.backends.whoosh.merger) does."""
    parent = subprocess.Popen([sys.executable, "-c", START_HELPER, str(ROOT)], stdout=subprocess.PIPE,
                              text=True, start_new_session=True)
    try:
        helper = int(parent.stdout.readline())
        assert alive(helper)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        assert gone_within([helper], 10) == []
    finally:
        os.killpg(parent.pid, signal.SIGKILL)
