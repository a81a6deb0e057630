"""Index stage, Whoosh backend: query IR (index/query/ir.py) → Whoosh query objects.

One node for one Whoosh class; the array evaluator (arrays.py) and Whoosh's own evaluation
both answer the translated query, so their scores are Whoosh's BM25F on the same tree.
"""
from __future__ import annotations

from whoosh import query as wq

from index.query import ir


def to_whoosh(q: ir.Node) -> wq.Query:
    """The Whoosh query of an IR node (normalized as the IR is)."""
    if isinstance(q, ir.Null):
        return wq.NullQuery
    if isinstance(q, ir.Every):
        return wq.Every(q.field, boost=q.boost)
    if isinstance(q, ir.Term):
        return wq.Term(q.field, q.text, boost=q.boost)
    if isinstance(q, ir.Prefix):
        return wq.Prefix(q.field, q.text, boost=q.boost)
    if isinstance(q, ir.Phrase):
        return wq.Phrase(q.field, list(q.words), slop=q.slop, boost=q.boost)
    if isinstance(q, ir.Range):
        return wq.TermRange(q.field, q.start, q.end, q.start_excl, q.end_excl, boost=q.boost)
    if isinstance(q, ir.DnrKey):
        terms = [wq.Term(f, q.key) for f in ("dnr_own", "dnr") if q.key]
        terms += [wq.Term(f, q.loose, boost=ir.LOOSE_DNR_BOOST) for f in ("dnr_own", "dnr") if q.loose]
        return wq.Or(terms, boost=q.boost)
    if isinstance(q, ir.And):
        return wq.And([to_whoosh(c) for c in q.children], boost=q.boost)
    if isinstance(q, ir.Or):
        return wq.Or([to_whoosh(c) for c in q.children], boost=q.boost)
    if isinstance(q, ir.Not):
        return wq.Not(to_whoosh(q.child), boost=q.boost)
    if isinstance(q, ir.AndNot):
        return _boosted(wq.AndNot(to_whoosh(q.a), to_whoosh(q.b)), q.boost)
    if isinstance(q, ir.AndMaybe):
        return _boosted(wq.AndMaybe(to_whoosh(q.a), to_whoosh(q.b)), q.boost)
    if isinstance(q, ir.Require):
        return _boosted(wq.Require(to_whoosh(q.a), to_whoosh(q.b)), q.boost)
    raise TypeError(f"no Whoosh query for {type(q).__name__}")


def _boosted(q: wq.Query, boost: float) -> wq.Query:
    if boost != 1.0:
        q.boost = boost  # type: ignore[attr-defined]  # every Whoosh query but a few has one
    return q
