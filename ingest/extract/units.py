"""Extract stage: the unit, the office (förvaltning, kontor, avdelning, enhet) that wrote a text.

A body decides; a unit writes for it: a tjänsteskrivelse by Kommunledningskontoret for
Kommunstyrelsen has the body Kommunstyrelsen (ingest/extract/organization.py's find_body) and the
unit Kommunledningskontoret. Only what says who wrote it counts: the letterhead, a sign-off ("För
miljöenheten"), a header label ("Förvaltning: ..."), the office speaking in its own case paper
("Kommunledningskontoret föreslår ..."). An office only mentioned is not the author.
"""
from __future__ import annotations

import re
from collections import Counter

from ingest.extract.organization import (
    _BODY_WORD,
    SIGNED_FOR,
    _header_end,
    _is_body,
    _standalone,
    best_named,
    bodies,
    canonical_body,
    is_unit,
    signed_score,
)

# Papers of a meeting: the body's own, written by its secretary, not by an office.
_MEETING_PAPERS = ("protokoll", "protokollsutdrag", "kallelse")
_SIGNATURE_CHARS = 1500
# "Förvaltning: Barn- och ungdomsförvaltningen", "Från: Miljöenheten"; an e-service form's row of
# labels over its row of answers, the first the förvaltning's ("Förvaltning Avdelning\nBarn och
# ungdomsförvaltningen BoU Förvaltningsledning", the hyphen of "Barn-" left out).
_LABELLED = re.compile(r"^[ \t]*(?:Förvaltning|Avdelning|Enhet|Kontor|Från|Avsändare)(?:[ \t]+(?:Avdelning|Enhet))?"
                       rf"[ \t]*:?[ \t]*\n?[ \t]*(?P<body>(?:[A-ZÅÄÖ][a-zåäö]+[ \t]+och[ \t]+)?(?:{_BODY_WORD}))\b",
                       re.M)
_UNJOINED = re.compile(r"^([A-ZÅÄÖ][a-zåäö]+)[ \t]+och[ \t]+")  # "Barn och ungdomsförvaltningen" is "Barn- och ..."
# The office speaking in its case paper: "Kommunledningskontoret har tagit del av ...",
# "Kommunledningskontoret föreslår att ...", "Socialförvaltningen i Alingsås vill stärka ...". Counted
# at a line's start, the first two times.
_SPEAKS = re.compile(rf"^[ \t]*(?P<body>{_BODY_WORD})(?:[ \t]+i[ \t]+[A-ZÅÄÖ][a-zåäö]+)?[ \t]+(?:har|föreslår|bedömer|delar|anser|konstaterar|instämmer"
                     r"|ser|vill|gör|noterar|tillstyrker|avstyrker)\b", re.M)
_SPEAKS_COUNTED = 2
# A credit naming the office that made the text: "Översiktsplanen har utarbetats av bygg- och
# miljökontorets byggenhet" (the office first; its enhet is a part of it), "Planen har upprättats av
# samhällsbyggnadsförvaltningen".
_MADE_BY = re.compile(
    r"\b(?:har|är|har\s+i\s+huvudsak)\s+(?:utarbetats|tagits\s+fram|upprättats|sammanställts|utarbetad|framtagen"
    rf"|upprättad|sammanställd)\s+av\s+(?P<body>{_BODY_WORD})\b", re.I)
# An office on a line of its own on two pages or more: a running header or footer
# ("Stadsrevisionen, Revisionsberättelse 1 (2)").
_RUNNING = 2


def unit_scores(text: str) -> Counter[str]:
    """Each office that says it wrote the text, scored by how it says so."""
    scores: Counter[str] = Counter()
    running: Counter[str] = Counter()
    header_end = _header_end(text)
    signature_start = max(0, len(text) - _SIGNATURE_CHARS)
    for start, end, raw in bodies(text):
        if not _is_body(raw):
            continue
        name = canonical_body(raw)
        signed = signed_score(text, start, end, raw, header_end, signature_start)
        if signed:
            scores[name] += signed
        elif raw[:1].isupper() and _standalone(text, start, end):
            running[name] += 1
            if running[name] == _RUNNING:
                scores[name] += 6
    for weight, pattern, most in ((15, SIGNED_FOR, None), (12, _LABELLED, None), (12, _MADE_BY, 1),
                                  (5, _SPEAKS, _SPEAKS_COUNTED)):
        counted: Counter[str] = Counter()
        for m in pattern.finditer(text):
            if not _is_body(m.group("body")) or (pattern is _SPEAKS and not m.group("body")[:1].isupper()):
                continue  # "Kommunledningskontoret föreslår" speaks; a wrapped line's "lokalkontoret har" not
            name = canonical_body(_UNJOINED.sub(r"\1- och ", m.group("body")))
            if most is None or counted[name] < most:
                counted[name] += 1
                scores[name] += weight
    return Counter({name: score for name, score in scores.items() if is_unit(name)})


def find_unit(text: str, doctype: str) -> str | None:
    """The office that wrote a text, None for a meeting's own papers and where none says so.

    >>> find_unit("Yttrande\\nDatum: 2026-05-28\\nYttrande över samråd\\nFör miljöenheten\\nSanna Olsson", "yttrande")
    'Miljöenheten'
    >>> find_unit("Protokoll\\nKommunstyrelsen\\n§ 12 Yttrande över samråd\\nFör miljöenheten\\nSanna Olsson", "protokoll") is None
    True
    """
    if doctype in _MEETING_PAPERS:
        return None
    return best_named(unit_scores(text), unit=True)
