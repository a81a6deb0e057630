"""Index stage, vocabulary: the archive's plain (unstemmed) words and how many documents hold each.

"Menade du ...?" suggests words, not stems, and a word typed without å, ä, ö is searched with
them when the archive holds that spelling; both need every plain word and its document count,
nothing more. A Whoosh field of plain words gave them, but its postings were nearly half of
all the index writer wrote (at 10,445 documents the ingest ran at 500 documents/s with it, 635
without) and were never read. So the counts live in the catalog database (table `words`), added
in the transaction that marks a batch of documents indexed and counted anew when the index is
rebuilt; a replaced document's new version counts again until then (the counts rank
suggestions; they need not be exact).

Words within two edits of a misspelling are found by a Levenshtein automaton (the sparse one
of Jules Jacobs, "Levenshtein automata can be simple and fast") walking the sorted words: a word
is read as far as the automaton can still match, and the walk jumps past every word sharing the
prefix where it could not, one "first word at or after" lookup per step.
"""
from __future__ import annotations

from collections.abc import Callable

from index.analysis.chain import plain_words


def words_of(*texts: str) -> frozenset[str]:
    """The vocabulary words of a document's title and text: lower-case, Swedish stop words out,
    none from links or file names (analysis.plain_words, what swedish_streams() gives, as a set).

    >>> sorted(words_of("Beslut om hemtjänst", "Nämnden beslutar att bevilja hemtjänst, se https://x.se/also."))
    ['beslut', 'beslutar', 'bevilja', 'hemtjänst', 'nämnden', 'se']
    """
    return frozenset(w for text in texts for w in plain_words(text))


def max_edits(word: str) -> int:
    """How many edits a misspelling of a word this long may be from the word meant: none below
    five letters (too many words are that close), one up to seven, two from eight.

    >>> [max_edits(w) for w in ("jäv", "suport", "calcivirus")]
    [0, 1, 2]
    """
    return 0 if len(word) < 5 else 1 if len(word) < 8 else 2


def within(word: str, maxdist: int, next_word: Callable[[str], str | None]) -> list[str]:
    """The vocabulary's words within `maxdist` edits (Levenshtein: insertions, deletions,
    substitutions) of `word`.

    `next_word(w)`: the vocabulary's first word at or after `w` in code point order, or None.

    >>> vocabulary = ["psykiatri", "psykolog", "skola"]
    >>> within("psykitri", 2, lambda w: next((v for v in vocabulary if v >= w), None))
    ['psykiatri']
    """
    found = []
    start = tuple(range(min(maxdist, len(word)) + 1))
    state: tuple[tuple[int, ...], tuple[int, ...]] = (start, start)
    candidate = next_word("")
    while candidate is not None:
        states, dead_at = [state], None
        for k, ch in enumerate(candidate):
            current = _step(word, maxdist, states[-1], ch)
            if not current[0]:
                dead_at = k
                break
            states.append(current)
        if dead_at is None:
            if states[-1][0][-1] == len(word):
                found.append(candidate)
            following: str | None = candidate + "\x00"  # the first word after this one
        else:  # no word with this prefix can match: on to the next prefix that can
            following = _next_live(word, maxdist, states, candidate, dead_at)
        candidate = next_word(following) if following is not None else None
    return found


def _next_live(word: str, maxdist: int, states: list, candidate: str, k: int) -> str | None:
    """The smallest string after every string starting candidate[:k + 1] whose prefix the
    automaton can still match (states[i]: the state after candidate[:i])."""
    while k >= 0:
        state, ch = states[k], candidate[k]
        if _step(word, maxdist, state, "\uffff")[0]:  # a character not in the word: any will do
            return candidate[:k] + chr(ord(ch) + 1)
        for c in sorted({word[i] for i in state[0] if i < len(word)}):
            if c > ch and _step(word, maxdist, state, c)[0]:
                return candidate[:k] + c
        k -= 1
    return None


def _step(word: str, maxdist: int, state, ch: str):
    """The automaton's state after one more character: the positions of `word` reachable
    within `maxdist` edits, and their edit counts."""
    indices, values = state
    new_indices, new_values = ([0], [values[0] + 1]) if indices and indices[0] == 0 and values[0] < maxdist else ([], [])
    for j, i in enumerate(indices):
        if i == len(word):
            break
        value = values[j] + (word[i] != ch)
        if new_indices and new_indices[-1] == i:
            value = min(value, new_values[-1] + 1)
        if j + 1 < len(indices) and indices[j + 1] == i + 1:
            value = min(value, values[j + 1] + 1)
        if value <= maxdist:
            new_indices.append(i + 1)
            new_values.append(value)
    return tuple(new_indices), tuple(new_values)
