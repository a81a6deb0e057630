"""Extract stage: the company or association that wrote a paper filed with a public body.

A kommun's meeting papers hold papers others wrote: an adviser's report, a club's application, a
consultant's samrådsunderlag for its client. No directory lists these writers; the paper names
itself where a writer does: its client or applicant in a consultant's title block ("Kund Alingsås
Energi AB", "Sökandes namn ..."), a sign-off of a förening's board ("Styrelsen Holmalund City FF,
representerad av ..."), or its own web address closing the paper ("soderbergpartners.se") with the
name it spells ("Söderberg & Partners").
"""
from __future__ import annotations

import re

from ingest.extract.directory import slug

_WORD = r"[A-ZÅÄÖ][\wåäöéü-]*"
# A name of capitalised words ("Holmalund City FF", "Söderberg & Partners", "AB Alingsås Rådhus").
_NAME = rf"{_WORD}(?:[ \t]+(?:&[ \t]+)?{_WORD}){{0,5}}"
# What only a company's or an association's name ends or begins with.
_COMPANY_OR_CLUB = re.compile(
    r"(?:^AB[ \t]|[ \t](?:AB|HB|KB|FF|IF|IK|BK|FK|SK|HK|GIF|BoIS|& Partners|[Ff]örening(?:en)?)$"
    r"|[a-zåäö]förening(?:en)?$)")
# A consultant's title block names the client the paper is made for, an application its applicant.
_CLIENT = re.compile(rf"^[ \t]*(?:Kund|Beställare|Sökande|Sökandes namn|Verksamhetsutövare)[ \t]*:?[ \t]+(?P<name>{_NAME})[ \t]*$",
                     re.M)
# A sign-off for the board or the club: "Styrelsen Holmalund City FF, representerad av ...",
# "Styrelsen för Exempelföreningen", "För Holmalund City FF".
_SIGNED = re.compile(rf"^[ \t]*(?:Styrelsen(?:[ \t]+för)?|För(?:[ \t]+styrelsen[ \t]+(?:i|för))?)[ \t]+(?P<name>{_NAME})"
                     r"[ \t]*(?:,|$)", re.M)
# The paper's own web address on a line of its own: "soderbergpartners.se", "www.example.com".
_WEB_ADDRESS = re.compile(r"^[ \t]*(?:https?://)?(?:www\.)?(?P<stem>[a-z0-9åäö-]+)\.(?:se|com|nu|org|net)/?[ \t]*$",
                          re.M)
# A spelt-out name its web address may stand for: capitalised words, "&" between them.
_SPELT = re.compile(rf"\b{_WORD}(?:[ \t]+&[ \t]+{_WORD}|[ \t]+{_WORD}){{1,3}}")
_OPENING_CHARS = 1500
_CLOSING_CHARS = 800
_LINES_AT_EDGE = 3


def _company_or_club(name: str) -> bool:
    """The name says it is a company or an association ("Holmalund City FF", "Alingsås Energi AB")."""
    return bool(_COMPANY_OR_CLUB.search(name))


def client(text: str) -> str | None:
    """The company a consultant's paper is made for or an application is made by, as its title
    block names it ("Kund Alingsås Energi AB"); a paper a public body files for another.

    >>> client("Samrådsunderlag\\nSweco Sverige AB 556767-9849\\nKund Alingsås Energi AB\\nDatum 2026-03-16")
    'Alingsås Energi AB'
    >>> client("Beställare Alingsås kommun") is None
    True
    """
    for m in _CLIENT.finditer(text, 0, _OPENING_CHARS):
        if _company_or_club(m.group("name")):
            return m.group("name")
    return None


def signed_by(text: str) -> str | None:
    """The company or association a paper's sign-off speaks for, or the one whose web address
    closes or opens the paper and whose name the paper spells out.

    >>> signed_by("Vi ansöker om 400 000 kr.\\nMvh\\nStyrelsen Holmalund City FF, representerad av Per Bleckberg")
    'Holmalund City FF'
    >>> signed_by("Söderberg & Partners ansvarar inte för skador.\\nsoderbergpartners.se")
    'Söderberg & Partners'
    """
    for m in _SIGNED.finditer(text, max(0, len(text) - _CLOSING_CHARS)):
        if _company_or_club(m.group("name")):
            return m.group("name")
    lines = [line for line in text.splitlines() if line.strip()]
    for line in (*lines[:_LINES_AT_EDGE], *lines[-_LINES_AT_EDGE:]):
        address = _WEB_ADDRESS.match(line)
        if address:
            named = _spelt_as(text, address.group("stem").replace("-", ""))
            if named:
                return named
    return None


def _spelt_as(text: str, stem: str) -> str | None:
    """The name of two words or more the text spells whose letters are the web address's
    ("Söderberg & Partners" for soderbergpartners), shortest first."""
    for m in _SPELT.finditer(text):
        words = re.split(r"([ \t]+(?:&[ \t]+)?)", m.group(0))
        for end in range(3, len(words) + 1, 2):  # the first two words, the first three ...
            name = "".join(words[:end])
            if slug(name).replace("-", "") == stem:
                return name
    return None
