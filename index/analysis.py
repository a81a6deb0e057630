"""Index stage, analysis: text → normalised tokens, the same for indexing and querying.

Pure Python and engine-neutral: Whoosh wraps it (index/whoosh_analysis.py), and any other
engine can index the very same tokens. The chain, per language:

    tokenize (letters and digits; å, ä, ö are letters of their own, never folded)
    | lowercase
    | drop stop words
    | Snowball stem (PyStemmer's C implementation, cached)

>>> [t.text for t in analyze("Reservationer mot vårdplatserna i Malmö", "sv")]
['reservation', 'vårdplats', 'malmö']
>>> [t.text for t in analyze("The Government's policy", "en")]
['govern', 'polici']
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

import Stemmer

from index.stopwords import ENGLISH, SWEDISH

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


def supported(language: str) -> str:
    """The analysis language for a document language: English or else Swedish."""
    return "en" if language == "en" else "sv"


@lru_cache(maxsize=4)
def _stemmer(language: str) -> Stemmer.Stemmer:
    stemmer = Stemmer.Stemmer(_STEMMER_NAMES[language])
    stemmer.maxCacheSize = 100_000
    return stemmer


@lru_cache(maxsize=200_000)
def stem(word: str, language: str = "sv") -> str:
    """Snowball stem of one lower-case word."""
    if len(word) < 3 or word.isdigit():
        return word
    return _stemmer(language).stemWord(word)


def words(text: str) -> Iterator[tuple[str, int, int]]:
    """(lower-case word, start, end) for each word in text."""
    for m in WORD.finditer(text):
        yield m.group().lower(), m.start(), m.end()


def analyze(text: str, language: str = "sv", stopwords: bool = True,
            stemming: bool = True) -> Iterator[Token]:
    """The full chain; `language` is "sv" or "en" (anything else is analysed as Swedish)."""
    language = supported(language)
    stops = STOPWORDS[language] if stopwords else frozenset()
    for pos, (word, start, end) in enumerate(words(text)):
        if word in stops:
            continue
        yield Token(stem(word, language) if stemming else word, pos, start, end)


def terms(text: str, language: str = "sv") -> list[str]:
    """Just the normalised terms, in order."""
    return [t.text for t in analyze(text, language)]
