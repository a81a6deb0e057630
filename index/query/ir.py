"""Search stage, the query IR: what a query means, in our own terms, for any engine.

The parser (index/query/parser.py) builds these nodes; a backend translates them into its
engine's queries (index/backends/whoosh/translate.py). Terms are already analysed (the field
description, index/fields.py, says how), so a backend only looks them up.

>>> normalize(And((Or((Term("text", "budget"),)), Null(), Term("year", "2024"))))
And(children=(Term(field='text', text='budget', boost=1.0), Term(field='year', text='2024', boost=1.0)), boost=1.0)
>>> normalize(Phrase("text", ("mut",), slop=2))
Term(field='text', text='mut', boost=1.0)
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace


class Node:
    """A query node; every node has a `boost` (its score's multiplier)."""

    boost: float

    def with_boost(self, boost: float) -> Node:
        return replace(self, boost=boost)  # type: ignore[type-var]


@dataclass(frozen=True)
class Null(Node):
    """Matches nothing."""

    boost: float = 1.0


@dataclass(frozen=True)
class Every(Node):
    """Every document (with a field: every document with a term in it)."""

    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Term(Node):
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix(Node):
    """The terms of a field that start with `text`."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase(Node):
    """The words in order, each 1 to `slop` positions after the one before."""

    field: str
    words: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0


@dataclass(frozen=True)
class Range(Node):
    """Terms between start and end (compared as text); None is open."""

    field: str
    start: str | None
    end: str | None
    start_excl: bool = False
    end_excl: bool = False
    boost: float = 1.0


@dataclass(frozen=True)
class DnrKey(Node):
    """The documents of a diarienummer, own first: by its key (ingest.extract.dnr.key; "" when
    the query is no exact number) and, below those, by its loose key (dnr.query_loose_key:
    without leading zeros or register, "" for none)."""

    key: str
    loose: str = ""
    boost: float = 1.0


LOOSE_DNR_BOOST = 0.3  # a number met only loosely (zeros, register) weighs less than the exact one


@dataclass(frozen=True)
class And(Node):
    children: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Or(Node):
    children: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Not(Node):
    """Every document but those of `child` (inside an And: the others without them)."""

    child: Node
    boost: float = 1.0


@dataclass(frozen=True)
class AndNot(Node):
    """The documents of a without those of b."""

    a: Node
    b: Node
    boost: float = 1.0


@dataclass(frozen=True)
class AndMaybe(Node):
    """The documents of a; those also in b score b's score more."""

    a: Node
    b: Node
    boost: float = 1.0


@dataclass(frozen=True)
class Require(Node):
    """The documents of a that b also matches, scored by a alone."""

    a: Node
    b: Node
    boost: float = 1.0


def children(q: Node) -> tuple[Node, ...]:
    if isinstance(q, (And, Or)):
        return q.children
    if isinstance(q, Not):
        return (q.child,)
    if isinstance(q, (AndNot, AndMaybe, Require)):
        return (q.a, q.b)
    return ()


def apply(q: Node, fn: Callable[[Node], Node]) -> Node:
    """q with fn applied to each child (not to q itself)."""
    if isinstance(q, (And, Or)):
        return replace(q, children=tuple(fn(c) for c in q.children))
    if isinstance(q, Not):
        return replace(q, child=fn(q.child))
    if isinstance(q, (AndNot, AndMaybe, Require)):
        return replace(q, a=fn(q.a), b=fn(q.b))
    return q


def leaves(q: Node) -> Iterator[Node]:
    kids = children(q)
    if not kids:
        yield q
    for c in kids:
        yield from leaves(c)


def normalize(q: Node) -> Node:
    """Without redundancy: nested And/Or merged, Null dropped, a group of one unwrapped,
    duplicates dropped, a one-word phrase a term (the rules Whoosh's normalize() applies, so
    both engines see the same tree)."""
    if isinstance(q, (And, Or)):
        return _normalize_group(q)
    if isinstance(q, Not):
        child = normalize(q.child)
        return child if isinstance(child, Null) else replace(q, child=child)
    if isinstance(q, AndNot):
        a, b = normalize(q.a), normalize(q.b)
        if isinstance(a, Null):
            return a
        return a if isinstance(b, Null) else AndNot(a=a, b=b)
    if isinstance(q, AndMaybe):
        a, b = normalize(q.a), normalize(q.b)
        if isinstance(a, Null):
            return a
        return a if isinstance(b, Null) else AndMaybe(a=a, b=b)
    if isinstance(q, Require):
        a, b = normalize(q.a), normalize(q.b)
        return Null() if isinstance(a, Null) or isinstance(b, Null) else Require(a, b)
    if isinstance(q, Phrase):
        if not q.words:
            return Null()
        if len(q.words) == 1:
            return Term(field=q.field, text=q.words[0])
        return q
    if isinstance(q, Range):
        if q.start in ("", None) and q.end in ("\uffff", None):
            return Every(field=q.field, boost=q.boost)
        if q.start == q.end and q.start is not None:
            return Null() if q.start_excl or q.end_excl else Term(field=q.field, text=q.start, boost=q.boost)
        return q
    return q


def _field(q: Node) -> str | None:
    return getattr(q, "field", None)


def _normalize_group(q: And | Or) -> Node:
    subs: list[Node] = []
    for s in q.children:
        s = normalize(s)
        if type(s) is type(q):
            subs.extend(ss.with_boost(ss.boost * s.boost) for ss in s.children)
        else:
            subs.append(s)
    if all(isinstance(s, Null) for s in subs):
        return Null()
    if any(isinstance(s, Every) and s.field is None for s in subs):
        return Every()
    every_fields = set()
    kept: list[Node] = []
    for s in subs:
        if _field(s) in every_fields:
            continue
        if isinstance(s, Every):
            every_fields.add(s.field)
        kept.append(s)
    out, seen = [], set()
    for s in kept:
        if not isinstance(s, Every) and _field(s) in every_fields:
            continue
        if s in seen:
            continue
        seen.add(s)
        out.append(s)
    out = [s for s in out if not isinstance(s, Null)]
    if not out:
        return Null()
    if len(out) == 1:
        sub = out[0]
        if not (q.boost == 1.0 and sub.boost == 1.0):
            sub = sub.with_boost(sub.boost * q.boost)
        return sub
    return replace(q, children=tuple(out))
