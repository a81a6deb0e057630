"""SIGTERM ends an ingest like Ctrl-C (summary, exit 130, nothing lost); a killed --reindex
leaves the index as it was, and the next run removes its half-built generation."""
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.backends.whoosh.store import IndexStore
from tests.ingest.many import text_files

ROOT = Path(__file__).resolve().parents[2]


def ingest(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "ingest", *map(str, args)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, **kwargs)


def catalogued(data: Path) -> int:
    try:
        db = sqlite3.connect(data / "catalog.sqlite", timeout=1)
        try:
            return db.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def wait_for(condition, proc, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline and proc.poll() is None and not condition():
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be stopped"


def all_once(data: Path, count: int) -> None:
    db = sqlite3.connect(data / "catalog.sqlite")
    assert db.execute("SELECT count(*), count(DISTINCT source) FROM documents").fetchone() == (count, count)
    assert db.execute("SELECT count(*) FROM documents WHERE indexed_version != version").fetchone()[0] == 0
    db.close()
    with IndexStore(data / "index").open().searcher() as s:
        assert s.doc_count() == count


@pytest.mark.parametrize("group", [False, True], ids=["process", "process-group"])
def test_sigterm_prints_the_summary_and_exits_130(tmp_path, group):
    files = text_files(tmp_path / "src", 300)
    data = tmp_path / "data"
    proc = ingest("--data", data, "--quiet", "--jobs", "2", "--batch", "20", tmp_path / "src")
    try:
        wait_for(lambda: catalogued(data) >= 30, proc)
        (os.killpg if group else os.kill)(proc.pid, signal.SIGTERM)  # systemd stops the whole group
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err
    assert out.startswith("Klart: ") and "Avbruten" in out, out + err
    assert "Traceback" not in err
    rerun = subprocess.run([sys.executable, "-m", "ingest", "--data", str(data), "--quiet", str(tmp_path / "src")],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    all_once(data, len(files))


def test_a_killed_reindex_leaves_the_index_as_it_was(tmp_path):
    files = text_files(tmp_path / "src", 1500)  # enough that the rebuild is still running when the signal comes
    data = tmp_path / "data"
    first = subprocess.run([sys.executable, "-m", "ingest", "--data", str(data), "--quiet", str(tmp_path / "src")],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    live = IndexStore(data / "index").current_dir()
    proc = ingest("--data", data, "--quiet", "--reindex")
    try:
        wait_for(lambda: len(list((data / "index").glob("gen-*"))) > 1, proc)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert IndexStore(data / "index").current_dir() == live  # readers never saw the half-built one
    rerun = subprocess.run([sys.executable, "-m", "ingest", "--data", str(data), "--quiet", str(tmp_path / "src")],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(p.name for p in (data / "index").iterdir()) == ["CURRENT", live.name]
    all_once(data, len(files))


def test_sigterm_to_a_reindex_removes_its_generation_and_exits_130(tmp_path):
    text_files(tmp_path / "src", 1500)  # enough that the rebuild is still running when the signal comes
    data = tmp_path / "data"
    subprocess.run([sys.executable, "-m", "ingest", "--data", str(data), "--quiet", str(tmp_path / "src")],
                   cwd=ROOT, capture_output=True, timeout=300, check=True)
    live = IndexStore(data / "index").current_dir()
    proc = ingest("--data", data, "--quiet", "--reindex")
    try:
        wait_for(lambda: len(list((data / "index").glob("gen-*"))) > 1, proc)
        os.kill(proc.pid, signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130 and "Avbruten" in out, out + err
    assert sorted(p.name for p in (data / "index").iterdir()) == ["CURRENT", live.name]


def test_a_killed_reindex_leaves_no_process_behind(tmp_path):
    """kill -9 while Whoosh's sub-writers of a multi-process rebuild run: they die with the run
    (index/backends/whoosh/subwriters.py), instead of waiting for ever on their queue."""
    from tests.ingest.pipeline.crashes import group_members

    text_files(tmp_path / "src", 400)  # enough documents for Whoosh to start its sub-writers
    data = tmp_path / "data"
    subprocess.run([sys.executable, "-m", "ingest", "--data", str(data), "--quiet", str(tmp_path / "src")],
                   cwd=ROOT, capture_output=True, timeout=300, check=True)
    proc = ingest("--data", data, "--quiet", "--jobs", "2", "--reindex")
    try:
        wait_for(lambda: len(group_members(proc.pid)) >= 3, proc)  # the run and its two sub-writers
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.time() + 10
        while group_members(proc.pid) and time.time() < deadline:
            time.sleep(0.1)
        assert group_members(proc.pid) == []
    finally:
        for pid in group_members(proc.pid):
            os.kill(pid, signal.SIGKILL)
