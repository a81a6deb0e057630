"""Catalog stage, watches: saved searches and watches on a dnr, body, organization or party, their
subscribers, the documents that matched them and what delivering them gave (tables in the catalog:
the data directory's SQLite file, or the PostgreSQL catalog that web servers on several machines
share, through the seam of ingest/catalog/sql.py)."""
from __future__ import annotations

import secrets
import sqlite3
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest.catalog.sql import Connection, SqliteConnection

KINDS = ("search", "dnr", "body", "organization", "party")
FREQUENCIES = ("daily", "weekly")

SCHEMA = """
CREATE TABLE IF NOT EXISTS subscribers (
    email TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,          -- the secret in every link: manage, unsubscribe, confirm
    confirmed INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS watches (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,                -- KINDS
    value TEXT NOT NULL,               -- a query string (search), a dnr, a body, an organization, a party
    organization TEXT,                 -- the organization a dnr or a body belongs to, if given
    label TEXT NOT NULL,
    email TEXT REFERENCES subscribers(email) ON DELETE CASCADE,
    frequency TEXT NOT NULL DEFAULT 'daily',
    webhook TEXT,
    secret TEXT,                       -- the HMAC-SHA256 key of the webhook's signature
    created_at TEXT NOT NULL,
    last_sent_at TEXT,
    last_error TEXT,                   -- the last failed delivery, shown on the watches page
    seq INTEGER                        -- the order watches were added in
);
CREATE TABLE IF NOT EXISTS watch_matches (
    watch_id TEXT NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
    document_id TEXT NOT NULL,
    matched_at TEXT NOT NULL,
    mailed_at TEXT,
    posted_at TEXT,
    PRIMARY KEY (watch_id, document_id)
);
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY,
    watch_id TEXT,
    channel TEXT NOT NULL,             -- email, webhook
    at TEXT NOT NULL,
    ok INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    detail TEXT NOT NULL
);
-- How far the trigger has looked: documents ingested at or after this are checked again (idempotent).
CREATE TABLE IF NOT EXISTS watch_state (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def migrate(sql: Connection) -> None:
    """Create the watch tables in an existing catalog, add what a newer release has (idempotent)."""
    sql.script(SCHEMA)
    if "seq" not in sql.columns("watches"):  # a SQLite catalog from before: rowid was the order
        sql.execute("ALTER TABLE watches ADD COLUMN seq INTEGER")
        with sql.transaction():
            sql.execute("UPDATE watches SET seq = rowid")


@dataclass(frozen=True)
class Watch:
    id: str
    kind: str
    value: str
    label: str
    organization: str | None = None
    email: str | None = None
    frequency: str = "daily"
    webhook: str | None = None
    secret: str | None = None
    created_at: str = ""
    last_sent_at: str | None = None
    last_error: str | None = None
    confirmed: bool = True

    def to_dict(self, with_secret: bool = False) -> dict:
        out = asdict(self)
        if not with_secret:
            out.pop("secret")
        return out


class WatchStore:
    """The watch tables of one catalog, on a connection of their own (the web's catalog
    connection is read-only; a watch is one small write)."""

    def __init__(self, location: str | Path):
        """`location`: the catalog's SQLite file or its postgresql:// URL (DataDir.catalog)."""
        from ingest.catalog import postgres

        self.sql: Connection
        if postgres.is_url(location):
            self.sql = postgres.PostgresConnection(str(location))
            migrate(self.sql)
            self.writable = True
        else:
            db = sqlite3.connect(location, timeout=30, check_same_thread=False)
            try:
                migrate(SqliteConnection(db))
                self.writable = True
            except sqlite3.OperationalError:
                # A read-only archive (a read-only mount, a published copy): its watches can be
                # read, if it has any, but none added.
                from ingest.catalog.database import _reader

                db.close()
                db = _reader(Path(location))
                self.writable = False
            db.execute("PRAGMA foreign_keys=ON")
            self.sql = SqliteConnection(db)
        self.db = self.sql.db  # the driver's own connection (tests read it directly)
        self._tables = "watches" in self.sql.tables()

    def close(self) -> None:
        self.sql.close()

    # -- subscribers ---------------------------------------------------------

    def subscriber(self, email: str, confirmed: bool) -> dict:
        """The subscriber of an address, created (with a new key) if new; `confirmed` marks a
        new one confirmed (a single-user install confirms nobody)."""
        email = email.strip().lower()
        with self.sql.transaction():
            self.sql.execute(
                "INSERT INTO subscribers(email, key, confirmed, created_at) VALUES (?,?,?,?) ON CONFLICT DO NOTHING",
                (email, secrets.token_urlsafe(24), int(confirmed), now_iso()))
        return dict(self.sql.execute("SELECT * FROM subscribers WHERE email = ?", (email,)).fetchone())

    def by_key(self, key: str) -> dict | None:
        if not self._tables:
            return None
        row = self.sql.execute("SELECT * FROM subscribers WHERE key = ?", (key,)).fetchone()
        return dict(row) if row else None

    def confirm(self, key: str) -> dict | None:
        with self.sql.transaction():
            self.sql.execute("UPDATE subscribers SET confirmed = 1 WHERE key = ?", (key,))
        return self.by_key(key)

    # -- watches -------------------------------------------------------------

    def add(self, kind: str, value: str, label: str, organization: str | None = None,
            email: str | None = None, frequency: str = "daily", webhook: str | None = None,
            confirmed: bool = True) -> Watch:
        if kind not in KINDS:
            raise ValueError(kind)
        if email:
            email = self.subscriber(email, confirmed)["email"]
        watch_id = secrets.token_hex(8)
        secret = secrets.token_hex(32) if webhook else None
        with self.sql.transaction():
            self.sql.execute(
                """INSERT INTO watches(id, kind, value, organization, label, email, frequency, webhook,
                   secret, created_at, seq) VALUES (?,?,?,?,?,?,?,?,?,?,
                   (SELECT coalesce(max(seq), 0) + 1 FROM watches))""",
                (watch_id, kind, value, organization, label, email, frequency, webhook, secret, now_iso()))
        made = self.get(watch_id)
        assert made is not None  # inserted in the transaction just committed
        return made

    def get(self, watch_id: str) -> Watch | None:
        if not self._tables:
            return None
        row = self.sql.execute(_SELECT + " WHERE w.id = ?", (watch_id,)).fetchone()
        return _watch(row) if row else None

    def all(self, email: str | None = None) -> list[Watch]:
        if not self._tables:
            return []
        if email is None:
            rows = self.sql.execute(_SELECT + " ORDER BY w.seq, w.id")
        else:
            rows = self.sql.execute(_SELECT + " WHERE w.email = ? ORDER BY w.seq, w.id", (email,))
        return [_watch(r) for r in rows]

    def delete(self, watch_id: str) -> bool:
        with self.sql.transaction():
            return self.sql.execute("DELETE FROM watches WHERE id = ?", (watch_id,)).rowcount > 0

    # -- matches and deliveries ----------------------------------------------

    def record_matches(self, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Store (watch id, document id) matches; returns those that are new."""
        stamp, new = now_iso(), []
        with self.sql.transaction():
            for watch_id, document_id in pairs:
                cur = self.sql.execute(
                    "INSERT INTO watch_matches(watch_id, document_id, matched_at) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                    (watch_id, document_id, stamp))
                if cur.rowcount:
                    new.append((watch_id, document_id))
        return new

    def pending(self, channel: str, watch_id: str) -> list[str]:
        """Document ids matched by a watch and not yet delivered on `channel` (email, webhook)."""
        column = "mailed_at" if channel == "email" else "posted_at"
        rows = self.sql.execute(
            f"SELECT document_id FROM watch_matches WHERE watch_id = ? AND {column} IS NULL "
            "ORDER BY matched_at, document_id", (watch_id,))
        return [r[0] for r in rows]

    def delivered(self, channel: str, watch_id: str, document_ids: list[str], ok: bool,
                  attempts: int, detail: str) -> None:
        """Note a delivery; a successful one marks its matches delivered, a failed one is the
        watch's last_error until the next success."""
        column = "mailed_at" if channel == "email" else "posted_at"
        stamp = now_iso()
        with self.sql.transaction():
            self.sql.execute("INSERT INTO deliveries(watch_id, channel, at, ok, attempts, detail) VALUES (?,?,?,?,?,?)",
                            (watch_id, channel, stamp, int(ok), attempts, detail))
            if ok:
                self.sql.executemany(
                    f"UPDATE watch_matches SET {column} = ? WHERE watch_id = ? AND document_id = ?",
                    [(stamp, watch_id, d) for d in document_ids])
                self.sql.execute("UPDATE watches SET last_sent_at = ?, last_error = NULL WHERE id = ?",
                                (stamp, watch_id))
            else:
                self.sql.execute("UPDATE watches SET last_error = ? WHERE id = ?", (f"{stamp}: {detail}", watch_id))

    def deliveries(self, watch_id: str) -> list[dict]:
        rows = self.sql.execute("SELECT * FROM deliveries WHERE watch_id = ? ORDER BY id", (watch_id,))
        return [dict(r) for r in rows]

    def state(self, name: str) -> str | None:
        row = self.sql.execute("SELECT value FROM watch_state WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_state(self, name: str, value: str) -> None:
        with self.sql.transaction():
            self.sql.execute("INSERT INTO watch_state(name, value) VALUES (?, ?) "
                            "ON CONFLICT(name) DO UPDATE SET value = excluded.value", (name, value))


_SELECT = """SELECT w.*, coalesce(s.confirmed, 1) AS confirmed FROM watches w
             LEFT JOIN subscribers s ON s.email = w.email"""


def _watch(row: Any) -> Watch:
    d = dict(row)
    d.pop("seq", None)
    d["confirmed"] = bool(d["confirmed"])
    return Watch(**d)
