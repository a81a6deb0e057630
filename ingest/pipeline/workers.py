"""Ingest stage, worker processes: files parsed, extracted and analysed in forked processes, each
file within its limits of time and memory, a worker that overruns or dies replaced.

Each worker takes a chunk of files and answers one result per file, in order, so when a worker
dies (killed for a limit, by the OOM killer, or by a crash in a C library) the file it was on is
known: it becomes that file's failure with the reason, and the rest of its chunk goes to a fresh
worker. The run goes on; the next run meets the same file, fails it the same way, and goes on.

Inside a worker a file is stopped by SIGALRM after `max_seconds` (Python code) and its
allocations fail beyond `max_memory` more than the worker started with (RLIMIT_AS: a MemoryError
raised in the worker itself, before the machine runs short). From outside, the run kills a
worker that stays silent `max_seconds` plus a grace period (C code that never returns to Python)
or whose resident memory grows past `max_memory` anyway, and replaces a worker whose memory
has grown by half its limit after a chunk (Python keeps what it once allocated).

Between results, the file under way may tell the run something (`tell`: a page OCR read, for
the progress bar); the run hands it to `on_note(item, value)` and it is not a result.
"""
from __future__ import annotations

import faulthandler
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from multiprocessing import connection, get_context
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from ingest.pipeline import lifeline

POLL = 0.2  # seconds between two looks at the busy workers
PAGE = os.sysconf("SC_PAGE_SIZE")


class TimeLimit(BaseException):
    """Raised in a worker by SIGALRM: a BaseException, so no `except Exception` of a parser
    mistakes it for the file's own error."""


@dataclass(frozen=True)
class WorkLimits:
    max_seconds: float  # per file, in the worker
    max_memory: int  # bytes a worker may grow by while on one file
    grace_seconds: float | None = None  # silence past max_seconds before a kill (default: max(5, half))

    @property
    def grace(self) -> float:
        return self.grace_seconds if self.grace_seconds is not None else max(5.0, self.max_seconds / 2)


_conn: Connection | None = None  # in a worker: its end of the pipe to the run (tell() sends on it)


@dataclass(frozen=True)
class Note:
    """What a worker tells the run about the item it is on, between results."""

    value: object


def tell(value: object) -> None:
    """In a worker: send `value` to the run's `on_note` for the item under way; elsewhere nothing.

    SIGALRM (the file's time limit) waits while the note is sent: a note larger than a pipe
    writes at once (4 KiB), cut in half, would leave the pipe unreadable.
    """
    if _conn is None:
        return
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    try:
        _conn.send(Note(value))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _rss(pid: int | str | None = "self") -> int:
    if pid is None:  # a process not started has no memory
        return 0
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _vm_size() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _alarm(signum, frame):
    raise TimeLimit


def _worker_main(conn, others, handle, fail, limits: WorkLimits, parent: int, root: str) -> None:
    global _conn
    _conn = conn
    for other in others:  # the run's ends of the other workers' pipes, inherited by the fork
        other.close()
    lifeline.worker_start(parent, root)
    faulthandler.disable()  # a crash is reported by the run, per file, not dumped here
    size = _vm_size()
    if size:  # room for what the worker has now, and max_memory more
        try:
            resource.setrlimit(resource.RLIMIT_AS, (size + limits.max_memory, resource.RLIM_INFINITY))
        except (ValueError, OSError):
            pass
    signal.signal(signal.SIGALRM, _alarm)
    conn.send("ready")
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        for item in task:
            conn.send(_one(handle, fail, item, limits))


def _one(handle, fail, item, limits: WorkLimits):
    try:
        signal.setitimer(signal.ITIMER_REAL, limits.max_seconds)
        try:
            return handle(item)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except TimeLimit:
        return fail(item, "time-limit", f"tolkningen tog mer än {limits.max_seconds:g} s (gränsen per fil)")
    except MemoryError:
        return fail(item, "memory-limit", f"tolkningen behövde mer än {limits.max_memory >> 20} MiB "
                                          "(gränsen per fil)")


@dataclass
class _Task:
    key: Hashable
    items: list
    results: list = field(default_factory=list)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    baseline: int  # resident bytes when ready
    task: _Task | None = None
    heard: float = 0.0  # when it last answered (or was given its task)


class WorkerPool:
    """`jobs` forked workers running `handle(item) -> result` on chunks of items; `fail(item,
    reason, message) -> result` makes the result of an item that could not be handled (it runs
    in the workers and here). Results come back per chunk (next_done), in the chunk's order;
    what an item tells meanwhile (tell) goes to `on_note(item, value)`, here, as it comes."""

    def __init__(self, jobs: int, handle: Callable, fail: Callable, limits: WorkLimits, root: str,
                 on_note: Callable[[object, object], None] | None = None):
        self.handle, self.fail, self.limits, self.root = handle, fail, limits, root
        self.on_note = on_note
        self._context = get_context("fork")
        self._queue: deque[_Task] = deque()
        self._done: deque[_Task] = deque()
        self._workers: list[_Worker] = []
        self.replaced = 0  # workers replaced after dying or overrunning (for the record)
        for _ in range(max(1, jobs)):
            self._workers.append(self._spawn())

    def _spawn(self) -> _Worker:
        mine, theirs = self._context.Pipe()
        others = [w.conn for w in self._workers]
        process = self._context.Process(
            target=_worker_main, name="diariet-worker", daemon=True,
            args=(theirs, others, self.handle, self.fail, self.limits, os.getpid(), self.root))
        process.start()
        theirs.close()
        if not mine.poll(60) or mine.recv() != "ready":
            process.kill()
            raise RuntimeError("en arbetsprocess startade inte")
        return _Worker(process, mine, _rss(process.pid))

    # -- the run's side ------------------------------------------------------------------------

    def submit(self, key: Hashable, items: list) -> None:
        self._queue.append(_Task(key, list(items)))
        self._dispatch()

    def pending(self) -> int:
        """Chunks submitted and not yet returned by next_done()."""
        return len(self._queue) + len(self._done) + sum(1 for w in self._workers if w.task)

    def next_done(self) -> tuple[Hashable, list]:
        """The next finished chunk: (its key, its results in order). Waits for one."""
        while not self._done:
            if not self._queue and not any(w.task for w in self._workers):
                raise LookupError("nothing submitted")
            self._poll()
        task = self._done.popleft()
        return task.key, task.results

    def close(self) -> None:
        """Stop the workers (what is under way is abandoned)."""
        for w in self._workers:
            try:
                w.conn.send(None) if w.task is None else w.process.kill()
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + 5
        for w in self._workers:
            w.process.join(max(0.0, deadline - time.monotonic()))
            if w.process.is_alive():
                w.process.kill()
                w.process.join(1)
            w.conn.close()
        self._workers = []

    # -- supervision ---------------------------------------------------------------------------

    def _dispatch(self) -> None:
        for w in self._workers:
            if w.task is None and self._queue:
                self._give(w, self._queue.popleft())

    def _give(self, w: _Worker, task: _Task) -> None:
        w.task, w.heard = task, time.monotonic()
        try:
            w.conn.send(task.items[len(task.results):])
        except (OSError, ValueError):  # it died meanwhile: found by the next poll
            pass

    def _poll(self) -> None:
        busy = {w.conn: w for w in self._workers if w.task}
        for ready in connection.wait(list(busy), timeout=POLL):
            w = busy[ready]  # type: ignore[index]  # wait() answers the very objects it was given
            try:
                result = w.conn.recv()
            except (EOFError, OSError):
                self._replace(w, *self._death(w))
                continue
            if isinstance(result, Note):  # not an answer: the time since it was given the file runs on
                if self.on_note is not None and w.task is not None:
                    self.on_note(w.task.items[len(w.task.results)], result.value)
                continue
            self._answered(w, result)
        now = time.monotonic()
        for w in list(self._workers):
            if w.task is None or w.conn.poll(0):
                continue
            if now - w.heard > self.limits.max_seconds + self.limits.grace:
                self._replace(w, "time-limit", f"tolkningen tog mer än {self.limits.max_seconds:g} s "
                                               "(gränsen per fil) och stoppades")
            elif _rss(w.process.pid) - w.baseline > self.limits.max_memory:
                self._replace(w, "memory-limit", f"tolkningen behövde mer än {self.limits.max_memory >> 20} "
                                                 "MiB (gränsen per fil) och stoppades")
        self._dispatch()

    def _answered(self, w: _Worker, result) -> None:
        task = w.task
        assert task is not None, "only a busy worker answers"
        task.results.append(result)
        w.heard = time.monotonic()
        if len(task.results) < len(task.items):
            return
        self._done.append(task)
        w.task = None
        if _rss(w.process.pid) - w.baseline > self.limits.max_memory / 2:  # keeps what it grew to
            self._retire(w)

    def _death(self, w: _Worker) -> tuple[str, str]:
        w.process.join(2)
        code = w.process.exitcode
        if code == -signal.SIGKILL:
            return "killed", "arbetsprocessen dödades (SIGKILL: minnet tog slut på datorn?)"
        if code is not None and code < 0:
            return "crashed", f"arbetsprocessen kraschade (signal {signal.Signals(-code).name})"
        return "crashed", f"arbetsprocessen avslutades oväntat (kod {code})"

    def _replace(self, w: _Worker, reason: str, message: str) -> None:
        """The worker's current file failed with `reason`: stop it, start another on the rest."""
        task = w.task
        if w.process.is_alive():
            w.process.kill()
        w.process.join(5)
        w.conn.close()
        self._workers.remove(w)
        self.replaced += 1
        fresh = self._spawn()
        self._workers.append(fresh)
        if task is not None:
            task.results.append(self.fail(task.items[len(task.results)], reason, message))
            if len(task.results) < len(task.items):
                self._give(fresh, task)
            else:
                self._done.append(task)

    def _retire(self, w: _Worker) -> None:
        try:
            w.conn.send(None)
        except (OSError, ValueError):
            pass
        w.process.join(5)
        if w.process.is_alive():
            w.process.kill()
            w.process.join(1)
        w.conn.close()
        self._workers.remove(w)
        self._workers.append(self._spawn())
