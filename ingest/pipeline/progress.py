"""Ingest stage, progress: the run's work counted in pages, told to whatever shows it (the CLI's bar).

A file counts as many pages as it has (ingest/parse/pagecount.py): it is first expected as one
page when the run lists it, as all its pages once its bytes are read. Its pages are done when its
outcome comes, except those OCR read meanwhile: a worker tells each of those as it is read
(workers.tell), so a long scan moves the bar page by page instead of all at once at its end.
"""
from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def expect(self, pages: int) -> None:
        """`pages` more pages of work became known (the total grows)."""

    def advance(self, pages: int) -> None:
        """`pages` more pages are done."""


class Silent:
    """No progress shown (the library's default)."""

    def expect(self, pages: int) -> None:
        pass

    def advance(self, pages: int) -> None:
        pass


class PageCounter:
    """Per file, its pages expected and those already told done; `progress` hears the sums.

    >>> class Shown:
    ...     def __init__(self): self.total = self.done = 0
    ...     def expect(self, n): self.total += n
    ...     def advance(self, n): self.done += n
    >>> shown = Shown(); counter = PageCounter(shown, files=2)
    >>> counter.found("scan.pdf", 3); counter.page_read("scan.pdf")
    >>> (shown.total, shown.done)
    (4, 1)
    >>> counter.finished("scan.pdf"); counter.finished("notes.txt")
    >>> (shown.total, shown.done)
    (4, 4)
    """

    def __init__(self, progress: Progress, files: int):
        self.progress = progress
        self._pages: dict[str, int] = {}
        self._read: dict[str, int] = {}
        progress.expect(files)

    def found(self, source: str, pages: int) -> None:
        """The file's bytes are read: it has `pages` pages (it was expected as one)."""
        self._pages[source] = pages
        if pages > 1:
            self.progress.expect(pages - 1)

    def page_read(self, source: str) -> None:
        """OCR read one more of the file's pages."""
        read = self._read.get(source, 0)
        if read < self._pages.get(source, 1):
            self._read[source] = read + 1
            self.progress.advance(1)

    def finished(self, source: str) -> None:
        """The file's outcome came: the rest of its pages are done."""
        rest = self._pages.pop(source, 1) - self._read.pop(source, 0)
        if rest > 0:
            self.progress.advance(rest)
