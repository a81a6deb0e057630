"""Search stage, query building: a user's query string and filters → a Whoosh query, leniently."""
from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import qparser, query

from index.schema import FACETS, build_schema
from ingest import dnr as dnr_module

TEXT_FIELDS = ("title", "title_en", "headings", "text", "text_en")
FILTER_FIELDS = FACETS + ("dnr",)
# Field names a user may type in the query (title:, doctype: ...), with Swedish aliases.
FIELD_ALIASES = {
    "title": ["titel", "rubrik"],
    "doctype": ["typ", "dokumenttyp"],
    "organization": ["organisation", "org"],
    "body": ["organ", "nämnd"],
    "party": ["parti"],
    "dnr": ["diarienummer"],
    "year": ["år"],
    "date": ["datum"],
    "language": ["språk"],
}

_SCHEMA = build_schema()


def _parser() -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), _SCHEMA, group=qparser.AndGroup)
    parser.add_plugin(qparser.PlusMinusPlugin())
    parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
    parser.add_plugin(qparser.GtLtPlugin())
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.add_plugin(qparser.PrefixPlugin())
    return parser


_PARSER = _parser()


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    page: int = 1
    per_page: int = 10
    sort: str = "relevance"  # relevance | date
    filters: dict = field(default_factory=dict)  # facet name → value; date_from, date_to


@dataclass(frozen=True)
class BuiltQuery:
    query: query.Query
    filter: query.Query | None
    dnr_key: str | None  # set when the whole query is a diarienummer
    lenient: bool  # True when the query could not be parsed as written


def build(req: SearchRequest) -> BuiltQuery:
    text = req.q.strip()
    dnr_key = dnr_module.query_key(text) if text else None
    lenient = False
    if not text:
        q = query.Every()
    elif dnr_key:
        q = query.Or([query.Term("dnr_own", dnr_key), query.Term("dnr", dnr_key)])
    else:
        try:
            q = _PARSER.parse(text)
        except Exception:
            q, lenient = _plain_words(text), True
        if q is query.NullQuery and any(ch.isalnum() for ch in text):
            q, lenient = _plain_words(text), True
    return BuiltQuery(q, _filter(req.filters), dnr_key, lenient)


def _plain_words(text: str) -> query.Query:
    """Every word must match, with all query syntax ignored."""
    cleaned = "".join(ch if ch.isalnum() else " " for ch in text)
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), _SCHEMA, group=qparser.AndGroup)
    return parser.parse(cleaned)


def _filter(filters: dict) -> query.Query | None:
    parts: list[query.Query] = []
    for name in FILTER_FIELDS:
        value = filters.get(name)
        if not value:
            continue
        if name == "dnr":
            parts.append(query.Term("dnr", dnr_module.key(value)))
        else:
            parts.append(query.Term(name, value))
    date_from, date_to = filters.get("date_from"), filters.get("date_to")
    if date_from or date_to:
        parts.append(
            query.TermRange("date", date_from or "0000-00-00", date_to or "9999-12-31")
        )
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else query.And(parts)


def highlight_terms(q: query.Query) -> tuple[set[str], set[str]]:
    """(terms, prefixes) of the query's text fields, as the analyzer normalised them."""
    terms: set[str] = set()
    prefixes: set[str] = set()
    for leaf in q.leaves():
        if isinstance(leaf, query.Prefix) and leaf.fieldname in TEXT_FIELDS:
            prefixes.add(leaf.text)
    for fieldname, text in q.iter_all_terms(phrases=True):
        if fieldname in TEXT_FIELDS:
            terms.add(text if isinstance(text, str) else text.decode("utf-8"))
    _drop_negated(q, terms)
    return terms, prefixes


def _drop_negated(q: query.Query, terms: set[str]) -> None:
    """Terms only under NOT are not highlighted."""
    if isinstance(q, query.Not):
        for _, text in q.query.iter_all_terms(phrases=True):
            terms.discard(text if isinstance(text, str) else text.decode("utf-8"))
        return
    if not q.is_leaf():
        for child in q.children():
            _drop_negated(child, terms)
