"""Extract stage: the register (diarium) a diarienummer belongs to, so a case is (organization,
register, number).

A prefixed number names its register ("KS-2023-00112" and "2025.446 KS" are in KS's,
"SBN-2022/00318" in SBN's). A bare number ("2024-00013", "Dnr 2024/93") names none: it belongs
to the register of the nämnd whose document carries it, so the byggnadsnämnd's 2024-00013 and the
miljönämnd's 2024-00013 are two cases. An utskott, presidium or beredning keeps its nämnd's
register ("Byggnadsnämndens arbetsutskott" writes in Byggnadsnämnden's). A number in neither
shape (Stockholm's "1.5.1-646/2018", digits with dots) is the organization's own register, "".
Pure functions of strings, used by the catalog when it stores a document's numbers.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.extract import dnr

# A committee of a nämnd or styrelse, a genitive before its kind: "Byggnadsnämndens arbetsutskott",
# "Kommunstyrelsens personalutskott", "Kommunfullmäktiges presidium", "Socialnämndens individutskott".
_COMMITTEE = re.compile(
    r"(?P<parent>\S+?(?:nämnden|styrelsen|fullmäktige|direktionen))s\s+\S*(?:utskott|presidium|beredning)\S*",
    re.I)
ORGANIZATION_REGISTER = ""  # the organization's own register: no nämnd named, or a number of its central form


# A fullmäktige keeps no register: its cases are prepared and registered by its styrelse
# (kommunallagen 6 kap.; every Kommunfullmäktige number labelled in blind sets 9-11 is KS's).
_ASSEMBLY_REGISTER = {"kommunfullmäktige": "Kommunstyrelsen", "regionfullmäktige": "Regionstyrelsen"}


def of_body(body: str | None) -> str:
    """The register a body's bare numbers are in: the nämnd itself, a committee's parent nämnd,
    a fullmäktige's styrelse.

    >>> of_body("Byggnadsnämndens arbetsutskott"), of_body("Miljönämnden"), of_body(None)
    ('Byggnadsnämnden', 'Miljönämnden', '')
    >>> of_body("Kommunfullmäktige"), of_body("Kommunfullmäktiges presidium")
    ('Kommunstyrelsen', 'Kommunstyrelsen')
    """
    if not body:
        return ORGANIZATION_REGISTER
    body = " ".join(body.split())
    m = _COMMITTEE.fullmatch(body)
    parent = m.group("parent") if m else body
    return _ASSEMBLY_REGISTER.get(parent.casefold(), parent)


def register(number: str, body: str | None) -> str:
    """The register of a canonical diarienummer found in a document of `body`: the register it
    names, else (a bare number) the body's, else the organization's ("").

    >>> register("BN-2024-00013", "Valnämnden"), register("2024-00013", "Byggnadsnämnden")
    ('BN', 'Byggnadsnämnden')
    >>> register("2025.446 KS", None), register("1.5.1-646/2018", "Kommunstyrelsen")
    ('KS', '')
    """
    named, _ = dnr.parts(number)
    if named is not None:
        return named
    return of_body(body) if dnr.is_bare(number) else ORGANIZATION_REGISTER



# -- what an archive says about an organization's registers ------------------------------------

# A nämnd's bare register is written as a prefixed one when its documents' own prefixed numbers
# are in that register: at least this many of them, and this share of all its prefixed ones.
WRITTEN_AS_MIN = 2
WRITTEN_AS_SHARE = 2 / 3


@dataclass(frozen=True)
class Register:
    """One register of one organization as its archive shows it (from the documents' own numbers)."""

    organization: str  # '' when the documents name none
    register: str
    numbers: int  # distinct numbers (keys)
    documents: int  # documents that own one
    shapes: tuple[tuple[str, int, str], ...]  # (shape, numbers, an example), most used first
    bodies: tuple[tuple[str, int], ...]  # bodies whose documents own its numbers, (body, documents)
    # A nämnd's register of bare numbers whose documents' prefixed numbers are in one register:
    # that register ("Byggnadsnämnden" written as "BN"); a bare 2024-00013 there is BN-2024-00013.
    written_as: str | None = None


def learn(rows: Iterable[tuple[str | None, str | None, str, str, str]]) -> list[Register]:
    """The registers of each organization from the own numbers of its documents, each row
    (organization, body, register, canonical number, document id).

    >>> [(r.register, r.numbers, r.shapes[0][0], r.written_as) for r in learn([
    ...     ("K", "Byggnadsnämnden", "BN", "BN-2020-00017", "a"), ("K", "Byggnadsnämnden", "BN", "BN-2021-00019", "a"),
    ...     ("K", "Byggnadsnämndens arbetsutskott", "Byggnadsnämnden", "2024-00013", "a")])]
    [('BN', 2, 'BN-ÅÅÅÅ-nnnnn', None), ('Byggnadsnämnden', 1, 'ÅÅÅÅ-nnnnn', 'BN')]
    """
    numbers: dict[tuple[str, str], set[str]] = defaultdict(set)
    documents: dict[tuple[str, str], set[str]] = defaultdict(set)
    shapes: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    examples: dict[tuple[str, str, str], str] = {}
    bodies: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    prefixed_of_body: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)  # (org, body's register) → prefixes
    bare: set[tuple[str, str]] = set()  # registers of bare numbers: a nämnd's
    for organization, body, reg, number, document_id in rows:
        place = (organization or "", reg)
        k = dnr.key(number)
        numbers[place].add(k)
        documents[place].add(document_id)
        form = dnr.shape(number)
        shapes[place][form].add(k)
        examples.setdefault((*place, form), number)
        if body:
            bodies[place][body].add(document_id)
        if dnr.parts(number)[0] is not None:
            prefixed_of_body[(organization or "", of_body(body))][reg] += 1
        elif dnr.is_bare(number):
            bare.add(place)
    out = []
    for place in sorted(numbers):
        written_as = None
        if place in bare and place[1]:
            counts = prefixed_of_body.get(place, Counter())
            if counts:
                best, n = counts.most_common(1)[0]
                if n >= WRITTEN_AS_MIN and n >= WRITTEN_AS_SHARE * sum(counts.values()) and best != place[1]:
                    written_as = best
        out.append(Register(
            organization=place[0], register=place[1], numbers=len(numbers[place]), documents=len(documents[place]),
            shapes=tuple(sorted(((f, len(ks), examples[(*place, f)]) for f, ks in shapes[place].items()),
                                key=lambda s: (-s[1], s[0]))),
            bodies=tuple(sorted(((b, len(ids)) for b, ids in bodies[place].items()), key=lambda b: (-b[1], b[0]))),
            written_as=written_as))
    return out
