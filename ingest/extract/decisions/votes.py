"""Extract stage: votes (omröstningar) in a §: totals in prose, names by side, voteringslistor."""
from __future__ import annotations

import re

from ingest.extract.persons import NAME, named_with_party
from ingest.model import MemberVote, Vote

_NUMBERS = {
    "noll": 0, "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8,
    "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15, "sexton": 16,
    "sjutton": 17, "arton": 18, "nitton": 19, "tjugo": 20,
}
_N = r"(?:\d{1,3}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
_YES = re.compile(rf"(?P<n>{_N})[ \t]*ja(?:-?[ \t]*röst(?:er|en)?)?\b", re.I)
_NO = re.compile(rf"(?P<n>{_N})[ \t]*nej(?:-?[ \t]*röst(?:er|en)?)?\b", re.I)
_ABSTAIN = re.compile(rf"(?P<n>{_N})[ \t]*(?:ledamöter[ \t]+|ledamot[ \t]+)?(?:avstår|avstod|avstående|avstår från att rösta|nedlagda röster|röstar blankt)", re.I)
_ABSENT = re.compile(rf"(?P<n>{_N})[ \t]*(?:ledamöter[ \t]+|ledamot[ \t]+)?(?:frånvarande|är frånvarande)", re.I)
# "JA-röst för att godkänna ...", "Ja-röst för kommunstyrelsens förslag"
_QUESTION = re.compile(r"\bja-?[ \t]*röst(?:er)?[ \t]+för[ \t]+(?P<q>[^\n.]{3,200})", re.I)
_RESULT = re.compile(r"omröstningsresultat|omröstningen utfaller|med[ \t]+" + _N + r"[ \t]*ja|\b" + _N + r"[ \t]*ja-?[ \t]*röst", re.I)
# One member per line in a voteringslista: "Anna Andersson (S) Ja", "Per Persson (M) X" under Nej ...
_MEMBER = re.compile(rf"^[ \t]*(?P<name>{NAME})[ \t]*\((?P<party>[^()\n]{{1,5}})\)[ \t]+(?P<vote>ja|nej|avstår|avstod|frånvarande)\b", re.I | re.M)
_VOTE_WORD = {"ja": "yes", "nej": "no", "avstår": "abstain", "avstod": "abstain", "frånvarande": "absent"}


def _number(raw: str) -> int:
    return int(raw) if raw.isdigit() else _NUMBERS[raw.lower()]


def _parenthesis(text: str, start: int) -> tuple[str, int]:
    """The balanced parenthesis starting at text[start] == "(" and the index after it."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[start + 1:i], i + 1
    return text[start + 1:], len(text)


def _names_after(text: str, end: int) -> tuple[str, int]:
    rest = text[end:]
    stripped = rest.lstrip()
    if stripped.startswith("("):
        inner, after = _parenthesis(text, end + len(rest) - len(stripped))
        return inner, after
    return "", end


def _by_party(yes_names: str, no_names: str, abstain_names: str = "") -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for side, names in (("yes", yes_names), ("no", no_names), ("abstain", abstain_names)):
        for name, party in named_with_party(names):
            if party and name:
                counts = out.setdefault(party, {"yes": 0, "no": 0, "abstain": 0})
                counts[side] += 1
    return out


def _members(text: str) -> tuple[MemberVote, ...]:
    return tuple(MemberVote(m.group("name"), m.group("party"), _VOTE_WORD[m.group("vote").lower()])
                 for m in _MEMBER.finditer(text))


def find_votes(text: str) -> list[Vote]:
    """The votes in a § 's beslutsgång and omröstning text, in order.

    >>> v = find_votes("Omröstningsresultat\\nMed 4 JA-röster (Tommy Nilsson (S), Carl-Göran Svensson (C)) mot 7 NEJ-röster (Johan Ohlson (M)) beslutar nämnden")
    >>> v[0].yes, v[0].no, v[0].by_party["S"]
    (4, 7, {'yes': 1, 'no': 0, 'abstain': 0})
    """
    flat = " ".join(text.split())
    votes: list[Vote] = []
    pos = 0
    questions = list(_QUESTION.finditer(flat))
    while True:
        y = _YES.search(flat, pos)
        if not y:
            break
        yes_names, after_yes = _names_after(flat, y.end())
        n = _NO.search(flat, after_yes, after_yes + 40)
        if not n:
            pos = y.end()
            continue
        no_names, after_no = _names_after(flat, n.end())
        tail = flat[after_no:after_no + 120]
        tail = tail.split(". ")[0]
        abstain = _ABSTAIN.search(tail)
        absent = _ABSENT.search(tail)
        abstain_names = ""
        if abstain:
            abstain_names, _ = _names_after(tail, abstain.end())
        question = ""
        before = [q for q in questions if q.start() < y.start()]
        if before:
            question = before[-1].group("q").strip()
        votes.append(Vote(
            yes=_number(y.group("n")), no=_number(n.group("n")),
            abstain=_number(abstain.group("n")) if abstain else 0,
            absent=_number(absent.group("n")) if absent else None,
            by_party=_by_party(yes_names, no_names, abstain_names),
            question=question,
        ))
        pos = after_no
    members = _members(text)
    if members:
        counts = {k: sum(1 for m in members if m.vote == k) for k in ("yes", "no", "abstain", "absent")}
        by_party: dict[str, dict[str, int]] = {}
        for m in members:
            if m.vote != "absent" and m.party:
                by_party.setdefault(m.party, {"yes": 0, "no": 0, "abstain": 0})[m.vote] += 1
        if votes:
            last = votes[-1]
            votes[-1] = Vote(last.yes, last.no, last.abstain, last.absent, last.by_party or by_party, members, last.question)
        else:
            votes.append(Vote(counts["yes"], counts["no"], counts["abstain"], counts["absent"] or None, by_party, members))
    return votes
