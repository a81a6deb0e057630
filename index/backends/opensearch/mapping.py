"""Index stage, OpenSearch backend: the index's settings and mapping from index.fields, and a
Document's source with Diariet's own tokens (index/analysis) sent finished.

OpenSearch analyses nothing of ours: a text field's value is its terms joined by spaces, read
by a `whitespace` tokenizer; a word the chain dropped (a stop word) is a PLACEHOLDER that a
`stop` filter removes while keeping its position, so phrases across stop words mean what they
mean in the Whoosh index:

>>> pre_analysed([("mut", 0), ("jäv", 2), ("kommun", 4)], positions=True)
'mut _ jäv _ kommun'
>>> pre_analysed([("ungdom", 0), ("psykiatri", 0)], positions=False)
'ungdom psykiatri'
"""
from __future__ import annotations

import re
from datetime import date

from index.analysis.chain import analyze, swedish_streams
from index.fields import FIELDS, Field, to_fields
from index.search.vocabulary import words_of
from ingest.model import Document

# Changed whenever the terms this module sends change: an index of another version is rebuilt
# from the catalog (OpenSearchEngine.is_healthy).
# 2: the parts field also holds words without accents other than å, ä, ö (chain.part_terms).
# 3: the vocabulary counted again without the words of links and file names (chain.plain_words).
ANALYSIS_VERSION = 3
PLACEHOLDER = "_"  # never a term: index.analysis's words are [^\W_]+
MAX_TERM = 1000  # characters; a longer "word" (a scanning artefact) is a gap, not a term
_SPACE = re.compile(r"\s")

TEXT_KINDS = ("text",)
ANALYZER = "diariet_pre"


def term(text: str) -> str:
    """A term as the whitespace tokenizer must see it: one token (spaces inside a lemma become
    no-break spaces, which Java's isWhitespace does not split on). Queries send terms the same way."""
    return _SPACE.sub("\u00a0", text) if _SPACE.search(text) else text


def pre_analysed(tokens: list[tuple[str, int]], positions: bool) -> str:
    """(term, position) pairs as one string for the whitespace tokenizer; with `positions`,
    each position no term holds (a stop word's) is a PLACEHOLDER."""
    if not positions:
        return " ".join(term(t) for t, _ in tokens if len(t) <= MAX_TERM)
    out: list[str] = []
    for text, pos in tokens:
        out.extend([PLACEHOLDER] * (pos - len(out)))
        out.append(term(text) if len(text) <= MAX_TERM else PLACEHOLDER)
    return " ".join(out)


def index_body(shards: int, replicas: int) -> dict:
    """The settings and mapping of a new index (index.fields.FIELDS; `date_value` beside `date`
    for the recency order's decay function)."""
    properties: dict[str, dict] = {}
    for f in FIELDS.values():
        if f.kind == "text":
            properties[f.name] = {"type": "text", "analyzer": ANALYZER,
                                  "index_options": "positions" if f.positions else "freqs"}
        else:  # id, facet, date, keyword, stored: exact values (sorted, counted, ranged as text)
            properties[f.name] = {"type": "keyword"}
    properties["date_value"] = {"type": "date", "format": "strict_date", "ignore_malformed": True}
    return {
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            # Visible at the writer's commit (an explicit refresh), not in between.
            "refresh_interval": "-1",
            "max_result_window": 10000,
            "analysis": {
                "tokenizer": {"diariet_ws": {"type": "whitespace", "max_token_length": MAX_TERM}},
                "filter": {"diariet_gap": {"type": "stop", "stopwords": [PLACEHOLDER],
                                           "ignore_case": False}},
                "analyzer": {ANALYZER: {"type": "custom", "tokenizer": "diariet_ws",
                                        "filter": ["diariet_gap"]}},
            },
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {"diariet": signature()},
            "properties": properties,
        },
    }


def signature() -> dict:
    """What an index must have been built with to be searched by this release."""
    return {"analysis": ANALYSIS_VERSION,
            "fields": sorted(f"{f.name}:{f.kind}:{f.analysis}:{f.positions}" for f in FIELDS.values())}


def _tokens(f: Field, value: str) -> list[tuple[str, int]]:
    """The index-time terms of one field's value, as index.fields describes its analysis."""
    if f.analysis in ("sv", "en"):
        return [(t.text, t.pos) for t in analyze(value, f.analysis)]
    if f.analysis == "sv-parts":
        return [(t.text, t.pos) for t in analyze(value, "sv", parts=True) if t.part]
    if f.analysis == "dnr":  # keys and loose keys, as index/backends/whoosh/analysis.py's
        from ingest.extract.dnr import key, loose_keys

        out, seen = [], set()
        for pos, part in enumerate(value.split(",")):
            k = key(part)
            for text in ([k, *loose_keys(part)] if k else []):
                if text not in seen:
                    seen.add(text)
                    out.append((text, pos))
        return out
    raise ValueError(f"no analysis {f.analysis!r}")


def _values(f: Field, value: str) -> str | list[str] | None:
    if f.multi:
        values = [v.strip() for v in value.split(",") if v.strip()] if f.analysis == "commas" else [value]
        return values or None
    return value if value or f.kind in ("date", "stored", "id") else None


def prepared_source(doc: Document) -> tuple[dict, frozenset[str]]:
    """(the document's _source: text fields pre-analysed, exact values as they are; its plain
    words for the vocabulary). Picklable and pure: the ingest's worker processes run it.

    A Swedish document's title and text are tokenised once (swedish_streams), as the Whoosh
    backend does; the terms are those of analyze()."""
    fields = to_fields(doc)
    streams: dict[str, list[tuple[str, int]]] = {}
    if "title" in fields or "text" in fields:
        title_terms, title_words, title_parts, used = swedish_streams(fields.get("title") or "")
        terms, words, parts, _ = swedish_streams(fields.get("text") or "", start_pos=used)
        streams = {"title": title_terms, "text": [(t, p - used) for t, p in terms],
                   "parts": title_parts + parts}
        plain = frozenset(w for w, _ in title_words) | frozenset(w for w, _ in words)
    else:
        plain = words_of(doc.meta.title, doc.text)
    source: dict[str, object] = {}
    for name, value in fields.items():
        f = FIELDS[name]
        if f.kind == "text":
            if not value:
                continue
            tokens = streams[name] if name in streams else _tokens(f, value)
            if tokens:
                source[name] = pre_analysed(tokens, f.positions)
        else:
            kept = _values(f, value or "")
            if kept is not None:
                source[name] = kept
    if doc.meta.date:
        try:
            source["date_value"] = date.fromisoformat(doc.meta.date[:10]).isoformat()
        except ValueError:
            pass
    return source, plain
