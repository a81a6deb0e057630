"""Worker processes (ingest/pipeline/workers.py): a file over its time or memory limit, or one
that kills or crashes its worker, is that file's failure; the rest of its chunk and the run go on."""
import ctypes
import os
import signal
import time
from pathlib import Path

from ingest.catalog.datadir import DataDir
from ingest.pipeline import runner
from ingest.pipeline.runner import ingest_paths
from ingest.pipeline.settings import Limits, Settings
from ingest.pipeline.workers import WorkerPool, WorkLimits, tell
from tests.ingest.many import text_files

LIMITS = WorkLimits(max_seconds=1.0, max_memory=64 * 2**20, grace_seconds=1.0)


def handle(item):
    kind = item.split(":")[0]
    if kind == "sleep":  # Python code: stopped by SIGALRM in the worker
        time.sleep(30)
    elif kind == "stuck":  # silent for good (as C code that never returns): killed from outside
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(30)
    elif kind == "grow":  # allocations past the limit fail in the worker
        return len(bytearray(256 * 2**20))
    elif kind == "oom":  # what the OOM killer does
        os.kill(os.getpid(), signal.SIGKILL)
    elif kind == "segv":  # a crash in a C library
        ctypes.string_at(0)
    elif kind == "tell":  # pages told as they are read
        for page in range(int(item.split(":")[1])):
            tell(page + 1)
    return f"ok {item}"


def fail(item, reason, message):
    return (item, reason)


def run(pool_items: dict[str, list[str]], jobs: int = 2, on_note=None) -> dict:
    pool = WorkerPool(jobs, handle, fail, LIMITS, "/nonexistent", on_note=on_note)
    try:
        for key, items in pool_items.items():
            pool.submit(key, items)
        out = {}
        while len(out) < len(pool_items):
            key, results = pool.next_done()
            out[key] = results
        return out
    finally:
        pool.close()


def test_each_file_gets_its_own_failure_and_the_chunk_goes_on():
    out = run({"a": ["x:1", "sleep:2", "x:3", "grow:4", "x:5"], "b": ["oom:1", "x:2", "segv:3", "x:4"],
               "c": ["stuck:1", "x:2"]})
    assert out["a"] == ["ok x:1", ("sleep:2", "time-limit"), "ok x:3", ("grow:4", "memory-limit"), "ok x:5"]
    assert out["b"] == [("oom:1", "killed"), "ok x:2", ("segv:3", "crashed"), "ok x:4"]
    assert out["c"] == [("stuck:1", "time-limit"), "ok x:2"]


def test_what_a_file_tells_reaches_the_run_with_its_item_and_is_no_result():
    notes: list[tuple[str, object]] = []
    out = run({"a": ["tell:3", "x:2", "tell:1"], "b": ["tell:2"]}, on_note=lambda item, value: notes.append((item, value)))
    assert out == {"a": ["ok tell:3", "ok x:2", "ok tell:1"], "b": ["ok tell:2"]}
    assert sorted(notes) == [("tell:1", 1), ("tell:2", 1), ("tell:2", 2), ("tell:3", 1), ("tell:3", 2), ("tell:3", 3)]


def test_one_job_is_isolated_too():
    assert run({"a": ["oom:1", "x:2"]}, jobs=1) == {"a": [("oom:1", "killed"), "ok x:2"]}


def test_a_worker_killed_mid_run_does_not_end_the_run(tmp_path, monkeypatch):
    """As the OOM killer would: the file it was on fails, every other is archived, and the
    next run meets the same file, fails it the same way and goes on."""
    files = text_files(tmp_path / "src", 40)
    victim = files[17]
    real = runner.prepare

    def prepare(source, name, data, *args, **kwargs):
        if name == victim.name:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(source, name, data, *args, **kwargs)

    monkeypatch.setattr(runner, "prepare", prepare)  # the workers are forked: they have it too
    data = DataDir.create(tmp_path / "data")
    for _ in range(2):
        summary = ingest_paths(data, [tmp_path / "src"], settings=Settings(jobs=2))
        assert [(Path(o.source).name, o.reason) for o in summary.failures] == [(victim.name, "killed")]
        assert summary.count("new") + summary.count("unchanged") == len(files) - 1


def test_limits_come_from_the_settings(tmp_path, monkeypatch):
    files = text_files(tmp_path / "src", 6)
    real = runner.prepare

    def slow(source, name, data, *args, **kwargs):
        if name == files[2].name:
            time.sleep(30)
        return real(source, name, data, *args, **kwargs)

    monkeypatch.setattr(runner, "prepare", slow)
    settings = Settings(jobs=1, limits=Limits(max_seconds=5.0))
    summary = ingest_paths(DataDir.create(tmp_path / "data"), [tmp_path / "src"], settings=settings)
    assert [(Path(o.source).name, o.reason) for o in summary.failures] == [(files[2].name, "time-limit")]
    assert summary.count("new") == 5


def test_a_small_run_is_spread_over_the_workers_in_small_chunks(tmp_path, monkeypatch):
    text_files(tmp_path / "src", 20)
    chunks: list[int] = []
    submit = WorkerPool.submit
    monkeypatch.setattr(WorkerPool, "submit", lambda pool, key, items: chunks.append(len(items)) or submit(pool, key, items))
    summary = ingest_paths(DataDir.create(tmp_path / "data"), [tmp_path / "src"], settings=Settings(jobs=2))
    assert summary.count("new") == 20
    assert chunks == [2] * 10  # not one chunk of 16 files for one worker and 4 for the other
