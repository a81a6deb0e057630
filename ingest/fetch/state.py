"""Crawl stage 6: what the crawler remembers between runs, in DIR/crawl.sqlite.

* `resources`: per URL the validators (ETag, Last-Modified) of the last good answer and, for an
  archived file, the sha256 of its bytes: the next run sends a conditional request.
* `children`: what a page, feed or sitemap linked to when it was last read, so that a 304 for it
  still leads the crawl on to its links.
* `frontier`: the URLs of the current crawl of each source, pending or done. A run that ends
  normally clears it; a killed run leaves it, and the next run resumes from the pending rows
  without fetching the done ones again.

Every change is one SQLite transaction (WAL), so a crawl killed at any point leaves it consistent.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ingest.catalog.database import now_iso

_SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    sha256 TEXT,               -- set when the URL's bytes are archived as a document
    checked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS children (
    source TEXT NOT NULL,
    parent TEXT NOT NULL,
    position INTEGER NOT NULL,
    url TEXT NOT NULL,
    kind TEXT NOT NULL,
    hints_json TEXT NOT NULL,
    PRIMARY KEY (source, parent, position)
);
CREATE TABLE IF NOT EXISTS frontier (
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    kind TEXT NOT NULL,        -- page | document | feed | sitemap
    depth INTEGER NOT NULL,
    hints_json TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    seq INTEGER NOT NULL,
    PRIMARY KEY (source, url)
);
CREATE INDEX IF NOT EXISTS frontier_pending ON frontier(source, done, seq);
"""


@dataclass(frozen=True)
class Entry:
    """A URL to fetch for a source: what it is expected to be, how deep, and its hints."""

    url: str
    kind: str
    depth: int = 0
    hints: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Validators:
    etag: str | None
    last_modified: str | None
    sha256: str | None


class CrawlState:
    def __init__(self, path: Path):
        self.db = sqlite3.connect(path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    # -- validators ------------------------------------------------------------

    def validators(self, url: str) -> Validators | None:
        row = self.db.execute(
            "SELECT etag, last_modified, sha256 FROM resources WHERE url = ?", (url,)
        ).fetchone()
        return Validators(*row) if row else None

    def _remember(self, url: str, etag: str | None, last_modified: str | None, sha256: str | None) -> None:
        self.db.execute(
            """INSERT INTO resources(url, etag, last_modified, sha256, checked_at) VALUES (?,?,?,?,?)
               ON CONFLICT(url) DO UPDATE SET etag=excluded.etag, last_modified=excluded.last_modified,
                   sha256=COALESCE(excluded.sha256, resources.sha256), checked_at=excluded.checked_at""",
            (url, etag, last_modified, sha256, now_iso()),
        )

    # -- the frontier ------------------------------------------------------------

    def begin(self, source: str, start: list[Entry]) -> tuple[list[Entry], bool]:
        """The entries to fetch now: the pending ones of an interrupted crawl (resumed=True),
        else the start entries of a new crawl."""
        with self.db:
            known = self.db.execute("SELECT count(*) FROM frontier WHERE source = ?", (source,)).fetchone()[0]
            if not known:
                self._add(source, start)
        rows = self.db.execute(
            "SELECT url, kind, depth, hints_json FROM frontier WHERE source = ? AND done = 0 ORDER BY seq",
            (source,),
        )
        return [Entry(u, k, d, json.loads(h)) for u, k, d, h in rows], bool(known)

    def _add(self, source: str, entries: list[Entry]) -> list[Entry]:
        """Entries not yet in this crawl's frontier, now added (pending)."""
        seq = self.db.execute("SELECT COALESCE(max(seq), 0) FROM frontier WHERE source = ?", (source,)).fetchone()[0]
        added = []
        for entry in entries:
            seq += 1
            cursor = self.db.execute(
                """INSERT OR IGNORE INTO frontier(source, url, kind, depth, hints_json, seq)
                   VALUES (?,?,?,?,?,?)""",
                (source, entry.url, entry.kind, entry.depth, json.dumps(entry.hints, ensure_ascii=False), seq),
            )
            if cursor.rowcount:
                added.append(entry)
        return added

    def read(self, source: str, url: str, children: list[Entry], follow: list[Entry],
             etag: str | None, last_modified: str | None, done: bool = True) -> list[Entry]:
        """A page, feed or sitemap was read: remember its children and validators, add the
        children to follow to the frontier and (unless it is also archived) mark it done.
        Returns the entries new to the frontier, to be requested."""
        with self.db:
            self.db.execute("DELETE FROM children WHERE source = ? AND parent = ?", (source, url))
            self.db.executemany(
                "INSERT INTO children(source, parent, position, url, kind, hints_json) VALUES (?,?,?,?,?,?)",
                [(source, url, i, c.url, c.kind, json.dumps(c.hints, ensure_ascii=False))
                 for i, c in enumerate(children)],
            )
            self._remember(url, etag, last_modified, None)
            added = self._add(source, follow)
            if done:
                self._done(source, url)
        return added

    def children(self, source: str, parent: str) -> list[Entry]:
        """What `parent` linked to when it was last read (depth 0: the caller sets it)."""
        rows = self.db.execute(
            "SELECT url, kind, hints_json FROM children WHERE source = ? AND parent = ? ORDER BY position",
            (source, parent),
        )
        return [Entry(u, k, 0, json.loads(h)) for u, k, h in rows]

    def not_modified(self, source: str, url: str, follow: list[Entry]) -> list[Entry]:
        """A 304: the stored children to follow join the frontier, the URL is done."""
        with self.db:
            self.db.execute("UPDATE resources SET checked_at = ? WHERE url = ?", (now_iso(), url))
            added = self._add(source, follow)
            self._done(source, url)
        return added

    def archived(self, source: str, url: str, etag: str | None, last_modified: str | None, sha256: str) -> None:
        """A file is in the archive (new, updated or unchanged): remember it, mark it done."""
        with self.db:
            self._remember(url, etag, last_modified, sha256)
            self._done(source, url)

    def done(self, source: str, url: str) -> None:
        """Finished without anything to remember (failed, skipped by robots.txt)."""
        with self.db:
            self._done(source, url)

    def _done(self, source: str, url: str) -> None:
        self.db.execute("UPDATE frontier SET done = 1 WHERE source = ? AND url = ?", (source, url))

    def finish(self, source: str) -> None:
        """The crawl of `source` ran to its end: the next run starts anew from the start URLs."""
        with self.db:
            self.db.execute("DELETE FROM frontier WHERE source = ?", (source,))

    def progress(self, source: str) -> tuple[int, int]:
        """(done, known) URLs of the current crawl of `source`."""
        done, known = self.db.execute(
            "SELECT COALESCE(sum(done), 0), count(*) FROM frontier WHERE source = ?", (source,)
        ).fetchone()
        return done, known
