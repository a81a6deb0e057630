"""Query stage, facet values: what a typed value of a facet means among the archive's values.

`parti:v`, `parti:Vänsterpartiet` and the sidebar's `party=V` are one filter; so are `organ:ks`,
`organ:kommunstyrelsen` and `body=Kommunstyrelsen`. A typed value is matched against the values
the archive holds (`known`), in this order:

    party        the party's code (ingest.extract.parties: names, spellings, any case)
    language     the language's code ("svenska" → sv)
    any facet    the value as written; the same value in another case;
                 the initials of a name, its compounds split ("ks" → Kommunstyrelsen,
                 "bun" → Barn- och utbildningsnämnden, "spn" → Samhällsplaneringsnämnden);
    organization a name's first word ("simrishamn" → Simrishamns kommun)

A value that matches none is kept as written (it finds nothing, as before); one that matches
several (two organizations' "KS") means any of them.
"""
from __future__ import annotations

import re
from collections.abc import Collection

from index.analysis import compounds
from ingest.extract.parties import party_code

LANGUAGES = {"svenska": "sv", "engelska": "en", "swedish": "sv", "english": "en"}
# Words an abbreviation skips: "Barn- och utbildningsnämnden" is BUN.
_SKIPPED = {"och", "&", "i", "för", "med", "samt", "de", "den", "det"}
# Body words a compound ends in that the compound splitter does not know as parts.
_ENDINGS = ("utskottet", "utskott", "beredningen", "beredning", "direktionen", "direktion")
_WORD = re.compile(r"[^\W\d_]+")
_ABBREVIATION = re.compile(r"[^\W\d_]{2,8}")
_MIN_FIRST_WORD = 4  # "simr" may stand for Simrishamns kommun; "sim" may not


def resolve(field: str, value: str, known: Collection[str]) -> tuple[str, ...]:
    """The archive's values of `field` that `value` stands for (the value itself when none).

    >>> resolve("party", "v", ["S", "V"]), resolve("party", "Vänsterpartiet", [])
    (('V',), ('V',))
    >>> resolve("body", "ks", ["Kommunstyrelsen", "Kommunfullmäktige", "Socialnämnden"])
    ('Kommunstyrelsen',)
    >>> resolve("body", "BUN", ["Barn- och utbildningsnämnden"]), resolve("body", "KSAU", ["Kommunstyrelsens arbetsutskott"])
    (('Barn- och utbildningsnämnden',), ('Kommunstyrelsens arbetsutskott',))
    >>> resolve("organization", "simrishamn", ["Simrishamns kommun", "Region Skåne"])
    ('Simrishamns kommun',)
    >>> resolve("doctype", "Protokoll", ["protokoll", "motion"]), resolve("body", "nej", ["Valnämnden"])
    (('protokoll',), ('nej',))
    """
    value = value.strip()
    if field == "party":
        code = party_code(value)
        if code:
            return (code,)
    if field == "language":
        value = LANGUAGES.get(value.lower(), value.lower())
    if value in known:
        return (value,)
    folded = value.casefold()
    found = tuple(k for k in known if k.casefold() == folded)
    if not found and _ABBREVIATION.fullmatch(value):
        found = tuple(k for k in known if folded in initials(k))
    if not found and field == "organization" and len(folded) >= _MIN_FIRST_WORD and " " not in folded:
        found = tuple(k for k in known if (w := _WORD.findall(k.casefold())) and w[0].startswith(folded))
    return found or (value,)


def initials(name: str) -> set[str]:
    """The abbreviations a name may go by: its words' first letters, and with its compounds split.

    >>> sorted(initials("Samhällsplaneringsnämnden"))
    ['s', 'spn']
    >>> sorted(initials("Barn- och utbildningsnämnden"))
    ['bu', 'bun']
    """
    words = [w for w in _WORD.findall(name.casefold()) if w not in _SKIPPED]
    if not words:
        return set()
    plain = "".join(w[0] for w in words)
    split = "".join(p[0] for w in words for p in _parts(w))
    return {plain, split}


def _parts(word: str) -> tuple[str, ...]:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return (*_parts(word[: -len(ending)]), ending)
    return compounds.split(word).parts or (word,)
