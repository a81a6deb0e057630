"""Query stage, vocabulary expansion: a word of public administration in a free-text query also
searches what it stands for, with a lower weight (EXPANSION_BOOST), so documents saying it as
typed rank first.

    synonyms    data/synonyms.toml (each group with its source): "SÄBO" also searches
                "särskilt boende", "äldreboende" ...; "gruppbostad" also "LSS-boende" ...;
                and its abbreviations, one way: "KSAU" also "kommunstyrelsens arbetsutskott"
    party names ingest.extract.parties: "sverigedemokraterna", "Vänsterpartiet" also find the
                documents of the party (the party facet: SD, V; a code of two letters also
                as a word, the tag of its members: "(SD)")
    body codes  a code typed with two capitals or more ("BUN", "KSAU", "SPn") also finds the
                documents of the bodies the archive holds with those initials (index.query.values)

A rewrite of the query text, in the query language itself, so every engine runs it:

>>> expand("SÄBO avgifter")
'(SÄBO OR "särskilt boende"^0.5 OR "särskilda boendeformer"^0.5 OR äldreboende^0.5 OR "vård- och omsorgsboende"^0.5) avgifter'
>>> expand("sverigedemokraterna motion", lambda facet: ["SD", "S"] if facet == "party" else [])
'(sverigedemokraterna OR party:SD^0.5 OR sd^0.5) motion'
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Collection
from functools import lru_cache
from pathlib import Path

from index.analysis.chain import STOPWORDS, normalize, words
from index.query import values
from ingest.extract.parties import PARTIES, party_code

EXPANSION_BOOST = 0.5
SYNONYMS = Path(__file__).with_name("data") / "synonyms.toml"
# A party's name stands for it in any inflection only where its stem is that party's alone
# ("sverigedemokrat", "vänsterparti"; not "moder" or "liberal", which are other words too).
_MIN_PARTY_STEM = 8
_CODE = re.compile(r"[^\W\d_]{2,8}")
# A plain word of a query: not a field name or value, not a prefix, not boosted.
_PLAIN_WORD = re.compile(r"(?<![\w:*^.\\/\"-])([^\W\d_][^\W_]*(?:-[^\W\d_]+)*)(?![\w:*^\"-])")

Known = Callable[[str], Collection[str]]


def _key(text: str) -> tuple[str, ...]:
    """A term's or a run of query words' terms, stop words out: what a synonym is matched on."""
    return tuple(normalize(w) for w, _, _ in words(text) if w not in STOPWORDS["sv"])


@lru_cache(maxsize=4)
def synonyms(path: Path = SYNONYMS) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Each synonym's terms → the other terms of its group; an abbreviation's → its names."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for group in data.get("group", []):
        for term in group["terms"]:
            out[_key(term)] = tuple(t for t in group["terms"] if t != term)
    for abbreviation in data.get("abbreviation", []):
        key = _key(abbreviation["code"])
        out[key] = out.get(key, ()) + tuple(abbreviation["means"])
    return out


@lru_cache(maxsize=1)
def _party_stems() -> dict[str, str]:
    stems = {normalize(name.lower()): code for code, name in PARTIES.items() if " " not in name}
    return {stem: code for stem, code in stems.items() if len(stem) >= _MIN_PARTY_STEM}


def expand(text: str, known: Known | None = None) -> str:
    """The query text with each synonym, party name and body code widened to
    `(as typed OR what it stands for^EXPANSION_BOOST ...)`; text inside quotes is kept as it is."""
    found = list(_plain_words(text))
    out, cursor, i = [], 0, 0
    table = synonyms()
    longest = max((len(k) for k in table), default=1)
    while i < len(found):
        alternatives: list[str] = []
        j = i
        for n in range(min(longest, len(found) - i), 0, -1):  # the longest run of words first
            run = found[i:i + n]
            if any(text[a[2]:b[1]].strip() for a, b in zip(run, run[1:])):
                continue  # not written next to each other
            key = tuple(k for w in run for k in _key(w[0]))
            if key in table:
                alternatives, j = [_quoted(t) for t in table[key]], i + n - 1
                break
        if not alternatives:
            alternatives = _facets(found[i][0], known)
        if alternatives:
            start, end = found[i][1], found[j][2]
            out.append(text[cursor:start])
            typed = text[start:end] if j == i else f"({text[start:end]})"
            out.append("(" + " OR ".join([typed] + [f"{a}^{EXPANSION_BOOST}" for a in alternatives]) + ")")
            cursor = end
        i = j + 1
    out.append(text[cursor:])
    return "".join(out)


def _facets(word: str, known: Known | None) -> list[str]:
    """The facet values a word stands for, as query syntax: a party name's party, a body code's bodies."""
    code = party_code(word) if " " not in word else None
    if code is None and word.isalpha():
        code = _party_stems().get(normalize(word.lower()))
    if code is not None and len(word) > 3:
        # The party facet where the archive holds it; a code of two letters or more also as the
        # word members are tagged with ("Gunilla Gomer (SD)"); a letter alone is too many words.
        out = [f"party:{code}"] if known is None or code in known("party") else []
        return out + ([code.lower()] if len(code) >= 2 else [])
    if known is not None and _CODE.fullmatch(word) and sum(ch.isupper() for ch in word) >= 2:
        bodies = values.resolve("body", word, known("body"))
        if bodies != (word,):
            return [f"body:{word}"]  # the grammar's facet values resolve it again (parser._resolved)
    return []


def _quoted(term: str) -> str:
    return f'"{term}"' if len(list(words(term))) > 1 else term


def _plain_words(text: str):
    """(word, start, end) of the plain words outside "phrases"."""
    quoted = [m.span() for m in re.finditer(r'"[^"]*"?', text)]
    for m in _PLAIN_WORD.finditer(text):
        if not any(a <= m.start() < b for a, b in quoted) and m.group(1) not in _OPERATORS:
            yield m.group(1), m.start(1), m.end(1)


_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "REQUIRE"}
