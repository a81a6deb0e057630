"""Index stage, Whoosh files: compound segments read through views of one shared mmap.

Whoosh opens each file inside a compound segment (`*.seg`) as a BufferFile over a slice of the
segment's mmap, and BufferFile wraps that slice in a BytesIO, which copies it: every reader held
a private copy of every file of every segment it opened. A web server with eight threads (each
its own reader) held eight copies of the index; the ingest writer, which opens readers to
replace documents by id, one more of every segment per batch. `SharedBufferFile` reads the
same bytes through a view instead, so the pages live once, in the operating system's cache.
`install()` makes Whoosh's compound storage use it (whoosh3 3.54.0, pinned)."""
from __future__ import annotations

import os

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile


class _ViewReader:
    """The file interface StructFile reads through (read, peek, readline, seek, tell), over a
    memoryview."""

    def __init__(self, view: memoryview):
        self._view = view
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else min(self._pos + size, len(self._view))
        data = self._view[self._pos:end].tobytes()
        self._pos = end
        return data

    def peek(self, size: int = 1) -> memoryview:
        """The bytes ahead without moving: pickle.load() reads a whole pickle through this
        (one call, no copy) instead of calling read() for every opcode."""
        return self._view[self._pos:self._pos + max(size, 1)]

    def readline(self, size: int | None = -1) -> bytes:
        limit = len(self._view) if size is None or size < 0 else min(self._pos + size, len(self._view))
        end = self._pos
        while end < limit:  # look for the newline a chunk at a time, not in a copy of the rest
            chunk = self._view[end:min(end + 256, limit)].tobytes()
            found = chunk.find(b"\n")
            if found >= 0:
                end += found + 1
                break
            end += len(chunk)
        return self.read(end - self._pos)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: len(self._view)}[whence]
        self._pos = base + offset
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._view = memoryview(b"")


class SharedBufferFile(BufferFile):
    """Whoosh's BufferFile without the private copy of its buffer."""

    def __init__(self, buf, name=None, onclose=None):
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = _ViewReader(memoryview(buf))  # type: ignore[assignment]  # read like a file


def install() -> None:
    compound.BufferFile = SharedBufferFile  # type: ignore[misc]  # the patch (internals.py)
