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

from ingest.extract import dnr

# A committee of a nämnd or styrelse, a genitive before its kind: "Byggnadsnämndens arbetsutskott",
# "Kommunstyrelsens personalutskott", "Kommunfullmäktiges presidium", "Socialnämndens individutskott".
_COMMITTEE = re.compile(
    r"(?P<parent>\S+?(?:nämnden|styrelsen|fullmäktige|direktionen))s\s+\S*(?:utskott|presidium|beredning)\S*",
    re.I)
ORGANIZATION_REGISTER = ""  # the organization's own register: no nämnd named, or a number of its central form


def of_body(body: str | None) -> str:
    """The register a body's bare numbers are in: the nämnd itself, a committee's parent nämnd.

    >>> of_body("Byggnadsnämndens arbetsutskott"), of_body("Miljönämnden"), of_body(None)
    ('Byggnadsnämnden', 'Miljönämnden', '')
    """
    if not body:
        return ORGANIZATION_REGISTER
    body = " ".join(body.split())
    m = _COMMITTEE.fullmatch(body)
    return m.group("parent") if m else body


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

