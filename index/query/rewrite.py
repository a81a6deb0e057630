"""Search stage, query rewriting on the IR: a query word the archive rarely holds, searched also
as what it is made of.

Compound words are split at index time (index/analysis/compounds.py), so a query word finds the
compounds it is part of. The other way round, a compound typed in a query that the documents
write apart ("hedersvåld" for "hedersrelaterat våld", "ersättningsreglemente" for "reglemente för
ersättningar") is searched here, when the archive holds the whole word in fewer than
DECOMPOUND_BELOW documents, as each of its modifier-head divisions by the same splitter and
lexicon (compounds.query_split): the modifier (as a word, or as the start of a word, "heders*")
and the head both in the document, weighted DECOMPOUND_BOOST so the whole word ranks first, and
more where they stand close together (NEAR_SLOP, either order). A head that is a compound itself
("parkeringstaxa" of "felparkeringstaxa") also meets documents holding it with another modifier,
through the parts field only and weighted HEAD_BOOST.

Pure: the caller gives document frequencies and how a word is searched (a node of the grammar).
"""
from __future__ import annotations

from collections.abc import Callable

from index.analysis import compounds
from index.analysis.chain import normalize
from index.query import ir

DECOMPOUND_BELOW = 3  # a whole word in fewer documents than this is also searched as its parts
DECOMPOUND_BOOST = 0.5  # modifier and head apart weigh less than the whole word
HEAD_BOOST = 0.2  # a compound head with another modifier (parts field) weighs less still
NEAR_SLOP = 4  # modifier and head this close count as written together
NEAR_BOOST = 1.0
MIN_PREFIX = 3  # a modifier this long is also the start of a document's word
PREFIX_BOOST = 0.5  # ... which weighs less than the modifier as a word


def decompound(q: ir.Node, typed: dict[str, str], doc_frequency: Callable[[str, str], int],
               word: Callable[[str], ir.Node]) -> ir.Node:
    """q with each plain word that the archive rarely holds widened by its parts.

    `typed`: the `text` term of each plain query word → the word as typed (lower case);
    `doc_frequency(field, term)`: documents holding a term; `word(text)`: the node of one plain
    word as the grammar builds it."""
    if isinstance(q, ir.Or):
        term = _text_term(q)
        if term is not None and term in typed:
            widened = _widened(q, typed[term], term, doc_frequency, word)
            if widened is not None:
                return widened
    if ir.children(q) and not isinstance(q, ir.Not):
        return ir.apply(q, lambda child: decompound(child, typed, doc_frequency, word))
    return q


def _widened(q: ir.Or, surface: str, term: str, doc_frequency, word) -> ir.Node | None:
    if sum(doc_frequency(f, term) for f in ("text", "title", "parts")) >= DECOMPOUND_BELOW:
        return None
    divisions = compounds.query_split(surface)
    if not divisions:
        return None
    alternatives: list[ir.Node] = [q]
    for modifier_typed, modifier, head in divisions:
        m, h = normalize(modifier, "sv"), normalize(head, "sv")
        starts: list[ir.Node] = []
        if len(modifier_typed) >= MIN_PREFIX:
            starts = [ir.Prefix(f, modifier_typed, boost=PREFIX_BOOST) for f in ("title", "headings", "text")]
        apart = ir.And((ir.Or((word(modifier), *starts)), word(head)), boost=DECOMPOUND_BOOST)
        near = ir.Or((ir.Phrase("text", (m, h), slop=NEAR_SLOP), ir.Phrase("text", (h, m), slop=NEAR_SLOP)),
                     boost=NEAR_BOOST * DECOMPOUND_BOOST)
        alternatives.append(ir.AndMaybe(apart, near))  # (AndMaybe keeps no boost of its own)
        if compounds.split(head).parts:
            alternatives.append(ir.Term("parts", h, boost=HEAD_BOOST))
    return ir.Or(tuple(alternatives))


def _text_term(q: ir.Or) -> str | None:
    """The `text` term of one plain query word (an Or of the same word over the text fields)."""
    terms = [c.text for c in q.children if isinstance(c, ir.Term) and c.field == "text"]
    return terms[0] if len(terms) == 1 else None
