"""Index stage, vocabulary: the archive's plain (unstemmed) words and how many documents hold each.

"Menade du ...?" suggests words, not stems, and a word typed without å, ä, ö is searched with
them when the archive holds that spelling; both need every plain word and its document count,
nothing more. A Whoosh field of plain words gave them, but its postings were nearly half of
all the index writer wrote (at 10,445 documents the ingest ran at 500 documents/s with it, 635
without) and were never read. So the counts live in the catalog database (table `words`), added
in the transaction that marks a batch of documents indexed and counted anew when the index is
rebuilt; a replaced document's new version counts again until then (the counts rank
suggestions; they need not be exact).

Words within two edits of a misspelling are found as Whoosh's corrector finds terms: its
Levenshtein automaton walks the sorted words, one "first word at or after" lookup per step.
"""
from __future__ import annotations

from collections.abc import Callable

from whoosh.automata import lev
from whoosh.automata.fsa import find_all_matches

from index.analysis.chain import STOPWORDS, words


def words_of(*texts: str) -> frozenset[str]:
    """The vocabulary words of a document's title and text: lower-case, Swedish stop words out
    (the plain words analysis.swedish_streams() gives, as a set).

    >>> sorted(words_of("Beslut om hemtjänst", "Nämnden beslutar att bevilja hemtjänst."))
    ['beslut', 'beslutar', 'bevilja', 'hemtjänst', 'nämnden']
    """
    stops = STOPWORDS["sv"]
    return frozenset(w for text in texts for w, _, _ in words(text) if w not in stops)


def within(word: str, maxdist: int, next_word: Callable[[str], str | None]) -> list[str]:
    """The vocabulary's words within `maxdist` edits (Levenshtein: insertions, deletions,
    substitutions) of `word`.

    `next_word(w)`: the vocabulary's first word at or after `w` in code point order, or None.

    >>> vocabulary = ["psykiatri", "psykolog", "skola"]
    >>> within("psykitri", 2, lambda w: next((v for v in vocabulary if v >= w), None))
    ['psykiatri']
    """
    dfa = lev.levenshtein_automaton(word, maxdist).to_dfa()
    return list(find_all_matches(dfa, next_word))
