"""Index stage, analysis: Swedish compound words (sammansatta ord) split into their parts.

A frequency-based splitter in the manner of Koehn and Knight (2003) over a real lexicon:

* the parts must be words of Debian's hunspell-sv that may begin (or continue) a compound, in
  the very forms hunspell allows there, linking letters and elided vowels included
  ("avdelnings", "skol" of "skola", "gatu" of "gata", "äldre"), and the last part a word that
  may end one, in any inflection ("avdelningar" → "avdelning");
* among the ways to split, the one whose parts are most frequent in our own corpus wins
  (geometric mean of the parts' frequencies), and not splitting at all wins when the whole word
  is more frequent than that ("sammanträde" stays whole, "socialnämnden" splits);
* words in PROTECTED never split (they would split validly but wrongly).

The lexicon (index/data/lexicon-sv.txt.gz) is built by tools/build_lexicon.py; see
index/data/README.md for its sources and licence. Pure functions, cached per word.

>>> split("heldygnsavdelningar").parts
('hel', 'dygn', 'avdelning')
>>> split("ungdomspsykiatrin").lemma
'ungdomspsykiatri'
>>> split("sammanträdet").parts
()
"""
from __future__ import annotations

import gzip
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import simplemma

LEXICON_PATH = Path(__file__).resolve().parent / "data" / "lexicon-sv.txt.gz"
MIN_WORD = 6  # shorter words are not split
MIN_PART = 3  # letters in a part, linking letters included
MAX_PARTS = 4
MIN_LOOSE_WORD = 8  # shorter query words are never divided by query_split's last resort ("bud|get")

# Words that split validly into lexicon words but are not compounds of them (or whose parts
# would only mislead a search); checked on the word and on its lemma.
# A run of parts that spells a protected word is merged back ("yrke|hög|skolan" → "yrke|högskola").
PROTECTED = frozenset("""
sammanträde paragraf redovisning verksamhet fullmäktige ledamot ersättare ordförande
underlag underhåll undervisning undersökning underrättelse överväga övervägande övergrepp
övergång framtid framtida fritid framställning framtagande efterfråga deltagare deltagande
delta deltagarna måltid lagring egendom regelbunden biologisk livsmedel högskola ombudsman
redogörelse tjänsteman kammarrätt hovrätt förvaltningsrätt landsting avdelning ansökan
ekonomi samhälle verkstad förening företag anställd byggnation handlande intresserad
självklar kortfattad tidskrift handledning realtid mottagare motpart hemtjänst socialtjänst
färdtjänst
""".split())
# Lexicon words that are never a part: suffix-like leftovers ("psyk|ologisk").
NEVER_PARTS = frozenset("ologi ologisk logisk rad nation".split())
# First or middle parts that make a new word rather than a compound ("under|visning",
# "fram|tid", "över|gång"): particles and prefixes never split off.
PARTICLES = frozenset("""
under över fram efter genom till upp ut in av på mot med om åter bak för vid sam an bi be
när kring bort ner fort
""".split())

# Endings that inflect the last part: "avdelningar" → "avdelning", "sammanträdet" → "sammanträde".
ENDINGS = tuple(sorted(
    """s n en ens et ets na nas t ts a as e es er ers erna ernas ar ars arna arnas or ors orna
    ornas r rs rna rnas ns ne nes de des te tes ade ades at ats""".split(),
    key=len, reverse=True,
))


@dataclass(frozen=True, slots=True)
class Split:
    """How a word splits: its parts' lemmas, the lemmas of longer runs of parts that are words
    themselves ("äldreomsorg" of "äldre|omsorgs|nämnden"), and the lemma of the whole word."""

    parts: tuple[str, ...]
    spans: tuple[str, ...]
    lemma: str


class Lexicon:
    """Word frequencies, the forms that begin a compound (→ their word), the words that end one."""

    def __init__(self, lines):
        self.freq: dict[str, int] = {}
        self.heads: dict[str, str] = {}
        self.tails: set[str] = set()
        for line in lines:
            word, freq, roles, forms = line.rstrip("\n").split("\t")
            self.freq[word] = int(freq)
            if "B" in roles:
                self.heads.setdefault(word, word)
            if "E" in roles:
                self.tails.add(word)
            for form in filter(None, forms.split(",")):
                self.heads.setdefault(form, word)

    @classmethod
    def load(cls, path: Path = LEXICON_PATH) -> Lexicon:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return cls(f)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon.load()


@lru_cache(maxsize=100_000)
def lemma(word: str) -> str:
    """The Swedish lemma of a lower-case word: the word itself when the lexicon holds it as a
    base form ("nämnd" stays a noun, not simplemma's "nämna"), else simplemma's lemma, else
    the word."""
    if word in lexicon().freq:
        return word
    return simplemma.lemmatize(word, lang="sv").lower()


def _tail_word(tail: str, lex: Lexicon) -> str | None:
    """The lexicon word that `tail` inflects, if it may end a compound."""
    word = _inflected(tail, lex)
    return None if word in NEVER_PARTS else word


def _inflected(tail: str, lex: Lexicon) -> str | None:
    if tail in lex.tails:
        return tail
    lemmatized = lemma(tail)
    # simplemma's lemma counts only when it keeps the tail's beginning ("ska" → "skola" does not).
    if lemmatized in lex.tails and len(tail) >= 5 and lemmatized[:4] == tail[:4]:
        return lemmatized
    for ending in ENDINGS:
        if tail.endswith(ending) and len(tail) - len(ending) >= MIN_PART:
            stem = tail[: -len(ending)]
            if stem in lex.tails:
                return stem
            if stem[-1] == stem[-2] and stem[:-1] in lex.tails:  # "programmet" → "program"
                return stem[:-1]
    return None


def _splits(word: str, start: int, lex: Lexicon, depth: int):
    """Every way to split word[start:] into heads and a tail: lists of (surface, lemma)."""
    tail = word[start:]
    base = _tail_word(tail, lex) if len(tail) >= MIN_PART else None
    if base is not None:
        yield [(tail, base)]
    if depth + 1 >= MAX_PARTS:
        return
    for end in range(start + MIN_PART, len(word) - MIN_PART + 1):
        form = word[start:end]
        head = lex.heads.get(form)
        if head is not None and head not in PARTICLES and form not in PARTICLES:
            for rest in _splits(word, end, lex, depth + 1):
                yield [(word[start:end], head), *rest]


def _score(parts, lex: Lexicon) -> float:
    """Koehn-Knight: geometric mean of the parts' corpus frequencies (add-one smoothed)."""
    return math.exp(sum(math.log(lex.freq.get(w, 0) + 1) for _, w in parts) / len(parts))


@lru_cache(maxsize=100_000)
def split(word: str) -> Split:
    """The best split of a lower-case word; no parts when it is better left whole."""
    lex = lexicon()
    whole = lemma(word)
    if len(word) < MIN_WORD or word in PROTECTED or whole in PROTECTED or not word.isalpha():
        return Split((), (), whole)
    best, best_score = None, float(lex.freq.get(whole, 0) + lex.freq.get(word, 0) + 1)
    for parts in _splits(word, 0, lex, 0):
        if len(parts) < 2:
            continue
        score = _score(parts, lex)
        if score > best_score or (score == best_score and best and len(parts) < len(best)):
            best, best_score = parts, score
    if best is not None:
        best = _merge_protected(best, lex)
    if best is None or len(best) < 2:
        return Split((), (), whole)
    prefix = "".join(surface for surface, _ in best[:-1])
    if whole == word:  # simplemma does not know the compound: inflect it by its last part
        whole = prefix + best[-1][1]
    return Split(tuple(w for _, w in best), _spans(best, lex), whole)


def _merge_protected(parts, lex: Lexicon):
    """Join each run of parts that spells a protected word into one part."""
    n = len(parts)
    for i in range(n):
        for j in range(n, i + 1, -1):
            surface = "".join(s for s, _ in parts[i:j])
            word = lex.heads.get(surface) if j < n else (_tail_word(surface, lex) or lemma(surface))
            if word in PROTECTED:
                return [*parts[:i], (surface, word), *_merge_protected(parts[j:], lex)] if j < n \
                    else [*parts[:i], (surface, word)]
    return parts


def _spans(parts, lex: Lexicon) -> tuple[str, ...]:
    """Lemmas of the runs of two or more parts (not the whole) that are words themselves."""
    out = []
    n = len(parts)
    for i in range(n):
        for j in range(i + 2, n + 1):
            if (i, j) == (0, n):
                continue
            surface = "".join(s for s, _ in parts[i:j])
            if j < n:
                word = lex.heads.get(surface)
            else:
                word = _tail_word(surface, lex)
            if word is not None:
                out.append(word)
    return tuple(out)


# Query time: a compound typed in a query may use a linking form the lexicon lacks
# ("värmebölje" of "värmebölja"); read as a modifier, such a form is tried too.
_LINKING = (("e", "a"), ("u", "a"), ("o", "a"), ("s", ""), ("", ""))


@lru_cache(maxsize=10_000)
def query_split(word: str) -> tuple[tuple[str, str, str], ...]:
    """The ways a query word divides into a modifier and a head: (the modifier as typed, the
    modifier as a word, the head as typed), one per division of the splitter's parts into
    two runs; for a word the splitter leaves whole, a head that may end a compound after a
    modifier that is a lexicon word but for its linking letter. The modifier as typed keeps
    its linking letters, so "heders" of "hedersvåld" also begins "hedersrelaterat".

    >>> query_split("vårdplatsbristen")
    (('vård', 'vård', 'platsbristen'), ('vårdplats', 'vårdplats', 'bristen'))
    >>> query_split("värmeböljeberedskap")
    (('värmebölje', 'värmebölja', 'beredskap'),)
    """
    lex = lexicon()
    found = split(word)
    if found.parts:
        surfaces = _surfaces(word, found.parts, lex)
        if len(surfaces) != len(found.parts):
            return ()
        return tuple(("".join(surfaces[:i]), "".join(surfaces[:i - 1]) + found.parts[i - 1],
                      "".join(surfaces[i:])) for i in range(1, len(surfaces)))
    if len(word) < MIN_WORD or word in PROTECTED or not word.isalpha():
        return ()
    for end in range(len(word) - 4, 1, -1):  # the longest head first; "rå|vattentäkt"
        if _tail_word(word[end:], lex) is None:
            continue
        left = word[:end]
        for linking, base in _LINKING:
            stem = left[:len(left) - len(linking)] if linking else left
            if left.endswith(linking) and len(stem) >= 2 and stem + base in lex.freq \
                    and stem + base not in PARTICLES:
                return ((left, stem + base, word[end:]),)
    return _loose_division(word, lex)


def _loose_division(word: str, lex: Lexicon) -> tuple[tuple[str, str, str], ...]:
    """query_split's last resort: a head that is any lexicon word in any inflection, of three
    letters or more (hunspell-sv marks "hot" and "regel" as words no compound ends with), after
    a modifier of three letters or more that is a lexicon word or a compound the splitter
    splits: "journalist|hot", "drivmedelskorts|regler"; a word of MIN_LOOSE_WORD letters or
    more ("budget" is no "bud|get"). Only for a query word the archive rarely holds
    (index/query/rewrite.py), whose whole word still ranks first.

    >>> _loose_division("journalisthot", lexicon()), _loose_division("drivmedelskortsregler", lexicon())
    ((('journalist', 'journalist', 'hot'),), (('drivmedelskorts', 'drivmedelskort', 'regler'),))
    >>> _loose_division("budget", lexicon())
    ()
    """
    if len(word) < MIN_LOOSE_WORD:
        return ()
    for end in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head = _any_word(word[end:], lex)
        if head is None or head in PARTICLES or head in NEVER_PARTS:
            continue
        left = word[:end]
        for linking, base in _LINKING:
            stem = left[:len(left) - len(linking)] if linking else left
            modifier = stem + base
            if left.endswith(linking) and len(stem) >= MIN_PART and modifier not in PARTICLES \
                    and (modifier in lex.freq or split(modifier).parts):
                return ((left, modifier, word[end:]),)
    return ()


def _any_word(tail: str, lex: Lexicon) -> str | None:
    """The lexicon word `tail` is a form of, whatever its compound roles."""
    if tail in lex.freq:
        return tail
    lemmatized = lemma(tail)
    if lemmatized in lex.freq and lemmatized[:3] == tail[:3]:
        return lemmatized
    for ending in ENDINGS:
        if tail.endswith(ending) and len(tail) - len(ending) >= MIN_PART and tail[:-len(ending)] in lex.freq:
            return tail[:-len(ending)]
    return None


def _surfaces(word: str, parts: tuple[str, ...], lex: Lexicon) -> list[str]:
    """The letters of `word` each part was read from (linking letters included), found by
    the same walk as the split."""
    for found in _splits(word, 0, lex, 0):
        if tuple(w for _, w in found) == parts:
            return [surface for surface, _ in found]
    return [word]
