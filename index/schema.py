"""Index stage, schema: the Whoosh fields and the one function that derives them from a Document."""
from __future__ import annotations

from whoosh import fields

from index.analysis import supported
from index.whoosh_analysis import DiarietAnalyzer, DnrKeyAnalyzer
from ingest import dnr as dnr_module
from ingest.model import Document

SV = DiarietAnalyzer("sv")
EN = DiarietAnalyzer("en")
PARTS = DiarietAnalyzer("sv", parts=True)
WORDS = DiarietAnalyzer("sv", stemming=False)
DNR = DnrKeyAnalyzer()

# Fields a user may filter on with their exact value (facets).
FACETS = ("doctype", "organization", "body", "year", "party", "statement", "language")
# Facets a document can have several values of (a protocol with statements by V and S).
MULTI_VALUED = ("party", "statement")
# A party's statement of one kind, for "every särskilt uttalande by V": "särskilt uttalande|V".
STATEMENT_BY = "{kind}|{party}"


def build_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=SV, field_boost=3.0),
        title_en=fields.TEXT(analyzer=EN, field_boost=3.0),
        headings=fields.TEXT(analyzer=SV, field_boost=2.0),
        text=fields.TEXT(analyzer=SV),  # whole words only: exact phrases
        text_en=fields.TEXT(analyzer=EN),
        # Parts of Swedish compounds in title, headings and text ("ungdomspsykiatrin" → ungdom,
        # psykiatri), so a part finds the whole; searched with a lower weight than whole words.
        parts=fields.TEXT(analyzer=PARTS, phrase=False),
        # Loose keys (ingest.dnr.key) of the document's own and mentioned diarienummer.
        dnr=fields.TEXT(analyzer=DNR, phrase=False, field_boost=5.0),
        dnr_own=fields.TEXT(analyzer=DNR, phrase=False, field_boost=10.0),
        # Unstemmed words, for "Menade du ...?" suggestions from the index's own vocabulary.
        words=fields.TEXT(analyzer=WORDS, phrase=False),
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


def to_fields(doc: Document) -> dict:
    """The index fields of a document; nothing else decides what the index holds."""
    meta = doc.meta
    english = supported(meta.language) == "en"
    text = doc.text
    own = {dnr_module.key(d) for d in meta.dnr}
    mentioned = {dnr_module.key(d) for d in meta.dnr_mentioned}
    out = {
        "id": doc.id,
        "title_en" if english else "title": meta.title,
        "headings": "\n".join(p.title for p in meta.paragraphs),
        "text_en" if english else "text": text,
        "words": f"{meta.title}\n{text}",
        "parts": "" if english else f"{meta.title}\n{text}",
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
    for name in ("organization", "body"):
        if getattr(meta, name):
            out[name] = getattr(meta, name)
    if meta.date:
        out["year"] = meta.date[:4]
    return out


# The analysed text fields and their analyzers: what analyzed_fields() prepares ahead.
ANALYZED = {"title": SV, "title_en": EN, "headings": SV, "text": SV, "text_en": EN,
            "parts": PARTS, "words": WORDS}


def analyzed_fields(doc: Document) -> dict:
    """The analysed text fields of to_fields(doc), tokenised ahead of time.

    Analysis is most of the cost of indexing; done in the worker processes that parse and
    extract, it leaves the single index writer only the postings to write."""
    fields = to_fields(doc)
    return {name: analyzer.preanalyze(fields[name]) for name, analyzer in ANALYZED.items()
            if fields.get(name)}
