"""Index stage, schema: the Whoosh fields, and a Document's fields (index.fields.to_fields) analysed for them."""
from __future__ import annotations

import pickle

from whoosh import fields, formats
from whoosh.system import pack_uint

from index.analysis.chain import swedish_streams
from index.backends.whoosh.analysis import Analyzed, DiarietAnalyzer, DnrKeyAnalyzer
from index.fields import FIELDS, Field, to_fields
from index.search.vocabulary import words_of
from ingest.model import Document

SV = DiarietAnalyzer("sv")
EN = DiarietAnalyzer("en")
PARTS = DiarietAnalyzer("sv", parts=True)
DNR = DnrKeyAnalyzer()

class Indexed(str):
    """A field value indexed ahead of time (in a worker process): the (term bytes, frequency,
    weight, posting bytes) items Whoosh's field.index() returns for it, so the single index
    writer only adds them to its pool."""

    __slots__ = ("items",)
    items: tuple[tuple[bytes, int, float, bytes], ...]

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


# The analyzer of each `analysis` of index.fields (the query side analyses with index.fields.tokens).
ANALYZERS = {"sv": SV, "en": EN, "sv-parts": PARTS, "dnr": DNR}


def whoosh_field(field: Field) -> fields.FieldType:
    """The Whoosh field type for one engine-neutral Field: its kind, analysis, boost and positions."""
    if field.kind == "id":
        return fields.ID(stored=True, unique=True)
    if field.kind == "text":
        analyzer = ANALYZERS[field.analysis or ""]
        if field.analysis == "dnr":
            return Text(analyzer=analyzer, phrase=False, field_boost=field.boost)
        return Text(analyzer=analyzer, phrase=field.positions, field_boost=field.boost)
    if field.multi:  # facet or keyword with several comma-separated values
        return fields.KEYWORD(commas=True)
    return fields.ID(sortable=field.sortable)


def build_schema() -> fields.Schema:
    """The Whoosh schema of index.fields.FIELDS (one definition of what the index holds)."""
    return fields.Schema(**{name: whoosh_field(field) for name, field in FIELDS.items()})


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
    assert fmt is not None  # every field of build_schema() has one
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
