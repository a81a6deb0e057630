"""The data directory: where the catalog, the original files and the index live, and its lock."""
from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from pathlib import Path


class DataDirError(Exception):
    """The data directory cannot be used (not creatable, not writable, locked by another run)."""


@dataclass(frozen=True)
class DataDir:
    root: Path

    @property
    def catalog_path(self) -> Path:
        return self.root / "catalog.sqlite"

    @property
    def files_path(self) -> Path:
        return self.root / "files"

    @property
    def index_path(self) -> Path:
        return self.root / "index"

    @classmethod
    def create(cls, path: str | os.PathLike) -> DataDir:
        root = Path(path)
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise DataDirError(f"kan inte skapa datakatalogen {root}: {e.strerror}") from e
        if not root.is_dir():
            raise DataDirError(f"{root} är ingen katalog")
        if not os.access(root, os.W_OK | os.X_OK):
            raise DataDirError(f"datakatalogen {root} är inte skrivbar")
        return cls(root)

    @classmethod
    def existing(cls, path: str | os.PathLike) -> DataDir:
        root = Path(path)
        if not (root / "catalog.sqlite").is_file():
            raise DataDirError(f"{root} innehåller inget arkiv (kör först python -m ingest --data {root} ...)")
        return cls(root)


class WriterLock:
    """One writer per data directory: held for the whole ingest, released by the OS on exit."""

    def __init__(self, data: DataDir):
        self.path = data.root / "writer.lock"
        self._fd: int | None = None

    def __enter__(self) -> WriterLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise DataDirError(
                f"en annan inläsning skriver redan till {self.path.parent}; vänta tills den är klar"
            ) from None
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
