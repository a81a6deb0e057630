"""Index stage, the fields: an engine-neutral description of what the index holds and how.

Every backend builds its own schema from FIELDS and indexes what to_fields(doc) gives (index/backends/whoosh/schema.py for Whoosh),
the query parser analyses a query word per field as FIELDS says (`tokens`), and the web takes its
facet names from here. A field's `analysis` names how its text becomes terms:

    "sv", "en"   index.analysis.chain.analyze in that language (stop words out, lemma, stem)
    "sv-parts"   the same for a query; at index time only the parts of compound words
    "dnr"        comma-separated diarienummer → their loose keys (ingest.extract.dnr.key)
    "commas"     comma-separated values, each kept as it is (stripped)
    None         the whole value as it is

>>> [name for name, f in FIELDS.items() if f.kind == "facet"]
['doctype', 'organization', 'body', 'unit', 'year', 'party', 'statement', 'language']
>>> [t.text for t in tokens(FIELDS["text"], "Reservationer mot vårdplatserna")]
['reservation', 'vårdplat']
>>> [t.text for t in tokens(FIELDS["party"], "V, MP")]
['V', 'MP']
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.analysis.chain import accented_words, analyze, supported
from ingest.model import Document

# Kinds: "id" (the document's id, stored, unique), "text" (analysed, scored), "facet" (an exact
# value to filter on and count), "date" (an ISO date as text: sorts and ranges as text),
# "keyword" (exact values, not counted as a facet), "stored" (kept for sorting only).
KINDS = ("id", "text", "facet", "date", "keyword", "stored")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    analysis: str | None = None
    boost: float = 1.0  # the field's weight in scoring (text fields)
    positions: bool = False  # positions kept: phrases and proximity
    multi: bool = False  # several values per document (comma-separated)
    sortable: bool = False  # one value per document, read as a column (facet counts, order)


FIELDS: dict[str, Field] = {f.name: f for f in (
    Field("id", "id"),
    Field("title", "text", "sv", boost=3.0, positions=True),
    Field("title_en", "text", "en", boost=3.0, positions=True),
    Field("headings", "text", "sv", boost=2.0, positions=True),
    Field("text", "text", "sv", positions=True),  # whole words only: exact phrases
    Field("text_en", "text", "en", positions=True),
    # Parts of Swedish compounds in title, headings and text ("ungdomspsykiatrin" → ungdom,
    # psykiatri), so a part finds the whole, and words without accents other than å, ä, ö
    # ("Sámi" → sami, in English documents too); searched with a lower weight than whole words.
    Field("parts", "text", "sv-parts"),
    # Loose keys of the document's own and mentioned diarienummer.
    Field("dnr", "text", "dnr", boost=5.0),
    Field("dnr_own", "text", "dnr", boost=10.0),
    Field("doctype", "facet", sortable=True),
    Field("organization", "facet", sortable=True),
    Field("body", "facet", sortable=True),  # the nämnd, styrelse or fullmäktige
    Field("unit", "facet", sortable=True),  # the office that wrote it: förvaltning, kontor, enhet
    Field("year", "facet", sortable=True),
    Field("party", "facet", "commas", multi=True),
    Field("statement", "facet", "commas", multi=True),  # kinds: reservation, särskilt uttalande ...
    Field("statement_by", "keyword", "commas", multi=True),  # STATEMENT_BY of each statement's parties
    Field("language", "facet", sortable=True),
    Field("date", "date", sortable=True),  # YYYY-MM-DD, "" when unknown; ISO sorts as text
    Field("ingested", "stored", sortable=True),
)}

# Fields a user may filter on with their exact value and that are counted (facets), in the
# order the web shows them.
FACETS = tuple(name for name, f in FIELDS.items() if f.kind == "facet")
# Facets a document can have several values of (a protocol with statements by V and S).
MULTI_VALUED = tuple(name for name in FACETS if FIELDS[name].multi)
# A party's statement of one kind, for "every särskilt uttalande by V": "särskilt uttalande|V".
STATEMENT_BY = "{kind}|{party}"


@dataclass(frozen=True)
class QueryToken:
    text: str
    start: int  # character offsets into the analysed text
    end: int


_COMMA_VALUE = re.compile(r"[^,]+")


def tokens(field: Field, text: str, stopwords: bool = True, tokenize: bool = True) -> list[QueryToken]:
    """The terms a query's text stands for in a field (query time: compounds are never split).
    `tokenize=False`: a comma-separated field takes the text as one value (prefixes, ranges)."""
    if field.analysis in ("sv", "en", "sv-parts"):
        language = "en" if field.analysis == "en" else "sv"
        return [QueryToken(t.text, t.start, t.end) for t in analyze(text, language, stopwords=stopwords)]
    if field.analysis == "dnr":
        from ingest.extract.dnr import key

        out, offset = [], 0
        for part in text.split(","):
            if key(part):
                out.append(QueryToken(key(part), offset, offset + len(part)))
            offset += len(part) + 1
        return out
    if field.analysis == "commas":
        if not tokenize:
            return [QueryToken(text.strip(), 0, len(text))]
        return [QueryToken(m.group(0).strip(), m.start(), m.end()) for m in _COMMA_VALUE.finditer(text)]
    return [QueryToken(text, 0, len(text))]


def to_fields(doc: Document) -> dict:
    """The index fields of a document, as text (each backend analyses them as FIELDS says);
    nothing else decides what the index holds."""
    meta = doc.meta
    english = supported(meta.language) == "en"
    text = doc.text
    # As written: the analysis makes their keys and loose keys. A protocol mentions its §§'
    # numbers, but its §§ decide those cases: it ranks with the cases' own documents.
    own = set(meta.dnr) | {d for p in meta.paragraphs for d in p.dnr}
    mentioned = set(meta.dnr_mentioned)
    out = {
        "id": doc.id,
        "title_en" if english else "title": meta.title,
        "headings": "\n".join(p.title for p in meta.paragraphs),
        "text_en" if english else "text": text,
        # An English document's words with accents, for their spellings without (Swedish: all).
        "parts": accented_words(f"{meta.title}\n{text}") if english else f"{meta.title}\n{text}",
        "dnr": ",".join(sorted(own | mentioned)),
        "dnr_own": ",".join(sorted(own)),
        "doctype": meta.doctype,
        "language": meta.language,
        "date": meta.date or "",
        "ingested": doc.ingested_at,
        "party": ",".join(meta.parties),
        "statement": ",".join(sorted({st.kind for st in meta.statements})),
        "statement_by": ",".join(sorted({STATEMENT_BY.format(kind=st.kind, party=party)
                                         for st in meta.statements for party in st.parties})),
    }
    for name in ("organization", "body", "unit"):
        if getattr(meta, name):
            out[name] = getattr(meta, name)
    if meta.date:
        out["year"] = meta.date[:4]
    return out
