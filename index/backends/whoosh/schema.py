"""Index stage, schema: the Whoosh fields, and a Document's fields (index.fields.to_fields) analysed for them."""
from __future__ import annotations

import pickle

from whoosh import fields, formats
from whoosh.system import pack_uint

from index.analysis.chain import swedish_streams
from index.backends.whoosh.analysis import Analyzed, DiarietAnalyzer, DnrKeyAnalyzer
from index.fields import to_fields
from index.search.vocabulary import words_of
from ingest.model import Document

SV = DiarietAnalyzer("sv")
EN = DiarietAnalyzer("en")
PARTS = DiarietAnalyzer("sv", parts=True)
DNR = DnrKeyAnalyzer()

# Fields a user may filter on with their exact value (facets).
FACETS = ("doctype", "organization", "body", "year", "party", "statement", "language")
# Facets a document can have several values of (a protocol with statements by V and S).
MULTI_VALUED = ("party", "statement")
# A party's statement of one kind, for "every särskilt uttalande by V": "särskilt uttalande|V".
STATEMENT_BY = "{kind}|{party}"


class Indexed(str):
    """A field value indexed ahead of time (in a worker process): the (term bytes, frequency,
    weight, posting bytes) items Whoosh's field.index() returns for it, so the single index
    writer only adds them to its pool."""

    __slots__ = ("items",)

    def __new__(cls, items: tuple[tuple[bytes, int, float, bytes], ...]):
        value = super().__new__(cls, "")
        value.items = items
        return value

    def __reduce__(self):
        return (Indexed, (self.items,))


class Text(fields.TEXT):
    """Whoosh's TEXT field that also accepts an Indexed value."""

    def index(self, value, **kwargs):
        if isinstance(value, Indexed):
            return iter(value.items)
        return super().index(value, **kwargs)


def build_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=Text(analyzer=SV, field_boost=3.0),
        title_en=Text(analyzer=EN, field_boost=3.0),
        headings=Text(analyzer=SV, field_boost=2.0),
        text=Text(analyzer=SV),  # whole words only: exact phrases
        text_en=Text(analyzer=EN),
        # Parts of Swedish compounds in title, headings and text ("ungdomspsykiatrin" → ungdom,
        # psykiatri), so a part finds the whole; searched with a lower weight than whole words.
        parts=Text(analyzer=PARTS, phrase=False),
        # Keys and loose keys (ingest.extract.dnr) of the document's own and mentioned diarienummer.
        dnr=Text(analyzer=DNR, phrase=False, field_boost=5.0),
        dnr_own=Text(analyzer=DNR, phrase=False, field_boost=10.0),
        doctype=fields.ID(sortable=True),
        organization=fields.ID(sortable=True),
        body=fields.ID(sortable=True),
        year=fields.ID(sortable=True),
        party=fields.KEYWORD(commas=True),
        statement=fields.KEYWORD(commas=True),  # kinds: reservation, särskilt uttalande ...
        statement_by=fields.KEYWORD(commas=True),  # STATEMENT_BY of each statement's parties
        language=fields.ID(sortable=True),
        date=fields.ID(sortable=True),  # YYYY-MM-DD, "" when unknown; ISO sorts as text
        ingested=fields.ID(sortable=True),
    )


# The analysed text fields and their analyzers: what analyzed_fields() prepares ahead.
ANALYZED = {"title": SV, "title_en": EN, "headings": SV, "text": SV, "text_en": EN,
            "parts": PARTS}


def analyzed_fields(doc: Document) -> dict:
    """The analysed text fields of to_fields(doc), indexed ahead of time (Indexed values)."""
    return analyzed_document(doc)[0]


def analyzed_document(doc: Document) -> tuple[dict, frozenset[str]]:
    """(the analysed text fields of to_fields(doc) as Indexed values, the document's plain
    words for the vocabulary: index.search.vocabulary.words_of(title, text)).

    Analysis and the postings' encoding are most of the cost of indexing; done in the worker
    processes that parse and extract, they leave the single index writer only the postings to
    add. A Swedish document's title and text are tokenised once for the fields fed from them
    and its plain words (swedish_streams)."""
    fields = to_fields(doc)
    tokens = {name: analyzer.preanalyze(fields[name]) for name, analyzer in ANALYZED.items()
              if fields.get(name) and name not in _SWEDISH_STREAMED}
    if "text_en" in fields or "title_en" in fields:
        tokens.update((name, ANALYZED[name].preanalyze(fields[name])) for name in _SWEDISH_STREAMED
                      if fields.get(name))
        plain = words_of(doc.meta.title, doc.text)
    else:
        title_terms, title_words, title_parts, used = swedish_streams(doc.meta.title)
        terms, words, parts, _ = swedish_streams(doc.text, start_pos=used)
        streams = {"title": title_terms, "text": [(t, p - used) for t, p in terms],
                   "parts": title_parts + parts}
        tokens.update((name, Analyzed(tuple(streams[name]))) for name in _SWEDISH_STREAMED
                      if fields.get(name))
        plain = frozenset(w for w, _ in title_words) | frozenset(w for w, _ in words)
    return {name: Indexed(_postings(_SCHEMA[name], value.tokens)) for name, value in tokens.items()}, plain


def _postings(field: fields.FieldType, tokens: tuple[tuple[str, int], ...]) -> tuple:
    """What field.index(Analyzed(tokens)) gives, computed in one pass: Whoosh's own encodings
    of positions and frequencies, without its generator chain per token (a third of the cost
    of analysis). Other formats go through Whoosh."""
    fmt = field.format
    boost = fmt.field_boost
    if type(fmt) is formats.Positions:
        positions: dict[str, list[int]] = {}
        for text, pos in tokens:
            positions.setdefault(text, []).append(pos)
        return tuple((word.encode("utf-8"), len(ps), len(ps) * boost,
                      pack_uint(len(ps)) + pickle.dumps([b - a for a, b in zip([0, *ps], ps)], 2))
                     for word, ps in positions.items())
    if type(fmt) is formats.Frequency:
        counts: dict[str, int] = {}
        for text, _ in tokens:
            counts[text] = counts.get(text, 0) + 1
        return tuple((word.encode("utf-8"), n, n * boost, pack_uint(n)) for word, n in counts.items())
    return tuple(field.index(Analyzed(tokens)))


# Fields analyzed_fields() takes from swedish_streams() for a Swedish document.
_SWEDISH_STREAMED = ("title", "text", "parts")
_SCHEMA = build_schema()
