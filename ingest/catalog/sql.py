"""Catalog stage, the SQL seam: one small connection interface over SQLite (the embedded default)
and PostgreSQL (the shared catalog of several machines, ingest/catalog/postgres.py).

The catalog's SQL (database.py, watches.py) is written once, in the dialect both engines speak:
`?` placeholders, `INSERT ... ON CONFLICT ... DO NOTHING / DO UPDATE`, `coalesce`, `substr`. What
differs is said here, once, by each connection:
- placeholders: SQLite's `?` as is; PostgreSQL's psycopg wants `%s` (a literal `%` is never used);
- the schema's types: SQLite's `INTEGER PRIMARY KEY` rowid becomes an identity column, `INTEGER`
  a BIGINT, `REAL` a double, `TEXT` compares by code point (`COLLATE "C"`, SQLite's BINARY), and
  `WITHOUT ROWID` is dropped;
- the schema's version: SQLite's `PRAGMA user_version`, PostgreSQL's one-row `schema_version` table;
- a table's columns: `PRAGMA table_info` or information_schema;
- a NUL in a text value (a PDF's text layer may hold one): PostgreSQL's text cannot, it is dropped.

What stays SQLite-local: the decisions' FTS5 index (index/decisions.py, a derived file in each
data directory) and the crawler's state (ingest/fetch/state.py)."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol


class Connection(Protocol):
    """What the catalog asks of a database connection. Rows answer both row[0] and row["name"],
    keys() and dict(row), as sqlite3.Row does."""

    engine: str  # "sqlite" or "postgresql"
    db: Any  # the driver's own connection (sqlite3.Connection, psycopg.Connection)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """A cursor over the rows: iterable, fetchone(), fetchall(), rowcount."""

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    def transaction(self) -> Any:
        """A context manager: the statements inside commit together, or none on an exception."""

    def script(self, ddl: str) -> None:
        """Run a schema script (CREATE ... IF NOT EXISTS statements), idempotent."""

    def columns(self, table: str) -> set[str]: ...

    def tables(self) -> set[str]: ...

    def schema_version(self) -> int: ...

    def set_schema_version(self, version: int) -> None: ...

    def close(self) -> None: ...


class SqliteConnection:
    """One SQLite database; `db` is the sqlite3 connection itself (rows are sqlite3.Row)."""

    engine = "sqlite"

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        db.row_factory = sqlite3.Row

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.db.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.db.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.db:
            yield

    def script(self, ddl: str) -> None:
        self.db.executescript(ddl)

    def columns(self, table: str) -> set[str]:
        return {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}

    def tables(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def set_schema_version(self, version: int) -> None:
        self.db.execute(f"PRAGMA user_version={int(version)}")

    def close(self) -> None:
        self.db.close()
