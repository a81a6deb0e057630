"""Catalog storage of original files: content-addressed by sha256 under DIR/files/ab/cd/<sha256>."""
from __future__ import annotations

import ctypes
import hashlib
import os
import re
import tempfile
from pathlib import Path

_SHA256 = re.compile(r"[0-9a-f]{64}")
_LIBC: ctypes.CDLL | None
try:
    _LIBC = ctypes.CDLL(None, use_errno=True)
    _ = _LIBC.syncfs  # Linux: fails here on systems without it
except (OSError, AttributeError):
    _LIBC = None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FileStore:
    """Original bytes by sha256. Writes are atomic (temp file + rename), so a killed run
    never leaves a half-written original behind a valid name."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        # The only way from a request to the file system: a validated hex digest.
        if not _SHA256.fullmatch(sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str, size: int | None = None) -> bool:
        """The original is stored (with `size` bytes, when given: not cut short by a crash)."""
        try:
            stat = self.path_for(sha256).stat()
        except FileNotFoundError:
            return False
        return size is None or stat.st_size == size

    def put(self, data: bytes, sha256: str | None = None, sync: bool = True) -> str:
        """Store `data` under its digest. `sync=False` leaves it to a later sync() to make the
        file durable: one sync of the file system for a batch costs far less than one per file."""
        digest = sha256 or sha256_of(data)
        target = self.path_for(digest)
        if self.has(digest, len(data)):
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                if sync:
                    os.fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def sync(self) -> None:
        """Make every original written with put(sync=False) durable: syncfs(2) of the store's
        file system (os.sync() where syncfs is missing)."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root, os.O_RDONLY)
        try:
            if _LIBC is None or _LIBC.syncfs(fd) != 0:
                os.sync()
        finally:
            os.close(fd)

    def get(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()
