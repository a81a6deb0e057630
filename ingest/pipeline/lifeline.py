"""Ingest stage, process lifetime: helper processes die with the run that started them.

A worker or merge process that outlives its parent (kill -9 of the ingest, a power-cut-like
OOM kill) would keep file descriptors of the data directory open, and with them locks, and go
on writing where the next run is already cleaning up. So every helper process

* asks the kernel for SIGKILL when its parent dies (Linux's prctl(PR_SET_PDEATHSIG)), and
  watches its parent's pid from a thread as well (other systems, or a parent already gone
  before prctl was called);
* closes the lock files it inherited from a fork (flock locks belong to the open file, which a
  forked child shares: while any child holds it, the lock outlives the parent);
* ignores SIGINT and SIGTERM, which a terminal's Ctrl-C and systemd's stop send to the whole
  process group: the parent decides how the run ends (it stops its helpers itself).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from pathlib import Path

PR_SET_PDEATHSIG = 1
PARENT_ENV = "DIARIET_PARENT_PID"  # tells a helper started with exec which pid to outlive not
WATCH_INTERVAL = 0.5  # seconds between two looks at the parent's pid


def _prctl_deathsig(sig: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(WATCH_INTERVAL)


def die_with_parent(parent: int | None = None) -> None:
    """Make this process end when `parent` (default: the current parent) does."""
    parent = parent or os.getppid()
    _prctl_deathsig(signal.SIGKILL)
    if os.getppid() != parent:  # gone before prctl took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="diariet-parent-watch", daemon=True).start()


def close_inherited_locks(root: str | os.PathLike) -> None:
    """Close the descriptors of lock files under `root` that a fork handed down (Linux's
    /proc/self/fd; elsewhere nothing to do: the parent-death rules above still hold)."""
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        return
    root = os.path.realpath(root)
    for entry in list(fds.iterdir()):
        try:
            target = os.readlink(entry)
        except OSError:
            continue
        name = os.path.basename(target).lower()
        if target.startswith(root + os.sep) and name.endswith("lock"):
            try:
                os.close(int(entry.name))
            except (OSError, ValueError):
                pass


def ignore_stop_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def worker_start(parent: int, root: str) -> None:
    """The pool initializer of the ingest's workers (forked from the run)."""
    die_with_parent(parent)
    close_inherited_locks(root)
    ignore_stop_signals()


def helper_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a helper started with exec: it names this process as its parent."""
    return dict(os.environ if env is None else env, **{PARENT_ENV: str(os.getpid())})


def helper_start() -> None:
    """Called first by a helper started with exec (helper_env): dies with the process that
    started it."""
    parent = os.environ.get(PARENT_ENV)
    die_with_parent(int(parent) if parent and parent.isdigit() else None)
    ignore_stop_signals()
