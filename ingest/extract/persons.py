"""Extract stage: the persons a document names in a role (handläggare, ordförande, motionär ...)."""
from __future__ import annotations

import re

from ingest.extract.parties import PARTY_NAME, PARTY_TAG, party_code, tag_code

_WORD = r"[A-ZÅÄÖÉ][a-zåäöéèüæøáí]+(?:-[A-ZÅÄÖÉ][a-zåäöéèüæøáí]+)?"
_PARTICLE = r"(?:von|af|de|van|van der|der|al|el|bin|ben)"
# A person's name: two to four capitalised words, "Anna Rantala Bonnier", "Carl-Göran Svensson".
NAME = rf"{_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_WORD}){{1,3}}"
_NAME_RE = re.compile(NAME)

# Role words as documents write them -> the role recorded.
ROLES: dict[str, str] = {
    "handläggare": "handläggare",
    "handläggande": "handläggare",
    "ordförande": "ordförande",
    "ordföranden": "ordförande",
    "vice ordförande": "vice ordförande",
    "1:e vice ordförande": "vice ordförande",
    "2:e vice ordförande": "vice ordförande",
    "förste vice ordförande": "vice ordförande",
    "andre vice ordförande": "vice ordförande",
    "justerare": "justerare",
    "justerande": "justerare",
    "protokolljusterare": "justerare",
    "protokollsjusterare": "justerare",
    "utses att justera": "justerare",
    "sekreterare": "sekreterare",
    "nämndsekreterare": "sekreterare",
    "kommunsekreterare": "sekreterare",
    "motionär": "motionär",
    "motionären": "motionär",
    "förvaltningschef": "förvaltningschef",
    "avdelningschef": "avdelningschef",
}
_ROLE = "(?i:" + "|".join(re.escape(r) for r in sorted(ROLES, key=len, reverse=True)) + ")"
# "Handläggare\nEmma Fredriksson", "Sekreterare   Sofie Axelsson", "Utses att justera Inga-Lill Bjartén"
LABEL_THEN_NAME = re.compile(rf"^[ \t*]*(?P<role>{_ROLE})[ \t]*:?[ \t]*\n?[ \t]*(?P<name>{NAME})", re.M)
# "Lena Lundström Stoltz\nförvaltningschef" (a signature)
NAME_THEN_ROLE = re.compile(rf"^[ \t]*(?P<name>{NAME})[ \t]*\n[ \t]*(?P<role>{_ROLE})[ \t]*$", re.M)
# "Thure Sandén (M), Ordförande", "Katarina Öryd, förvaltningschef"
NAME_COMMA_ROLE = re.compile(rf"(?P<name>{NAME})[ \t]*(?:\([^)\n]{{1,5}}\))?[ \t]*,[ \t]*(?P<role>{_ROLE})\b")
# "– ..., säger Åsa Lindhagen (MP), socialborgarråd"
QUOTED = re.compile(rf"\bsäger[ \t]+(?:[a-zåäö-]+[ \t]+)*?(?P<name>{NAME})")
# "föreslår Lena Ludvigsson, Vänsterpartiet Halland" in a text about a motion
MOTION_AUTHOR = re.compile(
    rf"\b(?:föreslår|av|från|undertecknad av|motionären)[ \t]+(?P<name>{NAME})[ \t]*(?:,[ \t]*(?P<party>{PARTY_NAME.pattern})|\((?P<tag>[^)\n]{{1,5}})\))"
)
# The signature of a motion: "Elin Bååth, Feministiskt initiativ" on a line of its own.
SIGNATURE = re.compile(rf"^[ \t]*(?P<name>{NAME})[ \t]*,[ \t]*(?P<party>{PARTY_NAME.pattern})[^\n]*$", re.M)
# The case officer in a tjänsteskrivelse's letterhead: a name line, then a title line.
_TITLE_LINE = re.compile(rf"^[ \t]*(?P<name>{NAME})[ \t]*\n+[ \t]*(?P<title>[A-ZÅÄÖa-zåäö][a-zåäö .-]+)[ \t]*$", re.M)

# Capitalised words that start names in headings but are not names.
_NOT_NAME_WORDS = {
    "vice", "ordförande", "ordföranden", "ledamoten", "ledamot", "ersättaren", "ersättare", "förslag",
    "beslut", "datum", "dnr", "till", "handläggare", "sekreterare", "justerare", "kommun", "region",
    "stad", "peer", "support", "socialnämnden", "regionstyrelsen", "bilaga", "sammanfattning",
    "ärendet", "bakgrund", "kontakt", "pressekreterare", "statsrådet", "statsminister",
    "ministern", "gruppledare", "kommunalråd", "oppositionsråd", "borgarråd", "socialborgarråd",
    "regionråd", "justerandes", "utses", "plats", "tid", "paragrafer", "enligt", "protokollet",
    "den", "det", "och", "men", "att", "med", "för", "som", "har", "kl",
}
_BODY_ENDING = re.compile(r"(?:nämnd|styrelse|förvaltning|kontor|fullmäktige|utskott|departement|enhet|avdelning)\w*$", re.I)


def clean_name(raw: str) -> str | None:
    """A person's name with leading titles dropped ("Ersättaren Anna Rantala Bonnier"), or None."""
    words = raw.split()
    while words and words[0].lower() in _NOT_NAME_WORDS:
        words = words[1:]
    if len(words) < 2 or any(w.lower() in _NOT_NAME_WORDS or _BODY_ENDING.search(w) for w in words):
        return None
    return " ".join(words)


def _add(found: list[tuple[str, str]], role: str, raw: str) -> None:
    name = clean_name(raw)
    if name and (role, name) not in found:
        found.append((role, name))


def find_persons(text: str, doctype: str = "annat", header: str = "") -> list[tuple[str, str]]:
    """(role, name) pairs in order of appearance.

    `header` is the letterhead zone; in a tjänsteskrivelse or tjänsteutlåtande a name there
    followed by a title line is the case officer (handläggare).

    >>> find_persons("Handläggare\\nEmma Fredriksson\\n\\nLena Lundström Stoltz\\nförvaltningschef")
    [('handläggare', 'Emma Fredriksson'), ('förvaltningschef', 'Lena Lundström Stoltz')]
    """
    found: list[tuple[str, str]] = []
    hits: list[tuple[int, str, str]] = []
    for pattern in (LABEL_THEN_NAME, NAME_THEN_ROLE, NAME_COMMA_ROLE):
        for m in pattern.finditer(text):
            hits.append((m.start(), ROLES[" ".join(m.group("role").lower().split())], m.group("name")))
    if doctype in ("tjänsteskrivelse", "tjänsteutlåtande") and header:
        for m in _TITLE_LINE.finditer(header):
            if m.group("title").strip().lower() not in ROLES and clean_name(m.group("name")):
                hits.append((m.start(), "handläggare", m.group("name")))
                break
    if "motion" in text.lower():
        for m in MOTION_AUTHOR.finditer(text):
            if m.group("party") or (m.group("tag") and tag_code(m.group("tag"))):
                hits.append((m.start(), "motionär", m.group("name")))
    if doctype == "motion":
        for m in SIGNATURE.finditer(text):
            hits.append((m.start(), "motionär", m.group("name")))
    if doctype == "pressmeddelande":
        for m in QUOTED.finditer(text):
            hits.append((m.start(), "quoted", m.group("name")))
    for _, role, name in sorted(hits, key=lambda h: h[0]):
        _add(found, role, name)
    return found


def named_with_party(text: str) -> list[tuple[str | None, str | None]]:
    """(person, party) for each "Name [m.fl.] (P)" in `text`; a bare "(P)" gives (None, party).

    >>> named_with_party("Vice ordföranden Alexandra Mattsson m.fl. (V), ledamoten Karin Gustafsson m.fl.(S)")
    [('Alexandra Mattsson', 'V'), ('Karin Gustafsson', 'S')]
    """
    out: list[tuple[str | None, str | None]] = []
    for tag in PARTY_TAG.finditer(text):
        code = tag_code(tag.group(1))
        if code is None:
            continue
        before = text[max(0, tag.start() - 80):tag.start()]
        before = re.sub(r"[ \t]*m\.[ \t]?fl\.?[ \t]*$", "", before.rstrip())
        name_match = re.search(rf"({NAME})$", before)
        name = clean_name(name_match.group(1)) if name_match else None
        out.append((name, code))
    return out


def party_names(text: str) -> list[str]:
    """Abbreviations of the parties written out in `text` ("Vänsterpartiet Halland" -> "V")."""
    codes: list[str] = []
    for m in PARTY_NAME.finditer(text):
        code = party_code(m.group(0))
        if code and code not in codes:
            codes.append(code)
    return codes
