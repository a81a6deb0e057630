"""Peers: tantivy and SQLite FTS5 over the same token streams of our analyzer."""
from __future__ import annotations

import re
import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks.perf.measure import MIB, run_both, size_of
from benchmarks.perf.queries import QUERIES, BenchQuery, query_terms
from index.analysis.chain import analyze
from index.backends.whoosh.schema import to_fields
from ingest.catalog.database import Catalog
from ingest.catalog.datadir import DataDir
from ingest.extract import dnr as dnr_module


def _peer_row(doc) -> dict:
    """A document as pre-analysed, space-joined terms: title, text (headings and body), the
    parts of Swedish compounds, dnr keys, and the filter columns."""
    f = to_fields(doc)
    language = "en" if "text_en" in f else "sv"
    title = f.get("title_en" if language == "en" else "title") or ""
    body = f"{f['headings']}\n{f.get('text_en' if language == 'en' else 'text') or ''}"
    tokens = list(analyze(body, language, parts=language == "sv"))
    digits = "".join(ch for ch in f["date"] if ch.isdigit())[:8]
    return {
        "id": doc.id,
        "title": " ".join(t.text for t in analyze(title, language)),
        "text": " ".join(t.text for t in tokens if not t.part),
        "parts": " ".join(t.text for t in tokens if t.part),
        "dnr": " ".join(k for k in f["dnr"].split(",") if k),
        "doctype": f["doctype"] or "",
        "year": f.get("year", ""),
        "date": int(digits.ljust(8, "0")) if digits else 0,
    }


def _peer_rows_of(args: tuple[str, list[str]]) -> list[dict]:
    catalog = Catalog(Path(args[0]), readonly=True)
    try:
        return [_peer_row(doc) for doc in catalog.iter_documents(args[1])]
    finally:
        catalog.close()


def peer_rows(data: DataDir, jobs: int) -> tuple[list[dict], float]:
    """Every catalogued document's token streams (computed in `jobs` processes) and seconds."""
    catalog = Catalog(data.catalog_path, readonly=True)
    ids = catalog.iter_ids()
    catalog.close()
    chunks = [(str(data.catalog_path), ids[i:i + 500]) for i in range(0, len(ids), 500)]
    t = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        rows = [row for chunk in pool.map(_peer_rows_of, chunks) for row in chunk]
    return rows, time.perf_counter() - t


class TantivyPeer:
    name = "tantivy"

    def __init__(self, path: Path):
        import tantivy

        self.t = tantivy
        b = tantivy.SchemaBuilder()
        b.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
        for name in ("title", "text"):
            b.add_text_field(name, tokenizer_name="whitespace")
        b.add_text_field("parts", tokenizer_name="whitespace", index_option="freq")
        for name in ("dnr", "doctype", "year"):
            b.add_text_field(name, tokenizer_name="whitespace", index_option="basic")
        b.add_integer_field("date", fast=True, indexed=False)
        self.schema = b.build()
        path.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.index = tantivy.Index(self.schema, path=str(path))
        self.searcher = None

    def add(self, rows: list[dict]) -> None:
        writer = self.index.writer(heap_size=256 * MIB)
        for row in rows:
            writer.add_document(self.t.Document(**row))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def _word(self, term: str):
        Q, O = self.t.Query, self.t.Occur
        return Q.boolean_query([
            (O.Should, Q.boost_query(Q.term_query(self.schema, "title", term), 3.0)),
            (O.Should, Q.term_query(self.schema, "text", term)),
            (O.Should, Q.boost_query(Q.term_query(self.schema, "parts", term), 0.3)),
        ])

    def query(self, bq: BenchQuery):
        Q, O, s = self.t.Query, self.t.Occur, self.schema
        kind = bq.peer[0]
        if kind == "all":
            clauses = [(O.Must, self._word(t)) for t in query_terms(bq.peer[1])]
        elif kind == "any":
            clauses = [(O.Must, Q.boolean_query([(O.Should, self._word(t)) for t in query_terms(bq.peer[1])]))]
        elif kind == "phrase":
            words = query_terms(bq.peer[1])
            clauses = [(O.Must, Q.boolean_query([(O.Should, Q.phrase_query(s, f, words)) for f in ("title", "text")]))]
        elif kind == "prefix":
            pattern = re.escape(query_terms(bq.peer[1])[0]) + ".*"
            fields = ("title", "text", "parts")
            clauses = [(O.Must, Q.boolean_query([(O.Should, Q.regex_query(s, f, pattern)) for f in fields]))]
        elif kind == "not":
            clauses = [(O.Must, self._word(query_terms(bq.peer[1])[0])),
                       (O.MustNot, self._word(query_terms(bq.peer[2])[0]))]
        elif kind == "dnr":
            clauses = [(O.Must, Q.term_query(s, "dnr", dnr_module.query_key(bq.peer[1])))]
        else:
            clauses = []
        clauses += [(O.Must, Q.term_query(s, name, value)) for name, value in bq.filters.items()]
        return Q.boolean_query(clauses) if clauses else Q.all_query()

    def search(self, bq: BenchQuery) -> tuple[int, list[str]]:
        by_date = bq.sort == "date" or bq.peer[0] == "browse"
        result = self.searcher.search(self.query(bq), limit=10, count=True, offset=10 * (bq.page - 1),
                                      **({"order_by_field": "date"} if by_date else {}))
        ids = [self.searcher.doc(address)["id"][0] for _, address in result.hits]
        return result.count, ids

    def size(self) -> int:
        return size_of(self.path)

    def close(self) -> None:
        self.searcher = None


class Fts5Peer:
    name = "fts5"
    COLUMNS = "{title text parts}"

    def __init__(self, path: Path):
        self.path = path
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.executescript("""
            CREATE VIRTUAL TABLE fts USING fts5(title, text, parts, dnr,
                tokenize = "unicode61 remove_diacritics 0");
            CREATE TABLE meta(rowid INTEGER PRIMARY KEY, id TEXT, doctype TEXT, year TEXT, date INTEGER);
        """)

    def add(self, rows: list[dict]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT INTO fts(rowid, title, text, parts, dnr) VALUES (?,?,?,?,?)",
                [(i, r["title"], r["text"], r["parts"], r["dnr"]) for i, r in enumerate(rows, 1)])
            self.db.executemany(
                "INSERT INTO meta(rowid, id, doctype, year, date) VALUES (?,?,?,?,?)",
                [(i, r["id"], r["doctype"], r["year"], r["date"]) for i, r in enumerate(rows, 1)])
            self.db.executescript("""
                CREATE INDEX meta_doctype ON meta(doctype, date);
                CREATE INDEX meta_year ON meta(year, date);
                CREATE INDEX meta_date ON meta(date);
            """)

    @staticmethod
    def _quoted(term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    def match(self, bq: BenchQuery) -> str | None:
        kind, q = bq.peer[0], self._quoted
        if kind == "all":
            return f"{self.COLUMNS}: ({' AND '.join(q(t) for t in query_terms(bq.peer[1]))})"
        if kind == "any":
            return f"{self.COLUMNS}: ({' OR '.join(q(t) for t in query_terms(bq.peer[1]))})"
        if kind == "phrase":
            return "{title text}: " + q(" ".join(query_terms(bq.peer[1])))
        if kind == "prefix":
            return f"{self.COLUMNS}: " + q(query_terms(bq.peer[1])[0]) + " *"
        if kind == "not":
            return f"{self.COLUMNS}: ({q(query_terms(bq.peer[1])[0])} NOT {q(query_terms(bq.peer[2])[0])})"
        if kind == "dnr":
            return "{dnr}: " + q(dnr_module.query_key(bq.peer[1]))
        return None

    def search(self, bq: BenchQuery) -> tuple[int, list[str]]:
        match = self.match(bq)
        where = [f"m.{name} = ?" for name in bq.filters]
        params = list(bq.filters.values())
        by_date = bq.sort == "date" or match is None
        if match is None:
            sql = "FROM meta m" + (" WHERE " + " AND ".join(where) if where else "")
        else:
            # CROSS JOIN keeps the full-text match as the outer loop: with a plain JOIN SQLite
            # may walk a filter column's index and run the match once per row (seconds at 100k).
            sql = "FROM fts CROSS JOIN meta m ON m.rowid = fts.rowid WHERE fts MATCH ?" + "".join(
                " AND " + w for w in where)
            params = [match, *params]
        order = "m.date DESC" if by_date else "bm25(fts, 3.0, 1.0, 0.3, 5.0)"
        ids = [r[0] for r in self.db.execute(f"SELECT m.id {sql} ORDER BY {order} LIMIT 10 OFFSET ?",
                                             [*params, 10 * (bq.page - 1)])]
        total = self.db.execute(f"SELECT count(*) {sql}", params).fetchone()[0]
        return total, ids

    def size(self) -> int:
        return sum(size_of(p) for p in self.path.parent.glob(self.path.name + "*"))

    def close(self) -> None:
        self.db.close()


def run_peer(peer, rows: list[dict], repeat: int, max_seconds: float) -> dict:
    t = time.perf_counter()
    peer.add(rows)
    seconds = time.perf_counter() - t
    totals = {bq.label: peer.search(bq)[0] for bq in QUERIES}
    out = run_both(peer.search, repeat, max_seconds)
    out.update({"index_seconds": seconds, "index_docs_per_s": len(rows) / seconds,
                "index_mib": peer.size() / MIB, "totals": totals})
    return out
