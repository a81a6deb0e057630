"""Extract stage: the organization (kommun, region, authority, party) and the body behind a text."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ingest.extract.dates import YEAR
from ingest.extract.directory import (
    county_boards,
    local,
    ministers,
    national,
    official_name,
    organization_of_host,
    regioner,
    slug,
)
from ingest.extract.parties import PARTY_NAME

# National organizations known by name, with the ways documents write them (data/national.tsv).
# Municipalities and regions need no entry: KOMMUN and REGION below find any "<Name> kommun",
# "<Name>s stad", "Region <Name>", and the directory (data/kommuner.tsv, regioner.tsv) says which
# organization each names.
_NATIONAL = national()
# Kommunalförbund and municipal companies known by name (data/local.tsv), and the county boards
# ("Länsstyrelsen Västra Götaland", from the län of data/regioner.tsv).
_LOCAL = local()
KNOWN: dict[str, str] = {r["name"]: r["patterns"] or re.escape(r["name"])
                         for r in (*_NATIONAL, *_LOCAL) if r["role"] in ("known", "cited")}
_COUNTY_BOARDS = county_boards()
for _board, _board_forms in _COUNTY_BOARDS:
    KNOWN[_board] = "|".join(re.escape(f) for f in (_board, *_board_forms))
# Regions whose names do not begin with "Region": "Västra Götalandsregionen", "Landstinget Dalarna".
for _region in regioner():
    _forms = [f for f in (_region.name, *_region.forms) if not f.startswith("Region ")]
    if _forms:
        KNOWN[_region.name] = "|".join(re.escape(f).replace(r"\ ", " ?") for f in _forms)
_KNOWN_NAMES = list(KNOWN) + ["Regeringen"]
# Authorities texts cite far more often than they write them: only a letterhead or a signature
# line of their own makes them a text's organization.
_CITED_AUTHORITIES = {r["name"] for r in (*_NATIONAL, *_LOCAL) if r["role"] == "cited"} | {b for b, _ in _COUNTY_BOARDS}
# The government in running text ("som regeringen har remitterat") is weak evidence, counted apart.
_GOVERNMENT_LOWER = r"regeringen"
# A name in the genitive counts as the name: "Socialstyrelsens föreskrifter".


def _first_letters(alternations: list[str]) -> str:
    """A lookahead for the letters the alternations can begin with ("(?=[NRS])"), or "" when one
    may begin otherwise (a class, a group, an escape, an optional first letter).

    Python's re tries every alternative at every position; this lets it skip, in C, the
    positions no name starts at (a tenth of the time on the bulk corpus). Splitting on every "|",
    inner ones too, can only add letters, never miss one.

    >>> _first_letters(["Socialstyrelsen", "Region Halland|RH", "regeringen"])
    '(?=[RSr])'
    >>> _first_letters(["[Ss]kolverket"]), _first_letters(["Ö?stra"])
    ('', '')
    """
    pieces = [piece for alternation in alternations for piece in alternation.split("|")]
    if not all(p[:1].isalnum() and p[1:2] not in ("?", "*", "{") for p in pieces):
        return ""
    return "(?=[" + "".join(sorted({p[0] for p in pieces})) + "])"


_KNOWN_ALIASES = [*KNOWN.values(), _GOVERNMENT_LOWER]
KNOWN_PATTERN = re.compile(
    _first_letters(_KNOWN_ALIASES)
    + "(?:" + "|".join(rf"\b(?P<k{i}>{aliases})s?\b" for i, aliases in enumerate(_KNOWN_ALIASES)) + ")"
)
# An authority's own series of regulations names the authority: "SOSFS 2005:27", "AFS 2011:19".
_REGULATION_SERIES = {series: r["name"] for r in _NATIONAL for series in r["series"].split("|") if series}
REGULATION = re.compile(r"\b(?P<series>" + "|".join(map(re.escape, _REGULATION_SERIES)) + rf")[ \t]+{YEAR}:\d+")
# Where nothing else names the organization, the source's host or folders may: a page from
# regeringen.se, a folder of riksdagen.se documents.
_SOURCE_ORGANIZATIONS = (("regeringen", "Regeringen"), ("riksdagen", "Riksdagen"))

# Ministers' titles and the ministry each speaks for (data/ministries.tsv); titles whose ministry
# changed when the ministries were reorganised on 1 January 2023 name the ministry by the
# document's date (none without a date).
_MINISTERS = ministers()
_REORGANISED = 2023
_MINISTRY_OF = {title.lower(): ministry for title, (ministry, after) in _MINISTERS.items() if not after}
MINISTRIES_BY_ERA: dict[str, tuple[str, str]] = {
    title.lower(): (ministry, after) for title, (ministry, after) in _MINISTERS.items() if after}
MINISTER_TITLE = re.compile(
    r"(?<![\w-])(?P<title>" + "|".join(re.escape(t) for t in sorted([*_MINISTRY_OF, *MINISTRIES_BY_ERA],
                                                                     key=len, reverse=True)) + r")\b",
    re.I,
)


def ministry_of(title: str, year: int | None) -> str | None:
    """The ministry a minister's title belongs to (in the document's year, where that matters).

    >>> ministry_of("Socialminister", None), ministry_of("landsbygdsminister", 2023)
    ('Socialdepartementet', 'Landsbygds- och infrastrukturdepartementet')
    """
    title = title.lower()
    if title in MINISTRIES_BY_ERA:
        if year is None:
            return None
        before, after = MINISTRIES_BY_ERA[title]
        return after if year >= _REORGANISED else before
    return _MINISTRY_OF.get(title)

_NAME = r"[A-ZÅÄÖ][a-zåäöé]+(?:[ -][A-ZÅÄÖ][a-zåäöé]+)?"
_CAPS = r"[A-ZÅÄÖ]{2,}(?:[ -][A-ZÅÄÖ]{2,})?"
# "Kungsbacka kommun", "Simrishamns kommuns", "KUNGSBACKA  KOMMUN", "Stockholms stads", "Malmö stad":
# found from the word "kommun" or "stad" backwards (KOMMUN_WORD, then KOMMUN on the text before it).
# "Göteborgs Stad", "Borås Stads" write the word capitalised: the same city as "Göteborgs stad".
KOMMUN_WORD = re.compile(r"[ \t](?:kommun|stad|Stad|KOMMUN|STAD)s?\b")
_FIRST_WORDS = ("Upplands", "Lilla", "Östra", "Västra", "Norra", "Södra", "Övre", "Stora")  # "Upplands Väsby"
_TWO_WORD = "(?:(?:" + "|".join(_FIRST_WORDS) + ")[ \t])?"
_TWO_WORD_CAPS = "(?:(?:" + "|".join(w.upper() for w in _FIRST_WORDS) + ")[ \t])?"
KOMMUN = re.compile(
    rf"(?:(?P<name>{_TWO_WORD}[A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ][a-zåäöé]+)?)"
    rf"|(?P<caps>{_TWO_WORD_CAPS}[A-ZÅÄÖ]{{2,}}(?:-[A-ZÅÄÖ]{{2,}})?))"
)
_LOOKBACK = 40
# "Region Halland", "Region Jönköpings län", "REGION GOTLAND"
REGION = re.compile(rf"\b(?:Region|REGION)[ \t]+(?P<name>{_NAME}(?: län)?|{_CAPS}(?: LÄN)?)\b")
# A kommunalförbund named after its members: "Alingsås och Vårgårda Räddningstjänstförbund",
# "Södra Älvsborgs räddningstjänstförbund", "Samordningsförbundet ..." (ending written lower case).
FORBUND = re.compile(r"(?P<members>(?:[A-ZÅÄÖ][a-zåäö]+(?:,[ \t]+|\s+och\s+))*[A-ZÅÄÖ][a-zåäö]+)\s+"
                     r"(?P<kind>[Rr]äddningstjänstförbund|[Kk]ommunalförbund|[Ss]amordningsförbund)(?:et|s)?\b")
# A party's local organisation signing a text: "Miljöpartiet de gröna i Stockholms stad".
PARTY_ORGANIZATION = re.compile(rf"(?P<party>{PARTY_NAME.pattern})[ \t]+i[ \t]+(?P<place>{_NAME}(?:s)?(?:[ \t]+(?:kommun|stad|län))?)")
# A party's district: "Lena Ludvigsson, Vänsterpartiet Halland" (the region is Halland).
PARTY_DISTRICT = re.compile(rf"(?:{PARTY_NAME.pattern})[ \t]+(?P<place>{_NAME})\b")
# Determiners that look like a name before "kommun": "Varje kommun", "Denna kommun".
_NOT_NAMES = {
    "varje", "denna", "den", "en", "annan", "annat", "vilken", "samma", "hela", "egen", "din", "er",
    "vår", "närmaste", "respektive", "berörd", "berörda", "aktuell", "ansvarig", "hemkommun", "ingen",
    "någon", "viss", "sin", "ny", "större", "mindre", "liten", "stor", "svensk", "enskild", "the",
}

# Bodies: nämnder, styrelser, fullmäktige, utskott, direktioner, revisorsgrupper and departement;
# and the offices that write for them (units): förvaltningar, kontor, avdelningar, enheter and a
# city's audit office ("Stadsrevisionen"). "Nämnden för Intraservice", "Nämnden för Teknik &
# Fritid", "Förvaltningen för Intraservice" name theirs after the word (capitalised there).
_NAMED_AFTER = r"(?:Nämnden|Förvaltningen|NÄMNDEN|FÖRVALTNINGEN)[ \t]+(?:för|FÖR)[ \t]+[A-ZÅÄÖ][\wåäö-]+(?:[ \t]+(?:&[ \t]+[A-ZÅÄÖ]|och[ \t]+[a-zåäö])[\wåäö-]*)?"
_BODY_WORD = (
    rf"(?-i:{_NAMED_AFTER})"
    r"|(?:[A-ZÅÄÖa-zåäö]+-[ \t]+(?:och|&)(?:[ \t]+|[ \t]*\n[ \t]*))?"
    r"[A-ZÅÄÖa-zåäö]{3,}(?:nämndens|styrelsens)(?:[ \t]+|[ \t]*\n[ \t]*)[a-zåäöA-ZÅÄÖ]*utskott(?:ets|et|s)?"
    r"|(?:[A-ZÅÄÖa-zåäö]+-[ \t]+(?:och|&)(?:[ \t]+|[ \t]*\n[ \t]*))?[A-ZÅÄÖa-zåäö]{3,}"
    r"(?:nämnd|styrelse|fullmäktige|förvaltning|kontor|departement|avdelning|enhet)(?:ens|ets|en|et|ns|n|s)?"
    r"|(?:[A-ZÅÄÖa-zåäö]+-[ \t]+(?:och|&)[ \t]+)?[A-ZÅÄÖa-zåäö]*(?:direktion|revisorsgrupp)(?:ens|en|s)?"
    r"|(?:stads|kommun|region|landstings)revision(?:ens|en)"
)
BODY = re.compile(rf"(?P<body>{_BODY_WORD})\b", re.I)  # matched at a word start found from BODY_KEY
BODY_KEY = re.compile(r"nämnd|styrelse|fullmäktige|förvaltning|kontor|departement|avdelning|enhet|direktion"
                      r"|revisorsgrupp|revision", re.I)
# The endings of an office's name: a unit (it writes), not a body (it decides).
_UNIT_ENDINGS = ("förvaltningen", "kontoret", "avdelningen", "enheten", "revisionen")
# Bare words that name the body of their organization: a kommunalförbund's "direktionen", a
# city's "revisorsgruppen" (unlike "nämnden" or "styrelsen", which name none in particular).
_BARE_BODIES = ("direktion", "revisorsgrupp")
# "Vård- och " omsorgsnämnden; a letterhead's "Kultur- och\n" utbildningsnämndens arbetsutskott
_JOINED_PREFIX = re.compile(r"[A-ZÅÄÖa-zåäö]+-[ \t]+(?:och|OCH|&)(?:[ \t]+|[ \t]*\n[ \t]*)\Z")
_BARE_NAMED = re.compile(r"nämnd(?:ens|en)\b", re.I)
_ADJECTIVE_BODY = re.compile(r"(?P<body>[A-ZÅÄÖ][a-zåäö]{2,}a[ \t]+nämnd(?:ens|en))\b")
# A capitalised adjective before a bare "nämnden": "Tekniska nämnden", "Sociala nämnden".
_ADJECTIVE_PREFIX = re.compile(r"(?<![\w-])(?-i:[A-ZÅÄÖ])[a-zåäö]{2,}a[ \t]+\Z")
_BODY_ENDINGS = (
    ("fullmäktige", "fullmäktige"),
    ("nämnd", "nämnden"),
    ("styrelse", "styrelsen"),
    ("förvaltning", "förvaltningen"),
    ("kontor", "kontoret"),
    ("departement", "departementet"),
    ("utskott", "utskottet"),
    ("avdelning", "avdelningen"),
    ("enhet", "enheten"),
    ("direktion", "direktionen"),
    ("revisorsgrupp", "revisorsgruppen"),
    ("revision", "revisionen"),
)
# Where a text says which body it is for or from.
_ADDRESSED = re.compile(rf"^[ \t]*Till:?[ \t]*\n?[ \t]*(?:[A-ZÅÄÖ][a-zåäö]+s[ \t]+)?(?P<body>{_BODY_WORD})\b"
                        r"(?![ \t]+för[ \t]+kännedom)", re.I | re.M)  # "Till kommunfullmäktige för kännedom": a copy
# A motion's proposal names the body it asks to decide: "föreslår vi att kommunfullmäktige beslutar".
# "vi föreslår därför att kommunfullmäktige beslutar:" too.
_ASKED_TO_DECIDE = re.compile(rf"\b(?:föreslår[ \t]+(?:vi|jag)|(?:vi|jag)[ \t]+föreslår)(?:[ \t]+därför)?[ \t]+att[ \t]+"
                              rf"(?P<body>{_BODY_WORD})[ \t]+(?:beslutar|beslutade)\b", re.I)
# The elected auditors, who have no -nämnd name: a letterhead "REVISORERNA", a report made "av
# Alingsås kommuns revisorer" or "på uppdrag av kommunens revisorer".
_AUDITORS_LETTERHEAD = re.compile(r"^[ \t]*(?:REVISORERNA|Revisorerna|De förtroendevalda revisorerna)[ \t]*$", re.M)
_AUDITORS_NAMED = re.compile(
    r"\b(?:av|för)[ \t]+(?:de[ \t]+förtroendevalda[ \t]+revisorerna[ \t]+i[ \t]+)?"
    r"(?:(?P<own>kommunens|regionens)|[A-ZÅÄÖ][\wåäö-]+[ \t]+(?P<of>kommun|region)s)[ \t]+(?:förtroendevalda[ \t]+)?revisorer\b")
# A member's paper names the body it is put to: "Motion till kommunfullmäktige om ...",
# "Initiativ i kommunstyrelsen", "Interpellation till kommunstyrelsens ordförande".
_PUT_TO = re.compile(rf"^[ \t#*]*(?:Motion|Interpellation|Fråga|Initiativ(?:ärende)?|Medborgarförslag)[ \t]+(?:till|i)[ \t]+"
                     rf"(?P<body>{_BODY_WORD})\b", re.I | re.M)
# The chair finding what the meeting decides: "Ordföranden ... finner att direktionen beslutar".
_CHAIR_FINDS = re.compile(rf"\bfinner[ \t]+att[ \t]+(?P<body>{_BODY_WORD})[ \t]+(?:beslutar|har beslutat)\b", re.I)
# A sign-off on behalf of a body or an office: "För revisorsgruppen,", "För miljöenheten".
SIGNED_FOR = re.compile(rf"^[ \t]*För[ \t]+(?P<body>{_BODY_WORD})(?=[ \t]*(?:,|$|och\b))", re.M)
_DECIDES = re.compile(rf"^[ \t]*(?P<body>{_BODY_WORD})[ \t]+(?:beslutar|beslutade)\b", re.I | re.M)
_DECIDED_BY = re.compile(
    rf"\b(?:beslutat av|antagen av|antaget av|fastställd av|Ansvarig|Organ|Organisation|Departement(?:/myndighet)?)[ \t]*:?[ \t]*\n?[ \t]*(?P<body>{_BODY_WORD})\b",
    re.I,
)
# A ministry's name, also as typed or broken in page text: "Klimat-och näringslivsdepartementet",
# "Landsbygds- och infrastruktur-departementet".
_MINISTRY_NAME = r"(?:[A-ZÅÄÖ][a-zåäö]+-\s*och\s+[a-zåäö]+|[A-ZÅÄÖ][a-zåäö]+)-?departementet"
# "Regeringskansliet (Utbildningsdepartementet)"; of two ministries named, the first.
# "Regeringskansliet, (Integrations- och jämställdhetsdepartementet)", "(Socialdepartementet, med
# kopia till Utbildningsdepartementet)".
_GOVERNMENT_BODY = re.compile(
    rf"\bRegeringskansliet\s*,?\s*\((?P<body>{_MINISTRY_NAME})(?:\s+och\s+{_MINISTRY_NAME})?\s*[,)]")
# The government deciding in a page's opening: "Regeringen ger Socialstyrelsen i uppdrag att ..."
# (the authority named there and after is the one given the task, not the author).
_GOVERNMENT_DECIDES = re.compile(
    r"^Regeringen (?:ger|uppdrar|beslutar|har beslutat|har gett|ändrar|förlänger|bemyndigar|tillkallar)\b", re.M)
_MINISTER = re.compile(r"\b(?:stats|[a-zåäö]+)minister[n]?\b|\bstatssekreterare\b|\bstatsråd(?:et)?\b")
_MINISTER_QUOTED = re.compile(r"\bsäger (?:[a-zåäö-]+ )?(?:stats|[a-zåäö]+)minister\b")
# A minister's title a few words after "säger": "säger arbetsmarknads- och ", "säger Paulina
# Brandberg, jämställdhets- och biträdande ".
_QUOTED_BEFORE_TITLE = re.compile(r"\bsäger(?:[ \t]+(?!att\b)[\w-]+,?){0,6}[ \t]+\Z")
# The Riksdag's committees by the code of their reports: "Betänkande 2022/23:JuU31".
RIKSDAG_COMMITTEES = {
    "AU": "Arbetsmarknadsutskottet", "CU": "Civilutskottet", "FiU": "Finansutskottet",
    "FöU": "Försvarsutskottet", "JuU": "Justitieutskottet", "KU": "Konstitutionsutskottet",
    "KrU": "Kulturutskottet", "MJU": "Miljö- och jordbruksutskottet", "NU": "Näringsutskottet",
    "SkU": "Skatteutskottet", "SfU": "Socialförsäkringsutskottet", "SoU": "Socialutskottet",
    "TU": "Trafikutskottet", "UbU": "Utbildningsutskottet", "UU": "Utrikesutskottet",
}
COMMITTEE_REPORT = re.compile(
    rf"\b[Bb]etänkande[ \t]+{YEAR}/\d\d:(?P<code>" + "|".join(RIKSDAG_COMMITTEES) + r")\d+\b"
)
# A ministry that receives or keeps a case's papers: "remissvar som har kommit till
# Utrikesdepartementet", "Svaren finns tillgängliga i Socialdepartementet".
_MINISTRY_KEEPS = re.compile(
    r"\b(?:kommit (?:in )?till|finns tillgängliga? i|lämnas till|skickas till|ska ha kommit in till"
    r"|(?:slut)?redovisas(?: [^.\n]{0,80}?)? till|(?:slut)?redovisning(?: av uppdraget)? till)"
    rf"[ \t]+(?P<body>{_MINISTRY_NAME})\b"
)
_REGIONAL_BODY = re.compile(r"\bRegion(?:styrelsen|fullmäktige|kontoret)\b")

# National authorities whose names end like a body's: they are organizations, not bodies.
_AUTHORITIES = {r["name"] for r in _NATIONAL}
_MIN_BODY_SCORE = 3  # a body named once or twice in passing is not the document's
_OPENING_CHARS = 600

_HEADER_LINES = 12
_OPENING_PROSE = re.compile(r"^[^\n#|]{81,}", re.M)  # the first line longer than a letterhead
_SUBJECT_CHARS = 40
_LETTERHEAD_LINE = 80  # longer lines are prose, not letterheads
_SIGNATURE_CHARS = 1500


def _kommuner(text: str):
    """(start, end, canonical name) of each "<Name> kommun" / "<Name>s stad" in the text."""
    for word in KOMMUN_WORD.finditer(text):
        token = word.group(0).strip()  # "kommun", "stads", "KOMMUN"
        kind = token.lower()
        kind = kind[:-1] if kind in ("kommuns", "stads") else kind
        window = max(0, word.start() - _LOOKBACK)
        before = text[window:word.start()].rstrip(" \t")
        words = before.rsplit(None, 2)[-2:]  # the one or two words before: "Upplands Väsby"
        candidates = [" ".join(words[-2:]), words[-1]] if len(words) == 2 else words
        for candidate in candidates:
            m = KOMMUN.fullmatch(candidate)
            if m and not (m.group("caps") and not token.isupper()):
                name = _kommun_name(m, kind)
                if name:
                    yield window + before.rindex(candidate), word.end(), name
                    break


def _kommun_name(m: re.Match, kind: str) -> str | None:
    """The official name of the kommun "<name> <kind>" writes ("Göteborg stad" is Göteborgs Stad),
    None where it names none in the directory ("Varje kommun")."""
    name = m.group("name") or m.group("caps")
    if name.lower() in _NOT_NAMES or name.split()[0].lower() in _NOT_NAMES:
        return None
    return official_name(f"{name} {kind}")


def _region_name(raw: str) -> str | None:
    """The official name of the region "Region <raw>" names ("Region Hallands" is Region Halland)."""
    return official_name(f"Region {raw}")


def mentions(text: str) -> list[tuple[int, int, str]]:
    """Every organization named in `text`: (start, end, canonical name), inner names dropped."""
    found: list[tuple[int, int, str]] = []
    for m in FORBUND.finditer(text) if "förbund" in text else ():
        found.append((m.start(), m.end(), f"{' '.join(m.group('members').split())} {m.group('kind').lower()}"))
    for m in PARTY_ORGANIZATION.finditer(text):
        found.append((m.start(), m.end(), " ".join(m.group(0).split())))
    found.extend(_kommuner(text))
    for m in REGION.finditer(text):
        region = _region_name(m.group("name"))
        if region:
            found.append((m.start(), m.end(), region))
    for m in KNOWN_PATTERN.finditer(text):
        found.append((m.start(), m.end(), _KNOWN_NAMES[int((m.lastgroup or "k0")[1:])]))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, str]] = []
    for start, end, name in found:
        if kept and start < kept[-1][1]:  # inside a longer name: "Stockholms stad" in a party's name
            continue
        kept.append((start, end, name))
    return kept


def _header_end(text: str) -> int:
    r"""End of the letterhead zone: the first _HEADER_LINES non-empty lines.

    >>> _header_end("A\n\nB\n" + "x\n" * 20) == len("A\n\nB\n" + "x\n" * 10) - 1
    True
    """
    count = pos = 0
    while pos <= len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        if text[pos:end].strip():
            count += 1
            if count >= _HEADER_LINES:
                return end
        pos = end + 1
    return len(text)


def _next_line(text: str, pos: int) -> int:
    """Start of the line after the one holding `pos`."""
    end = text.find("\n", pos)
    return len(text) if end < 0 else end + 1


def _is_letterhead_line(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    return len(line.strip()) <= _LETTERHEAD_LINE


def _standalone(text: str, start: int, end: int) -> bool:
    """The name is all its line says (a letterhead or signature line), but for an address after it."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    before = text[line_start:start].strip(" \t*#")
    after = text[end:line_end if line_end >= 0 else len(text)].strip(" \t*#")
    return not before and (not after or after.startswith(","))


# A remiss's list of the bodies it was sent to: "## Remissinstanser" and its short lines (up to
# prose or the next heading). The organizations listed received the document; none wrote it.
_RECIPIENT_LIST = re.compile(r"^[#* \t]*(?:Remissinstanser(?:na)?|Beslutet ska skickas till|Beslutet skickas till"
                             r"|Expedieras till|Sändlista|Kopia till):?[* \t]*\n"
                             # a template's list never filled in is its placeholder alone ("Klicka här för att
                             # fylla i vilka beslutet ska skickas till."): the sign-off after it is the writer's
                             r"(?:[ \t]*(?:Klicka|Tryck)[ \t]+här\b[^\n\f]*\n?"
                             # else to a heading, a page break or two blank lines ("Justerandes sign" of an
                             # extract appended to a plan, then the plan's own credits)
                             r"|(?:(?!#|[ \t]*\n[ \t]*\n)[^\n\f]{0,120}\n)*(?:(?!#)[^\n\f]{0,120}\Z)?)",
                             re.M | re.I)


def without_recipient_lists(text: str) -> str:
    """The text less its remiss lists (_RECIPIENT_LIST), for finding who wrote it.

    >>> without_recipient_lists("Remiss av SOU\\n## Remissinstanser\\n1 Riksdagens ombudsmän (JO)\\n2 Svea hovrätt\\n")
    'Remiss av SOU\\n'
    """
    return _RECIPIENT_LIST.sub("", text) if _RECIPIENT_WORDS.search(text) else text


_RECIPIENT_WORDS = re.compile(r"emissinstanser|skickas till|Expedieras|Sändlista|Kopia till")


def find_organization(text: str) -> str | None:
    """The organization a text comes from: letterhead and signature first, then how often it is named.

    >>> find_organization("KUNGSBACKA KOMMUN   SAMMANTRÄDESPROTOKOLL\\nByggnadsnämnden")
    'Kungsbacka kommun'
    """
    return organization_evidence(text)[0]


# A running header or footer: a name opening a short line on two pages or more.
_RUNNING = 2


def organization_evidence(text: str) -> tuple[str | None, bool]:
    """The organization a text comes from, and whether the text says it wrote it (letterhead,
    signature, a running header, the government deciding, its regulation series) rather than
    only naming it in passing: an organization only mentioned gives way to the source's own
    (its web host or folder)."""
    scores: Counter[str] = Counter()
    strong: set[str] = set()
    running: Counter[str] = Counter()
    body_mentions: Counter[str] = Counter()
    header_end = _header_end(text)
    signature_start = max(0, len(text) - _SIGNATURE_CHARS)
    prose = _OPENING_PROSE.search(text)
    if prose:  # a letterhead comes before the text: "I uppdraget ska Socialstyrelsen" is prose
        header_end = min(header_end, _next_line(text, prose.end()))
    for start, end, name in mentions(text):
        is_party = bool(PARTY_NAME.match(name))
        if prose and prose.start() <= start < prose.start() + _SUBJECT_CHARS:
            scores[name] += 2  # the subject of the opening sentence: "Regeringen uppdrar åt ..."
        if start < header_end and _is_letterhead_line(text, start, end) and not _sentence_after(text, end):
            scores[name] += 10
            strong.add(name)
        elif _standalone(text, start, end):
            scores[name] += 5 + (3 if start >= signature_start else 0)
            strong.add(name)
        elif _opens_short_line(text, start, end) and running[name] < _RUNNING:
            running[name] += 1
            if running[name] == _RUNNING:  # "Länsstyrelsen Västra Götaland Beslut 2 (20)" on each page
                scores[name] += 8
                strong.add(name)
        elif not is_party and name not in _CITED_AUTHORITIES and body_mentions[name] < 5:
            body_mentions[name] += 1
            scores[name] += 1
    if _REGIONAL_BODY.search(text):
        # A region's papers name the region through its party districts: "Vänsterpartiet Halland".
        for m in PARTY_DISTRICT.finditer(text):
            region = _region_name(m.group("place"))
            if region:
                scores[region] += 2
    for m in REGULATION.finditer(text[:3000]):
        scores[_REGULATION_SERIES[m.group("series")]] += 4
        strong.add(_REGULATION_SERIES[m.group("series")])
    mailed = _mail_organization(text)
    if mailed:  # its contacts' addresses: "Inspel mailas till ...@goteborgsregionen.se" (GR's letter)
        scores[mailed] += _MAILED
        strong.add(mailed)
    if _MINISTER_QUOTED.search(text):
        scores["Regeringen"] += 3  # a minister speaks for the government: "säger civilminister X"
        strong.add("Regeringen")
    if _GOVERNMENT_DECIDES.search(text, 0, _OPENING_CHARS):
        scores["Regeringen"] += 10
        strong.add("Regeringen")
    if not scores:
        return None, False
    best = max(scores.values())
    name = next(name for name in scores if scores[name] == best)
    return name, name in strong


_MAIL_DOMAIN = re.compile(r"\b[\w.-]+@(?P<domain>[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})\b", re.I)
_MAILED = 6  # less than a letterhead, more than a name in passing
_MAIL_MOST = 3  # e-mail addresses of one organization, at least, for the text to be its


def _mail_organization(text: str) -> str | None:
    """The organization whose domain most of the text's e-mail addresses are at, three or more
    of them: the contacts of the paper's writer.

    >>> _mail_organization("kontakta a@goteborgsregionen.se, b@goteborgsregionen.se och gr@goteborgsregionen.se")
    'Göteborgsregionen'
    """
    if "@" not in text:
        return None
    domains = Counter(m.group("domain").lower() for m in _MAIL_DOMAIN.finditer(text))
    if not domains:
        return None
    domain, count = domains.most_common(1)[0]
    return organization_of_host(domain) if count >= _MAIL_MOST else None


def _opens_short_line(text: str, start: int, end: int) -> bool:
    """The name opens a line no longer than a letterhead's and no sentence goes on after it
    ("Länsstyrelsen Västra Götaland Beslut 2 (20)", not "Tolkförmedling Väst har upprättat")."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    rest = text[end:line_end if line_end >= 0 else len(text)]
    return (not text[line_start:start].strip(" \t*#") and not _LOWER_WORD.search(rest)
            and _is_letterhead_line(text, start, end))


_LOWER_WORD = re.compile(r"(?<![\w.@/])[a-zåäö]{2,}\b")


def _sentence_after(text: str, end: int) -> bool:
    """A sentence goes on after the name on its line: "Tolkförmedling Väst har upprättat ..."."""
    return bool(_VERB_AFTER.match(text, end))


# The finite verbs that open a sentence's predicate after its subject, its abbreviation between
# them or the subject the abbreviation itself: "Västra Götalandsregionen (VGR) har beslutat".
_VERB_AFTER = re.compile(r"(?:[ \t]+\([A-ZÅÄÖ]{2,6}\)|\))?[ \t]+(?:har|hade|är|var|ska|skall|kan|får|ger|gav|vill|bör|lämnar|föreslår|anser|bedömer"
                         r"|beslutar|beslutade|upphäver|avslår|bifaller|godkänner|tillstyrker|avstyrker|erbjuder"
                         r"|arbetar|ansvarar|äger|består|utgör|förser|bedriver)\b")


_COMMITTEE = re.compile(r"^(?P<parent>(?:\S+- (?:och|&) )?\S+s) (?P<committee>\S*utskott)(?:et|s)?$")


_NAMED_AFTER_NAME = re.compile(r"(?P<head>nämnden|förvaltningen) för (?P<name>.+)", re.I)


def is_unit(name: str) -> bool:
    """An office's name (förvaltning, kontor, avdelning, enhet, audit office), not a body's.

    >>> is_unit("Kommunledningskontoret"), is_unit("Förvaltningen för Intraservice"), is_unit("Socialnämnden")
    (True, True, False)
    """
    return name.lower().endswith(_UNIT_ENDINGS) or name.lower().startswith("förvaltningen för ")


@lru_cache(maxsize=4096)  # a pure function of a short string, asked for each name each scorer meets
def canonical_body(raw: str) -> str:
    """A body's name as a heading writes it.

    >>> canonical_body("socialnämndens"), canonical_body("VALNÄMND")
    ('Socialnämnden', 'Valnämnden')
    >>> canonical_body("BYGGNADSNÄMNDENS   arbetsutskotts")
    'Byggnadsnämndens arbetsutskott'
    >>> canonical_body("Kultur- och utbildningsnämndens  arbetsutskott")
    'Kultur- och utbildningsnämndens arbetsutskott'
    >>> canonical_body("Kommunstyrelseförvaltningen"), canonical_body("NÄMNDEN FÖR INTRASERVICE")
    ('Kommunstyrelseförvaltningen', 'Nämnden för Intraservice')
    """
    named = _NAMED_AFTER_NAME.fullmatch(" ".join(raw.split()))
    if named:  # "Nämnden för Teknik & Fritid": the name after the word as written
        head, name = named.group("head").capitalize(), named.group("name")
        return f"{head} för {name.title() if name.isupper() else name}"
    words = re.sub(r"-(och|&) ", r"- \1 ", " ".join(raw.split()).lower())  # "Klimat-och ..."
    words = words.replace("- & ", "- och ")  # "Kultur- & utbildningsnämnden" is its "och" name
    words = words.replace("-departementet", "departementet")  # broken at a line's end
    committee = _COMMITTEE.match(words)
    if committee:
        return f"{committee.group('parent')} {committee.group('committee')}".capitalize()
    # The ending the name closes with: "kommunstyrelseförvaltningen" is a förvaltning.
    i, definite = max((words.rfind(stem), definite) for stem, definite in _BODY_ENDINGS)
    if i >= 0:
        return (words[:i] + definite).capitalize()
    return words.capitalize()


@lru_cache(maxsize=4)  # the body, unit and source scorers read the same text in turn
def bodies(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, raw name) of each body named in the text, found from its last word part."""
    return tuple(_find_bodies(text))


def _find_bodies(text: str):
    end = -1
    for key in BODY_KEY.finditer(text):
        if key.start() < end:
            continue
        start = key.start()
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        joined = _JOINED_PREFIX.search(text, max(0, start - 30), start)
        m = BODY.match(text, joined.start() if joined else start) or BODY.match(text, start)
        adjective = _ADJECTIVE_PREFIX.search(text, max(0, start - 30), start) if not m else None
        if adjective and _BARE_NAMED.match(text, start):
            m = _ADJECTIVE_BODY.match(text, adjective.start())
        if m:
            end = m.end()
            yield m.start(), m.end(), m.group("body")


# Abstract nouns of an adjective in -en + "-het" read like an enhet: "Erfarenheten", "Öppenheten".
_NOT_AN_ENHET = re.compile(r"(?:öpp|eg|medvet|erfar|beläg|bund|angeläg|förtrog|nyfik|benäg|ovet|mog|gem|förmög"
                           r"|avlägs|slut)enhet", re.I)


@lru_cache(maxsize=4096)
def _is_body(raw: str) -> bool:
    """A named body, not the bare common noun ("nämnden", "styrelsen", "förvaltningen")."""
    if _NAMED_AFTER_NAME.fullmatch(" ".join(raw.split())):
        return True
    word = raw.split()[0].lower().rstrip("-")
    if any(word.startswith(stem) for stem, _ in _BODY_ENDINGS) and not word.startswith(_BARE_BODIES):
        return False
    if word.startswith(("länsstyrelse", "lansstyrelse")):  # the state's county board: an authority
        return False
    if _NOT_AN_ENHET.search(raw):
        return False
    return canonical_body(word) not in _AUTHORITIES


def find_body(text: str, year: int | None = None) -> str | None:
    """The body a text is for or from (a nämnd, styrelse, fullmäktige, utskott, direktion,
    revisorsgrupp or ministry, never the office that wrote it): addressee, decision heading,
    letterhead, sign-off, adopting body. `year`, the document's, tells which ministry a minister's
    title named then.

    >>> find_body("Handläggare\\nEmma Fredriksson\\n\\nTill\\nSocialnämnden\\n2019-08-20")
    'Socialnämnden'
    >>> find_body("Stadsledningskontoret\\nAnvisning\\nBeslutad av: Stadsdirektör") is None
    True
    """
    scores = body_scores(text, year)
    body = best_named(scores, unit=False)
    office = best_named(scores, unit=True)
    if body and office and scores[body] < _NAMED_BODY <= scores[office]:
        return None  # only mentioned, in a text its office signs: "den av fullmäktige antagna policyn"
    return body


# Less than a letterhead, an addressee, a decision or a sign-off gives: a body only mentioned.
_NAMED_BODY = 6


def best_named(scores: Counter[str], unit: bool) -> str | None:
    """The highest scored body (unit=False) or office (unit=True), the first named on a tie."""
    kept = {name: score for name, score in scores.items() if is_unit(name) == unit}
    if not kept or max(kept.values()) < _MIN_BODY_SCORE:
        return None
    best = max(kept.values())
    return next(name for name in kept if kept[name] == best)


def body_scores(text: str, year: int | None = None) -> Counter[str]:
    """Each body and office the text names, scored by where and how it names it."""
    scores: Counter[str] = Counter()
    header_end = _header_end(text)
    opening = text[:header_end * 3]
    for weight, pattern, zone in (
        (20, _ADDRESSED, text[:header_end]),
        (20, _PUT_TO, text[:header_end]),
        (15, _DECIDES, opening),
        (12, _DECIDED_BY, text[: max(header_end * 3, 3000)]),
        (12, _GOVERNMENT_BODY, text if "departementet" in text else ""),
        (12, _MINISTRY_KEEPS, text if "departementet" in text else ""),
        (15, SIGNED_FOR, text),
        (15, _ASKED_TO_DECIDE, text),
        (6, _CHAIR_FINDS, text),
    ):
        for m in pattern.finditer(zone):
            if _is_body(m.group("body")):
                scores[canonical_body(m.group("body"))] += weight
    # Commissioned "av kommuns revisorer": more than any mention (at most 5), less than a letterhead.
    commissioned = {"Regionens revisorer" if (m.group("own") or m.group("of")).lower().startswith("region")
                    else "Kommunens revisorer" for m in _AUDITORS_NAMED.finditer(text[:max(header_end * 3, 3000)])}
    for auditors in commissioned:
        scores[auditors] += 8
    if _AUDITORS_LETTERHEAD.search(text[:header_end]):
        region = re.search(r"\bRegion(?:ens)?\b", text[:header_end])
        scores["Regionens revisorer" if region else "Kommunens revisorer"] += 20
    for m in _DECISION_HEADING.finditer(text):
        if _is_body(m.group("body")):
            scores[canonical_body(m.group("body"))] += 15
    for m in COMMITTEE_REPORT.finditer(text[:header_end * 3]):
        scores[RIKSDAG_COMMITTEES[m.group("code")]] += 12
    for m in MINISTER_TITLE.finditer(text) if "inister" in text else ():  # a cheap test first
        # A minister's title names the ministry: strongly where the minister speaks ("säger
        # socialminister X") or presents the text in its opening, weakly in passing.
        ministry = ministry_of(m.group("title"), year)
        if ministry:
            strong = (m.start() < _OPENING_CHARS or _MINISTER_QUOTED.match(text, max(0, m.start() - 6))
                      or _QUOTED_BEFORE_TITLE.search(text, max(0, m.start() - 90), m.start()))
            scores[ministry] += _MIN_BODY_SCORE if strong else 1
    mentioned: Counter[str] = Counter()
    signature_start = max(0, len(text) - _SIGNATURE_CHARS)
    for start, end, raw in bodies(text):
        if not _is_body(raw):
            continue
        name = canonical_body(raw)
        signed = signed_score(text, start, end, raw, header_end, signature_start)
        if signed:
            scores[name] += signed
        elif mentioned[name] < 5:
            mentioned[name] += 1
            scores[name] += 1
    return scores


def signed_score(text: str, start: int, end: int, raw: str, header_end: int, signature_start: int) -> int:
    """How strongly the body or office named at text[start:end] says it wrote the text: 10 in a
    letterhead line (capitalised: prose writes "kommunstyrelsen"), 6 standing alone in the
    signature ("Kommunstyrelseförvaltningen\nDiana Olsson"), else 0."""
    if start < header_end and raw[:1].isupper() and _is_letterhead_line(text, start, end):
        return 10
    if start >= signature_start and _standalone(text, start, end):
        return 6
    return 0


_BODY_SLUG = re.compile(r"namnd|styrelse|fullmaktige|utskott|direktion")  # BODY_KEY's words as slugs write them


def body_of_source(text: str, source: str) -> str | None:
    """The body a source's folder or file name names ("bygg-och-miljonamnden_2026-06-16_yttrande.pdf",
    a crawl of that nämnd's meeting papers), written as the text writes it; for a text that names
    no body of its own. None where the text never names the body the path does.

    >>> body_of_source("Yttrande till bygg- och miljönämnden.", "alingsas/bygg-och-miljonamnden_2026-06-16_x.pdf")
    'Bygg- och miljönämnden'
    """
    words = "-" + slug(source.replace("\\", "/")) + "-"
    if not _BODY_SLUG.search(words):
        return None
    for _, _, raw in bodies(text):
        if not _is_body(raw):
            continue
        name = canonical_body(raw)
        if not is_unit(name) and f"-{slug(name)}-" in words:
            return name
    return None


def organization_from_source(source: str) -> str | None:
    """The organization a source's host or folders name ("www.regeringen.se", "riksdagen-gco/"),
    for a text that names none."""
    lowered = source.lower()
    return next((name for word, name in _SOURCE_ORGANIZATIONS if word in lowered), None)


def organization_of_body(body: str | None) -> str | None:
    """The organization a body belongs to where its name tells: a ministry is the government's,
    a committee of the Riksdag the Riksdag's."""
    if body and (body.endswith("departementet") or body == "Statsrådsberedningen"):
        return "Regeringen"
    if body in RIKSDAG_COMMITTEES.values():
        return "Riksdagen"
    return None


def government_by_minister(text: str) -> str | None:
    """Weak evidence, for a text that names no organization: a minister is named in it."""
    return "Regeringen" if _MINISTER.search(text) else None


# "Socialnämndens beslut", "SAMHÄLLSPLANERINGSNÄMNDENS BESLUT" on a line of its own.
_DECISION_HEADING = re.compile(rf"^[ \t*#]*(?P<body>{_BODY_WORD})[ \t]+beslut[ \t*]*$", re.I | re.M)
