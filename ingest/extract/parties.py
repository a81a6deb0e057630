"""Extract stage: the Swedish political parties, their abbreviations and names, as one table."""
from __future__ import annotations

import re

# Abbreviation -> official name: the eight Riksdag parties plus Feministiskt initiativ.
PARTIES: dict[str, str] = {
    "S": "Socialdemokraterna",
    "M": "Moderaterna",
    "SD": "Sverigedemokraterna",
    "C": "Centerpartiet",
    "V": "Vänsterpartiet",
    "KD": "Kristdemokraterna",
    "L": "Liberalerna",
    "MP": "Miljöpartiet de gröna",
    "Fi": "Feministiskt initiativ",
}

# Names and spellings met in documents (lower case) -> abbreviation.
_NAMES: dict[str, str] = {
    "socialdemokraterna": "S",
    "arbetarepartiet socialdemokraterna": "S",
    "socialdemokratiska arbetarepartiet": "S",
    "moderaterna": "M",
    "moderata samlingspartiet": "M",
    "sverigedemokraterna": "SD",
    "centerpartiet": "C",
    "vänsterpartiet": "V",
    "kristdemokraterna": "KD",
    "liberalerna": "L",
    "folkpartiet": "L",
    "folkpartiet liberalerna": "L",
    "miljöpartiet": "MP",
    "miljöpartiet de gröna": "MP",
    "feministiskt initiativ": "Fi",
}

# Case variants of the abbreviations as printed: "(FI)", "(F!)", "(Mp)".
_ABBREVIATIONS: dict[str, str] = {code.upper(): code for code in PARTIES} | {"F!": "Fi"}

# A party name in running text: "Vänsterpartiet Halland", "Miljöpartiet de gröna i Stockholms stad".
PARTY_NAME = re.compile(
    r"\b(?:Arbetarepartiet[ -]Socialdemokraterna|Socialdemokraterna|Moderaterna|Moderata samlingspartiet"
    r"|Sverigedemokraterna|Centerpartiet|Vänsterpartiet|Kristdemokraterna|Liberalerna"
    r"|Folkpartiet(?: liberalerna)?|Miljöpartiet(?: [dD]e [gG]röna)?|Feministiskt [iI]nitiativ)\b"
)

# A party tag after a name: "(S)", "(MP)", "m.fl.(V)", "(Fi)", "(F!)"; local parties such as (KB) too.
PARTY_TAG = re.compile(r"\((F!|[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,3})\)")


def party_code(name: str) -> str | None:
    """The abbreviation for a party name or abbreviation, or None when it is not a known party.

    >>> party_code("Vänsterpartiet"), party_code("FI"), party_code("Miljöpartiet de gröna")
    ('V', 'Fi', 'MP')
    """
    key = " ".join(name.replace("-", " ").split()).strip().lower()
    if key in _NAMES:
        return _NAMES[key]
    return _ABBREVIATIONS.get(name.strip().upper())


def tag_code(tag: str) -> str | None:
    """The abbreviation for a party tag's inner text: a known party, or a local party's letters.

    Local parties ("KB" Kungsbackapartiet, "SPI") are kept as printed when they look like a
    party abbreviation (2-4 capitals); single capitals other than the known ones are not parties.
    """
    known = party_code(tag)
    if known:
        return known
    if re.fullmatch(r"[A-ZÅÄÖ]{2,4}", tag):
        return tag
    return None
