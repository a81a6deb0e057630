"""Index stage, analysis: text → normalised tokens, the same for indexing and querying.

Pure Python and engine-neutral: Whoosh wraps it (index/backends/whoosh/analysis.py), and any other
engine can index the very same tokens. The chain, per language:

    tokenize (letters and digits; å, ä, ö are letters of their own, never folded)
    | lowercase
    | drop stop words
    | lemma (Swedish: simplemma; a compound it does not know by its last part,
    |        "hemtjänstinsatser" → "hemtjänstinsats")
    | Snowball stem (PyStemmer's C implementation)
    | compound parts (Swedish, index time only: index.analysis.compounds), each a Token with
    |        part=True at the position of its whole word; so is the word without accents
    |        other than å, ä, ö ("Sámi" → sami, "Ørsted" → orsted: fold_accents), so a query
    |        typed without them finds it, below the word as written

Lemma then stem makes the inflections meet where Snowball alone does not ("vårdplats" and
"vårdplatser", "psykiatri" and "psykiatrin", "skolskjuts" and "skolskjutsar"). Every word's
normalisation is cached, so a large ingest pays for each distinct word once.

>>> [t.text for t in analyze("Reservationer mot vårdplatserna i Malmö", "sv")]
['reservation', 'vårdplat', 'malmö']
>>> [(t.text, t.part) for t in analyze("ungdomspsykiatrin", "sv", parts=True)]
[('ungdomspsykiatri', False), ('ungdom', True), ('psykiatri', True)]
>>> [(t.text, t.part) for t in analyze("Sámi Ørsted", "sv", parts=True)]
[('sámi', False), ('sami', True), ('ørsted', False), ('orsted', True)]
>>> [t.text for t in analyze("The Government's policy", "en")]
['govern', 'polici']
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from index.analysis import compounds
from index.analysis.stopwords import ENGLISH, SWEDISH

# A word: letters and digits, with inner apostrophes dropped later; "1.5.1-646/2018" becomes
# several tokens here (the dnr field holds it whole).
WORD = re.compile(r"[^\W_]+", re.UNICODE)

STOPWORDS = {"sv": SWEDISH, "en": ENGLISH}
_STEMMER_NAMES = {"sv": "swedish", "en": "english"}


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # the normalised term
    pos: int  # word position (stop words keep their slot, so phrases stay honest)
    start: int  # character offsets into the analysed text
    end: int
    part: bool = False  # a compound part, at the position of its whole word


def supported(language: str) -> str:
    """The analysis language for a document language: English or else Swedish."""
    return "en" if language == "en" else "sv"


@lru_cache(maxsize=4)
def _stemmer(language: str) -> Stemmer.Stemmer:
    stemmer = Stemmer.Stemmer(_STEMMER_NAMES[language])
    stemmer.maxCacheSize = 100_000
    return stemmer


@lru_cache(maxsize=100_000)
def stem(word: str, language: str = "sv") -> str:
    """Snowball stem of one lower-case word."""
    if len(word) < 3 or word.isdigit():
        return word
    return _stemmer(language).stemWord(word)


@lru_cache(maxsize=100_000)
def normalize(word: str, language: str = "sv") -> str:
    """The term of one lower-case word: Swedish lemma then stem, English stem.

    >>> normalize("vårdplatserna") == normalize("vårdplats"), normalize("psykiatrin")
    (True, 'psykiatri')
    """
    if language == "sv" and len(word) >= 3 and word.isalpha():
        return stem(compounds.split(word).lemma, "sv")
    return stem(word, language)


def preload() -> None:
    """Load the Swedish dictionaries now (simplemma's, the compound lexicon): a process that
    forks workers after this shares their pages with them instead of each loading its own."""
    part_terms("hemtjänstinsatser")
    normalize("vårdplatserna", "sv")
    normalize("policies", "en")


@lru_cache(maxsize=100_000)
def part_terms(word: str) -> tuple[str, ...]:
    """The terms a Swedish word adds to the parts field: its term without accents other than
    å, ä, ö (when it has any) and its compound parts (when it is long enough to be split).

    Each term without accents is the one a query word typed so gets (normalize), so it meets it.

    >>> part_terms("caféverksamheterna")
    ('cafeverksam', 'café', 'verksam', 'caf')
    """
    out: list[str] = []
    folded = fold_accents(word)
    if folded != word:
        out.append(normalize(folded, "sv"))
    if len(word) >= compounds.MIN_WORD:
        out.extend(t for t in compound_parts(word) if t not in out)
        if folded != word:
            found = compounds.split(word)
            for p in (*found.parts, *found.spans):
                term = normalize(fold_accents(p), "sv")
                if fold_accents(p) != p and len(term) >= 3 and term not in out:
                    out.append(term)
    return tuple(out)


@lru_cache(maxsize=100_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """The terms of a Swedish compound's parts (and of its runs of parts that are words),
    without the whole word's own term; () for a word that is not split."""
    found = compounds.split(word)
    if not found.parts:
        return ()
    whole = normalize(word, "sv")
    out = []
    for p in (*found.parts, *found.spans):
        term = stem(p, "sv")
        if term != whole and len(term) >= 3 and term not in out:
            out.append(term)
    return tuple(out)


KEPT_LETTERS = frozenset("åäöÅÄÖ")  # Swedish letters of their own: never folded in the index
# Letters that are no letter plus a mark in Unicode, and what they fold to.
_BASE_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                               "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "þ": "th",
                               "ı": "i"})
_SWEDISH_FOLD = str.maketrans("åäöÅÄÖ", "aaoAAO")
_UNFOLD = {"a": "aåä", "o": "oö"}
MAX_SPELLINGS = 64


@lru_cache(maxsize=100_000)
def fold_accents(word: str) -> str:
    """The word without accents and marks, but for å, ä and ö: what a user who cannot type
    them writes for "Sámi", "Müller", "Ørsted", "Café".

    >>> fold_accents("sámi"), fold_accents("ørsted"), fold_accents("müller"), fold_accents("smörgåsbord")
    ('sami', 'orsted', 'muller', 'smörgåsbord')
    """
    if word.isascii():
        return word
    out = []
    for ch in word:
        if ch.isascii() or ch in KEPT_LETTERS:
            out.append(ch)
        else:
            out.append("".join(c for c in unicodedata.normalize("NFD", ch)
                               if not unicodedata.combining(c)).translate(_BASE_LETTERS))
    return "".join(out)


def fold(word: str) -> str:
    """The word without any diacritics, å, ä, ö too: only for finding what a query typed
    without them meant (the index keeps å, ä, ö)."""
    return fold_accents(word).translate(_SWEDISH_FOLD)


def accented_words(text: str) -> str:
    """The distinct words of a text with accents other than å, ä, ö, space-separated: what an
    English document's parts field holds (their folded terms, part_terms), as it is not split.

    >>> accented_words("Joint Communiqué, gemensam kommuniké, Åsa Romson")
    'communiqué kommuniké'
    """
    return " ".join(dict.fromkeys(w for w, _, _ in words(text) if fold_accents(w) != w))


def spellings(word: str) -> list[str]:
    """Spellings with å, ä, ö that fold to `word`, `word` itself first; at most
    MAX_SPELLINGS, so a long word with many a's and o's tries only its first letters.

    >>> spellings("malmo")[:2], "malmö" in spellings("malmo")
    (['malmo', 'malmö'], True)
    """
    out = [""]
    for ch in word:
        options = _UNFOLD.get(ch, ch)
        if len(out) * len(options) > MAX_SPELLINGS:
            options = ch
        out = [prefix + o for prefix in out for o in options]
    return out


def words(text: str) -> Iterator[tuple[str, int, int]]:
    """(lower-case word, start, end) for each word in text."""
    for m in WORD.finditer(text):
        yield m.group().lower(), m.start(), m.end()


# A link, an e-mail address or a file name: its words are searched, but no word a user means
# (a slug's "aldreomsorg", a path's "also"), so the vocabulary that spelling suggestions come
# from leaves them out (plain_words).
LINK = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
                  r"|(?<!\S)[^\s()]+\.(?:pdf|docx?|xlsx?|pptx?|odt|rtf|html?|aspx?|php|jpe?g|png|gif|txt|md|csv|zip)(?!\w)",
                  re.IGNORECASE)


def plain_words(text: str) -> Iterator[str]:
    """The lower-case words of a text outside links and file names, stop words out: the
    vocabulary's words (index/search/vocabulary.py).

    >>> list(plain_words("Äldreomsorg, se www.botkyrka.se/aldreomsorg/also eller plan_2024.pdf"))
    ['äldreomsorg', 'se']
    """
    links = [m.span() for m in LINK.finditer(text)]
    stops = STOPWORDS["sv"]
    k = 0
    for m in WORD.finditer(text):
        while k < len(links) and links[k][1] <= m.start():
            k += 1
        if k < len(links) and links[k][0] <= m.start():
            continue
        word = m.group().lower()
        if word not in stops:
            yield word


def analyze(text: str, language: str = "sv", stopwords: bool = True,
            stemming: bool = True, parts: bool = False) -> Iterator[Token]:
    """The full chain; `language` is "sv" or "en" (anything else is analysed as Swedish).

    `parts` adds the parts of Swedish compounds (index time; a query is never split)."""
    language = supported(language)
    stops = STOPWORDS[language] if stopwords else frozenset()
    split = parts and language == "sv"
    for pos, (word, start, end) in enumerate(words(text)):
        if word in stops:
            continue
        if not stemming or word.isdigit():  # a number is its own term (uncached, see swedish_streams)
            yield Token(word, pos, start, end)
            continue
        yield Token(normalize(word, language), pos, start, end)
        if split:
            for term in part_terms(word):
                yield Token(term, pos, start, end, True)


Stream = list[tuple[str, int]]  # (term, position) pairs, as an index field receives them


def swedish_streams(text: str, start_pos: int = 0) -> tuple[Stream, Stream, Stream, int]:
    """One pass over Swedish text for the three index fields fed from it: (terms, plain words,
    compound parts, number of word positions used). The same tokens as analyze(text),
    plain_words(text) and the parts of analyze(text, parts=True), positions starting at
    `start_pos`, at a third of the cost (each word is tokenised once).

    >>> swedish_streams("Ungdomspsykiatrin i Malmö", 2)
    ([('ungdomspsykiatri', 2), ('malmö', 4)], [('ungdomspsykiatrin', 2), ('malmö', 4)], [('ungdom', 2), ('psykiatri', 2)], 3)
    """
    stops = STOPWORDS["sv"]
    terms: Stream = []
    plain: Stream = []
    parts: Stream = []
    count = 0
    links = [m.span() for m in LINK.finditer(text)]
    k = 0
    for count, m in enumerate(WORD.finditer(text), 1):
        word = m.group().lower()
        if word in stops:
            continue
        pos = start_pos + count - 1
        while k < len(links) and links[k][1] <= m.start():
            k += 1
        if k == len(links) or links[k][0] > m.start():  # outside links: a vocabulary word
            plain.append((word, pos))
        if word.isdigit():  # a number is its own term: kept out of the caches, which numbers would flood
            terms.append((word, pos))
            continue
        terms.append((normalize(word, "sv"), pos))
        if len(word) >= compounds.MIN_WORD or not word.isascii():
            parts.extend((term, pos) for term in part_terms(word))
    return terms, plain, parts, count


def terms(text: str, language: str = "sv") -> list[str]:
    """Just the normalised terms, in order."""
    return [t.text for t in analyze(text, language)]
