"""Catalog stage: the source of truth for documents, their pages, files and cases (SQLite, or
PostgreSQL for a catalog several machines share: open_catalog)."""
from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import fields, is_dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest.catalog.sql import Connection, SqliteConnection
from ingest.extract import dnr as dnr_module
from ingest.extract import registers
from ingest.model import Document, Metadata, Page, Paragraph, ParsedDocument, Part, Statement

# 2: the watch tables (ingest/catalog/watches.py); 3: pages.ocr, pages.confidence; 4: document_dnr.register
# and .number (a case is organization, register, number: ingest/extract/registers.py)
# 5: documents.hints_json (extraction's hints, for a re-extraction) and the reextracted table;
# 6: the registers table (what the archive shows of each organization's registers)
SCHEMA_VERSION = 6

# The order of an ärende's documents on one day: what starts a case before what decides it.
CASE_ORDER = ("motion", "interpellation", "kallelse", "tjänsteskrivelse", "tjänsteutlåtande",
              "yttrande", "protokollsutdrag", "protokoll", "pressmeddelande")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    title TEXT NOT NULL,
    doctype TEXT NOT NULL,
    organization TEXT,
    body TEXT,
    date TEXT,
    language TEXT NOT NULL,
    meta_json TEXT NOT NULL,
    warnings_json TEXT NOT NULL DEFAULT '[]',
    hints_json TEXT NOT NULL DEFAULT '{}',  -- what its source said (Document.hints)
    page_count INTEGER NOT NULL,
    ingested_at TEXT NOT NULL,
    indexed_version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS documents_sha256 ON documents(sha256);
CREATE INDEX IF NOT EXISTS documents_newest ON documents(coalesce(date, '') DESC, ingested_at DESC);
CREATE INDEX IF NOT EXISTS documents_unindexed ON documents(indexed_version) WHERE indexed_version < version;
CREATE TABLE IF NOT EXISTS pages (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    has_text_layer INTEGER NOT NULL DEFAULT 1,
    ocr INTEGER NOT NULL DEFAULT 0,  -- the text was read by OCR (ingest/parse/ocr.py)
    confidence REAL,  -- with ocr: its mean word confidence, 0-1
    PRIMARY KEY (document_id, number)
);
CREATE TABLE IF NOT EXISTS files (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    media_type TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    parsed_json TEXT
);
CREATE TABLE IF NOT EXISTS versions (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    PRIMARY KEY (document_id, version)
);
CREATE TABLE IF NOT EXISTS document_dnr (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    dnr TEXT NOT NULL,
    key TEXT NOT NULL,
    own INTEGER NOT NULL,
    register TEXT NOT NULL DEFAULT '',  -- the register (diarium) it is in: "KS", "Byggnadsnämnden", '' the organization's
    number TEXT NOT NULL DEFAULT '',  -- its key without the register's letters (dnr.parts)
    PRIMARY KEY (document_id, dnr)
);
CREATE INDEX IF NOT EXISTS document_dnr_key ON document_dnr(key);
-- The plain words of the indexed documents and how many documents hold each (index/search/vocabulary.py).
CREATE TABLE IF NOT EXISTS words (
    word TEXT PRIMARY KEY,
    documents INTEGER NOT NULL
) WITHOUT ROWID;
-- Each organization's registers as its documents' own numbers show them (ingest/extract/registers.py
-- learn), learned anew at the end of every ingest run from document_dnr.
CREATE TABLE IF NOT EXISTS registers (
    organization TEXT NOT NULL,  -- '' when the documents name none
    register TEXT NOT NULL,
    numbers INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    shapes_json TEXT NOT NULL,  -- [[shape, numbers, example], ...], most used first
    bodies_json TEXT NOT NULL,  -- [[body, documents], ...]
    written_as TEXT,  -- a nämnd's register of bare numbers: the prefixed register they are in
    PRIMARY KEY (organization, register)
) WITHOUT ROWID;
-- The documents a re-extraction under way has done (ingest/pipeline/reextract.py): a stopped run
-- goes on from there; emptied when it completes.
CREATE TABLE IF NOT EXISTS reextracted (
    id TEXT PRIMARY KEY
) WITHOUT ROWID;
-- Documents removed from the catalog whose deletion the index has not committed yet (ingest/pipeline/remove.py).
CREATE TABLE IF NOT EXISTS removed (
    id TEXT PRIMARY KEY
) WITHOUT ROWID;
"""


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def document_id_for(source: str) -> str:
    """A stable id from the source: the same path or URL keeps its id when its bytes change."""
    import hashlib

    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def _meta_to_json(meta: Metadata) -> str:
    """The metadata as JSON: what json.dumps(asdict(meta)) writes, each dataclass turned into its
    fields' dict as the encoder meets it (asdict first deep-copies every value: 2-3x the time)."""
    return json.dumps(meta, ensure_ascii=False, default=_fields_of)


def _fields_of(value: Any) -> dict:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def _meta_from_json(raw: str) -> Metadata:
    d = json.loads(raw)
    d["statements"] = tuple(
        Statement(**{**s, "parties": tuple(s["parties"]), "persons": tuple(s["persons"])})
        for s in d.get("statements", ())
    )
    d["paragraphs"] = tuple(Paragraph.from_dict(p) for p in d.get("paragraphs", ()))
    d["persons"] = tuple(tuple(p) for p in d.get("persons", ()))
    d["references"] = tuple(tuple(r) for r in d.get("references", ()))
    d["parts"] = tuple(Part.from_dict(p) for p in d.get("parts", ()))
    for name in ("dnr", "dnr_mentioned", "parties"):
        d[name] = tuple(d.get(name, ()))
    return Metadata(**d)


# A key of a prefixed number: its register's letters before or after its digits ("BN202400013", "2025446KS").
_PREFIXED_KEY = re.compile(r"(?P<p>[A-ZÅÄÖ]+)(?P<n>\d+)|(?P<n2>\d+)(?P<s>[A-ZÅÄÖ]+)")


def _register_number(number: str, body: str | None) -> tuple[str, str]:
    """(register, number) of a canonical diarienummer in a document of `body`."""
    return registers.register(number, body), dnr_module.parts(number)[1]


def _ocr_of(row: Any) -> tuple[bool, float | None]:
    """(ocr, confidence) of a pages row; a read-only catalog older than schema 3 has neither."""
    keys = row.keys()
    return (bool(row["ocr"]), row["confidence"]) if "ocr" in keys else (False, None)


def _reader(path: Path) -> sqlite3.Connection:
    """A read-only connection. Plainly opened first (not mode=ro: a WAL reader may need to
    create the shared-memory file); where the data directory is read-only (a read-only mount,
    a published copy) SQLite cannot, and the database is opened immutable: nobody writes it."""
    db = sqlite3.connect(path, timeout=30, check_same_thread=False)
    try:
        db.execute("PRAGMA query_only=ON")
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError:
        db.close()
    db = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro&immutable=1", uri=True, timeout=30,
                         check_same_thread=False)
    db.execute("PRAGMA query_only=ON")
    return db


class Catalog:
    """The catalog: one SQLite database in WAL mode (the embedded default), or a PostgreSQL
    database shared by several machines (PostgresCatalog, ingest/catalog/postgres.py), behind
    the SQL seam of ingest/catalog/sql.py. Each write is one transaction, so a killed ingest
    leaves either the whole new version of a document or the old one, never half."""

    def __init__(self, path: Path, readonly: bool = False):
        self.path = Path(path)
        if readonly:
            db = _reader(self.path)
        else:
            db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        self._open(SqliteConnection(db), readonly)

    def _open(self, sql: Connection, readonly: bool) -> None:
        self.sql = sql
        self.db = sql.db  # the driver's own connection (tests and tools read it directly)
        if not readonly:
            sql.script(_SCHEMA)
            self._migrate()
            sql.set_schema_version(SCHEMA_VERSION)

    def _migrate(self) -> None:
        columns = self.sql.columns("files")
        if "parsed_json" not in columns:
            self.sql.execute("ALTER TABLE files ADD COLUMN parsed_json TEXT")
        columns = self.sql.columns("pages")
        if "ocr" not in columns:  # catalogs before schema 3 (no OCR then: every page 0, NULL)
            self.sql.execute("ALTER TABLE pages ADD COLUMN ocr INTEGER NOT NULL DEFAULT 0")
            self.sql.execute("ALTER TABLE pages ADD COLUMN confidence REAL")
        columns = self.sql.columns("document_dnr")
        if "register" not in columns:  # catalogs before schema 4: each number's register from its document's body
            self.sql.execute("ALTER TABLE document_dnr ADD COLUMN register TEXT NOT NULL DEFAULT ''")
            self.sql.execute("ALTER TABLE document_dnr ADD COLUMN number TEXT NOT NULL DEFAULT ''")
            rows = self.sql.execute(
                "SELECT dd.document_id, dd.dnr, d.body FROM document_dnr dd JOIN documents d ON d.id = dd.document_id")
            self.sql.executemany("UPDATE document_dnr SET register = ?, number = ? WHERE document_id = ? AND dnr = ?",
                                [(*_register_number(dnr, body), document_id, dnr) for document_id, dnr, body in rows])
        self.sql.script("CREATE INDEX IF NOT EXISTS document_dnr_number ON document_dnr(number);")
        columns = self.sql.columns("documents")
        if "hints_json" not in columns:  # before schema 5 no hints were kept
            self.sql.execute("ALTER TABLE documents ADD COLUMN hints_json TEXT NOT NULL DEFAULT '{}'")
        from ingest.catalog import watches

        watches.migrate(self.sql)

    # -- claims ---------------------------------------------------------------

    shared = False  # whether other ingests may write this catalog at the same time (claim())

    def claim(self, files: list[tuple[str, str]]) -> set[str]:
        """The sources among these (source, sha256) that this run is to ingest. A SQLite catalog
        has one writer (the data directory's lock): all of them. (PostgresCatalog: those no other
        ingest sharing the catalog has claimed.)"""
        return {source for source, _ in files}

    def release(self, sources: Iterable[str]) -> None:
        """These claimed sources are catalogued (or failed): another run may claim them again."""

    def close(self) -> None:
        self.sql.close()

    # -- reads ---------------------------------------------------------------

    def state_of(self, source: str) -> tuple[str, str] | None:
        """(id, sha256) of the document ingested from `source`, if any."""
        row = self.sql.execute(
            "SELECT id, sha256 FROM documents WHERE source = ?", (source,)
        ).fetchone()
        return (row["id"], row["sha256"]) if row else None

    def parsed(self, sha256: str) -> ParsedDocument | None:
        """What parsing these bytes gave before (under any source), so they are not parsed again."""
        row = self.sql.execute(
            """SELECT d.id, f.media_type, f.parsed_json FROM files f JOIN documents d ON d.sha256 = f.sha256
               WHERE f.sha256 = ? AND f.parsed_json IS NOT NULL LIMIT 1""",
            (sha256,),
        ).fetchone()
        if row is None:
            return None
        meta = json.loads(row["parsed_json"])
        return ParsedDocument(
            media_type=row["media_type"],
            pages=tuple(self.pages(row["id"])),
            title=meta.get("title"),
            date=meta.get("date"),
            headings=tuple(meta.get("headings", ())),
            warnings=tuple(meta.get("warnings", ())),
        )

    def pages(self, document_id: str) -> list[Page]:
        """The document's pages, each saying how its text was obtained (text layer or OCR)."""
        rows = self.sql.execute("SELECT * FROM pages WHERE document_id = ? ORDER BY number", (document_id,))
        return [Page(r["number"], r["text"], bool(r["has_text_layer"]), *_ocr_of(r)) for r in rows]

    def get(self, document_id: str, with_pages: bool = True) -> Document | None:
        row = self.sql.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()
        if row is None:
            return None
        return self._document(row, self.pages(document_id) if with_pages else [])

    def get_many(self, ids: Iterable[str]) -> dict[str, Document]:
        ids = list(ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.sql.execute(f"SELECT * FROM documents WHERE id IN ({marks})", ids)
        return {r["id"]: self._document(r, []) for r in rows}

    def _document(self, row: Any, pages: list[Page]) -> Document:
        return Document(
            id=row["id"],
            source=row["source"],
            sha256=row["sha256"],
            media_type=row["media_type"],
            size=row["size"],
            pages=pages,
            meta=_meta_from_json(row["meta_json"]),
            ingested_at=row["ingested_at"],
            version=row["version"],
            warnings=json.loads(row["warnings_json"]),
            hints=json.loads(row["hints_json"]) if "hints_json" in row.keys() else {},
        )

    def newest_ids(self, offset: int, limit: int) -> list[str]:
        """Document ids newest first (by date, then by when they were ingested): the archive's front page."""
        rows = self.sql.execute(
            "SELECT id FROM documents ORDER BY coalesce(date, '') DESC, ingested_at DESC, id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [r[0] for r in rows]

    def ingested_since(self, stamp: str) -> list[str]:
        """Ids of the documents ingested (new or updated) at or after `stamp`, oldest first."""
        rows = self.sql.execute("SELECT id FROM documents WHERE ingested_at >= ? ORDER BY ingested_at, id", (stamp,))
        return [r[0] for r in rows]

    def recently_ingested(self, limit: int = 10) -> list[dict]:
        """"Nyligen inlästa": the last documents ingested, by ingest time."""
        rows = self.sql.execute(
            """SELECT id, title, doctype, organization, body, date, ingested_at FROM documents
               ORDER BY ingested_at DESC, id LIMIT ?""", (limit,))
        return [dict(r) for r in rows]

    def count(self) -> int:
        return self.sql.execute("SELECT count(*) FROM documents").fetchone()[0]

    def local_sources_span(self) -> tuple[str, str] | None:
        """The first and the last source that is an absolute file path, in order (their common
        folder is every local source's): two index lookups, however large the catalog."""
        first = self.sql.execute("SELECT min(source) FROM documents WHERE source >= '/' AND source < '0'").fetchone()[0]
        last = self.sql.execute("SELECT max(source) FROM documents WHERE source >= '/' AND source < '0'").fetchone()[0]
        return (first, last) if first and last else None

    def count_indexed(self) -> int:
        """Documents the index should hold (some version of each was indexed)."""
        return self.sql.execute("SELECT count(*) FROM documents WHERE indexed_version > 0").fetchone()[0]

    def versions_of(self, doctypes: Iterable[str]) -> dict[str, int]:
        """id → version of every document of these types (the decision index's sync)."""
        doctypes = tuple(doctypes)
        marks = ",".join("?" * len(doctypes))
        return {r[0]: r[1] for r in self.sql.execute(f"SELECT id, version FROM documents WHERE doctype IN ({marks})", doctypes)}

    def protocol_of(self, organization: str | None, body: str | None, date: str | None) -> Document | None:
        """The protocol a protokollsutdrag was taken from: same organization, body and meeting date."""
        if not (organization and body and date):
            return None
        row = self.sql.execute(
            "SELECT id FROM documents WHERE doctype = 'protokoll' AND organization = ? AND body = ? AND date = ? "
            "ORDER BY id LIMIT 1", (organization, body, date)).fetchone()
        return self.get(row[0], with_pages=False) if row else None

    def iter_ids(self, only_unindexed: bool = False) -> list[str]:
        sql = "SELECT id FROM documents"
        if only_unindexed:
            sql += " WHERE indexed_version < version"
        return [r[0] for r in self.sql.execute(sql + " ORDER BY id")]

    def iter_documents(self, ids: Iterable[str]) -> Iterator[Document]:
        for document_id in ids:
            doc = self.get(document_id)
            if doc is not None:
                yield doc

    def cases_by_key(self, key: str, register: str | None = None) -> list[dict]:
        """Cases whose dnr has this loose key: one per (organization, register, number), its
        documents by date (each saying whether the number is its own or only mentioned there).

        A number is the document's own or mentioned in it. A mentioned number joins the case it
        names in the same organization and register, else the one case of another organization
        that holds it (a number cited across organizations), else it makes a case of its own. A
        bare number whose document names no nämnd (register '') joins the organization's one
        case with this number, if there is one. `register` keeps only that register's cases."""
        select = """SELECT dd.*, d.organization, d.id, d.title, d.doctype, d.date, d.source, d.body
                    FROM document_dnr dd JOIN documents d ON d.id = dd.document_id """
        found = self.sql.execute(select + "WHERE dd.key = ? ORDER BY d.id, dd.dnr", (key,)).fetchall()  # one order on every backend
        placed = [(r["register"] if "register" in r.keys() else _register_number(r["dnr"], r["body"])[0], r)
                  for r in found]  # a read-only catalog before schema 4 has no register column
        placed += self._written_bare(select, key, placed)
        rank = {doctype: i for i, doctype in enumerate(CASE_ORDER)}
        # Own numbers first, those whose register is known before those whose is not.
        placed.sort(key=lambda x: (not x[1]["own"], x[0] == registers.ORGANIZATION_REGISTER,
                                   x[1]["organization"] or "", x[1]["dnr"]))
        cases: dict[tuple, dict] = {}
        for reg, r in placed:
            place = (r["organization"], reg)
            if place not in cases and not r["own"]:
                elsewhere = [p for p in cases if p[1] == reg and cases[p]["own"]]
                place = elsewhere[0] if len(elsewhere) == 1 else place
            if place not in cases and reg == registers.ORGANIZATION_REGISTER and dnr_module.is_bare(r["dnr"]):
                same = [p for p in cases if p[0] == r["organization"]]
                place = same[0] if len(same) == 1 else place
            case = cases.setdefault(place, {"organization": r["organization"], "register": reg,
                                            "dnr": r["dnr"], "numbers": [], "own": False, "documents": []})
            if r["dnr"] not in case["numbers"]:
                case["numbers"].append(r["dnr"])  # every form the case is written in
            if r["own"] and (not case["own"] or (case["dnr"] != r["dnr"] and r["key"] == key)):
                case["own"], case["dnr"] = True, r["dnr"]  # the number as its register writes it
            if all(d["id"] != r["id"] for d in case["documents"]):
                case["documents"].append({**{k: r[k] for k in ("id", "title", "doctype", "date", "source", "body")},
                                          "own": bool(r["own"])})
        out = []
        for case in sorted(cases.values(), key=lambda c: (c["organization"] or "", c["register"], c["dnr"])):
            if register is not None and case["register"] != register:
                continue
            case["documents"].sort(key=lambda d: (d["date"] is None, d["date"] or "",
                                                  rank.get(d["doctype"], len(rank)), d["title"]))
            del case["own"]
            case["numbers"].sort()
            out.append(case)
        return out

    def _written_bare(self, select: str, key: str, placed: list[tuple[str, sqlite3.Row]]) -> list[tuple[str, sqlite3.Row]]:
        """The rows of the same number in the same register written otherwise: a nämnd's bare
        number whose register is written with a prefix elsewhere ("2024-00013" in Byggnadsnämnden's
        documents, whose prefixed numbers are BN's, learned: BN-2024-00013) and the other way round.
        The bare rows among `placed` take their register's prefix (in place)."""
        if not self._has_table("registers") or (placed and "number" not in placed[0][1].keys()):
            return []  # a read-only catalog before schema 6 (or 4) has learned nothing
        if placed:
            number, prefix = placed[0][1]["number"], None
        else:  # no number written so: a prefixed key may name bare numbers of a register written so
            m = _PREFIXED_KEY.fullmatch(key)
            if m is None:
                return []
            prefix, number = m.group("p") or m.group("s"), m.group("n") or m.group("n2")
        others = self.sql.execute(select + "WHERE dd.number = ? AND dd.key != ? ORDER BY d.id, dd.dnr",
                                  (number, key)).fetchall()
        written_as = self._written_as(r["organization"] for r in [*(r for _, r in placed), *others])
        if prefix:
            return [(prefix, r) for r in others if written_as.get((r["organization"] or "", r["register"])) == prefix]
        for i, (reg, r) in enumerate(placed):  # the bare rows found take their register's prefix
            named = written_as.get((r["organization"] or "", reg))
            if named:
                placed[i] = (named, r)
        out: list[tuple[str, sqlite3.Row]] = []
        wanted = {(r["organization"], reg) for reg, r in placed}
        for r in others:  # a case is (organization, register, number): the same number in its register
            reg = written_as.get((r["organization"] or "", r["register"]), r["register"])
            if (r["organization"], reg) in wanted:
                out.append((reg, r))
        return out

    def registers(self) -> dict[str, list[dict]]:
        """organization ('' for none) → its registers as learned (learn_registers), most numbers first."""
        out: dict[str, list[dict]] = {}
        if not self._has_table("registers"):  # a read-only catalog before schema 6
            return out
        for r in self.sql.execute("SELECT * FROM registers ORDER BY organization, numbers DESC, register"):
            out.setdefault(r["organization"], []).append({
                "register": r["register"], "numbers": r["numbers"], "documents": r["documents"],
                "shapes": [{"shape": f, "numbers": n, "example": e} for f, n, e in json.loads(r["shapes_json"])],
                "bodies": [{"body": b, "documents": n} for b, n in json.loads(r["bodies_json"])],
                "written_as": r["written_as"]})
        return out

    def _written_as(self, organizations: Iterable[str | None]) -> dict[tuple[str, str], str]:
        """(organization, nämnd's bare register) → the prefixed register its numbers are in."""
        orgs = sorted({o or "" for o in organizations})
        if not orgs or not self._has_table("registers"):
            return {}
        marks = ",".join("?" * len(orgs))
        rows = self.sql.execute(f"SELECT organization, register, written_as FROM registers "
                               f"WHERE written_as IS NOT NULL AND organization IN ({marks})", orgs)
        return {(r[0], r[1]): r[2] for r in rows}

    def _has_table(self, name: str) -> bool:
        return name in self.sql.tables()

    def organizations(self) -> list[dict]:
        """Organizations → bodies → years with document counts, for browsing."""
        rows = self.sql.execute(
            """SELECT coalesce(organization, '') AS organization, coalesce(body, '') AS body,
                      coalesce(substr(date, 1, 4), '') AS year, count(*) AS n
               FROM documents GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 DESC"""
        )
        tree: dict[str, dict] = {}
        for r in rows:
            org = tree.setdefault(r["organization"], {"organization": r["organization"] or None,
                                                      "count": 0, "bodies": {}})
            org["count"] += r["n"]
            body = org["bodies"].setdefault(r["body"], {"body": r["body"] or None, "count": 0, "years": {}})
            body["count"] += r["n"]
            body["years"][r["year"] or None] = r["n"]
        out = []
        for org in sorted(tree.values(), key=lambda o: (o["organization"] is None, o["organization"] or "")):
            bodies = sorted(org["bodies"].values(), key=lambda b: (b["body"] is None, b["body"] or ""))
            out.append({**org, "bodies": [{**b, "years": [{"year": y, "count": n} for y, n in b["years"].items()]}
                                          for b in bodies]})
        return out

    def latest(self, doctypes: Iterable[str], limit: int = 20) -> list[dict]:
        """The newest dated documents of these types (e.g. the latest decisions)."""
        doctypes = list(doctypes)
        marks = ",".join("?" * len(doctypes))
        rows = self.sql.execute(
            f"""SELECT id, title, doctype, organization, body, date FROM documents
                WHERE doctype IN ({marks}) AND date IS NOT NULL
                ORDER BY date DESC, ingested_at DESC, id LIMIT ?""",
            (*doctypes, limit),
        )
        return [dict(r) for r in rows]

    def word_frequency(self, word: str) -> int:
        """How many indexed documents hold the plain word (index/search/vocabulary.py)."""
        row = self.sql.execute("SELECT documents FROM words WHERE word = ?", (word,)).fetchone()
        return row[0] if row else 0

    def next_word(self, word: str) -> str | None:
        """The vocabulary's first word at or after `word` (code point order, as Python's)."""
        bare = word.rstrip("\x00")  # "w\x00…": the first word after w (no word holds a NUL)
        row = self.sql.execute(f"SELECT word FROM words WHERE word {'>' if bare != word else '>='} ? ORDER BY word LIMIT 1",
                               (bare,)).fetchone()
        return row[0] if row else None

    def stored_file(self, document_id: str) -> tuple[str, str, str] | None:
        """(sha256, media_type, source) of a document's original."""
        row = self.sql.execute(
            "SELECT sha256, media_type, source FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def ids_under(self, prefix: str) -> list[str]:
        """Ids of the documents whose source starts with `prefix` (a folder's path and "/")."""
        rows = self.sql.execute("SELECT id FROM documents WHERE substr(source, 1, ?) = ? ORDER BY source",
                               (len(prefix), prefix))
        return [r[0] for r in rows]

    def hints_of(self, document_id: str) -> dict:
        """The hints a document was extracted with (Document.hints)."""
        row = self.sql.execute("SELECT hints_json FROM documents WHERE id = ?", (document_id,)).fetchone()
        return json.loads(row[0]) if row else {}

    def state_by_id(self, document_id: str) -> tuple[str, str] | None:
        """(id, sha256) of the document with this id, if any."""
        row = self.sql.execute("SELECT id, sha256 FROM documents WHERE id = ?", (document_id,)).fetchone()
        return (row["id"], row["sha256"]) if row else None

    def source_of(self, document_id: str) -> str | None:
        """The path or URL the document was last ingested from, if the catalog holds it."""
        row = self.sql.execute("SELECT source FROM documents WHERE id = ?", (document_id,)).fetchone()
        return row["source"] if row else None

    def id_of(self, source: str) -> str | None:
        state = self.state_of(source)
        return state[0] if state else None

    def removed_ids(self) -> list[str]:
        """Documents removed from the catalog and not yet from the index."""
        return [r[0] for r in self.sql.execute("SELECT id FROM removed ORDER BY id")]

    # -- writes --------------------------------------------------------------

    def remove(self, documents: Iterable[Document], words: Counter) -> None:
        """Delete documents (pages, versions and dnr rows go with them; originals stay in the file
        store), take their plain words (`words`: documents per word) out of the vocabulary and
        leave a tombstone per id until the index has committed their deletion, in one transaction."""
        ids = sorted(d.id for d in documents)  # one lock order (mark_indexed)
        with self.sql.transaction():
            self.sql.executemany("DELETE FROM documents WHERE id = ?", [(i,) for i in ids])
            self.sql.executemany("INSERT INTO removed(id) VALUES (?) ON CONFLICT DO NOTHING", [(i,) for i in ids])
            self.sql.executemany("UPDATE words SET documents = documents - ? WHERE word = ?",
                                [(n, w) for w, n in sorted(words.items())])
            self.sql.execute("DELETE FROM words WHERE documents <= 0")

    def forget_removed(self, ids: Iterable[str]) -> None:
        """The index has committed these deletions."""
        with self.sql.transaction():
            self.sql.executemany("DELETE FROM removed WHERE id = ?", [(i,) for i in ids])


    def save(self, doc: Document, dnr_keys: dict[str, str]) -> Document:
        """Insert or update a document with its pages and dnr in one transaction.

        `dnr_keys` maps each canonical dnr (own and mentioned) to its lookup key.
        Returns the document as stored (version and ingested_at set)."""
        return self.save_many([(doc, dnr_keys)])[0]

    def save_many(self, items: list[tuple[Document, dict[str, str]]]) -> list[Document]:
        """save() for several documents in one transaction (all are stored, or none)."""
        stamp = now_iso()
        with self.sql.transaction():
            for doc, dnr_keys in items:
                self._save(doc, dnr_keys, stamp)
        return [doc for doc, _ in items]

    def _save(self, doc: Document, dnr_keys: dict[str, str], stamp: str) -> None:
        row = self.sql.execute(
            "SELECT version, sha256 FROM documents WHERE id = ?", (doc.id,)
        ).fetchone()
        version = 1 if row is None else row["version"] + (row["sha256"] != doc.sha256)
        self.sql.execute(
            """INSERT INTO files(sha256, size, media_type, first_seen, parsed_json) VALUES (?,?,?,?,?)
               ON CONFLICT(sha256) DO UPDATE SET parsed_json = coalesce(files.parsed_json, excluded.parsed_json)""",
            (doc.sha256, doc.size, doc.media_type, stamp,
             json.dumps(doc.parsed_meta, ensure_ascii=False) if doc.parsed_meta else None),
        )
        self.sql.execute(
            """INSERT INTO documents(id, source, sha256, media_type, size, version, title,
                   doctype, organization, body, date, language, meta_json, warnings_json,
                   page_count, ingested_at, indexed_version, hints_json)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,?)
               ON CONFLICT(id) DO UPDATE SET source=excluded.source, sha256=excluded.sha256,
                   media_type=excluded.media_type, size=excluded.size,
                   version=excluded.version, title=excluded.title, doctype=excluded.doctype,
                   organization=excluded.organization, body=excluded.body,
                   date=excluded.date, language=excluded.language,
                   meta_json=excluded.meta_json, warnings_json=excluded.warnings_json,
                   page_count=excluded.page_count, ingested_at=excluded.ingested_at,
                   indexed_version=0, hints_json=excluded.hints_json""",
            (
                doc.id, doc.source, doc.sha256, doc.media_type, doc.size, version,
                doc.meta.title, doc.meta.doctype, doc.meta.organization, doc.meta.body,
                doc.meta.date, doc.meta.language, _meta_to_json(doc.meta),
                json.dumps(doc.warnings, ensure_ascii=False), len(doc.pages), stamp,
                json.dumps(doc.hints, ensure_ascii=False),
            ),
        )
        self.sql.execute(
            "INSERT INTO versions(document_id, version, sha256, ingested_at) VALUES (?,?,?,?) ON CONFLICT DO NOTHING",
            (doc.id, version, doc.sha256, stamp),
        )
        self.sql.execute("DELETE FROM pages WHERE document_id = ?", (doc.id,))
        self.sql.executemany(
            "INSERT INTO pages(document_id, number, text, has_text_layer, ocr, confidence) VALUES (?,?,?,?,?,?)",
            [(doc.id, p.number, p.text, int(p.has_text_layer), int(p.ocr), p.confidence) for p in doc.pages],
        )
        self._save_dnr(doc, dnr_keys)
        doc.version = version
        doc.ingested_at = stamp

    def _save_dnr(self, doc: Document, dnr_keys: dict[str, str]) -> None:
        self.sql.execute("DELETE FROM document_dnr WHERE document_id = ?", (doc.id,))
        own = set(doc.meta.dnr)
        self.sql.executemany(
            "INSERT INTO document_dnr(document_id, dnr, key, own, register, number) VALUES (?,?,?,?,?,?) "
            "ON CONFLICT DO NOTHING",
            [(doc.id, d, k, int(d in own), *_register_number(d, doc.meta.register_holder)) for d, k in dnr_keys.items()],
        )

    def save_extraction(self, items: list[tuple[Document, dict[str, str]]], done: Iterable[str] = ()) -> None:
        """A re-extraction's new metadata of stored documents and their dnr rows, and the ids it
        has done (`done`, with these), in one transaction. Version, pages and ingest time stay (a
        watch is not told of a document again); a changed document is to be indexed again."""
        with self.sql.transaction():
            for doc, dnr_keys in items:
                self.sql.execute(
                    """UPDATE documents SET title = ?, doctype = ?, organization = ?, body = ?, date = ?,
                           language = ?, meta_json = ?, indexed_version = 0 WHERE id = ?""",
                    (doc.meta.title, doc.meta.doctype, doc.meta.organization, doc.meta.body, doc.meta.date,
                     doc.meta.language, _meta_to_json(doc.meta), doc.id))
                self._save_dnr(doc, dnr_keys)
            self.sql.executemany("INSERT INTO reextracted(id) VALUES (?) ON CONFLICT DO NOTHING", [(i,) for i in done])

    def learn_registers(self) -> int:
        """Learn each organization's registers anew from its documents' own numbers (registers.learn):
        one transaction; returns how many registers there are."""
        rows = self.sql.execute(
            """SELECT d.organization, d.body, dd.register, dd.dnr, dd.document_id
               FROM document_dnr dd JOIN documents d ON d.id = dd.document_id WHERE dd.own = 1
               ORDER BY dd.document_id, dd.dnr""")
        learned = registers.learn((r[0], r[1], r[2], r[3], r[4]) for r in rows)
        with self.sql.transaction():
            self.sql.execute("DELETE FROM registers")
            self.sql.executemany(
                "INSERT INTO registers VALUES (?,?,?,?,?,?,?)",
                [(g.organization, g.register, g.numbers, g.documents, json.dumps(g.shapes, ensure_ascii=False),
                  json.dumps(g.bodies, ensure_ascii=False), g.written_as) for g in learned])
        return len(learned)

    def reextracted_ids(self) -> set[str]:
        """The documents a stopped re-extraction has done already."""
        return {r[0] for r in self.sql.execute("SELECT id FROM reextracted")}

    def reextraction_finished(self) -> None:
        with self.sql.transaction():
            self.sql.execute("DELETE FROM reextracted")

    def mark_indexed(self, versions: dict[str, int], words: Counter | None = None) -> None:
        """Record that these document versions are committed to the index, and add the
        documents holding each of their plain words (`words`) to the vocabulary."""
        with self.sql.transaction():
            # Rows in one order (ids, words sorted): ingests sharing a catalog lock them in the
            # same order, so two never wait on each other in a circle (a deadlock).
            self.sql.executemany(
                "UPDATE documents SET indexed_version = ? WHERE id = ? AND version = ?",
                [(v, i, v) for i, v in sorted(versions.items())],
            )
            self.sql.executemany(
                """INSERT INTO words(word, documents) VALUES (?, ?)
                   ON CONFLICT(word) DO UPDATE SET documents = words.documents + excluded.documents""",
                sorted((words or {}).items()),
            )

    def mark_all_indexed(self, words: Counter) -> None:
        """After a rebuild of the index from the whole catalog: everything is indexed, and the
        vocabulary is counted anew."""
        with self.sql.transaction():
            self.sql.execute("UPDATE documents SET indexed_version = version")
            self.sql.execute("DELETE FROM words")
            self.sql.executemany("INSERT INTO words(word, documents) VALUES (?, ?)", words.items())
            self.sql.execute("DELETE FROM removed")  # the rebuilt index holds only the catalog's

    def mark_all_unindexed(self) -> None:
        with self.sql.transaction():
            self.sql.execute("UPDATE documents SET indexed_version = 0")


def open_catalog(location: str | Path, readonly: bool = False) -> Catalog:
    """The catalog at `location`: a postgresql:// URL (PostgresCatalog) or a SQLite file."""
    from ingest.catalog import postgres

    if postgres.is_url(location):
        return postgres.PostgresCatalog(str(location), readonly)
    return Catalog(Path(location), readonly)
