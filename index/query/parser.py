"""Search stage, query building: a user's query string and filters → query IR, leniently.

The language (README, "Query syntax"): words all must match (in any inflection; a word also
finds the compounds it is part of, ranked below whole-word matches), "exact phrases", OR,
NOT and -, field filters with English or Swedish names (title:/titel:, doctype:/typ:,
organization:/organisation:, body:/nämnd:, party:/parti:, dnr:, year:/år:, date:/datum:,
language:/språk:), prefixes (hemtj*), ranges (datum:[2019-01-01 TO 2019-12-31]). A query that
is a diarienummer in any surface form finds that case.

The grammar is index/query/grammar.py, the nodes index/query/ir.py; a backend translates them.
Ranking is BM25F with field boosts (title, headings, dnr in index/fields.py; compound parts
PART_BOOST here), plus an optional sloppy phrase of all the query's words (PROXIMITY), so
documents where the words stand close together rank first. A word typed without å, ä, ö
("hemtjanst") also searches the index's own spellings with them, with a lower weight
(SPELLING_BOOST), when those are far more common than the word as typed. A word with accents
other than å, ä, ö ("Ørsted", "Sámi") also searches its spelling without them (ACCENT_BOOST), and
one typed without them finds the accented words through the parts field (index.analysis.chain.
part_terms): either way the word as typed ranks first.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from index.analysis.chain import STOPWORDS, fold, fold_accents, normalize, spellings
from index.fields import FACETS, STATEMENT_BY
from index.query import ir, rewrite, values
from index.query.expand import expand
from index.query.grammar import QuerySyntaxError, parse
from index.query.related import widen
from index.related.table import Related
from ingest.extract import dnr as dnr_module

TEXT_FIELDS = ("title", "title_en", "headings", "text", "text_en", "parts")
FILTER_FIELDS = FACETS + ("dnr",)
# A facet value left out: filters["not_party"] = "SD" is every document but SD's.
EXCLUDE = "not_"
EXCLUDED_FIELDS = tuple(EXCLUDE + name for name in FACETS)
EXCLUDED_SEPARATOR = "|"  # several values left out: not_party=SD|KD (no facet value holds a |)


def excluded(filters: dict, name: str) -> list[str]:
    """The values of facet `name` the filters leave out.

    >>> excluded({"not_party": "SD|KD"}, "party"), excluded({}, "year")
    (['SD', 'KD'], [])
    """
    return [v.strip() for v in (filters.get(EXCLUDE + name) or "").split(EXCLUDED_SEPARATOR) if v.strip()]
# The archive's values of a facet (for resolving typed ones: index/query/values.py).
Values = Callable[[str], Collection[str]]
# Field names a user may type in the query (title:, doctype: ...), with Swedish aliases.
FIELD_ALIASES = {
    "title": ["titel", "rubrik"],
    "doctype": ["typ", "dokumenttyp"],
    "organization": ["organisation", "org"],
    "body": ["organ", "nämnd"],
    "unit": ["enhet", "förvaltning"],
    "party": ["parti"],
    "statement": ["uttalande"],
    "dnr": ["diarienummer"],
    "year": ["år"],
    "date": ["datum"],
    "language": ["språk"],
    "text": ["brödtext"],
}
PART_BOOST = 0.3  # a compound part weighs less than the whole word
PROXIMITY_SLOP = 6  # words this close together count as "near"
PROXIMITY_BOOST = 1.5
SPELLING_BOOST = 0.5  # "malmo" → "malmö" weighs less than the word as typed
SPELLING_RATIO = 10  # ... and is tried only when that spelling is this much more common
MAX_RESPELLINGS = 3  # the most common spellings of a word searched
ACCENT_BOOST = 0.5  # "Ørsted" → "orsted" weighs less than the word as typed

_FIELD_BOOSTS = {"parts": PART_BOOST}
_ALIASES = {alias: name for name, aliases in FIELD_ALIASES.items() for alias in aliases}
# A plain word of a query string: not a field name, not a prefix, not inside a phrase.
_PLAIN_WORD = re.compile(r"(?<![\w:*^.\\/-])([^\W\d_]+)(?![\w:*^])")
# + and - are operators only at the start of a word: "budget -investering", never the hyphen
# of "e-post" or of a suspended compound ("hälso- och sjukvård").
_PLUS = r"(?<![^\s(])\+(?=[^\s+])"
_MINUS = r"(?<![^\s(])-(?=[^\s-])"
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


def _parse(text: str) -> ir.Node:
    return parse(text, TEXT_FIELDS, _FIELD_BOOSTS, _ALIASES)


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    page: int = 1
    per_page: int = 10
    sort: str = "relevance"  # relevance | date | recency (relevance, newer documents a little higher)
    filters: dict = field(default_factory=dict)  # facet name → value; date_from, date_to
    exact_spelling: bool = False  # the words as typed, never corrected (index/search/searcher.py)


@dataclass(frozen=True)
class BuiltQuery:
    query: ir.Node
    filter: ir.Node | None
    dnr_key: str | None  # set when the whole query may be a diarienummer ("" if only loosely)
    lenient: bool  # True when the query could not be parsed as written
    respelled: dict[str, str] = field(default_factory=dict)  # "malmo" → "malmö" when searched too
    words: BuiltQuery | None = None  # a number-like query as words, if the number finds nothing
    first: ir.Node | None = None  # the query before rewriting: its documents rank first
    # With related words (index/query/related.py): the queries of the words as typed, their
    # documents first (scored with the related words too), then the query's other documents.
    tiers: tuple[ir.Node, ...] = ()

    @property
    def browse(self) -> bool:
        """No words and no filters: the whole archive."""
        return isinstance(self.query, ir.Every) and self.filter is None


def build(req: SearchRequest, frequency: Callable[[str], int] | None = None,
          doc_frequency: Callable[[str, str], int] | None = None, known: Values | None = None,
          related: Related | None = None) -> BuiltQuery:
    """The query for a request. `frequency(word)` is how many documents hold a word in any of
    its inflections (searcher.family_frequency); given, words typed without å, ä, ö are also
    searched with them. `doc_frequency(field,
    term)`: documents holding an index term; given, a compound the archive rarely holds is also
    searched as its parts (index/query/rewrite.py). A query that may be a diarienummer however
    typed is that number's documents (`words`: the query as words, for when the number finds
    nothing). `known(facet)`: the archive's values of a facet; given, a typed facet value in the
    query or the filters ("parti:v", party=Vänsterpartiet) means the values it stands for.
    `related`: the archive's related words; given, each plain word also searches its neighbours
    (index/query/related.py), below the documents of the words as typed."""
    text = req.q.strip()
    loose = dnr_module.query_loose_key(text) if text else None
    if not loose:
        return _words(req, text, frequency, doc_frequency, known, related)
    dnr_key = dnr_module.query_key(text) or ""
    return BuiltQuery(ir.DnrKey(dnr_key, loose), _filter(req.filters, known), dnr_key, False,
                      words=_words(req, text, frequency, doc_frequency, known, related))


def _words(req: SearchRequest, text: str, frequency: Callable[[str], int] | None,
           doc_frequency: Callable[[str, str], int] | None, known: Values | None = None,
           related: Related | None = None) -> BuiltQuery:
    lenient = False
    respelled: dict[str, str] = {}
    q: ir.Node
    first: ir.Node | None = None
    tiers: tuple[ir.Node, ...] = ()
    if not text:
        q = ir.Every()
    else:
        searched = expand(without_accents(_without_stopwords(text)), known)
        if frequency is not None:
            searched, respelled = respell(searched, frequency)
        q, first, lenient = _query(searched, text, doc_frequency)
        if related is not None and not lenient:
            boost = related.settings.boost
            wide, added = widen(searched, related.neighbours, boost)
            if added:
                should = _parse(" OR ".join(f"{w}^{boost}" for w in added))
                tiers = tuple(ir.AndMaybe(t, should) for t in (first, q) if t is not None)
                q, first, lenient = _query(wide, text, doc_frequency)
                first = None
    if known is not None:
        q = _resolved(q, known)
        first = _resolved(first, known) if first is not None else None
        tiers = tuple(_resolved(t, known) for t in tiers)
    return BuiltQuery(q, _filter(req.filters, known), None, lenient, respelled, first=first, tiers=tiers)


def _query(searched: str, text: str, doc_frequency: Callable[[str, str], int] | None) -> tuple[ir.Node, ir.Node | None, bool]:
    """(query, the query before compounds were also searched as their parts or None, lenient)
    of a rewritten query text; `text` as typed, for when it cannot be parsed."""
    lenient = False
    first: ir.Node | None = None
    try:
        q = _parse(searched)
    except (QuerySyntaxError, RecursionError):
        q, lenient = _plain_words(text), True
    if isinstance(q, ir.Null) and any(ch.isalnum() for ch in text):
        q, lenient = _plain_words(text), True
    q = _with_proximity(_without_part_phrases(q))
    if doc_frequency is not None:
        typed = {normalize(m.group(1).lower(), "sv"): m.group(1).lower() for m in _unquoted_words(searched)}
        rewritten = ir.normalize(rewrite.decompound(q, typed, doc_frequency, _parse))
        if rewritten != q:
            q, first = rewritten, q
    return q, first, lenient


def _resolved(q: ir.Node, known: Values) -> ir.Node:
    """q with each facet term typed in it ("parti:v") as the archive's values it stands for."""
    if isinstance(q, ir.Term) and q.field in FACETS:
        return _facet(q.field, q.text, known, q.boost)
    return ir.apply(q, lambda child: _resolved(child, known))


def _facet(name: str, value: str, known: Values | None, boost: float = 1.0) -> ir.Node:
    found = values.resolve(name, value, known(name)) if known is not None else (value,)
    if len(found) == 1:
        return ir.Term(name, found[0], boost)
    return ir.Or(tuple(ir.Term(name, v) for v in found), boost)


def respell(text: str, frequency: Callable[[str], int]) -> tuple[str, dict[str, str]]:
    """The query with each plain word typed without å, ä, ö that the index far more often
    holds with them widened to `(word OR spelling^SPELLING_BOOST ...)`, the MAX_RESPELLINGS
    most common such spellings; and word → the most common. `frequency` counts inflection
    families, not word forms: "arsredovisning" meets the archive's "årsredovisningen" as well
    as its "årsredovisning". A stem is shared by other words, so the most common spelling need
    not be the one meant: "avsagelse" is "avsägelse", though "avsågelse" stems to the past tense
    "avsåg" that more documents hold; both are searched.

    >>> counts = {"avsåg": 6, "avsäg": 5, "ersät": 145}
    >>> respell("avsagelse ersattare", lambda w: counts.get(normalize(w), 0))[0]
    '(avsagelse OR avsågelse^0.5 OR avsägelse^0.5) (ersattare OR ersättare^0.5)'
    """
    found: dict[str, str] = {}
    out, cursor = [], 0
    for m in _unquoted_words(text):
        word = m.group(1)
        lower = word.lower()
        if word in _OPERATORS or fold(lower) != lower:
            continue
        typed = frequency(lower)
        counted = [(frequency(s), s) for s in spellings(lower)[1:]]
        common = [s for n, s in sorted(counted, key=lambda c: -c[0]) if n > typed * SPELLING_RATIO]
        if not common:
            continue
        found[lower] = common[0]
        out.append(text[cursor:m.start(1)])
        out.append(f"({word} OR " + " OR ".join(f"{s}^{SPELLING_BOOST}" for s in common[:MAX_RESPELLINGS]) + ")")
        cursor = m.end(1)
    out.append(text[cursor:])
    return "".join(out), found


def without_accents(text: str) -> str:
    """The query with each plain word that has accents other than å, ä, ö widened to
    `(word OR folded^ACCENT_BOOST)`.

    >>> without_accents('Ørsted Müller "Café Sámi"')
    '(Ørsted OR Orsted^0.5) (Müller OR Muller^0.5) "Café Sámi"'
    """
    out, cursor = [], 0
    for m in _unquoted_words(text):
        word = m.group(1)
        folded = fold_accents(word)
        if folded == word or word in _OPERATORS:
            continue
        out.append(text[cursor:m.start(1)])
        out.append(f"({word} OR {folded}^{ACCENT_BOOST})")
        cursor = m.end(1)
    out.append(text[cursor:])
    return "".join(out)


_ALL_STOPWORDS = STOPWORDS["sv"] | STOPWORDS["en"]


def _without_stopwords(text: str) -> str:
    """The query without plain words that are stop words in Swedish or English: a Swedish
    "av" would otherwise be a required English term, and an English "the" a Swedish one. A
    word typed without å, ä, ö that is a Swedish stop word with them ("pa" for "på", "nar" for
    "när") is one too: the index holds no term for the stop word, and the word as typed would
    be a required term few documents hold.

    >>> _without_stopwords("jakt pa kronhjort och dovhjort")
    'jakt  kronhjort  dovhjort'
    """
    out, cursor = [], 0
    for m in _unquoted_words(text):
        if is_stopword(m.group(1).lower()) and m.group(1) not in _OPERATORS:
            out.append(text[cursor:m.start(1)])
            cursor = m.end(1)
    out.append(text[cursor:])
    stripped = "".join(out)
    return stripped if any(ch.isalnum() for ch in stripped) else text


def is_stopword(lower: str) -> bool:
    """Whether a lower-case query word is a stop word (Swedish or English), typed with å, ä, ö or without."""
    if lower in _ALL_STOPWORDS:
        return True
    return fold(lower) == lower and any(s in STOPWORDS["sv"] for s in spellings(lower)[1:])


def _unquoted_words(text: str):
    """Plain words outside "phrases"."""
    quoted = [m.span() for m in re.finditer(r'"[^"]*"?', text)]
    for m in _PLAIN_WORD.finditer(text):
        if not any(a <= m.start() < b for a, b in quoted):
            yield m


def _plain_words(text: str) -> ir.Node:
    """Every word must match, with all query syntax ignored (an operator's word too: "1 ANDNOT
    ANDNOT 1" is no query as written)."""
    cleaned = "".join(ch if ch.isalnum() else " " for ch in text)
    cleaned = " ".join(w.lower() if w in _OPERATORS else w for w in cleaned.split())
    return _without_part_phrases(_parse(cleaned))


def _without_part_phrases(q: ir.Node) -> ir.Node:
    """The parts field holds no positions: a phrase is searched on whole words only."""
    if isinstance(q, ir.Phrase) and q.field == "parts":
        return ir.Null()
    if ir.children(q):
        q = ir.normalize(ir.apply(q, _without_part_phrases))
    return q


def _with_proximity(q: ir.Node) -> ir.Node:
    """Words that must all match score higher when they stand close together."""
    if not isinstance(q, ir.And):
        return q
    words = [w for w in (_text_term(child) for child in q.children) if w]
    if len(words) < 2 or len(words) != len(q.children):
        return q
    near = ir.Phrase("text", tuple(words), slop=PROXIMITY_SLOP, boost=PROXIMITY_BOOST)
    return ir.AndMaybe(q, near)


def _text_term(q: ir.Node) -> str | None:
    """The `text` term of one plain query word (an Or of the same word over the text fields)."""
    if isinstance(q, ir.Or):
        terms = [c.text for c in q.children if isinstance(c, ir.Term) and c.field == "text"]
        if len(terms) == 1:
            return terms[0]
    return None


def _filter(filters: dict, known: Values | None = None) -> ir.Node | None:
    parts: list[ir.Node] = []
    statement, party = filters.get("statement"), filters.get("party")
    if statement and party:  # the party's own statements of that kind, not any two that meet
        codes = values.resolve("party", party, known("party") if known else ())
        parts.append(_any(tuple(ir.Term("statement_by", STATEMENT_BY.format(kind=statement, party=code))
                                for code in codes)))
    for name in FILTER_FIELDS:
        value = filters.get(name)
        if not value:
            continue
        if name == "dnr":
            parts.append(ir.Term("dnr", dnr_module.key(value)))
        else:
            parts.append(_facet(name, value, known))
    for name in FACETS:
        parts.extend(ir.Not(_facet(name, value, known)) for value in excluded(filters, name))
    date_from, date_to = filters.get("date_from"), filters.get("date_to")
    if date_from or date_to:
        parts.append(ir.Range("date", date_from or "0000-00-00", date_to or "9999-12-31"))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else ir.And(tuple(parts))


def _any(terms: tuple[ir.Node, ...]) -> ir.Node:
    return terms[0] if len(terms) == 1 else ir.Or(terms)


HIGHLIGHT_FIELDS = ("title", "title_en", "headings", "text", "text_en")


def highlight_terms(q: ir.Node) -> tuple[set[str], set[str]]:
    """(terms, prefixes) of the query's text fields, as the analyzer normalised them."""
    terms: set[str] = set()
    prefixes: set[str] = set()
    for leaf in ir.leaves(q):
        if isinstance(leaf, ir.Prefix) and leaf.field in HIGHLIGHT_FIELDS:
            prefixes.add(leaf.text)
    for fieldname, text in _all_terms(q):
        if fieldname in HIGHLIGHT_FIELDS:
            terms.add(text)
    _drop_negated(q, terms)
    return terms, prefixes


def _all_terms(q: ir.Node):
    """(field, text) of every term and phrase word."""
    for leaf in ir.leaves(q):
        if isinstance(leaf, ir.Term):
            yield leaf.field, leaf.text
        elif isinstance(leaf, ir.Phrase):
            for word in leaf.words:
                yield leaf.field, word


def _drop_negated(q: ir.Node, terms: set[str]) -> None:
    """Terms only under NOT are not highlighted."""
    if isinstance(q, ir.Not):
        for _, text in _all_terms(q.child):
            terms.discard(text)
        return
    for child in ir.children(q):
        _drop_negated(child, terms)
