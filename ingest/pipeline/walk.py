"""Ingest stage, the files of a run: the folders given walked safely, each file read within limits.

Whatever one entry does (a symlink loop, a link out of the folders given, a FIFO or a device
named .txt, a file without read permission, one larger than the limit or still growing), it is
that entry's failure with a reason, and the walk goes on:

* Symlinks are followed only to targets inside the folders given (`symlinks="inside"`), or not
  at all (`"none"`); a link that loops or dangles is reported, a folder reached twice is read once.
* A file is read only if it is a regular file, and only up to `max_bytes` (its size is checked
  first, so a sparse multi-GB file costs nothing; a file that grows while read is cut off).
"""
from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.parse import mediatype
from ingest.parse.limits import grouped

# Extensions picked up when a folder is given (those a parser reads); a file named explicitly is always tried.
INGESTIBLE = mediatype.EXTENSIONS
SYMLINKS = ("inside", "none")
READ_CHUNK = 1 << 20


@dataclass
class Unreadable(Exception):
    """An entry that cannot be ingested: its source, a reason code and a Swedish message."""

    source: str
    reason: str  # symlink-loop, broken-symlink, outside, not-a-file, too-large, unreadable
    message: str


class Resolver:
    """Path.resolve(strict=True) for the many files of a few folders: each folder is resolved
    once (for as long as the Resolver lives, one run), and a file costs one lstat(2). A file that
    is a symlink, or a path with ".." in it, is resolved by Path.resolve itself.

    >>> import tempfile; folder = Path(tempfile.mkdtemp()); (folder / "a.txt").write_text("x")
    1
    >>> Resolver()(folder / "a.txt") == (folder / "a.txt").resolve(strict=True)
    True
    """

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def __call__(self, path: Path) -> Path:
        if ".." in path.parts:
            return path.resolve(strict=True)
        folder, name = os.path.split(os.path.abspath(path))
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = str(Path(folder).resolve(strict=True))
        full = os.path.join(real, name)
        if stat.S_ISLNK(os.lstat(full).st_mode):
            return path.resolve(strict=True)
        return Path(full)


def collect(paths: Iterable[Path], symlinks: str = "inside") -> Iterator[Path | Unreadable]:
    """Files to ingest: files as given, folders walked in sorted order (a folder's files, then
    its subfolders; hidden entries skipped), and an Unreadable for each entry that cannot be."""
    paths = list(paths)
    roots = []
    resolve = Resolver()
    for path in paths:
        try:
            resolved = resolve(path)
        except (OSError, RuntimeError):
            continue  # reported below
        if resolved.is_dir():
            roots.append(resolved)
    visited: set[tuple[int, int]] = set()
    for path in paths:
        try:
            resolved = resolve(path)
            is_dir = resolved.is_dir()
        except (OSError, RuntimeError) as e:
            yield _link_problem(path, e)
            continue
        if is_dir:
            yield from _walk(Path(path), resolved, roots, visited, symlinks)
        else:
            yield path


def _walk(path: Path, resolved: Path, roots: list[Path], visited: set, symlinks: str,
          ancestors: tuple[Path, ...] = ()) -> Iterator[Path | Unreadable]:
    try:
        st = resolved.stat()
        if (st.st_dev, st.st_ino) in visited:
            return
        visited.add((st.st_dev, st.st_ino))
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError as e:
        yield Unreadable(str(resolved), "unreadable", f"kan inte läsa katalogen: {e.strerror}")
        return
    subfolders: list[tuple[Path, Path]] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = Path(entry.path)
        try:
            if entry.is_symlink():
                if symlinks == "none":
                    continue
                try:
                    target = child.resolve(strict=True)
                except (OSError, RuntimeError) as e:
                    yield _link_problem(child, e)
                    continue
                if not any(target == root or target.is_relative_to(root) for root in roots):
                    if target.is_dir() or child.suffix.lower() in INGESTIBLE:
                        yield Unreadable(str(child.absolute()), "outside",
                                         f"symlänken pekar utanför de angivna katalogerna (till {target})")
                    continue
                if target.is_dir():
                    if target == resolved or target in ancestors:
                        yield Unreadable(str(child.absolute()), "symlink-loop",
                                         "symlänken pekar på en katalog den själv ligger i (en slinga)")
                    else:
                        subfolders.append((child, target))
                    continue
                is_file, is_dir = target.is_file(), False
            else:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = entry.is_file(follow_symlinks=False)
        except OSError as e:
            yield Unreadable(str(child.absolute()), "unreadable", f"kan inte läsa: {e.strerror}")
            continue
        if is_dir:
            subfolders.append((child, resolved / entry.name))
        elif child.suffix.lower() in INGESTIBLE:
            if is_file:
                yield child
            else:
                yield Unreadable(str(child.absolute()), "not-a-file",
                                 "ingen vanlig fil (en FIFO, en enhet eller en socket)")
    for child, target in subfolders:
        yield from _walk(child, target, roots, visited, symlinks, (*ancestors, resolved))


def _link_problem(path: Path, error: BaseException) -> Unreadable:
    source = str(path.absolute())
    if isinstance(error, RuntimeError) or getattr(error, "errno", None) == errno.ELOOP:
        return Unreadable(source, "symlink-loop", "symlänkarna bildar en slinga")
    if isinstance(error, FileNotFoundError) and path.is_symlink():
        return Unreadable(source, "broken-symlink", "symlänken pekar på något som inte finns")
    return Unreadable(source, "unreadable", f"kan inte läsa: {getattr(error, 'strerror', None) or error}")


def read_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`; raises Unreadable otherwise."""
    source = str(path)
    try:
        # O_NONBLOCK: opening a FIFO does not wait for a writer (and regular files ignore it).
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise Unreadable(source, "symlink-loop", "symlänkarna bildar en slinga") from None
        raise Unreadable(source, "unreadable", f"kan inte läsa filen: {e.strerror}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable(source, "not-a-file", "ingen vanlig fil (en FIFO, en enhet eller en socket)")
        if st.st_size > max_bytes:
            raise Unreadable(source, "too-large", _too_large(st.st_size, max_bytes))
        parts, total = [], 0
        while True:
            try:
                chunk = os.read(fd, min(READ_CHUNK, max_bytes + 1 - total))
            except OSError as e:
                raise Unreadable(source, "unreadable", f"kan inte läsa filen: {e.strerror}") from None
            if not chunk:
                break
            parts.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise Unreadable(source, "too-large", _too_large(total, max_bytes, growing=True))
        return b"".join(parts)
    finally:
        os.close(fd)


def _too_large(size: int, limit: int, growing: bool = False) -> str:
    what = "växer medan den läses och är redan" if growing else "är"
    return f"filen {what} {grouped(size)} byte, mer än gränsen {grouped(limit)} byte"
