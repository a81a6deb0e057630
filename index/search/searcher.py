"""Search stage: run a SearchRequest against the index and the catalog; hits, facets, snippets."""
from __future__ import annotations

import math
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field, replace

from index.analysis.chain import STOPWORDS, analyze, fold, normalize, preload, spellings, supported
from index.engine import IndexReader, SearchEngine
from index.query import ir, relax, values
from index.query.parser import SearchRequest, build, highlight_terms
from index.related.table import Related
from index.search import snippets, vocabulary
from ingest.catalog.database import Catalog
from ingest.extract import dnr as dnr_module

MAX_PER_PAGE = 100
COUNT_CACHE_SIZE = 512
SUGGEST_BELOW = 3  # correct a query (or offer "Menade du ...?") when it finds fewer hits than this
SIMILAR_TERMS = 25  # distinctive terms of a document that "Liknande dokument" searches for
CASE_DOCUMENTS = 100  # documents of a diarienummer query read for its cases
NEAR_WORDS = 2  # the archive's words nearest to a query word that a relaxed query also searches
NEAR_EDITS = 1  # ... this many edits from it


@dataclass
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[dict]
    facets: dict[str, dict[str, int]]
    suggestion: str | None = None
    dnr_key: str | None = None
    lenient: bool = False
    cases: list[dict] = field(default_factory=list)
    corrected: str | None = None  # the query searched instead of the one typed ("Visar resultat för ...")
    relaxed: bool = False  # hits lacking a word or with a near spelling of it follow (index/query/relax.py)

    def to_dict(self) -> dict:
        return {
            "query": self.request.q,
            "total": self.total,
            "page": self.request.page,
            "per_page": self.request.per_page,
            "sort": self.request.sort,
            "filters": self.request.filters,
            "hits": self.hits,
            "facets": self.facets,
            "suggestion": self.suggestion,
            "corrected": self.corrected,
            "relaxed": self.relaxed,
            "cases": self.cases,
        }


class Searcher:
    """A long-lived searcher for one data directory, shared by a process's threads; it talks
    to the engine only through index.engine's interface (each thread its own reader)."""

    def __init__(self, engine: SearchEngine, related: Related | None = None):
        self.engine = engine
        self.related = related  # the archive's related words (index/related/), None: not searched
        # (query, filter, index state) → (total, facet counts): paging through a result or
        # reloading the archive's front page does not count every matching document again.
        self._counts: OrderedDict[tuple, tuple[int, dict]] = OrderedDict()
        self._counts_lock = threading.Lock()

    def _cached_counts(self, key: tuple) -> tuple[int, dict] | None:
        with self._counts_lock:
            found = self._counts.get(key)
            if found is not None:
                self._counts.move_to_end(key)
            return found

    def _remember_counts(self, key: tuple, value: tuple[int, dict]) -> None:
        with self._counts_lock:
            self._counts[key] = value
            while len(self._counts) > COUNT_CACHE_SIZE:
                self._counts.popitem(last=False)

    def warm(self) -> None:
        """Load the analyzer's dictionaries and read the index state's facet values and date
        order now, not at the first query: the first queries of a freshly started server (the
        dictionaries took 7 s to load, 20 s with five such queries at once, and past a
        client's 60 s timeout beside an ingest on a loaded machine) wait no longer than the rest."""
        preload()
        self.engine.warm()

    def status(self) -> str:
        """A note for the users when the index is missing, damaged or being rebuilt, else ""."""
        status = getattr(self.engine, "status", None)
        return status() if status is not None else ""

    def _known(self, reader: IndexReader):
        """The archive's facet values (its whole count, cached per index state), for resolving
        typed ones (index/query/values.py)."""
        key = (ir.Every(), None, reader.state)
        counted = self._cached_counts(key)
        if counted is None:
            results = reader.search(ir.Every(), None, 0, "relevance", count=True)
            counted = (results.total or 0, results.facets or {})
            self._remember_counts(key, counted)
        facets = counted[1]
        return lambda name: facets.get(name, {})

    def resolved(self, name: str, value: str) -> tuple[str, ...]:
        """The archive's values of facet `name` a typed `value` stands for (index/query/values.py)."""
        return values.resolve(name, value, self._known(self.engine.reader())(name))

    def _built(self, req: SearchRequest, catalog: Catalog, reader: IndexReader, related: Related | None = None):
        """The request's query and its cached (total, facets) or None: a query that may be a
        diarienummer and finds no such number is searched as its words; `related`: its words
        widened by their related words."""
        built = build(req, lambda word: family_frequency(word, reader), reader.doc_frequency, self._known(reader),
                      related)
        counted = self._cached_counts((built.query, built.filter, reader.state))
        if built.words is not None:
            if counted is None:
                results = reader.search(built.query, built.filter, 0, "relevance", count=True)
                counted = (results.total or 0, results.facets or {})
                self._remember_counts((built.query, built.filter, reader.state), counted)
            if not counted[0]:
                built = built.words
                counted = self._cached_counts((built.query, built.filter, reader.state))
        return built, counted

    def search(self, req: SearchRequest, catalog: Catalog) -> SearchResult:
        """The request's hits. A query that finds next to nothing (fewer than SUGGEST_BELOW) and
        has a correction (suggest()) shows the correction's hits instead when they are more,
        with `corrected` set, unless the request asks for the words as typed (exact_spelling)."""
        result = self._search(req, catalog)
        if result.suggestion and result.total < SUGGEST_BELOW and not req.exact_spelling:
            corrected = self._search(replace(req, q=result.suggestion, exact_spelling=True), catalog)
            if corrected.total > result.total:
                corrected.request, corrected.corrected, corrected.suggestion = req, result.suggestion, None
                result = corrected
        if result.total < relax.RELAX_BELOW and not req.exact_spelling and result.dnr_key is None:
            relaxed = self._relaxed(req, result, catalog)
            if relaxed is not result:
                return relaxed
        if self.related is None or result.dnr_key is not None:
            return result
        # The words as typed decided on the correction and relaxing; their related words widen
        # the query that was searched (its documents first).
        searched = replace(req, q=result.corrected, exact_spelling=True) if result.corrected else req
        if not self._built(searched, catalog, self.engine.reader(), self.related)[0].tiers:
            return result  # no word of the query has related words
        wide = self._search(searched, catalog, related=self.related)
        wide.request, wide.corrected, wide.suggestion = req, result.corrected, result.suggestion
        return wide

    def _relaxed(self, req: SearchRequest, result: SearchResult, catalog: Catalog) -> SearchResult:
        """The result of a query of plain words searched relaxed (index/query/relax.py), the
        documents `result` found first, when it finds more; else `result`."""
        typed = result.corrected or req.q
        reader = self.engine.reader()
        text = relax.relaxed(typed, lambda word: self.near(word, catalog), lambda word: _found(word.lower(), reader))
        if text is None:
            return result
        tiers = tuple(self._built(replace(req, q=q), catalog, reader)[0].query for q in (typed, text.every))
        related = self.related if self.related is not None and self.related.settings.relaxed else None
        if related is not None:  # then all the words but one, then those with related words
            tiers += (self._built(replace(req, q=text.most), catalog, reader)[0].query,)
        relaxed = self._search(replace(req, q=text.most), catalog, tiers, related)
        if relaxed.total <= result.total:
            return result
        relaxed.request, relaxed.corrected, relaxed.relaxed = req, result.corrected, True
        relaxed.suggestion = result.suggestion
        return relaxed

    def near(self, word: str, catalog: Catalog) -> list[str]:
        """The archive's NEAR_WORDS words nearest to a query word, not of its inflections: one
        edit away (none below five letters, vocabulary.max_edits), the most frequent first. One
        edit, not a correction's two: a word the archive holds is seldom two letters off the
        word meant, and the walk of the vocabulary within two edits of a long word takes ten
        times as long."""
        lower = word.lower()
        edits = min(vocabulary.max_edits(lower), NEAR_EDITS) if lower.isalpha() else 0
        if not edits:
            return []
        stem, folded = normalize(lower, "sv"), fold(lower)
        # Not its inflections, nor its spellings with å, ä, ö (parser.respell searches those).
        found = [w for w in vocabulary.within(lower, edits, catalog.next_word)
                 if normalize(w, "sv") != stem and fold(w) != folded]
        found.sort(key=lambda w: (_edits(lower, w), -catalog.word_frequency(w), w))
        return found[:NEAR_WORDS]

    def _search(self, req: SearchRequest, catalog: Catalog, tiers: tuple[ir.Node, ...] = (),
                related: Related | None = None) -> SearchResult:
        """The request's hits; `tiers`: queries whose documents rank above the others, the first's
        above the second's and so on (else the words as typed before their `related` words,
        built.tiers, or the query before rewriting, built.first)."""
        reader = self.engine.reader()
        built, counted = self._built(req, catalog, reader, related)
        key = (built.query, built.filter, reader.state)
        first = (req.page - 1) * req.per_page
        order = _order(req)
        # The whole archive, newest first: the catalog keeps it in that order, no sort of all.
        limit = 0 if built.browse else first + req.per_page
        ids: list[str] = []
        if counted is None or limit:
            results = reader.search(built.query, built.filter, limit, order, count=counted is None)
            ids = _tiered(reader, built, results.ids, limit, order, tiers or built.tiers or (built.first,))
            if counted is None:
                counted = (results.total or 0, results.facets or {})
                self._remember_counts(key, counted)
        if built.browse:
            return self._finish(req, built, counted, catalog.newest_ids(first, req.per_page), catalog)
        return self._finish(req, built, counted, ids[first:first + req.per_page], catalog)

    def highlighting(self, q: str, catalog: Catalog) -> tuple[set[str], set[str]]:
        """The (terms, prefixes) a search for `q` marks in a document's text (the page viewer's)."""
        built, _ = self._built(SearchRequest(q=q), catalog, self.engine.reader(), self.related)
        return highlight_terms(built.query)

    def matching(self, req: SearchRequest, catalog: Catalog) -> tuple[list[str], set[str], set[str]]:
        """Every matching id in the order the search shows them (exports: no cap), and the
        query's (terms, prefixes) for finding each hit's page."""
        reader = self.engine.reader()
        built, counted = self._built(req, catalog, reader, self.related)
        terms, prefixes = highlight_terms(built.query)
        if built.browse:
            return catalog.newest_ids(0, catalog.count()), terms, prefixes
        key = (built.query, built.filter, reader.state)
        if counted is None:
            results = reader.search(built.query, built.filter, 0, "relevance", count=True)
            counted = (results.total or 0, results.facets or {})
            self._remember_counts(key, counted)
        if not counted[0]:
            return [], terms, prefixes
        results = reader.search(built.query, built.filter, counted[0], _order(req), count=False)
        return _tiered(reader, built, results.ids, counted[0], _order(req), built.tiers or (built.first,)), terms, prefixes

    def _finish(self, req: SearchRequest, built, counted: tuple[int, dict], ids: list[str],
                catalog: Catalog) -> SearchResult:
        """Hits with snippets for the ids shown, and the suggestion or the case of the query."""
        total, facet_counts = counted
        docs = catalog.get_many(ids)
        terms, prefixes = highlight_terms(built.query)
        hits = []
        for document_id in ids:
            doc = docs.get(document_id)
            if doc is None:  # indexed but gone from the catalog: the catalog is the truth
                continue
            said = statement_of(doc, req.filters)
            if said is not None:  # a statement filter: the statement's own words, at its §
                snippet = snippets.statement(said, doc, terms, prefixes)
            else:
                paragraphs = [(p.start, p.number) for p in doc.meta.paragraphs if p.start is not None]
                snippet = snippets.best(catalog.pages(doc.id), doc.meta.language, terms, prefixes, paragraphs)
            hits.append(hit_dict(doc, snippet))
        result = SearchResult(
            request=req,
            total=total,
            hits=hits,
            facets=facet_counts,
            dnr_key=built.dnr_key,
            lenient=built.lenient,
        )
        if built.words is not None:
            result.cases = self.cases(built.query, catalog)
        elif built.respelled:
            result.suggestion = _respelled(req.q, built.respelled)
        elif total < SUGGEST_BELOW and req.q.strip():
            result.suggestion = self.suggest(req.q, catalog)
        return result

    def cases(self, q: ir.DnrKey, catalog: Catalog) -> list[dict]:
        """The cases a diarienummer query means, the exact number's first: every case (one
        per organization, register and number) whose number meets the query exactly or loosely, found
        through the documents that hold such a number."""
        ids = self.engine.reader().search(q, None, CASE_DOCUMENTS, "relevance", count=False).ids
        docs = catalog.get_many(ids)
        keys = [q.key] if q.key else []
        for document_id in ids:
            doc = docs.get(document_id)
            for d in (*doc.meta.dnr, *doc.meta.dnr_mentioned) if doc else ():
                k = dnr_module.key(d)
                if k not in keys and q.loose in dnr_module.loose_keys(d):
                    keys.append(k)
        out, seen = [], set()
        for k in keys:
            for case in catalog.cases_by_key(k):
                if (case["organization"], case["register"], case["dnr"]) not in seen:
                    seen.add((case["organization"], case["register"], case["dnr"]))
                    out.append(case)
        return out

    def suggest(self, text: str, catalog: Catalog) -> str | None:
        """A corrected query from the archive's own words, or None.

        A word the index does not hold (as typed, unstemmed) is replaced by the closest word it
        does hold: first the same word with å, ä, ö ("hemtjanst" → "hemtjänst"), else a word
        within vocabulary.max_edits of it (by its length), the nearest and then the most
        frequent. Words, not stems, so a correction reads as Swedish (the catalog's vocabulary,
        index/search/vocabulary.py, which holds no words of links or file names)."""
        reader = self.engine.reader()
        changed, out = False, []
        for word in text.split():
            lower = word.lower()
            if (not lower.isalpha() or len(lower) < 3 or lower in STOPWORDS["sv"]
                    or catalog.word_frequency(lower) > 0 or _found(lower, reader)):
                out.append(word)
                continue
            best = _closest(lower, catalog)
            if best:
                out.append(best)
                changed = True
            else:
                out.append(word)
        return " ".join(out) if changed else None

    def similar(self, document_id: str, catalog: Catalog, limit: int = 5) -> list[dict]:
        """"Liknande dokument": documents of any organization that share this one's most
        distinctive terms (tf-idf against the index), best first, as search hits."""
        doc = catalog.get(document_id)
        if doc is None:
            return []
        reader = self.engine.reader()
        language = supported(doc.meta.language)
        fieldname = "text_en" if language == "en" else "text"
        weights = key_terms(f"{doc.meta.title}\n{doc.text}", language, reader, fieldname)
        if not weights:
            return []
        ids = reader.similar(weights, fieldname, document_id, limit)
        docs = catalog.get_many(ids)
        terms = set(weights)
        hits = []
        for other in ids:
            d = docs.get(other)
            if d is not None:
                snippet = snippets.best(catalog.pages(d.id), d.meta.language, terms)
                hits.append(hit_dict(d, snippet))
        return hits

    def close(self) -> None:
        self.engine.close()


def _tiered(reader: IndexReader, built, ids: list[str], limit: int, order: str,
            tiers: tuple[ir.Node | None, ...]) -> list[str]:
    """The best `limit` ids, those of each tier (a query; None: none) ranked above the later
    tiers' and the others, whatever their scores: the query as typed (`built.first`: before a
    compound was also searched as its parts), or a relaxed query's tiers."""
    if order == "newest" or not limit or not any(t is not None for t in tiers):
        return ids
    out: list[str] = []
    seen: set[str] = set()
    for tier in tiers:
        if tier is None:
            continue
        for i in reader.search(tier, built.filter, limit, order, count=False).ids:
            if i not in seen:
                seen.add(i)
                out.append(i)
    return (out + [i for i in ids if i not in seen])[:limit]


def _order(req: SearchRequest) -> str:
    if req.sort == "date" or not req.q.strip():
        return "newest"
    return "recency" if req.sort == "recency" else "relevance"


def key_terms(text: str, language: str, reader: IndexReader, fieldname: str,
              limit: int = SIMILAR_TERMS) -> dict[str, float]:
    """The `limit` most distinctive terms of a text: (1 + log tf) · idf over the index, for
    terms in at least two documents (a term only this document holds finds nothing else)."""
    counts = Counter(t.text for t in analyze(text, language)
                     if len(t.text) >= 3 and not t.text.isdigit())
    total = max(reader.doc_count(), 1)
    scored = {}
    for term, tf in counts.items():
        df = reader.doc_frequency(fieldname, term)
        if df < 2 or df > total / 2:
            continue
        scored[term] = (1 + math.log(tf)) * math.log(total / df)
    best = sorted(scored.items(), key=lambda kv: -kv[1])[:limit]
    return dict(best)


def family_frequency(word: str, reader: IndexReader) -> int:
    """Documents whose text holds a word in any inflection (its term): a word form the archive
    holds only inflected otherwise ("årsredovisningen") counts as the form itself, and a word
    of a title made from a file name ("tolkformedling-vast-arsredovisning") counts nothing."""
    return reader.doc_frequency("text", normalize(word, "sv"))


def _found(word: str, reader: IndexReader) -> bool:
    """Whether a word finds something as a term: an inflection, or a part of a compound."""
    sv = normalize(word, "sv")
    return (reader.doc_frequency("text", sv) > 0 or reader.doc_frequency("parts", sv) > 0
            or reader.doc_frequency("text_en", normalize(word, "en")) > 0)


def _respelled(text: str, respelled: dict[str, str]) -> str:
    return " ".join(respelled.get(w.lower(), w) for w in text.split())


def _edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _closest(word: str, catalog: Catalog) -> str | None:
    """The archive's word nearest to `word`: its spelling with å, ä, ö, else within
    vocabulary.max_edits(word) edits."""
    frequency = catalog.word_frequency
    spelled = max(spellings(word)[1:], key=frequency, default=None)
    if spelled and frequency(spelled) > 0:
        return spelled
    edits = vocabulary.max_edits(word)
    if not edits:
        return None
    candidates = vocabulary.within(word, edits, catalog.next_word)
    if not candidates:
        return None
    return min(candidates, key=lambda c: (_edits(word, c), -frequency(c), c))


def statement_of(doc, filters: dict):
    """The document's first statement of the kind the filters ask for (by the party they name,
    if they name one) that has words of its own; None without a statement filter or such a
    statement."""
    kind = (filters.get("statement") or "").strip().lower()
    if not kind:
        return None
    party = filters.get("party")
    codes = set(values.resolve("party", party, ())) if party else set()
    for said in doc.meta.statements:
        if said.kind.lower() == kind and said.text.strip() and (not codes or codes & set(said.parties)):
            return said
    return None


def hit_dict(doc, snippet: snippets.Snippet) -> dict:
    meta = doc.meta
    return {
        "id": doc.id,
        "title": meta.title,
        "doctype": meta.doctype,
        "organization": meta.organization,
        "body": meta.body,
        "unit": meta.unit,
        "date": meta.date,
        "dnr": list(meta.dnr),
        "language": meta.language,
        "source": doc.source,
        "snippet": snippet.html,
        "snippet_page": snippet.page,
        "snippet_paragraph": snippet.paragraph,
    }
