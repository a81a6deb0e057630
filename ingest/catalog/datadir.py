"""The data directory: where the catalog, the original files and the index live, and its lock."""
from __future__ import annotations

import errno
import fcntl
import os
from dataclasses import dataclass
from pathlib import Path


class DataDirError(Exception):
    """The data directory cannot be used (not creatable, not writable, locked by another run)."""


@dataclass(frozen=True)
class DataDir:
    """One machine's data directory. Its catalog is DIR/catalog.sqlite, or the PostgreSQL
    database of `catalog_url` that the ingests and web servers of several machines share
    (ingest/catalog/postgres.py); the original files, the index and the derived decisions
    file stay in the directory."""

    root: Path
    catalog_url: str | None = None

    @property
    def catalog_path(self) -> Path:
        """The SQLite catalog's file (with a catalog URL: where the watches are kept)."""
        return self.root / "catalog.sqlite"

    @property
    def catalog(self) -> str | Path:
        """Where the catalog is, for open_catalog(): the URL, else the SQLite file."""
        return self.catalog_url or self.catalog_path

    @property
    def files_path(self) -> Path:
        return self.root / "files"

    @property
    def index_path(self) -> Path:
        return self.root / "index"

    @property
    def page_images_path(self) -> Path:
        """Rendered PDF pages and their word boxes (web/pageimage.py): a cache, safe to delete."""
        return self.root / "pages"

    @classmethod
    def create(cls, path: str | os.PathLike, catalog_url: str | None = None) -> DataDir:
        root = Path(path)
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise DataDirError(f"kan inte skapa datakatalogen {root}: {e.strerror}") from e
        if not root.is_dir():
            raise DataDirError(f"{root} är ingen katalog")
        if not os.access(root, os.W_OK | os.X_OK):
            raise DataDirError(f"datakatalogen {root} är inte skrivbar")
        return cls(root, catalog_url)

    @classmethod
    def existing(cls, path: str | os.PathLike, catalog_url: str | None = None) -> DataDir:
        root = Path(path)
        if not root.is_dir():
            raise DataDirError(f"datakatalogen {root} finns inte (skapa arkivet med python -m ingest --data {root} ...)")
        if catalog_url is None and not (root / "catalog.sqlite").is_file():
            raise DataDirError(f"{root} innehåller inget arkiv (kör först python -m ingest --data {root} ...)")
        return cls(root, catalog_url)


class WriterLock:
    """One writer per data directory: held for the whole ingest, released by the OS on exit.

    A POSIX record lock (fcntl F_SETLK), not flock(): it belongs to the process, so no forked
    worker inherits it, and the kernel drops it when that process dies however it dies (kill -9
    included): the next run proceeds at once. The descriptor is close-on-exec, so no program the
    run starts holds it either. (A POSIX lock is also dropped when the process closes any other
    descriptor of the same file: nothing else opens writer.lock.)"""

    def __init__(self, data: DataDir):
        self.path = data.root / "writer.lock"
        self._fd: int | None = None

    def __enter__(self) -> WriterLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            os.close(fd)
            if e.errno not in (errno.EACCES, errno.EAGAIN):
                raise DataDirError(f"kan inte låsa {self.path}: {e.strerror}") from e
            raise DataDirError(
                f"en annan inläsning skriver redan till {self.path.parent}; vänta tills den är klar"
            ) from None
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            fcntl.lockf(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
