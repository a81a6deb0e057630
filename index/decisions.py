"""Index stage: the §§ of protocols as search units of their own (precedent search over decisions).

Every § of a protocol or protokollsutdrag becomes one row, its title and decision text analysed
by the same Swedish chain as the document index (index/analysis/chain.py: lemma, stem, compound
parts) and held in an SQLite FTS5 table over those very tokens, so `reservationer` finds
`reservation` here as there and a query means what it means in the document search (the query
IR of index/query/parser.py, translated to FTS5). Beside it: the § 's facets (outcome,
organization, body, year, parties), who moved, voted and reserved themselves (the party page),
and the diarienummer keys (a case's decisions in order). DIR/decisions.sqlite is derived from the
catalog like the index: the ingest's writer replaces a document's §§ when it indexes the
document, and rebuilds the file when it is missing or of another version.
"""
from __future__ import annotations

import json
import math
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Set
from dataclasses import asdict, dataclass, field
from pathlib import Path

from index.analysis.chain import swedish_streams
from index.query import ir
from index.query.parser import SearchRequest, build, excluded, highlight_terms
from index.search import snippets
from ingest.extract import dnr as dnr_module
from ingest.extract.decisions import topics
from ingest.extract.parties import party_code
from ingest.model import Document, Page, Paragraph

VERSION = 1  # PRAGMA user_version: a file of another version is rebuilt
FILE_NAME = "decisions.sqlite"
DECISION_DOCTYPES = ("protokoll", "protokollsutdrag")
FACETS = ("outcome", "organization", "body", "year", "party")
STATEMENT_ROLES = {"reservation": "reserverade sig", "särskilt uttalande": "särskilt uttalande",
                   "protokollsanteckning": "protokollsanteckning", "ersättaryttrande": "ersättaryttrande"}
ROLES = ("yrkade", "röstade ja", "röstade nej", "avstod", *STATEMENT_ROLES.values())
MAX_PER_PAGE = 100
_COLUMNS = {"title": "title", "headings": "title", "text": "text", "parts": "parts"}
_WEIGHTS = (3.0, 1.0, 0.3)  # bm25 weights of title, text, parts
_SIMILAR_TERMS = 12

_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    number TEXT NOT NULL,
    ord INTEGER NOT NULL,
    title TEXT NOT NULL,
    doctype TEXT NOT NULL,
    organization TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    year TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL,
    as_proposed INTEGER,
    dnr TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL DEFAULT '',
    page INTEGER NOT NULL DEFAULT 1,
    posted_on TEXT,
    appeal_deadline TEXT,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_document ON decisions(document_id);
CREATE INDEX IF NOT EXISTS decisions_date ON decisions(date);
CREATE INDEX IF NOT EXISTS decisions_deadline ON decisions(appeal_deadline);
CREATE TABLE IF NOT EXISTS decision_parties (
    decision_id INTEGER NOT NULL, party TEXT NOT NULL, role TEXT NOT NULL, person TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS decision_parties_party ON decision_parties(party, decision_id);
CREATE INDEX IF NOT EXISTS decision_parties_decision ON decision_parties(decision_id);
CREATE TABLE IF NOT EXISTS decision_keys (decision_id INTEGER NOT NULL, key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS decision_keys_key ON decision_keys(key);
CREATE INDEX IF NOT EXISTS decision_keys_decision ON decision_keys(decision_id);
CREATE VIRTUAL TABLE IF NOT EXISTS decisions_fts USING fts5(
    title, text, parts, tokenize = "unicode61 remove_diacritics 0"
);
"""


@dataclass(frozen=True)
class DecisionRequest:
    """A decision search: words (the document search's query language) and filters."""

    q: str = ""
    page: int = 1
    per_page: int = 10
    filters: dict = field(default_factory=dict)  # organization body outcome party statement year dnr date_from date_to


def _tokens(text: str) -> tuple[str, str]:
    terms, _, parts, _ = swedish_streams(text)
    return " ".join(t for t, _ in terms), " ".join(t for t, _ in parts)


def _parties(p: Paragraph, statements) -> list[tuple[str, str, str | None, str]]:
    """(party, role, person, detail) of everyone a § records by party."""
    out = []
    for m in p.motions:
        if m.party:
            out.append((m.party, "yrkade", m.person, m.position))
    if p.vote:
        for party, counts in p.vote.by_party.items():
            for side, role in (("yes", "röstade ja"), ("no", "röstade nej"), ("abstain", "avstod")):
                if counts.get(side):
                    out.append((party, role, None, str(counts[side])))
    for s in statements:
        role = STATEMENT_ROLES.get(s.kind) or s.kind
        for party in s.parties:
            out.append((party, role, None, s.kind))
    return out


def record_dict(p: Paragraph, statements) -> dict:
    """What a hit shows of its § beyond the columns (motions, vote, statements)."""
    return {
        "proposal": p.proposal, "proposed_by": p.proposed_by,
        "motions": [asdict(m) for m in p.motions],
        "vote": asdict(p.vote) if p.vote else None,
        "statements": [{"kind": s.kind, "parties": list(s.parties), "persons": list(s.persons)} for s in statements],
        "conflicts": list(p.conflicts),
    }


def _reader(path: Path) -> sqlite3.Connection:
    """A read-only connection, as the catalog opens one: plainly (a WAL reader may need to create
    the shared-memory file), else immutable where the data directory is read-only."""
    conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
    try:
        conn.execute("PRAGMA query_only=ON")
        conn.execute("SELECT count(*) FROM decisions").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
    conn = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro&immutable=1", uri=True, timeout=30,
                           check_same_thread=False)
    conn.execute("PRAGMA query_only=ON")
    return conn


class DecisionIndex:
    """DIR/decisions.sqlite: write with replace()/remove()/rebuild(); read with search() and the rest."""

    def __init__(self, path: Path, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        if readonly:
            if not self.path.is_file():
                self.conn = sqlite3.connect(":memory:", check_same_thread=False)
                self.conn.executescript(_SCHEMA)
            else:
                self.conn = _reader(self.path)
        else:
            self.conn = sqlite3.connect(self.path, check_same_thread=False)
            self.conn.execute("PRAGMA journal_mode=WAL")
            current = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if current not in (0, VERSION):
                self.conn.close()
                self.path.unlink()
                for suffix in ("-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                self.conn = sqlite3.connect(self.path, check_same_thread=False)
                self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")  # derived from the catalog: rebuilt if lost
            self.conn.executescript(_SCHEMA)
            self.conn.execute(f"PRAGMA user_version = {VERSION}")
            self.conn.commit()
        self.conn.row_factory = sqlite3.Row

    def close(self) -> None:
        self.conn.close()

    # -- writing ---------------------------------------------------------------------------

    def _delete(self, document_id: str) -> None:
        ids = [r[0] for r in self.conn.execute("SELECT id FROM decisions WHERE document_id = ?", (document_id,))]
        for table, column in (("decision_parties", "decision_id"), ("decision_keys", "decision_id"),
                              ("decisions_fts", "rowid"), ("decisions", "id")):
            self.conn.executemany(f"DELETE FROM {table} WHERE {column} = ?", [(i,) for i in ids])

    def _insert(self, doc: Document) -> None:
        meta = doc.meta
        for ord_, p in enumerate(meta.paragraphs):
            statements = [s for s in meta.statements if s.paragraph == p.number]
            dnr = p.dnr or (meta.dnr if len(meta.paragraphs) == 1 else ())
            cur = self.conn.execute(
                "INSERT INTO decisions (document_id, version, number, ord, title, doctype, organization, body, date,"
                " year, outcome, as_proposed, dnr, decision, page, posted_on, appeal_deadline, record)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.id, doc.version, p.number, ord_, p.title, meta.doctype, meta.organization or "", meta.body or "",
                 meta.date or "", (meta.date or "")[:4], p.outcome,
                 None if p.as_proposed is None else int(p.as_proposed), "; ".join(dnr), p.decision, p.page,
                 meta.posted_on, meta.appeal_deadline, json.dumps(record_dict(p, statements), ensure_ascii=False)))
            rowid = cur.lastrowid
            text = "\n".join([p.decision, p.proposal, *(m.text for m in p.motions), *(s.text for s in statements)])
            title_terms, title_parts = _tokens(p.title)
            text_terms, text_parts = _tokens(text)
            self.conn.execute("INSERT INTO decisions_fts (rowid, title, text, parts) VALUES (?,?,?,?)",
                              (rowid, title_terms, text_terms, f"{title_parts} {text_parts}"))
            self.conn.executemany("INSERT INTO decision_parties VALUES (?,?,?,?,?)",
                                  [(rowid, *row) for row in dict.fromkeys(_parties(p, statements))])
            keys = {dnr_module.key(d) for d in dnr} - {""}
            self.conn.executemany("INSERT INTO decision_keys VALUES (?,?)", [(rowid, k) for k in sorted(keys)])

    def replace(self, docs: Iterable[Document]) -> None:
        """Put these documents' §§ in place of what the file held for them, in one transaction."""
        with self.conn:
            for doc in docs:
                self._delete(doc.id)
                if doc.meta.doctype in DECISION_DOCTYPES:
                    self._insert(doc)

    def remove(self, document_ids: Iterable[str]) -> None:
        with self.conn:
            for document_id in document_ids:
                self._delete(document_id)

    def versions(self) -> dict[str, int]:
        """The documents the file holds §§ of, with their versions."""
        return {r[0]: r[1] for r in self.conn.execute("SELECT document_id, max(version) FROM decisions GROUP BY document_id")}

    def sync(self, catalog) -> int:
        """Bring the file up to the catalog (documents whose §§ are missing or of an older
        version, §§ of documents no longer catalogued); the number of documents replaced."""
        held = self.versions()
        wanted = catalog.versions_of(DECISION_DOCTYPES)
        stale = [i for i, v in wanted.items() if held.get(i) != v and i]
        gone = [i for i in held if i not in wanted]
        self.remove(gone)
        for start in range(0, len(stale), 200):
            docs = catalog.get_many(stale[start:start + 200])
            self.replace(d for d in docs.values() if d.meta.paragraphs)
        return len(stale)

    # -- reading ---------------------------------------------------------------------------

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM decisions").fetchone()[0]

    def _where(self, req: DecisionRequest) -> tuple[list[str], list]:
        clauses, args = [], []
        f = req.filters
        for name in ("organization", "body", "outcome", "year"):
            if f.get(name):
                clauses.append(f"d.{name} = ?")
                args.append(f[name])
        for name in ("organization", "body", "outcome", "year"):
            for value in excluded(f, name):  # a value left out (the web's "uteslut")
                clauses.append(f"d.{name} != ?")
                args.append(value)
        if f.get("party"):
            clauses.append("d.id IN (SELECT decision_id FROM decision_parties WHERE party = ?)")
            args.append(party_code(f["party"]) or f["party"])
        for value in excluded(f, "party"):
            clauses.append("d.id NOT IN (SELECT decision_id FROM decision_parties WHERE party = ?)")
            args.append(party_code(value) or value)
        if f.get("statement"):
            clauses.append("d.id IN (SELECT decision_id FROM decision_parties WHERE detail = ? AND role != 'yrkade')")
            args.append(f["statement"])
        if f.get("dnr"):
            clauses.append("d.id IN (SELECT decision_id FROM decision_keys WHERE key = ?)")
            args.append(dnr_module.key(f["dnr"]))
        if f.get("date_from"):
            clauses.append("d.date >= ?")
            args.append(f["date_from"])
        if f.get("date_to"):
            clauses.append("d.date <= ? AND d.date != ''")
            args.append(f["date_to"])
        return clauses, args

    def search(self, req: DecisionRequest) -> dict:
        """{"total", "hits": [...], "facets": {outcome, organization, body, year, party}}; hits are dicts
        without URLs (the web adds them)."""
        built = build(SearchRequest(q=req.q))
        clauses, args = self._where(req)
        match = None
        if built.dnr_key:
            clauses.append("d.id IN (SELECT decision_id FROM decision_keys WHERE key = ?)")
            args.append(built.dnr_key)
        elif not isinstance(built.query, ir.Every):
            match = to_fts(built.query)
            if match is None:
                return {"total": 0, "hits": [], "facets": {name: {} for name in FACETS}}
        where = " AND ".join(clauses) or "1"
        if match:
            base = (f"FROM decisions_fts JOIN decisions d ON d.id = decisions_fts.rowid "
                    f"WHERE decisions_fts MATCH ? AND {where}")
            base_args = [match, *args]
            order = f"bm25(decisions_fts, {', '.join(map(str, _WEIGHTS))}), d.date DESC"
        else:
            base, base_args, order = f"FROM decisions d WHERE {where}", args, "d.date DESC, d.document_id, d.ord"
        try:
            total = self.conn.execute(f"SELECT count(*) {base}", base_args).fetchone()[0]
        except sqlite3.OperationalError:  # an FTS5 expression it cannot evaluate
            return {"total": 0, "hits": [], "facets": {name: {} for name in FACETS}}
        per_page = max(1, min(req.per_page, MAX_PER_PAGE))
        rows = self.conn.execute(f"SELECT d.* {base} ORDER BY {order} LIMIT ? OFFSET ?",
                                 [*base_args, per_page, (req.page - 1) * per_page]).fetchall()
        terms, prefixes = highlight_terms(built.query)
        hits = [self._hit(r, terms, prefixes) for r in rows]
        return {"total": total, "hits": hits, "facets": self._facets(base, base_args)}

    def _facets(self, base: str, args: list) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        ids = f"SELECT d.id {base}"
        for name in ("outcome", "organization", "body", "year"):
            rows = self.conn.execute(
                f"SELECT {name}, count(*) AS n FROM decisions WHERE id IN ({ids}) AND {name} != '' "
                f"GROUP BY {name} ORDER BY n DESC, {name}", args)
            out[name] = {r[0]: r[1] for r in rows}
        rows = self.conn.execute(
            f"SELECT party, count(DISTINCT decision_id) AS n FROM decision_parties WHERE decision_id IN ({ids}) "
            "GROUP BY party ORDER BY n DESC, party", args)
        out["party"] = {r[0]: r[1] for r in rows}
        return out

    def _hit(self, r: sqlite3.Row, terms: Set[str] = frozenset(), prefixes: Set[str] = frozenset()) -> dict:
        record = json.loads(r["record"])
        text = r["decision"] or r["title"]
        snippet = snippets.best([Page(1, text)], "sv", set(terms), set(prefixes)).html
        return {
            "id": r["id"], "document_id": r["document_id"], "number": r["number"], "title": r["title"],
            "doctype": r["doctype"], "organization": r["organization"] or None, "body": r["body"] or None,
            "date": r["date"] or None, "dnr": [d for d in r["dnr"].split("; ") if d], "outcome": r["outcome"],
            "as_proposed": None if r["as_proposed"] is None else bool(r["as_proposed"]),
            "decision": r["decision"], "snippet": snippet, "page": r["page"],
            "posted_on": r["posted_on"], "appeal_deadline": r["appeal_deadline"], **record,
        }

    def get(self, decision_id: int) -> dict | None:
        r = self.conn.execute("SELECT * FROM decisions WHERE id = ?", (decision_id,)).fetchone()
        return self._hit(r) if r else None

    def find(self, document_id: str, number: str) -> dict | None:
        """A document's § by its number."""
        r = self.conn.execute("SELECT * FROM decisions WHERE document_id = ? AND number = ? ORDER BY ord LIMIT 1",
                              (document_id, number)).fetchone()
        return self._hit(r) if r else None

    def for_document(self, document_id: str) -> list[dict]:
        rows = self.conn.execute("SELECT * FROM decisions WHERE document_id = ? ORDER BY ord", (document_id,))
        return [self._hit(r) for r in rows]

    def for_keys(self, keys: Iterable[str], organization: str | None = None) -> list[dict]:
        """The decisions of a case (its dnr keys), oldest first: the case timeline."""
        keys = sorted(set(keys))
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        extra, args = ("AND organization = ?", [organization]) if organization else ("", [])
        rows = self.conn.execute(
            f"SELECT * FROM decisions WHERE id IN (SELECT decision_id FROM decision_keys WHERE key IN ({marks})) {extra} "
            "ORDER BY date, document_id, ord", [*keys, *args])
        return [self._hit(r) for r in rows]

    def latest(self, limit: int = 30, organization: str | None = None) -> list[dict]:
        """The newest decisions (information §§ and elections of justerare left out)."""
        extra, args = ("AND organization = ?", [organization]) if organization else ("", [])
        rows = self.conn.execute(
            f"SELECT * FROM decisions WHERE date != '' AND outcome NOT IN ('anmäld', 'annat') {extra} "
            "ORDER BY date DESC, document_id, ord LIMIT ?", [*args, limit])
        return [self._hit(r) for r in rows]

    def appealable(self, today: str, limit: int = 100) -> list[dict]:
        """Decisions whose appeal window is open on `today` (posted, deadline not passed), the
        soonest closing first."""
        rows = self.conn.execute(
            "SELECT * FROM decisions WHERE appeal_deadline >= ? AND posted_on <= ? AND outcome NOT IN ('anmäld', 'annat')"
            " ORDER BY appeal_deadline, date DESC, document_id, ord LIMIT ?", (today, today, limit))
        return [self._hit(r) for r in rows]

    def party(self, party: str, filters: dict | None = None, limit: int = 500) -> dict:
        """What a party moved, voted and reserved itself against: counts by role, by year, by topic
        (ingest/extract/decisions/topics.py, from the § title) and by body, and the §§ newest first; the
        filter `topic` narrows to one topic (the other counts follow it)."""
        filters = {k: v for k, v in (filters or {}).items() if v}
        wanted_topic = filters.pop("topic", None)
        req = DecisionRequest(filters=filters)
        clauses, args = self._where(req)
        where = " AND ".join(["p.party = ?", *clauses])
        base = f"FROM decision_parties p JOIN decisions d ON d.id = p.decision_id WHERE {where}"
        args = [party, *args]
        rows = self.conn.execute(
            f"SELECT d.*, group_concat(DISTINCT p.role) AS roles, group_concat(DISTINCT p.detail) AS details {base} "
            "GROUP BY d.id ORDER BY d.date DESC, d.document_id, d.ord LIMIT ?", [*args, limit]).fetchall()
        hits = []
        for r in rows:
            hit = self._hit(r)
            hit["roles"] = sorted(set((r["roles"] or "").split(",")) - {""}, key=lambda x: (x not in ROLES, ROLES.index(x) if x in ROLES else 0, x))
            hit["topic"] = topics.topic(r["title"] or "", r["decision"] or "")
            hits.append(hit)
        by_topic = Counter(h["topic"] for h in hits)
        if wanted_topic:
            hits = [h for h in hits if h["topic"] == wanted_topic]
        roles = Counter(role for h in hits for role in h["roles"])
        years = Counter((h["date"] or "")[:4] for h in hits if h["date"])
        bodies = Counter(h["body"] for h in hits if h["body"])
        return {"party": party, "total": len(hits), "roles": dict(roles.most_common()),
                "years": dict(sorted(years.items(), reverse=True)),
                "topics": {t: n for t, n in sorted(by_topic.items(), key=lambda kv: (-kv[1], topics.TOPICS.index(kv[0])))},
                "bodies": {b: n for b, n in sorted(bodies.items(), key=lambda kv: (-kv[1], kv[0]))},
                "hits": hits}

    def parties(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT party, count(DISTINCT decision_id) AS n FROM decision_parties GROUP BY party ORDER BY n DESC")
        return {r[0]: r[1] for r in rows}

    def similar(self, decision_id: int, limit: int = 5) -> list[dict]:
        """Decisions of any organization sharing the most distinctive words of this one (tf-idf)."""
        row = self.conn.execute("SELECT title, text FROM decisions_fts WHERE rowid = ?", (decision_id,)).fetchone()
        if row is None:
            return []
        words = f"{row[0]} {row[0]} {row[1]}".split()
        if not words:
            return []
        total = self.count() or 1
        counts: dict[str, int] = {}
        for w in words:
            if len(w) > 2 and not w.isdigit():
                counts[w] = counts.get(w, 0) + 1
        weighted = []
        for w, tf in counts.items():
            df = self._df(w)
            if df <= 1 or df > total * 0.5:
                continue
            weighted.append((tf * math.log(total / df), w))
        best = [w for _, w in sorted(weighted, reverse=True)[:_SIMILAR_TERMS]]
        if not best:
            return []
        match = " OR ".join(f'"{w}"' for w in best)
        rows = self.conn.execute(
            "SELECT d.* FROM decisions_fts JOIN decisions d ON d.id = decisions_fts.rowid WHERE decisions_fts MATCH ? "
            f"AND d.id != ? ORDER BY bm25(decisions_fts, {', '.join(map(str, _WEIGHTS))}) LIMIT ?",
            (match, decision_id, limit)).fetchall()
        return [self._hit(r) for r in rows]

    def _df(self, word: str) -> int:
        try:
            return self.conn.execute("SELECT count(*) FROM decisions_fts WHERE decisions_fts MATCH ?",
                                     (f'{{title text}} : "{word}"',)).fetchone()[0]
        except sqlite3.OperationalError:
            return 0


_SAFE = re.compile(r"^[\wåäöÅÄÖ]+$")


def _quoted(word: str) -> str | None:
    return f'"{word}"' if _SAFE.match(word) else None


def to_fts(q: ir.Node) -> str | None:
    """An FTS5 MATCH expression for the query IR over the analysed columns; None: matches nothing.

    >>> to_fts(build(SearchRequest(q="hemtjänst")).query)
    '({title} : "hemtjänst" OR {title} : "hemtjänst" OR {text} : "hemtjänst" OR {parts} : "hemtjänst")'
    """
    if isinstance(q, ir.Term):
        column = _COLUMNS.get(q.field)
        word = _quoted(q.text) if column else None
        return f"{{{column}}} : {word}" if word else None
    if isinstance(q, ir.Prefix):
        column = _COLUMNS.get(q.field)
        word = _quoted(q.text) if column else None
        return f"{{{column}}} : {word}*" if word else None
    if isinstance(q, ir.Phrase):
        column = _COLUMNS.get(q.field)
        words = [w for w in q.words if _SAFE.match(w)]
        if not column or not words:
            return None
        return f'{{{column}}} : "{" ".join(words)}"'
    if isinstance(q, ir.And | ir.Require):
        each = [to_fts(c) for c in ir.children(q)]
        parts = [p for p in each if p is not None]
        if len(parts) < len(each):
            return None
        return "(" + " AND ".join(parts) + ")"
    if isinstance(q, ir.Or):
        alternatives = [p for p in (to_fts(c) for c in q.children) if p]
        return "(" + " OR ".join(alternatives) + ")" if alternatives else None
    if isinstance(q, ir.AndMaybe):
        return to_fts(q.a)
    if isinstance(q, ir.AndNot):
        a, b = to_fts(q.a), to_fts(q.b)
        return a if a is None or b is None else f"({a} NOT {b})"
    return None


def open_index(root: Path, readonly: bool = False) -> DecisionIndex:
    """The decision index of a data directory (root: the data directory)."""
    return DecisionIndex(Path(root) / FILE_NAME, readonly=readonly)
