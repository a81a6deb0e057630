"""Extract stage: the document type, from the first page's headings and the source's name."""
from __future__ import annotations

import re
import unicodedata

from ingest.extract.dates import YEAR
from ingest.extract.headings import OFFICERS_PROPOSAL, PROPOSAL

DOCTYPES = (
    "protokoll",
    "protokollsutdrag",
    "kallelse",
    "tjänsteutlåtande",
    "tjänsteskrivelse",
    "motion",
    "interpellation",
    "yttrande",
    "remissvar",
    "pressmeddelande",
    "utvärdering",
    "styrdokument",
    "delegationsbeslut",
    "avtal",
    "detaljplan",
    "budget",
    "årsredovisning",
    "beslut",
    "annat",
)

_CAPITAL = r"(?-i:[A-ZÅÄÖ])"  # a heading's first letter; the rest of HEADING ignores case


def _cap(words: str) -> str:
    """A heading that must start with a capital ("Granskning av", not a wrapped line's "granskning av")."""
    return f"(?-i:{words[0].upper()}){words[1:]}"


# Heading words and the type they name, most specific first. A heading starts a line of the
# opening (markup such as "# " or "**" aside).
_HEADINGS: tuple[tuple[str, str], ...] = (
    # The government's and the Riksdag's own papers name themselves first; a proposition's
    # "Utdrag ur protokoll vid regeringssammanträde" does not make it a protokollsutdrag.
    (r"regeringens (?:proposition|skrivelse)|kommittédirektiv|statens offentliga utredningar"
     r"|departementsserien|utskottets betänkande", "annat"),
    # A ministry's page of the answers it received ("Remissvar Ds 2016:20 ...\nHär kan du ta del
    # av de remissvar som har kommit till ..."): a listing, not an answer.
    (r"remissvar(?=[^\n]*\n\s*här kan du ta del av)", "annat"),
    # The government's assignments to its authorities (regeringsuppdrag), whatever they ask
    # for: "Uppdrag till Trafikanalys att ...", "Ändring av uppdraget att ta fram ett
    # handlingsprogram ..."; and its appropriation directions, which govern the authority.
    (r"(?:(?:ändring|förlängning) av )?(?:regerings)?uppdrag(?:et)?(?= (?:till|att|åt|om)\b)", "annat"),
    (r"regleringsbrev", "styrdokument"),
    (r"protokollsutdrag(?!\s+intygas)|utdrag ur (?:\w+\s)*?protokoll(?:et)?", "protokollsutdrag"),
    # A list of decisions taken under delegation, or one such decision: "Anmälan av delegerade
    # beslut till BMN", "Anmälan om delegerade beslut till SBN", "Återrapportering av delegerade
    # beslut", "Delegationsbeslut om ...".
    (r"delegationsbeslut|delegeringsbeslut|(?:anmälan|återrapportering|redovisning|förteckning) (?:av|om) delegerade beslut"
     rf"|{_cap('delegerade beslut')}"
     # "ANMÄLAN AV BESLUT/MYNDIGHETSUTÖVNING FATTADE MED STÖD AV\nDELEGATION" (Alingsås BUN's list)
     r"|(?:anmälan|återrapportering|redovisning|förteckning) av beslut\S*(?:[ \t]+\S+){0,4}?\s+"
     r"(?:med\s+stöd\s+av|enligt|på)\s+delegation", "delegationsbeslut"),
    (r"(?:sammanträdes|justerings|besluts)?protokoll(?:et)?(?!s)", "protokoll"),
    (r"kallelse|underrättelse om sammanträde|föredragningslista", "kallelse"),
    # A plan's papers: "Antagandehandling", "Granskningsutlåtande", "Planbeskrivning".
    (r"detaljplan(?:eprogram)?|planbeskrivning|plankarta|granskningsutlåtande|samrådsredogörelse"
     r"|(?:antagande|gransknings|samråds)handling", "detaljplan"),
    (r"tjänsteutlåtande", "tjänsteutlåtande"),
    (r"tjänsteskrivelse", "tjänsteskrivelse"),
    (r"motion(?=\s*(?::|till\b|\d|av\b|angående\b|om\b|gällande\b|från\b))", "motion"),
    # A member's own initiative is labelled a motion: "Initiativärende", "Initiativ i kommunstyrelsen".
    (rf"initiativärende|{_cap('initiativ')}(?= i \w+(?:styrelsen|nämnden|fullmäktige)\b)", "motion"),
    (r"interpellation", "interpellation"),
    (rf"remissvar|{_cap('svar på remiss')}(?:en)?\b", "remissvar"),
    (r"(?:gransknings|remiss)?yttrande(?=\s*(?:$|över|angående|om\b|till\b|från|i\b|gällande|[:–-]))", "yttrande"),
    (r"(?:pressmeddelande|pressinbjudan|press release)(?!:)", "pressmeddelande"),  # not "Pressmeddelande: <link>"
    # Audits and reviews: "Rapportsammandrag", "Revisionsberättelse", "Uppföljande granskning".
    (r"utvärdering|utvärderingsrapport|revisionsrapport|revisionsberättelse|granskningsrapport|rapportsammandrag"
     rf"|{_cap('uppföljande granskning')}|{_cap('granskning av')}|{_cap('uppföljning av')}|internkontrollrapport"
     rf"|{_cap('intern kontroll')}", "utvärdering"),
    # The year's accounts: "Årsredovisning 2025", "Delårsrapport mars 2026", "Stadsrevisionens årsredogörelse".
    (r"(?:\w+s )?(?:årsredovisning|årsredogörelse|delårsrapport|delårsbokslut|bokslut|verksamhetsberättelse)",
     "årsredovisning"),
    (rf"(?:{_cap('mål och budget')}|{_cap('förslag till budget')}|{_cap('budget')}(?:förslag)?)(?= {YEAR}\b| för\b|$)"
     rf"|{_cap('budgetramar')}|{_cap('verksamhetsplan med budget')}", "budget"),
    # "Samverkansavtal mellan ...", "HYRESKONTRAKT 1 (4)" (a form's page count after it); an
    # agreement with a förening under its own name, "Idéburet offentligt partnerskap (IOP) mellan ..."
    (rf"{_cap('idéburet offentligt')}\s+partnerskap\b|{_CAPITAL}\w*(?:avtal|kontrakt|överenskommelse)(?= (?:om|mellan|för|avseende|gällande)\b|$"
     r"|[ \t]+\d+[ \t]*\(\d+\)[ \t]*$)", "avtal"),
    (r"riktlinje[rn]?|\w*policy|rutin(?:er)?|handlingsprogram|handlingsplan|reglemente|regler(?= för\b)"
     r"|arbetsordning|delegationsordning|förbundsordning|bolagsordning|ägardirektiv"
     rf"|uppdragsbeskrivning|styrdokument|strategi|program|{_CAPITAL}\w*(?: \w+)?(?:strategi|program)\b|(?!(?:tid|projekt)plan){_CAPITAL}\w*plan$"
     rf"|anvisningar?|{_CAPITAL}\w*taxa\b|{_cap('taxa')}(?= för\b)"
     # A statute by its title: "Förordning (2023:482) om ...", "Lag (2010:110) om ..."
     rf"|(?:lag|förordning)(?=\s*\({YEAR}:\d+\))", "styrdokument"),
)
_LINE_START = r"^[\s#*>\-•]*"
HEADING = re.compile(
    "|".join(f"{_LINE_START}(?P<h{i}>{pattern})\\b" for i, (pattern, _) in enumerate(_HEADINGS)),
    re.I | re.M,
)
# A type word that ends a letterhead line, capitalised or in capitals:
# "Samhällsplaneringsnämnden Sammanträdesprotokoll", "KUNGSBACKA KOMMUN   SAMMANTRÄDESPROTOKOLL".
_LETTERHEAD_WORDS = {
    "Protokollsutdrag": "protokollsutdrag",
    "Sammanträdesprotokoll": "protokoll",
    "Protokoll": "protokoll",
    "Kallelse": "kallelse",
    "Tjänsteutlåtande": "tjänsteutlåtande",
    "Tjänsteskrivelse": "tjänsteskrivelse",
    "Pressmeddelande": "pressmeddelande",
    "Delegationsbeslut": "delegationsbeslut",
    "Årsredovisning": "årsredovisning",
    "Remissvar": "remissvar",
}
LETTERHEAD = re.compile(
    r"\b(?P<word>" + "|".join(f"{w}|{w.upper()}" for w in _LETTERHEAD_WORDS) + r")\b(?!\s+intygas|:)"
)
_OPENING_LINES = 25

# Without a heading, the shape of the text tells: a lone § with its decision is an excerpt
# of a protocol; an officer's proposal to a nämnd is a tjänsteutlåtande (Stockholm's term,
# with "Förvaltningens förslag till beslut") or a tjänsteskrivelse; a press contact ends a
# press release; a document that calls itself "denna riktlinje" governs.
_PARAGRAPH_HEAD = re.compile(r"^\s*§\s*\d+", re.M)
_DECISION = re.compile(r"^\s*(?:\w+s\s+)?beslut\s*$", re.I | re.M)
_OFFICERS_PROPOSAL = re.compile(rf"^\s*{OFFICERS_PROPOSAL}", re.I | re.M)
_PROPOSAL = re.compile(rf"^\s*{PROPOSAL}", re.I | re.M)
_CASE_HEADER = re.compile(r"^\s*(?:handläggare|diarienummer|dnr|ärendenummer)\b", re.I | re.M)
_PRESS = re.compile(r"\bpressmeddelande(?:t|n)?\b(?!:)|\bpressrum(?:met)?\b|\bpress(?:sekreterare|ekreterare|kontakt)\b", re.I)
# An answer to a motion that is not an officer's case paper (a company's answer): a yttrande.
_ANSWER = re.compile(r"^[ \t#*]*Svar på motion\b", re.M)
# A styrdokument's header table: "Typ av styrdokument: Taxa", "Dokumentsort: Anvisning".
_GOVERNING_HEADER = re.compile(r"^[ \t]*(?:Typ av styrdokument|Dokumentsort|Dokumenttyp)[ \t]*:", re.M)
# An authority's decision letter opens with the word and its page count: "Beslut 1 (20)".
_DECISION_LETTER = re.compile(r"\A\s*(?:BESLUT|Beslut)(?:[ \t]+\d+[ \t]*\(\d+\))?[ \t]*$", re.M)
# A document that says on its cover that an assembly adopted it governs: "Antagen av
# kommunfullmäktige 2017-04-20 § 43" (a plan's or a programme's underlag without a type word).
_ADOPTED = re.compile(r"^[ \t]*(?:Antagen|Antagna|Antaget|Fastställd|Fastställt) av (?:kommun|region)fullmäktige\b", re.I | re.M)
_SELF_REFERENCE = re.compile(
    r"\b(?:denna|den här) (?:riktlinje|rutin|policy|instruktion|föreskrift)\b"
    r"|\b(?:dessa|de här) (?:riktlinjer|rutiner|regler|föreskrifter)\b"
    r"|\bdetta (?:styrdokument|handlingsprogram|program)\b",
    re.I,
)

# Words in a file name or URL path, ASCII-folded as slugs are: "/pressmeddelanden/", "kallelse.md".
_SOURCE_WORDS: tuple[tuple[str, str], ...] = (
    # "§" written out as slugs transliterate it ("ss-620-...", "ss204-kf-..."): one § of a protocol.
    (r"protokollsutdrag|utdrag|(?<![a-z])ss-?\d+(?![a-z])", "protokollsutdrag"),
    (r"delegationsbeslut|delegerade-beslut", "delegationsbeslut"),
    (r"protokoll", "protokoll"),
    (r"kallelse|handlingar|foredragningslista", "kallelse"),
    (r"tjansteutlatande", "tjänsteutlåtande"),
    (r"tjansteskrivelse", "tjänsteskrivelse"),
    (r"motion", "motion"),
    (r"interpellation", "interpellation"),
    (r"yttrande", "yttrande"),
    (r"pressmeddelande|press-?release", "pressmeddelande"),
    (r"detaljplan|planbeskrivning|granskningsutlatande|samradsredogorelse", "detaljplan"),
    (r"remissvar", "remissvar"),
    (r"utvardering|revisionsrapport|revisionsberattelse|rapportsammandrag|granskning|internkontroll|uppfoljning",
     "utvärdering"),
    (r"arsredovisning|delarsrapport|bokslut|arsredogorelse", "årsredovisning"),
    (r"riktlinje|rutin|handlingsprogram|reglemente|styrdokument|forbundsordning|delegationsordning",
     "styrdokument"),
    (r"forfattningssamling|/sfs/", "styrdokument"),  # statutes: riksdagen.se, lagrummet, ferenda
)
SOURCE_WORD = re.compile("|".join(f"(?P<s{i}>{p})" for i, (p, _) in enumerate(_SOURCE_WORDS)))


def _fold(text: str) -> str:
    """ASCII lower case, as URL slugs write Swedish: "Tjänsteskrivelse" -> "tjansteskrivelse"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _opening(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return "\n".join(lines[:_OPENING_LINES])


def from_headings(first_text: str) -> str | None:
    """The type named by the earliest heading word in the opening lines, or None."""
    opening = _opening(first_text)
    found: list[tuple[int, str]] = []
    heading = HEADING.search(opening)
    if heading:
        group = heading.lastgroup or ""
        found.append((heading.start(group), _HEADINGS[int(group[1:])][1]))
    letterhead = LETTERHEAD.search(opening)
    if letterhead:
        found.append((letterhead.start(), _LETTERHEAD_WORDS[letterhead.group("word").capitalize()]))
    return min(found)[1] if found else None


def from_shape(first_text: str) -> str | None:
    """The type told by the text's structure when no heading names it, or None."""
    opening = _opening(first_text)
    heads = _PARAGRAPH_HEAD.findall(first_text)
    if heads and _PARAGRAPH_HEAD.search(opening) and _DECISION.search(first_text):
        return "protokollsutdrag" if len(heads) <= 2 else "protokoll"
    if _OFFICERS_PROPOSAL.search(first_text):
        return "tjänsteutlåtande"
    if _PROPOSAL.search(first_text) and _CASE_HEADER.search(opening):
        return "tjänsteskrivelse"
    if _ANSWER.search(opening):
        return "yttrande"
    if _PRESS.search(opening) or _PRESS.search(first_text[-2000:]):
        return "pressmeddelande"
    if _SELF_REFERENCE.search(first_text) or _GOVERNING_HEADER.search(opening):
        return "styrdokument"
    if _DECISION_LETTER.match(first_text):
        return "beslut"
    if _ADOPTED.search(opening):
        return "styrdokument"
    return None


def from_source(source_name: str) -> str | None:
    """The type a file name or URL path suggests ("kallelse.md", "/pressmeddelanden/"), or None."""
    m = SOURCE_WORD.search(_fold(source_name))
    return _SOURCE_WORDS[int((m.lastgroup or "w0")[1:])][1] if m else None


def classify(first_text: str, source_name: str = "", hint: str | None = None) -> str:
    """One of DOCTYPES: headings first, then the text's shape, the file's own name, the hint
    (a crawler's listing page), and last the folders or URL path the file lies under.

    >>> classify("Samhällsplaneringsnämnden Sammanträdesprotokoll\\n2024-04-25", "x.pdf")
    'protokoll'
    >>> classify("Regionkontoret\\nTjänsteskrivelse\\nDatum\\n2021-01-13", "")
    'tjänsteskrivelse'
    >>> classify("Ett kort meddelande utan rubrik.", "pressmeddelanden/2023/05/x.md")
    'pressmeddelande'
    """
    file_name = source_name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    found = from_headings(first_text) or from_shape(first_text) or from_source(file_name)
    if found:
        return found
    if hint in DOCTYPES:
        return hint
    return from_source(source_name) or "annat"
