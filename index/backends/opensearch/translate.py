"""Index stage, OpenSearch backend: query IR (index/query/ir.py) → the query DSL.

Terms are Diariet's finished terms, so only term-level queries are used (term, prefix, range,
span_near of span_term): nothing is analysed again. A text field's weight (index.fields'
`boost`, a schema property in Whoosh) multiplies each of its clauses' boosts here.

>>> to_dsl(ir.Term("title", "budget"))
{'term': {'title': {'value': 'budget', 'boost': 3.0}}}
>>> to_dsl(ir.Phrase("text", ("hälso", "sjukvård"), slop=2))["span_near"]["slop"]
1
"""
from __future__ import annotations

from index.backends.opensearch.mapping import term
from index.fields import FIELDS
from index.query import ir


def _weight(field: str, boost: float) -> float:
    spec = FIELDS.get(field)
    return boost * (spec.boost if spec is not None and spec.kind == "text" else 1.0)


def _text(field: str, text: str) -> str:
    spec = FIELDS.get(field)
    return term(text) if spec is not None and spec.kind == "text" else text


def _bool(boost: float, **clauses) -> dict:
    body: dict = {k: v for k, v in clauses.items() if v}
    if boost != 1.0:
        body["boost"] = boost
    return {"bool": body}


def to_dsl(q: ir.Node) -> dict:
    """The OpenSearch query of an IR node (normalized as the IR is)."""
    if isinstance(q, ir.Null):
        return {"match_none": {}}
    if isinstance(q, ir.Every):
        if q.field is None:
            return {"match_all": {"boost": q.boost}} if q.boost != 1.0 else {"match_all": {}}
        return {"exists": {"field": q.field, "boost": q.boost}}
    if isinstance(q, ir.Term):
        return {"term": {q.field: {"value": _text(q.field, q.text), "boost": _weight(q.field, q.boost)}}}
    if isinstance(q, ir.Prefix):
        return {"prefix": {q.field: {"value": _text(q.field, q.text), "boost": _weight(q.field, q.boost)}}}
    if isinstance(q, ir.Phrase):
        return _phrase(q)
    if isinstance(q, ir.Range):
        bounds: dict = {}
        if q.start is not None:
            bounds["gt" if q.start_excl else "gte"] = q.start
        if q.end is not None:
            bounds["lt" if q.end_excl else "lte"] = q.end
        return {"range": {q.field: {**bounds, "boost": q.boost}}}
    if isinstance(q, ir.DnrKey):
        terms = [(f, q.key, 1.0) for f in ("dnr_own", "dnr") if q.key]
        terms += [(f, q.loose, ir.LOOSE_DNR_BOOST) for f in ("dnr_own", "dnr") if q.loose]
        return to_dsl(ir.Or(tuple(ir.Term(f, t, boost=b) for f, t, b in terms), boost=q.boost)
                      if terms else ir.Null())
    if isinstance(q, ir.And):
        return _bool(q.boost, must=[to_dsl(c) for c in q.children])
    if isinstance(q, ir.Or):
        return _bool(q.boost, should=[to_dsl(c) for c in q.children], minimum_should_match=1)
    if isinstance(q, ir.Not):
        return _bool(q.boost, filter=[{"match_all": {}}], must_not=[to_dsl(q.child)])
    if isinstance(q, ir.AndNot):
        return _bool(q.boost, must=[to_dsl(q.a)], must_not=[to_dsl(q.b)])
    if isinstance(q, ir.AndMaybe):
        return _bool(q.boost, must=[to_dsl(q.a)], should=[to_dsl(q.b)])
    if isinstance(q, ir.Require):
        return _bool(q.boost, must=[to_dsl(q.a)], filter=[to_dsl(q.b)])
    raise TypeError(f"no OpenSearch query for {type(q).__name__}")


def _phrase(q: ir.Phrase) -> dict:
    """Whoosh's phrase: each word 1 to `slop` positions after the one before. Lucene's span
    slop counts the positions between two spans, so a left-deep chain of pairs, each with
    slop − 1, keeps the bound per gap (one span_near over all words would bound their sum)."""
    spans: list[dict] = [{"span_term": {q.field: _text(q.field, w)}} for w in q.words]
    if len(spans) == 1:
        return {"term": {q.field: {"value": _text(q.field, q.words[0]), "boost": _weight(q.field, q.boost)}}}
    node: dict = spans[0]
    for nxt in spans[1:]:
        node = {"span_near": {"clauses": [node, nxt], "slop": max(0, q.slop - 1), "in_order": True}}
    node["span_near"]["boost"] = _weight(q.field, q.boost)
    return node
