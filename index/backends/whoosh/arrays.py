"""Search stage, array evaluation: a Whoosh query answered over numpy arrays of its postings.

Whoosh evaluates a query one posting at a time in Python. At 100,000 documents a common word
matches most of them, and counting the matches, their facets and the best-scored among them
costs hundreds of milliseconds. Here the same index is read block by block into numpy arrays:
each term's postings (document numbers and weights) per segment, field lengths and facet values
per segment, kept while the segment lives (a segment never changes but for deletions, applied
as a mask). A query's matches, BM25F scores (the formula and statistics of Whoosh's BM25F),
total, facet counts and best hits are then array operations.

Phrases are checked with Whoosh's own matcher, on the documents that hold all their words; the
optional proximity phrase of a query (index.query.parser.PROXIMITY) only for the best-scored
candidates. A query with a part this module does not evaluate raises Unsupported, and
index.search.searcher answers it through Whoosh as before.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

import numpy as np
from whoosh import formats
from whoosh import query as wq
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from index.backends.whoosh import internals
from index.fields import FACETS, MULTI_VALUED

B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults, which index.search.searcher uses
PROXIMITY_CANDIDATES = 200  # best-scored documents the optional proximity phrase is checked on
CACHE_POSTINGS = 6_000_000  # postings kept in memory across queries (about 50 MB)
CACHE_VALUES = 500_000  # postings' encoded positions kept likewise (about 30 MB)
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_SCORES = np.zeros(0, dtype=np.float64)
SINGLE_VALUED = tuple(name for name in FACETS if name not in MULTI_VALUED)


class Unsupported(Exception):
    """The query holds a part this module does not evaluate."""


@dataclass
class Matches:
    """Matching documents (sorted global document numbers) and their scores."""

    ids: np.ndarray
    scores: np.ndarray

    @classmethod
    def empty(cls) -> Matches:
        return cls(_EMPTY_IDS, _EMPTY_SCORES)


def _union(parts: list[Matches]) -> Matches:
    parts = [p for p in parts if len(p.ids)]
    if not parts:
        return Matches.empty()
    if len(parts) == 1:
        return parts[0]
    ids = np.concatenate([p.ids for p in parts])
    scores = np.concatenate([p.scores for p in parts])
    unique, inverse = np.unique(ids, return_inverse=True)
    return Matches(unique, np.bincount(inverse, weights=scores, minlength=len(unique)))


def _intersection(a: Matches, b: Matches) -> Matches:
    ids, ia, ib = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
    return Matches(ids, a.scores[ia] + b.scores[ib])


def restrict(a: Matches, ids: np.ndarray) -> Matches:
    """The matches of `a` that are among `ids` (a filter)."""
    keep = np.isin(a.ids, ids, assume_unique=True)
    return Matches(a.ids[keep], a.scores[keep])


def _without(a: Matches, ids: np.ndarray) -> Matches:
    keep = ~np.isin(a.ids, ids, assume_unique=True)
    return Matches(a.ids[keep], a.scores[keep])


class PostingsCache:
    """Postings of terms per segment as arrays, least recently used dropped; shared by threads."""

    def __init__(self, budget: int = CACHE_POSTINGS):
        self.budget = budget
        self._items: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple, load) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        found = load()
        with self._lock:
            if key not in self._items:
                self._items[key] = found
                self._size += len(found[0])
                while self._size > self.budget and len(self._items) > 1:
                    _, (ids, _) = self._items.popitem(last=False)
                    self._size -= len(ids)
        return found


def _read_postings(reader, fieldname: str, text) -> tuple[np.ndarray, np.ndarray]:
    """(local document numbers, weights) of a term in one segment, deleted documents included."""
    try:
        m = reader.postings(fieldname, text)
    except TermNotFound:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
    if isinstance(m, FilterMatcher):
        m = m.child  # deletions are applied by the caller, as a mask
    ids: list = []
    weights: list = []
    if internals.has_blocks(m):  # whoosh3 block postings
        for block_ids, block_weights in internals.blocks(m, "weights"):
            ids.append(np.asarray(block_ids, dtype=np.int32))
            weights.append(np.asarray(block_weights, dtype=np.float32))
        if not ids:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        return np.concatenate(ids), np.concatenate(weights)
    while m.is_active():  # postings inlined in the term's entry
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return np.asarray(ids, dtype=np.int32), np.asarray(weights, dtype=np.float32)


def _read_values(reader, fieldname: str, text) -> tuple[np.ndarray, np.ndarray]:
    """(local document numbers, postings' values) of a term in one segment, deleted included."""
    try:
        m = reader.postings(fieldname, text)
    except TermNotFound:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=object)
    if isinstance(m, FilterMatcher):
        m = m.child
    ids: list = []
    values: list = []
    if internals.has_blocks(m, values=True):
        for block_ids, block_values in internals.blocks(m, "values"):
            ids.extend(block_ids)
            values.extend(block_values)
    else:
        while m.is_active():  # postings inlined in the term's entry
            ids.append(m.id())
            values.append(m.value())
            m.next()
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return np.asarray(ids, dtype=np.int32), out


class ArrayIndex:
    """What is kept per process: the postings cache, per-segment arrays (field lengths, column
    values) and per index state the live-document mask, facet ordinals and orders."""

    def __init__(self, budget: int = CACHE_POSTINGS):
        self.postings = PostingsCache(budget)
        self.values = PostingsCache(CACHE_VALUES)  # postings' positions, for phrases
        self._segment_arrays: dict[tuple, np.ndarray | list] = {}
        self._states: OrderedDict[tuple, _State] = OrderedDict()
        self._lock = threading.Lock()

    def view(self, searcher) -> ArrayView:
        """The arrays of a Whoosh searcher's index state, read through that searcher (one
        thread's: Whoosh's readers are not shared between threads)."""
        # An index without segments has one empty reader, which names no segment.
        leaves = [(s.reader(), base) for s, base in searcher.leaf_searchers() if s.reader().segment() is not None]
        key = tuple((_segment_id(r), base, len(r.deleted_docs_set or ())) for r, base in leaves)
        with self._lock:
            state = self._states.get(key)
            if state is not None:
                self._states.move_to_end(key)
        if state is None:
            state = _State(leaves)
            with self._lock:
                state = self._states.setdefault(key, state)
                while len(self._states) > 2:  # the live state and the one before it
                    self._states.popitem(last=False)
                live = {_segment_id(r) for r, _ in leaves}
                for k in [k for k in self._segment_arrays if k[0] not in live]:
                    del self._segment_arrays[k]
        return ArrayView(self, state, searcher, leaves)

    def segment_array(self, reader, kind: str, fieldname: str, build):
        key = (_segment_id(reader), kind, fieldname)
        found = self._segment_arrays.get(key)
        if found is None:
            found = self._segment_arrays[key] = build()
        return found


def _segment_id(reader) -> str:
    return reader.segment().segment_id()


class _State:
    """What one index state shares between threads: its size, live documents and the facet
    ordinals and orders computed so far."""

    def __init__(self, leaves):
        self.size = sum(r.doc_count_all() for r, _ in leaves)
        self.live = np.ones(self.size, dtype=bool)
        for reader, base in leaves:
            deleted = reader.deleted_docs_set
            if deleted:
                self.live[base + np.fromiter(deleted, dtype=np.int64)] = False
        self.facets: dict[str, tuple[np.ndarray, list[str]]] = {}
        self.order: dict = {}
        self.lock = threading.Lock()


class ArrayView:
    """One index state (a Whoosh searcher's segments) as arrays, for one thread."""

    def __init__(self, index: ArrayIndex, state: _State, searcher, leaves):
        self.index = index
        self.searcher = searcher
        self.leaves = leaves
        self.size = state.size
        self.live = state.live
        self._facets = state.facets
        self._order = state.order
        self._lock = state.lock

    # -- terms -----------------------------------------------------------------------------

    def _term_postings(self, fieldname: str, text) -> tuple[np.ndarray, np.ndarray]:
        """Global document numbers and weights of a term, live documents only."""
        return self._gathered(self.index.postings, _read_postings, fieldname, text, np.float32)

    def _gathered(self, cache: PostingsCache, read, fieldname: str, text, dtype) -> tuple[np.ndarray, np.ndarray]:
        """A term's (local ids, per-posting array) of every segment, from `cache` or read(reader,
        fieldname, text), as global document numbers of live documents and their entries."""
        ids, entries = [], []
        for reader, base in self.leaves:
            local, found = cache.get((_segment_id(reader), fieldname, text),
                                     lambda reader=reader: read(reader, fieldname, text))
            if len(local):
                ids.append(local.astype(np.int64) + base)
                entries.append(found)
        if not ids:
            return _EMPTY_IDS, np.zeros(0, dtype=dtype)
        ids_all, entries_all = np.concatenate(ids), np.concatenate(entries)
        keep = self.live[ids_all]
        return ids_all[keep], entries_all[keep]

    def _lengths(self, fieldname: str) -> np.ndarray:
        """Field length of every document (as Whoosh stores it, one byte)."""
        key = ("lengths", fieldname)
        found = self._order.get(key)
        if found is not None:
            return found
        parts = []
        for reader, _ in self.leaves:
            def build(reader=reader):
                column = internals.length_column(reader, fieldname)
                if column is None:
                    return np.zeros(reader.doc_count_all(), dtype=np.float64)
                return _LENGTHS[np.fromiter(column, dtype=np.uint8, count=reader.doc_count_all())]
            parts.append(self.index.segment_array(reader, "lengths", fieldname, build))
        found = np.concatenate(parts) if parts else np.zeros(0)
        self._order[key] = found
        return found

    def term(self, q: wq.Term) -> Matches:
        if q.fieldname not in self.searcher.schema:
            return Matches.empty()
        ids, weights = self._term_postings(q.fieldname, q.text)
        if not len(ids):
            return Matches.empty()
        field = self.searcher.schema[q.fieldname]
        if not field.scorable:
            return Matches(ids, np.full(len(ids), float(q.boost)))
        idf = self.searcher.idf(q.fieldname, q.text)
        avgfl = self.searcher.avg_field_length(q.fieldname) or 1
        fl = self._lengths(q.fieldname)[ids]
        w = weights.astype(np.float64)
        scores = idf * (w * (K1 + 1)) / (w + K1 * ((1 - B) + B * fl / avgfl))
        return Matches(ids, scores * q.boost)

    # -- queries ---------------------------------------------------------------------------

    def evaluate(self, q) -> Matches:
        """The documents matching q, with their scores; raises Unsupported."""
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return Matches.empty()
        if isinstance(q, wq.Every):
            ids = np.flatnonzero(self.live).astype(np.int64)
            return Matches(ids, np.full(len(ids), float(q.boost)))
        if isinstance(q, wq.Term):
            return self.term(q)
        if isinstance(q, (wq.Prefix, wq.TermRange)):
            return self._multiterm(q)
        if isinstance(q, wq.Phrase):
            return self._phrase(q)
        if isinstance(q, wq.AndMaybe):
            return self._and_maybe(q)
        if isinstance(q, wq.AndNot):
            return self._boosted(_without(self.evaluate(q.a), self.evaluate(q.b).ids), q.boost)
        if isinstance(q, wq.Not):
            return _without(self.evaluate(wq.Every()), self.evaluate(q.query).ids)
        if type(q) is wq.Or:
            return self._boosted(_union([self.evaluate(s) for s in q.subqueries]), q.boost)
        if type(q) is wq.And:
            return self._boosted(self._and(q.subqueries), q.boost)
        raise Unsupported(type(q).__name__)

    @staticmethod
    def _boosted(m: Matches, boost: float) -> Matches:
        return m if boost == 1.0 else Matches(m.ids, m.scores * boost)

    def _and(self, subqueries) -> Matches:
        positive = [s for s in subqueries if not isinstance(s, wq.Not)]
        negative = [s.query for s in subqueries if isinstance(s, wq.Not)]
        if not positive:
            result = self.evaluate(wq.Every())
        else:
            parts = sorted((self.evaluate(s) for s in positive), key=lambda m: len(m.ids))
            result = parts[0]
            for part in parts[1:]:
                if not len(result.ids):
                    break
                result = _intersection(result, part)
        for s in negative:
            if len(result.ids):
                result = _without(result, self.evaluate(s).ids)
        return result

    def _multiterm(self, q) -> Matches:
        """Prefix and range queries as Whoosh scores them: one term alone by BM25F, several
        each by its posting weight times the boost (Whoosh's "constant score")."""
        texts = [t for t in internals.expanded_terms(q, self.searcher.reader()) if t]
        if len(texts) == 1:
            return self.term(wq.Term(q.fieldname, texts[0], boost=q.boost))
        parts = []
        for btext in texts:
            ids, weights = self._term_postings(q.fieldname, btext)
            if len(ids):
                parts.append(Matches(ids, weights.astype(np.float64) * q.boost))
        return _union(parts)

    def _phrase_check(self, q: wq.Phrase, candidates: np.ndarray) -> Matches:
        """The candidates (sorted) that hold the phrase, scored as Whoosh's phrase matcher
        scores them (its words' scores summed, times the boost).

        Whoosh's matcher (SpanNear2, ordered, mindist 1) walks spans one candidate at a time,
        about 0.2 ms each; here each word's positions come from its postings' values, read a
        block at a time, and the phrase holds where a chain of positions p0 < p1 < ... has
        1 <= p(i+1) - p(i) <= slop at every step."""
        field = self.searcher.schema[q.fieldname] if q.fieldname in self.searcher.schema else None
        if not len(candidates) or not q.words or field is None:
            return Matches.empty()
        fmt = field.format
        if type(fmt) is not formats.Positions:
            return self._phrase_check_whoosh(q, candidates)
        words = [field.to_bytes(w) for w in q.words]
        positions: list[np.ndarray] = []
        scores = np.zeros(len(candidates), dtype=np.float64)
        present = np.ones(len(candidates), dtype=bool)
        for btext in words:
            ids, values = self._term_values(q.fieldname, btext)
            if not len(ids):
                return Matches.empty()
            at = np.minimum(np.searchsorted(ids, candidates), len(ids) - 1)
            present &= ids[at] == candidates
            positions.append(values[at])
            term = self.term(wq.Term(q.fieldname, btext))
            at_term = np.minimum(np.searchsorted(term.ids, candidates), max(len(term.ids) - 1, 0))
            if len(term.ids):
                scores += np.where(term.ids[at_term] == candidates, term.scores[at_term], 0.0)
        slop = max(int(q.slop), 1)
        decode = fmt.decode_positions
        keep = []
        for k in np.flatnonzero(present).tolist():
            reach = set(decode(positions[0][k]))
            for values in positions[1:]:
                reach = {p for p in decode(values[k]) if any(p - d in reach for d in range(1, slop + 1))}
                if not reach:
                    break
            if reach:
                keep.append(k)
        keep_at = np.asarray(keep, dtype=np.int64)
        return Matches(candidates[keep_at], scores[keep_at] * q.boost)

    def _phrase_check_whoosh(self, q: wq.Phrase, candidates: np.ndarray) -> Matches:
        """The candidates (sorted) where Whoosh's phrase matcher matches, with its scores."""
        try:
            m = q.matcher(self.searcher)
        except TermNotFound:
            return Matches.empty()
        ids, scores = [], []
        for doc in candidates.tolist():
            if not m.is_active():
                break
            if m.id() < doc:
                m.skip_to(doc)
                if not m.is_active():
                    break
            if m.id() == doc:
                ids.append(doc)
                scores.append(m.score())
        return Matches(np.asarray(ids, dtype=np.int64), np.asarray(scores, dtype=np.float64))

    def _term_values(self, fieldname: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
        """Global document numbers of a term (live documents) and its postings' values (an
        object array of bytes: encoded positions)."""
        return self._gathered(self.index.values, _read_values, fieldname, text, object)

    def _phrase(self, q: wq.Phrase) -> Matches:
        words = [wq.Term(q.fieldname, w) for w in q.words]
        if not words:
            return Matches.empty()
        candidates = self._and(words).ids
        return self._phrase_check(q, candidates)

    def _and_maybe(self, q: wq.AndMaybe) -> Matches:
        """Required part a; the optional part b adds its score. A phrase b (the proximity of
        the query's words) is checked on the best PROXIMITY_CANDIDATES of a only."""
        a = self.evaluate(q.a)
        if not len(a.ids):
            return a
        if isinstance(q.b, wq.Phrase):
            if len(a.ids) > PROXIMITY_CANDIDATES:
                best = np.sort(a.ids[np.argpartition(-a.scores, PROXIMITY_CANDIDATES)[:PROXIMITY_CANDIDATES]])
            else:
                best = a.ids
            b = self._phrase_check(q.b, best)
        else:
            b = self.evaluate(q.b)
        _, ia, ib = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
        scores = a.scores.copy()
        scores[ia] += b.scores[ib]
        return self._boosted(Matches(a.ids, scores), q.boost)

    # -- facets and order ------------------------------------------------------------------

    def _single_valued(self, name: str) -> tuple[np.ndarray, list[str]]:
        """Each document's value of a single-valued facet as an ordinal, and the values."""
        with self._lock:
            found = self._facets.get(name)
            if found is not None:
                return found
        # Per segment (kept while it lives) its values and each document's ordinal among
        # them; a new index state then only maps them onto the union of the values.
        parts = [self.index.segment_array(reader, "facet", name, lambda reader=reader: _ordinals(reader, name))
                 for reader, _ in self.leaves]
        labels = np.unique(np.concatenate([p[0] for p in parts])) if parts else np.zeros(0, dtype=str)
        ords = [np.searchsorted(labels, seg_labels)[seg_ords] for seg_labels, seg_ords in parts]
        found = (np.concatenate(ords).astype(np.int32) if ords else np.zeros(0, dtype=np.int32),
                 [str(v) for v in labels])
        with self._lock:
            self._facets[name] = found
        return found

    def facet_counts(self, ids: np.ndarray) -> dict[str, dict[str, int]]:
        """Facet value → number of matching documents, most frequent first (as index.search.searcher)."""
        out: dict[str, dict[str, int]] = {}
        mask = None
        for name in FACETS:
            if name in MULTI_VALUED:
                if mask is None:
                    mask = np.zeros(self.size, dtype=bool)
                    mask[ids] = True
                counts = {}
                for btext in self.searcher.reader().lexicon(name):
                    term_ids, _ = self._term_postings(name, btext)
                    n = int(mask[term_ids].sum()) if len(term_ids) else 0
                    if n:
                        counts[btext.decode() if isinstance(btext, bytes) else btext] = n
            else:
                ords, labels = self._single_valued(name)
                tally = np.bincount(ords[ids], minlength=len(labels)) if len(ids) else np.zeros(len(labels), int)
                counts = {labels[i]: int(tally[i]) for i in np.flatnonzero(tally) if labels[i]}
            out[name] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        return out

    def prepare(self) -> None:
        """Build what every query of this index state needs: facet ordinals, the date order."""
        for name in SINGLE_VALUED:
            self._single_valued(name)
        self._newest_rank()

    def _newest_rank(self) -> np.ndarray:
        """Each document's rank by (date, ingested), newest highest."""
        with self._lock:
            found = self._order.get("newest")
        if found is None:
            dates, date_labels = self._single_valued("date")
            ingested, _ = self._single_valued("ingested")
            # Ascending, oldest first; among equals the lower document number ranks higher (as
            # Whoosh orders ties).
            order = np.lexsort((-np.arange(self.size), ingested, dates))
            found = np.empty(self.size, dtype=np.int64)
            found[order] = np.arange(self.size)
            with self._lock:
                self._order["newest"] = found
        return found

    def _recency(self, today: date, weight: float, half_life: float) -> np.ndarray:
        """Each document's recency factor: 1 + weight · 2^(−age in years / half_life)."""
        key = ("recency", today, weight, half_life)
        with self._lock:
            found = self._order.get(key)
        if found is None:
            ords, labels = self._single_valued("date")
            per_label = np.ones(len(labels))
            for i, value in enumerate(labels):
                try:
                    age = (today - date.fromisoformat(value[:10])).days / 365.25
                except ValueError:
                    continue
                per_label[i] = 1 + weight * 0.5 ** (max(age, 0.0) / half_life)
            found = per_label[ords]
            with self._lock:
                self._order[key] = found
        return found

    def top(self, m: Matches, count: int, order: str = "relevance",
            recency: tuple[date, float, float] | None = None) -> list[int]:
        """The first `count` document numbers: by score (ties by document number), by newest
        (order="newest"), or by score times the recency factor (recency=(today, weight, half-life))."""
        if not len(m.ids) or count <= 0:
            return []
        if order == "newest":
            key = -self._newest_rank()[m.ids].astype(np.float64)
        else:
            scores = m.scores * self._recency(*recency)[m.ids] if recency else m.scores
            key = -scores
        if len(key) > count:
            part = np.argpartition(key, count - 1)[:count]
            # Whoosh breaks ties by document number: keep every document tied with the last one.
            edge = key[part].max()
            part = np.flatnonzero(key <= edge)
        else:
            part = np.arange(len(key))
        ranked = part[np.lexsort((m.ids[part], key[part]))][:count]
        return m.ids[ranked].tolist()


def _ordinals(reader, name: str) -> tuple[np.ndarray, np.ndarray]:
    """A sortable field's distinct values in one segment (sorted) and each document's ordinal."""
    values = np.asarray(_column(reader, name), dtype=str)
    if not len(values):
        return np.zeros(0, dtype=str), np.zeros(0, dtype=np.int64)
    return np.unique(values, return_inverse=True)


def _column(reader, name: str) -> list:
    """A sortable field's value for every document of one segment ("" where it has none)."""
    if not reader.has_column(name):
        return [""] * reader.doc_count_all()
    column = reader.column_reader(name)
    return [v.decode() if isinstance(v, bytes) else (v or "") for v in column]
