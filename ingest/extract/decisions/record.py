"""Extract stage: the decision record of each § (proposal, motions, procedure, vote, outcome)."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ingest.extract.decisions.votes import find_votes
from ingest.extract.paragraphs import DECISION, Section
from ingest.extract.persons import NAME, named_with_party
from ingest.model import Motion, Paragraph

# Sub-headings of a § (whole lines), by the part of the decision record they start.
_MOTIONS = re.compile(
    r"^[ \t*#]*(?:yrkanden?|yrkande(?:n)? på sammanträdet|förslag (?:till beslut )?på sammanträdet"
    r"|förslag till beslut under sammanträdet|ändringsyrkanden?|tilläggsyrkanden?)[ \t*:]*$",
    re.I,
)
_PROCEDURE = re.compile(r"^[ \t*#]*(?:beslutsgång|propositionsordning|beslutsordning|proposition)\b[^\n]{0,40}$", re.I)
_VOTE = re.compile(r"^[ \t*#]*(?:omröstning|omröstningsresultat|votering|voteringsresultat)\b[^\n]{0,40}$", re.I)
_PROPOSAL = re.compile(
    r"^[ \t*#]*(?P<who>[\wåäöÅÄÖ-]+(?:s)?[ \t]+)?(?:förslag(?:[ \t]+till[ \t]+beslut)?|beslutsförslag)[ \t*:]*$", re.I
)
_TO_BODY = re.compile(r"^[ \t*#]*(?:förslag till beslut i|beslutsförslag till|[\wåäö-]+s beslutsförslag till)\b", re.I)
_OTHER = re.compile(
    r"^[ \t*#]*(?:ärendebeskrivning|ärendet|beredning|bakgrund|sammanfattning(?: av ärendet)?|beslutsunderlag"
    r"|expedieras(?: till)?|beslutet (?:expedieras|skickas) till|anförande|anteckning(?: till protokollet)?"
    r"|protokollsanteckning(?:ar)?|reservation(?:er)?|särskil(?:t|da) (?:uttalanden?|yttranden?)|ersättaryttranden?"
    r"|ajournering|överläggningar?|mbl-behandling|jäv|återkallande av beslutsförslag|avstå från att delta i beslutet"
    r"|skäl för beslut(?:et)?|motivering|upplysningar|bilaga|anmälningar|delegationsbeslut"
    r"|[\wåäö-]+s behandling\b[^\n]*)[ \t*:]*$",
    re.I,
)
_FURNITURE = re.compile(
    r"^[ \t]*(?:justerandes sign\w*|utdragsbestyrkande|paragrafen är justerad|\d{1,3}|sida \d+.*|_{3,}"
    r"|sammanträdesprotokoll\b.*|protokoll|\d{4}-\d\d-\d\d)[ \t]*$",
    re.I,
)

# A mover: "Ordförande Christopher Rydell (S)", "Alexandra Mattsson m.fl. (V)".
_MOVER = rf"(?:(?:[Oo]rdförande[n]?|[Vv]ice ordförande[n]?|[Ll]edamoten|[Ee]rsättaren)[ \t]+)?{NAME}[ \t]*(?:m\.[ \t]?fl\.?[ \t]*)?\([^()\n]{{1,5}}\)"
_MOVERS = rf"{_MOVER}(?:[ \t]*(?:,|och)[ \t]*{_MOVER})*"
_MOTION = re.compile(
    rf"(?P<who>{_MOVERS})[ \t]*(?P<verb>:|yrkar\b|föreslår\b|tar tillbaka\b|återtar\b|(?=i första hand\b))", re.S
)
_SECOND = re.compile(r"\b[Ii] andra hand\b")
_REFERENCE = re.compile(
    rf"^(?:\S+[ \t]+){{0,3}}?(?P<ref>{NAME})s[ \t]*(?:\([^()\n]{{1,5}}\)[ \t]*)?(?:och[ \t]+{NAME}s[ \t]*(?:\([^()\n]{{1,5}}\)[ \t]*)?)?"
    r"(?:förslag|ändringsförslag|tilläggsförslag|yrkande|ändringsyrkande|tilläggsyrkande)"
)
_POSITIONS = (
    ("återremiss", re.compile(r"återremi", re.I)),
    ("bordläggning", re.compile(r"bordl[äa]gg", re.I)),
    ("tillägg", re.compile(r"tillägg", re.I)),
    ("ändring", re.compile(r"\bändring", re.I)),
)
_FOR = re.compile(r"\bbifall|\bbifalla|\bbifalls\b|\benlighet\b[^.]{0,40}förslag|\benligt\b[^.]{0,40}förslag|\btillstyrk", re.I)
_HEAD_WORDS = 12  # a bifall or avslag counts in a motion's first words; later ones are its own wording
_AGAINST = re.compile(r"\bavslag|\bavslå|\bavslås\b|\binte godkänna\b|\bavstyrk", re.I)

# The body whose proposal a § decides on.
_BODY = (
    r"(?P<who>(?:[A-ZÅÄÖ][\wåäö]*-?(?:[ \t]+och[ \t]+[\wåäö-]+)?[ \t]+)?"
    r"[\wåäöÅÄÖ-]*(?:[Ff]örvaltning|[Kk]ontor|[Nn]ämnd|[Ss]tyrelse|[Uu]tskott|[Ff]ullmäktige|[Dd]irektion)(?:ens|ets|en|et|ns|n|s)?"
    r"(?:[ \t]+arbetsutskott(?:et)?)?)"
)
_TREATED = re.compile(rf"{_BODY}[ \t]+har[^.]{{0,60}}?behandlat ärendet(?![^.]{{0,80}}(?:hänsk|utan förslag))")
_TREATED_IN = re.compile(rf"[Ää]rendet har behandlats i[ \t]+{_BODY}")
_PROPOSES = re.compile(rf"{_BODY}[ \t]+(?:föreslår|rekommenderar)\b")
_ANY_PROPOSAL = re.compile(
    r"(?:förvaltningens|kontorets|utskottets|styrelsens|nämndens)[ \t]+(?:framlagda[ \t]+)?(?:besluts)?förslag", re.I
)

# Outcomes from the decision's words, in order of precedence.
_OUTCOME_WORDS = (
    ("återremiss", re.compile(r"återremitter|återremiss", re.I)),
    ("bordlagd", re.compile(r"\bbordl[äa]gg|\bbordlagt", re.I)),
    ("besvarad", re.compile(r"\bbesvarad", re.I)),
    ("anmäld", re.compile(
        r"\bnoteras\b|till handlingarna|\btar del av\b|\btas emot\b|för kännedom|för beredning"
        r"|redovisningen (?:av [\wåäö ]+)?godkänns|informationen|\bantecknas\b|\btas till protokollet", re.I)),
    ("avslag", re.compile(r"\bavslås\b|\bavslår\b|\bavslag\b|\binte godkänna\b|\bavstyrker\b|\bavslå\b", re.I)),
    ("val", re.compile(
        r"\)[ \t]*(?:väljs|utses|nomineras)\b|\b(?:väljs|utses|väljer)[ \t]+(?:till[ \t]+)?(?:ny[ \t]+)?(?:ledamot|ersättare|ordförande"
        r"|vice ordförande|revisor|justerare|kontaktpolitiker)|\bnominera|till (?:att )?justera|\bknyts till\b", re.I)),
    ("annat", re.compile(r"\bavskrivs\b|\bavskriva\b|hanteras fortsättningsvis", re.I)),
)
_PROPOSES_TO = re.compile(
    r"föreslår (?:kommunfullmäktige|fullmäktige|kommunstyrelsen|regionfullmäktige)|översänder[^.]{0,80}till "
    r"(?:kommunfullmäktige|fullmäktige|kommunstyrelsen) för (?:antagande|beslut)", re.I
)
_INFO_TITLE = re.compile(
    r"^(?:information|informationsärenden|meddelanden|anmälningar|anmälan|rapporter|redovisning av delegations|"
    r"delegerade beslut|förvaltningschefens information|kommande|anmälda)", re.I
)
_NO_DECISION_TITLE = re.compile(r"^(?:övrigt|övriga frågor|parentation|borttagen)", re.I)
_LEADING_CODE = re.compile(r"^(?:\S*\d\S*[ \t]+(?:[A-ZÅÄÖ]{1,4}[ \t]+)?)+")
_VAL_TITLE = re.compile(r"\bval\b|kompletteringsval|fyllnadsval|nominering|upprop och val", re.I)
_WINNER = re.compile(
    rf"(?:beslutar|beslutat|beslutade|beslutar att anta [^.]{{0,40}}?)[ \t]+(?:att[ \t]+)?(?:bifalla[ \t]+|enligt[ \t]+)"
    rf"(?P<ref>{NAME})(?:[ \t]*\([^()\n]{{1,5}}\))?(?:s\b|[ \t]+och[ \t]+{NAME})"
)
_FOUND_FOR = re.compile(r"finner(?: det)? bifallet|finner att [^.]{0,60}beslutar så\b")
_CONFLICT = re.compile(
    rf"(?P<name>{NAME})[ \t]*(?:\([^()\n]{{1,5}}\))?[ \t]*(?:anmäler jäv|är jävig|deltar inte[^.]{{0,80}}jäv|lämnar sammanträdet[^.]{{0,40}}jäv)"
)
_HYPHEN = re.compile(r"(?<=[a-zåäö])-\n(?=[a-zåäö])")


def _blocks(body: str) -> list[tuple[str, str, str]]:
    """(kind, heading, text) of a § body's parts: intro, proposal, motions, procedure, vote,
    decision, to_body (a proposal to another body), other."""
    out: list[tuple[str, str, list[str]]] = [("intro", "", [])]
    for raw in _HYPHEN.sub("", body).split("\n"):
        line = raw.strip()
        if not line or _FURNITURE.match(line):
            continue
        kind = None
        if len(line) <= 80:
            if _MOTIONS.match(line):
                kind = "motions"
            elif _TO_BODY.match(line) and line.lstrip(" *#")[:1].isupper():
                kind = "to_body"  # not "... lämnat följande\nförslag till beslut i kommunfullmäktige:" in running text
            elif _PROCEDURE.match(line):
                kind = "procedure"
            elif _VOTE.match(line):
                kind = "vote"
            elif DECISION.fullmatch(line):
                kind = "decision"
            elif _PROPOSAL.match(line):
                kind = "proposal"
            elif _OTHER.match(line):
                kind = "other"
        if kind:
            out.append((kind, line, []))
        else:
            out[-1][2].append(line)
    return [(k, h, "\n".join(lines)) for k, h, lines in out]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _position(text: str, earlier: Sequence[Motion], propositions: Sequence[str] = ()) -> str:
    """A motion's position from its words; a bifall to someone's proposal takes that proposal's."""
    ref = _REFERENCE.match(text)
    if ref:
        name = ref.group("ref")
        for m in reversed(earlier):
            if m.person and (m.person == name or m.person.split()[-1] == name.split()[-1]):
                return m.position
    for position, pattern in _POSITIONS:
        if pattern.search(text[:200]):
            return position
    head = " ".join(text.split()[:_HEAD_WORDS])
    pro, con = _FOR.search(head), _AGAINST.search(head)
    if pro and (not con or pro.start() < con.start()):
        return "bifall"
    if con:
        return "avslag"
    said = " ".join(text.lower().split()).strip(" .")
    if said and any(f"förslag att {said}" in p or f"förslaget att {said}" in p for p in propositions):
        return "bifall"  # "i andra hand godkänna planhandlingarna": the proposal put to the vote
    return "ändring"


def find_motions(text: str, procedure: str = "") -> tuple[Motion, ...]:
    """The motions of a § from its yrkanden, one per person.

    >>> text = "Håkan Skaneland (V): Bifalla initiativärendet\\nCarl-Göran Svensson (C): Avslå initiativärendet"
    >>> [(m.person, m.party, m.position) for m in find_motions(text)]
    [('Håkan Skaneland', 'V', 'bifall'), ('Carl-Göran Svensson', 'C', 'avslag')]
    """
    flat = _flat(text)
    propositions = [_flat(procedure).lower()] if procedure else []
    hits = list(_MOTION.finditer(flat))
    motions: list[Motion] = []
    for i, m in enumerate(hits):
        end = hits[i + 1].start() if i + 1 < len(hits) else len(flat)
        words = flat[m.end():end].strip(" :")
        movers = [(name, party) for name, party in named_with_party(m.group("who")) if name]
        verb = m.group("verb").lower()
        if verb in ("tar tillbaka", "återtar"):
            withdrawn = {name for name, _ in movers}
            motions = [replace(x, withdrawn=True) if x.person in withdrawn else x for x in motions]
            continue
        first_hand = verb == "" or re.match(r"[Ii] första hand\b", words)
        parts = _SECOND.split(words, maxsplit=1) if first_hand else [words]
        for part in parts:
            part = re.sub(r"^(?:[Ii] första hand)\s*", "", part).strip(" .,")
            position = _position(part, motions, propositions)
            for name, party in movers:
                motions.append(Motion(name, party, position, part))
    return tuple(motions)


def _nominative(who: str) -> str:
    who = " ".join(who.split())
    words = who.split()
    last = words[-1]
    if last.endswith(("ens", "ets")) and len(words) == 1:
        last = last[:-1]
    elif last.endswith("s") and last[:-1].endswith(("förvaltningen", "kontoret", "nämnden", "styrelsen", "utskottet")):
        last = last[:-1]
    elif last.endswith("s") and not last.endswith(("ss",)) and last[:-1].endswith(("ning", "nämnd", "styrelse", "kontor")):
        last = last[:-1] + ("en" if last[:-1].endswith(("ning", "nämnd", "styrelse")) else "et")
    return " ".join([*words[:-1], last])


_TRIGGERS = {"behandlat ärendet": 160, "behandlats i": 20, "föreslår": 120, "rekommenderar": 120}
_NEAR = 120  # characters searched after a trigger word


def _near(pattern: re.Pattern, prose: str, *triggers: str) -> list[re.Match]:
    """pattern.finditer(prose), only around the words it needs (a body name before a verb is
    costly to look for everywhere): matches in windows around each trigger, with offsets kept."""
    found: dict[int, re.Match] = {}
    for trigger in triggers:
        before = _TRIGGERS[trigger]
        start = prose.find(trigger)
        while start >= 0:
            low = max(0, start - before)
            for m in pattern.finditer(prose, low, min(len(prose), start + len(trigger) + _NEAR)):
                found.setdefault(m.start(), m)
            start = prose.find(trigger, start + 1)
    return [found[k] for k in sorted(found)]


def _proposed_by(blocks: list[tuple[str, str, str]]) -> str | None:
    for kind, heading, _ in blocks:
        if kind == "proposal":
            m = _PROPOSAL.match(heading)
            if m and m.group("who"):
                return _nominative(m.group("who").strip()[:1].upper() + m.group("who").strip()[1:])
    prose = _flat(" ".join(t for k, _, t in blocks if k in ("intro", "other", "proposal")))
    for patterns, triggers in (((_TREATED, _TREATED_IN), ("behandlat ärendet", "behandlats i")),
                               ((_PROPOSES,), ("föreslår", "rekommenderar"))):
        hits = sorted((m for p in patterns for m in _near(p, prose, *triggers) if m.group("who")
                       and "utan förslag" not in prose[m.end():m.end() + 200]), key=lambda m: m.start())
        if hits:
            who = hits[-1].group("who")
            return _nominative(who[:1].upper() + who[1:])
    return None


_CODE_TITLE = re.compile(r"[\d./:\s-]+(?:[A-ZÅÄÖ]{1,4})?")


def _title_lines(intro: str) -> str:
    """A § title from the lines that open its text: up to three, while they wrap."""
    lines: list[str] = []
    for line in intro.split("\n")[:3]:
        if lines and not (lines[-1].endswith(("-", "–", ",")) or line[:1].islower() or len(lines[-1]) >= 50):
            break
        lines.append(line.strip())
    return " ".join(" ".join(lines).split())


def _proposal_sentence(blocks: list[tuple[str, str, str]]) -> str:
    """A proposal written in prose: "Samhällsbyggnadsförvaltningen föreslår att initiativärendet avslås"."""
    prose = _flat(" ".join(t for k, _, t in blocks if k in ("intro", "other")))
    hits = _near(_PROPOSES, prose, "föreslår", "rekommenderar")
    if not hits:
        return ""
    rest = prose[hits[-1].end():]
    return rest.split(". ")[0].strip()


def _outcome(decision: str, blocks: list[tuple[str, str, str]], title: str) -> str:
    title = _LEADING_CODE.sub("", title)  # a dnr taken for the title: "2026.035 ÖN Borttagen ..."
    words = _flat(decision)
    for outcome, pattern in _OUTCOME_WORDS[:2]:  # återremiss, bordlagd
        if pattern.search(words):
            return outcome
    if any(k == "to_body" for k, _, _ in blocks) or _PROPOSES_TO.search(decision):
        return "förslag"
    if not decision.strip():
        if _NO_DECISION_TITLE.match(title):
            return "annat"
        return "anmäld"
    # The first att-sats says what was decided; later ones add ("... lämnar utvärderingen för kännedom").
    satser = [_flat(x) for x in re.split(r"\n(?=\s*(?:\d+[.)]|[-•*]|att\b))", decision.strip()) if x.strip()]
    first = satser[0] if satser else words
    if len(satser) > 1 and (len(first.split()) < 5 or first.endswith((":", "beslutar", "att"))):
        first = f"{first} {satser[1]}"  # "Kommunstyrelsen beslutar" + "att motionen avslås"
    for outcome, pattern in _OUTCOME_WORDS[2:]:
        if pattern.search(first):
            return outcome
    for outcome, pattern in _OUTCOME_WORDS[2:]:
        if outcome != "anmäld" and pattern.search(words):
            return outcome
    if _VAL_TITLE.search(title):
        return "val"
    if _INFO_TITLE.match(title):
        return "anmäld"
    return "bifall"


def _as_proposed(outcome: str, has_proposal: bool, proposal: str, motions: Sequence[Motion],
                 procedure: str, decision: str) -> bool | None:
    if not has_proposal:
        return None
    if outcome in ("återremiss", "bordlagd"):
        return False
    winner = _WINNER.search(_flat(procedure + " " + decision))
    if winner:
        name = winner.group("ref")
        for m in motions:
            if m.person and m.person.split()[-1] == name.split()[-1] and m.position in ("ändring", "tillägg", "avslag"):
                return False
    live = [m for m in motions if not m.withdrawn]
    if outcome == "avslag" and any(m.position == "avslag" for m in live) and not _AGAINST.search(proposal):
        return False
    if _FOUND_FOR.search(_flat(procedure + " " + " ".join(m.text for m in live))):
        if any(m.position in ("ändring", "tillägg") for m in live):
            return False
    decided = set(_flat(decision).lower().split())
    for m in live:
        if m.position in ("ändring", "tillägg") and decided:
            words = set(m.text.lower().split())
            if words and len(words & decided) / len(words) >= 0.6:
                return False
    return True


def _changes(proposal: str, decision: str) -> tuple[str, ...]:
    if not proposal.strip() or not decision.strip():
        return ()
    said = _flat(proposal).lower()
    return tuple(line for line in (_flat(x) for x in decision.split("\n")) if len(line) > 10 and line.lower() not in said)


def record(paragraph: Paragraph, body: str) -> Paragraph:
    """A § with its decision record filled in from its text (`body`: the § without its heading)."""
    blocks = _blocks(body)
    proposal = "\n".join(t for k, _, t in blocks if k == "proposal").strip() or _proposal_sentence(blocks)
    motion_text = "\n".join(t for k, _, t in blocks if k == "motions")
    procedure = "\n".join(t for k, _, t in blocks if k in ("procedure", "vote")).strip()
    motions = find_motions(motion_text, procedure)
    votes = find_votes(procedure)
    decision = paragraph.decision
    intro = next((t for k, _, t in blocks if k == "intro" and t), "")
    first_line = intro.split("\n")[0]
    title = paragraph.title
    if _CODE_TITLE.fullmatch(title.strip()) and intro:
        title = _title_lines(intro)  # "§ 71 2025.318 KS" took the dnr for the title
    outcome = _outcome(decision, blocks, paragraph.title if not first_line else f"{paragraph.title} {first_line}")
    proposed_by = _proposed_by(blocks)
    has_proposal = bool(proposed_by or proposal or _ANY_PROPOSAL.search(_flat(motion_text + " " + procedure)))
    as_proposed = _as_proposed(outcome, has_proposal or bool(votes), proposal, motions, procedure, decision)
    conflicts = tuple(dict.fromkeys(m.group("name") for m in _CONFLICT.finditer(_flat(body))))
    return replace(
        paragraph,
        title=title,
        proposal=proposal,
        proposed_by=proposed_by,
        motions=motions,
        procedure=_flat(procedure),
        vote=votes[-1] if votes else None,
        votes=tuple(votes[:-1]),
        outcome=outcome,
        as_proposed=as_proposed,
        changes=_changes(proposal, decision),
        conflicts=conflicts,
    )


def annotate(text: str, found: Sequence[Section], paragraphs: Sequence[Paragraph]) -> tuple[Paragraph, ...]:
    """The §§ of a protocol with their decision records; `found` is paragraphs.sections(text)."""
    bodies: dict[str, list[str]] = {}
    for s in found:
        if not s.listed:
            bodies.setdefault(s.number, []).append(text[s.heading_end:s.end])
    return tuple(record(p, "\n".join(bodies.get(p.number, []))) for p in paragraphs)
