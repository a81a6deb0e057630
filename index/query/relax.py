"""Search stage, relaxed matching: a query of plain words that finds (next to) nothing with all
its words is searched again, more leniently, in the query language itself.

Every word must match (index/query/parser.py), so one word of several that no matching document
holds leaves a query with no hits, the worst a user can see: a name spelled another way than the
archive spells it ("Jessica Roswal Dublin" for Jessika Roswall's visit) where the typed spelling
is another person's name the archive holds, so no correction replaces it (searcher.suggest
corrects only words the archive lacks); or one word in no document that holds the others
("gigekonomi plattformsarbete EU"); or a compound whose parts no document holds together
("fotsjukvårdsinsats" for a page on "medicinsk fotsjukvård"). The relaxed query widens each word by the archive's words
nearest to it (`near`, the vocabulary's words within a few edits; NEAR_BOOST) and asks for all
the words but one. The searcher (index/search/searcher.py) runs it only when the query as
typed, and its correction, find fewer than RELAX_BELOW documents, and ranks in tiers: the
documents of the query as typed, then those with every word or a near spelling of it, then
those lacking a word; it says that it relaxed.

Pure: the caller gives the near words.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

from index.analysis import compounds
from index.query.parser import is_stopword

RELAX_BELOW = 3  # a query finding fewer documents than this is also searched relaxed
NEAR_BOOST = 0.5  # a near spelling weighs less than the word as typed
MAX_WORDS = 8  # a longer query is not relaxed (one group per word)
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "REQUIRE"}


@dataclass(frozen=True)
class Relaxed:
    every: str  # every word, each also as its near spellings
    most: str  # all the words but one (or a near spelling of each)


def relaxed(text: str, near: Callable[[str], list[str]], holds: Callable[[str], bool] = lambda word: False) -> Relaxed | None:
    """The relaxed queries for `text`, or None when it is not two or more plain words (stop
    words aside; a phrase, field, operator or prefix is meant as typed) or one the compound
    splitter divides (compounds.query_split) and that no document holds whole (`holds(word)`:
    a word of 1 or 2 documents is a word the archive knows), which counts as its longest
    modifier and its head (no near spellings of those: lexicon words, and the five letters of
    "hjort" are one edit from "gjort").

    >>> near = {"jessica": ["jessika"], "roswal": ["roswall"]}
    >>> r = relaxed("Jessica Roswal Dublin", lambda w: near.get(w.lower(), []))
    >>> r.every
    '(Jessica OR jessika^0.5) (Roswal OR roswall^0.5) Dublin'
    >>> r.most
    '((Jessica OR jessika^0.5) (Roswal OR roswall^0.5)) OR ((Jessica OR jessika^0.5) Dublin) OR ((Roswal OR roswall^0.5) Dublin)'
    >>> relaxed("plattformsarbete i EU", lambda w: []).most
    'plattformsarbete OR EU'
    >>> relaxed("fotsjukvårdsinsats", lambda w: [w[:-1] + "t"]).most
    'fotsjukvård OR insats'
    >>> relaxed('"hot och hat" journalister', lambda w: []) is None or relaxed("psykiatri", lambda w: [])
    True
    """
    typed = text.split()
    if any(not _WORD.fullmatch(w) or w in _OPERATORS for w in typed):
        return None
    words = [w for w in typed if not is_stopword(w.lower())]
    if len(words) == 1:  # a compound: its modifier and its head, lexicon words, never respelled
        divisions = compounds.query_split(words[0].lower())
        if not divisions or holds(words[0]):
            return None
        words, near = list(divisions[-1][1:]), _nothing_near
    if not 2 <= len(words) <= MAX_WORDS:
        return None
    widened = [_widened(w, near(w)) for w in words]
    groups = combinations(widened, len(widened) - 1)
    return Relaxed(" ".join(widened),
                   " OR ".join(group[0] if len(group) == 1 else "(" + " ".join(group) + ")" for group in groups))


def _nothing_near(word: str) -> list[str]:
    return []


def _widened(word: str, near: list[str]) -> str:
    near = [n for n in near if n.isalpha() and n.lower() != word.lower()]
    if not near:
        return word
    return "(" + " OR ".join([word] + [f"{n}^{NEAR_BOOST}" for n in near]) + ")"
