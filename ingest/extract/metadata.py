"""Extract stage entry point: a ParsedDocument (+ hints) -> Metadata, a pure function."""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePosixPath

from ingest.extract import dnr
from ingest.extract.dates import find_dates, year_in_path
from ingest.extract.decisions import record as decisions
from ingest.extract.decisions.appeal import Dates, protocol_dates
from ingest.extract.decisions.statements import find_statements
from ingest.extract.directory import official_name, organization_of_host, organization_of_path
from ingest.extract.docdate import document_date
from ingest.extract.doctype import HEADING as DOCTYPE_HEADING
from ingest.extract.doctype import classify
from ingest.extract.headings import OFFICERS_PROPOSAL, PROPOSAL
from ingest.extract.language import detect_language
from ingest.extract.organization import (
    PARTY_ORGANIZATION,
    body_of_source,
    find_body,
    government_by_minister,
    organization_evidence,
    organization_from_source,
    organization_of_body,
    without_recipient_lists,
)
from ingest.extract.outside_authors import client, signed_by
from ingest.extract.packets import PACKET_KINDS, part_ranges
from ingest.extract.paragraphs import join, listed_dnr, sections, spans, split
from ingest.extract.parties import PARTY_NAME, party_code
from ingest.extract.persons import NAME, SIGNATURE, find_persons, named_with_party
from ingest.extract.references import find_references
from ingest.extract.units import find_unit
from ingest.model import Metadata, Page, ParsedDocument, Part, Statement

PROTOCOLS = ("protokoll", "protokollsutdrag")
CASE_PAPERS = ("protokollsutdrag", "tjänsteutlåtande", "tjänsteskrivelse", "yttrande", "motion", "interpellation")

# Markup the converters leave: YAML front matter, "**bold**" glued to text, "# " headings.
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(?P<body>.*?)\n---[ \t]*\n", re.S)
_FRONT_TITLE = re.compile(r"^title:[ \t]*[\"']?(?P<title>[^\n\"']+)", re.M)
_BOLD = re.compile(r"\*\*+")
_HEADING_MARK = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.M)
_MARKDOWN_HEADING = re.compile(r"^[ \t]*#{1,3}[ \t]+([^\n]+)$", re.M)
_ESCAPE = re.compile(r"\\([*_#\[\]()])")
_SPACES = re.compile(r"[\u00a0\u2007\u202f]")
# A soft hyphen ends a line inside a word ("Be\xad" + "teckning"): the word joined; elsewhere it goes.
_SOFT_HYPHEN_BREAK = re.compile(r"\xad+[ \t]*\r?\n[ \t]*(?=[a-zåäö])")
_SOFT_HYPHEN = re.compile("\xad")
_GLUED_LABEL = re.compile(r"(?<=[a-zåäö.])(?=(?:Diarienummer|Dnr|Datum)\s*:)")  # "...direktivetDiarienummer: A2026/00012"

# A protocol's front page (who met where): a one-§ meeting's protocol has it, an extract not.
_MEETING_FRONT = re.compile(r"^[ \t]*(?:Plats och tid|Tid och plats|Paragrafer|Beslutande|Närvarande)\b", re.M | re.I)
_HEADER_CHARS = 2500  # labelled dates and dnr count as the document's own within this opening
_HEADER_LINES = 10  # unlabelled dates and lone dnr lines count within these first lines
_SIGNATURE_CHARS = 600
_TOP_LINES = 3
_TITLE_HEADINGS = re.compile(
    rf"^[ \t]*(?:{OFFICERS_PROPOSAL}|{PROPOSAL}|sammanfattning|ärendet|ärendebeskrivning)\b",
    re.I | re.M,
)
_DOCTYPE_PREFIX = re.compile(
    r"^(?:tjänsteskrivelse|tjänsteutlåtande|yttrande|motion|interpellation|pressmeddelande)\b[ \t]*:?[ \t]*(?=[A-ZÅÄÖ0-9])",
    re.I,
)
_NOT_TITLE = re.compile(
    r"^(?:\d+\s*[\[(/]\s*\d+\s*[\])]?|\d+\s*\(\d+\)|sida \d+.*|[\d\s\-–/.:]+|dnr\b.*|diarienummer\b.*|datum\b.*"
    r"|handläggare|till|referens|ta inte bort denna rad.*|.*·.*|https?://\S+|www\.\S+|\S+@\S+|org\.?nr.*"
    r"|(?:tel|telefon|direkt|fax|e-post|besöksadress|postadress)\b.*|id-nummer.*|hoppa till huvudinnehåll)$",
    re.I,
)
_UNIT_LINE = re.compile(
    r"^[\w -]*(?:enheten|avdelningen|förvaltningen|kontoret|nämnden|styrelsen)\b[^\n]{0,20}$"
    r"|^(?:Smittskyddsläkaren|[\w-]+läkaren|[\w-]+chefen) i\b",
    re.I,
)
_OPEN_END = re.compile(r"\b(?:och|eller|för|i|av|om|på|till|med|inom|vid|samt)$|[-–,]$")
_SENTENCE = re.compile(r"^(?P<s>[^.!?\n]{10,200}?)[.!?](?:\s|$)")
_FILE_LIKE = re.compile(r"[_]|\.\w{2,4}$|^microsoft word|^untitled|^\d+$", re.I)
_TITLE_WORDS = 25


def _front_matter(text: str) -> tuple[str, str | None]:
    m = _FRONT_MATTER.match(text)
    if not m:
        return text, None
    title = _FRONT_TITLE.search(m.group("body"))
    return text[m.end():], title.group("title").strip() if title else None


def normalize_text(text: str) -> str:
    """Text with converter markup removed: bold runs become line breaks (they mark headings in
    PDF-to-text output: "§ 16**PEER support ...**"), heading marks and escapes go."""
    text = _SPACES.sub(" ", text)
    text = _SOFT_HYPHEN.sub("", _SOFT_HYPHEN_BREAK.sub("", text))
    text = _ESCAPE.sub(r"\1", text)
    text = _BOLD.sub("\n", text)
    text = _GLUED_LABEL.sub("\n", text)
    return _HEADING_MARK.sub("", text)


def _pages(parsed: ParsedDocument) -> tuple[list[Page], str | None, list[str]]:
    """Normalised pages, the front matter's title and the Markdown headings of the first page."""
    pages: list[Page] = []
    front_title = None
    headings: list[str] = []
    for i, page in enumerate(parsed.pages):
        text = page.text
        if i == 0:
            text, front_title = _front_matter(text)
            top = "\n".join(_lines(text, _TOP_LINES))  # a heading that opens the document
            headings = [_GLUED_LABEL.split(m.group(1))[0].strip() for m in _MARKDOWN_HEADING.finditer(top)]
        pages.append(Page(page.number, normalize_text(text), page.has_text_layer))
    return pages, front_title, headings


def _lines(text: str, limit: int) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()][:limit]



def _standalone_dnr(text: str, m: dnr.DnrMatch) -> bool:
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    return line.strip(" \t*#:") == text[m.start:m.end].strip()


# A number cited in running prose: "utvärdera Digitaliseringsrådet (dnr N2017/01899/D)",
# "Med ändring av regeringens beslut den 28 augusti 2014, dnr L2014/02184/ELT, uppdrar ...".
_CITED_LABEL = re.compile(r"[(,][ \t]*dnr\.?:?[ \t]*\Z")
_PROSE_LINE = 100  # characters: longer lines are prose, not a header's


# Words before "(dnr" on its line that make it a sentence of a wrapped PDF line: "beslutade
# den 20 januari 2026 (§ 4, dnr 2025.034 BMN) att avslå".
_PROSE_WORDS = 3
# A label naming another party's number: "Er beteckning", "Ert dnr", "Kommunens diarienummer".
_THEIR_LABEL = re.compile(
    r"(?<![\w])(?:[Ee]r|[Ee]rt|[Ee]dert|[Kk]ommunens|[Mm]ottagarens|[Ss]ökandens|[Mm]otpartens)[ \t]+"
    r"(?:dnr|diarienummer|diarienr|beteckning|referens|ärendenummer)\.?[ \t:#]*\Z"
)
# A registration stamp: "Dnr LOV 2026-000237 – Ankom 2026-06-10" (the receiver's register).
_STAMP_AFTER = re.compile(r"[ \t]*[–-]?[ \t]*(?:[Aa]nkom|[Ii]nkom(?:men|mit)?)[ \t:]+\d")


def _cited(text: str, m: dnr.DnrMatch) -> bool:
    """The number is cited in a sentence (another decision's), not a label of the document."""
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end)
    line_length = (line_end if line_end >= 0 else len(text)) - line_start
    label = _CITED_LABEL.search(text, max(line_start, m.start - 12), m.start)
    if not label:
        return False
    return line_length > _PROSE_LINE or len(text[line_start:label.start()].split()) >= _PROSE_WORDS


def _theirs(text: str, m: dnr.DnrMatch) -> bool:
    """Labelled as another party's number ("Er beteckning", "Kommunens diarienummer")."""
    return bool(_THEIR_LABEL.search(text, max(0, m.start - 40), m.start))


def _stamp(text: str, m: dnr.DnrMatch) -> bool:
    """A registration stamp's number: the document's own in the register that received it."""
    return m.labelled and bool(_STAMP_AFTER.match(text, m.end))


def _first_line_end(text: str) -> int:
    """End of the first non-empty line (the title of a page)."""
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    return len(text) if end < 0 else end


# A document adopted at a § of a meeting, which carries that §'s extract (appended): the §'s
# number is the document's case. Its cover: "Antagen av kommunfullmäktige 2017-04-20 § 43"; the
# extract: "§ 43/2017      Dnr 2010-331 212" (or the number on the next lines).
_ADOPTED_AT = re.compile(r"\b(?:[Aa]ntagen|[Aa]ntaget|[Aa]ntagna|[Ff]astställd|[Ff]astställt|[Bb]eslutad|[Bb]eslutat)"
                         r"[ \t]+av[ \t]+[\w-]+(?:[ \t]+[\w-]+)?,?[ \t]+(?:den[ \t]+)?\d{4}-\d\d-\d\d,?[ \t]+§[ \t]*(?P<n>\d{1,4})\b")
_ADOPTION_LINES = 3  # the extract's number: on its § line or the next two


def _adoption_dnr(text: str, found: list[dnr.DnrMatch]) -> list[str]:
    """The labelled number of the adopting §'s extract carried in the document (_ADOPTED_AT)."""
    cover = _ADOPTED_AT.search(text, 0, _HEADER_CHARS)
    if not cover:
        return []
    heads = re.compile(rf"^[ \t]*§[ \t]*{cover.group('n')}(?:/\d{{4}})?(?![\d/])", re.M)
    for head in heads.finditer(text, cover.end()):
        window_end = head.start()
        for _ in range(_ADOPTION_LINES):
            window_end = text.find("\n", window_end + 1)
            if window_end < 0:
                window_end = len(text)
                break
        numbers = [m.canonical for m in found if m.labelled and head.start() <= m.start < window_end]
        if numbers:
            return numbers[:1]
    return []


_LISTED = 3  # labelled numbers of as many cases in an opening, none in its letterhead: a list


_CASE_FILE = re.compile(r"\bfinns\s+tillgängliga?\s+i\s+(?:[\w-]+\s+och\s+)?\w+departementet\s*\(\s*\Z")
_CASE_FILE_CHARS = 120


def document_dnr(text: str, doctype: str, paragraph_dnr: tuple[str, ...],
                 found: list[dnr.DnrMatch] | None = None,
                 first_paragraph: int | None = None,
                 paragraph_count: int = 0) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(own, mentioned) diarienummer: a protokollsutdrag's own are its §'s; a protocol's only
    those its header labels before the first § (each §'s number is the §'s, mentioned by the
    protocol); another document's are those labelled in its opening or standing alone in its
    letterhead or on a registration stamp, else (for case papers) the first one it cites with a
    label ("(dnr 1.5.1-646/2018)"). A number labelled as another party's ("Er beteckning") is
    mentioned."""
    found = dnr.find(text) if found is None else found
    header_end = len("\n".join(text.split("\n")[:_HEADER_LINES * 3]))
    # one § is an extract (its number is its own), unless the meeting's front page heads it
    if doctype == "protokoll" and (paragraph_count != 1 or _MEETING_FRONT.search(text)):
        # its header: the first lines, before the first § (no § found: no header to read)
        header = len("\n".join(text.split("\n")[:_HEADER_LINES]))
        before = 0 if first_paragraph is None else min(header, first_paragraph)
        own = [m.canonical for m in found if m.labelled and m.start < before and not _theirs(text, m)]
    elif doctype in PROTOCOLS:
        own = list(paragraph_dnr)
    elif doctype == "kallelse":
        own = [m.canonical for m in found if m.labelled]
    else:
        title_end = _first_line_end(text)
        letterhead_end = len("\n".join(text.split("\n")[:_HEADER_LINES]))
        labelled = [m for m in found if not _theirs(text, m) and m.labelled and m.start < _HEADER_CHARS
                    and not _cited(text, m)]
        if len({m.key for m in labelled if m.start >= letterhead_end}) >= _LISTED:
            # a list of cases under the letterhead ("- Avtalets benämning ... Dnr 0133/25", "Ärende
            # 2017.289/200 SBN-001" under "Diarienr: 2018.005 SBN"): only the letterhead's are its own
            labelled = [m for m in labelled if m.start < letterhead_end]
        own = [
            m.canonical for m in found
            if not _theirs(text, m) and (
                m in labelled
                or (m.start < header_end and _standalone_dnr(text, m))
                or (m.start < title_end and not _cited(text, m))  # "Remiss N2017/04696/RS Ändringar i ..."
                or _stamp(text, m))
        ]
        if not own and doctype in CASE_PAPERS:
            own = [m.canonical for m in found if m.labelled][:1]
        if not own:
            own = _adoption_dnr(text, found)
        if not own and doctype == "detaljplan":
            # a plankarta's title block, wherever its text layer puts it: "Diarienummer: PLAN.2017.807"
            own = [m.canonical for m in found if m.labelled and not _cited(text, m) and not _theirs(text, m)][:1]
        if not own:
            # A government bill names its ministry's case file: "Remissvaren finns tillgängliga
            # i Socialdepartementet (S2023/01343)".
            own = [m.canonical for m in found
                   if _CASE_FILE.search(text, max(0, m.start - _CASE_FILE_CHARS), m.start)][:1]
    # One number per case: "KS-2023-00112:4" and "KS-2023-00112" are one key.
    own_keys: dict[str, str] = {}
    for d in own:
        own_keys.setdefault(dnr.key(d), d)
    mentioned: dict[str, str] = {}
    for m in found:
        if m.key not in own_keys:
            mentioned.setdefault(m.key, m.canonical)
    return tuple(own_keys.values()), tuple(mentioned.values())


def _clean_title(title: str) -> str:
    title = " ".join(title.replace("*", " ").split()).strip(" :–-")
    title = _DOCTYPE_PREFIX.sub("", title).strip()
    return title.capitalize() if title.isupper() else title


def _is_title(line: str) -> bool:
    """A line that can be a title: words, not a page number, date, dnr, label, name or letterhead."""
    if _NOT_TITLE.match(line) or len(line.split()) < 2 or re.fullmatch(NAME, line):
        return False
    if find_dates(line) and len(line.split()) <= 4:
        return False
    if _UNIT_LINE.search(line) or (len(line.split()) <= 3 and dnr.find(line)):
        return False
    return line[0].isupper() or line[0].isdigit()


def _title_line(text: str, doctype: str) -> tuple[str | None, bool]:
    """The title a document gives itself: for case papers the line(s) before the first section
    heading ("Förslag till beslut"), else a line that starts with a type word ("Riktlinje för
    ..."), else the first title-like line before the prose starts. The flag tells whether the
    document marks it as its title (the first two ways) or it is only the first line."""
    heading = _TITLE_HEADINGS.search(text[:6000]) if doctype in CASE_PAPERS else None
    if heading:
        before = [line.strip() for line in text[:heading.start()].split("\n")]
        block: list[str] = []
        for line in reversed(before):
            if not line:
                if block:
                    break
                continue
            if _NOT_TITLE.match(line) or find_dates(line) or len(block) >= 2 or len(line.split()) < 2:
                break
            block.insert(0, line)
        if block:
            title = _clean_title(" ".join(block))
            if len(title.split()) >= 2:
                return title, True
    lines: list[str] = []
    for line in _lines(text[:6000], 40):
        if len(line) > _PROSE_LINE:
            break
        lines.append(line)
    candidates = [i for i, line in enumerate(lines) if _is_title(line)]
    typed = [i for i in candidates if DOCTYPE_HEADING.match(lines[i])]
    if not candidates:
        return None, False
    i = (typed or candidates)[0]
    title = lines[i]
    # A title wrapped over two lines: "Regler för användande av betalkort och" + "drivmedelskort ..."
    if i + 1 < len(lines) and (_OPEN_END.search(title) or lines[i + 1][:1].islower()):
        title = f"{title} {lines[i + 1]}"
    return _clean_title(title), bool(typed)


def document_title(text: str, doctype: str, parsed: ParsedDocument, source_name: str,
                   paragraphs: tuple, body: str | None, date: str | None, hint: str | None,
                   front_title: str | None = None, md_headings: list[str] | None = None) -> str:
    """The document's own title, else a hint, the format's title, its first heading, its first
    sentence and finally the file name."""
    if doctype == "protokollsutdrag" and paragraphs and paragraphs[0].title:
        return paragraphs[0].title
    if doctype in ("protokoll", "kallelse") and body:
        word = "Protokoll" if doctype == "protokoll" else "Kallelse"
        return " ".join(p for p in (word, body, date) if p)
    for heading in (md_headings or [])[:3]:
        if _is_title(heading):
            return _clean_title(heading)
    own, typed = _title_line(text, doctype)
    if own and typed:
        return own
    for candidate in (hint, parsed.title, front_title):
        if candidate and not _FILE_LIKE.search(candidate.strip()):
            return _clean_title(candidate)
    if own:
        return own
    for candidate in parsed.headings[:1]:
        if candidate and _is_title(candidate.strip()):
            return _clean_title(candidate)
    first = next(iter(_lines(text, 1)), "")
    sentence = _SENTENCE.match(first)
    if sentence and len(sentence.group("s").split()) <= _TITLE_WORDS:
        return _clean_title(sentence.group("s"))
    stem = PurePosixPath(source_name.replace("\\", "/")).stem
    return stem.replace("_", " ").strip() or "Utan titel"


def _submitted_to(organization: str | None) -> str | None:
    """A party's motion belongs to the kommun or region where it is submitted, the party is its
    author: "Vänsterpartiet i Alingsås" -> "Alingsås kommun" (unchanged where the place names none)."""
    m = PARTY_ORGANIZATION.fullmatch(organization or "")
    if not m:
        return organization
    place = m.group("place")
    return (official_name(place) or official_name(f"{place} kommun") or official_name(f"Region {place}")
            or organization)


def _author_parties(text: str, doctype: str, organization: str | None, persons: list[tuple[str, str]]) -> list[str]:
    """The party behind a motion or press release: its signing organization, its signature or
    the party tags of the people it quotes."""
    if doctype not in ("motion", "pressmeddelande"):
        return []
    codes: list[str | None] = []
    if organization:
        m = PARTY_ORGANIZATION.match(organization) or PARTY_NAME.match(organization)
        if m:
            codes.append(party_code(m.group("party") if "party" in (m.groupdict() or {}) else m.group(0)))
    for m in SIGNATURE.finditer(text[-_SIGNATURE_CHARS * 2:]):
        codes.append(party_code(m.group("party")))
    quoted = {name for role, name in persons if role in ("quoted", "motionär")}
    for name, code in named_with_party(text):
        if name in quoted and code:
            codes.append(code)
    return [c for c in dict.fromkeys(codes) if c]


def _parts(parsed: ParsedDocument, pages: list[Page], source_name: str, hints: dict,
           organization: str | None) -> tuple[Part, ...]:
    """A packet's papers, each extracted from its own pages (the packet's organization where a
    paper names none); () for a file that is one paper."""
    ranges = part_ranges(pages)
    if len(ranges) < 2:
        return ()
    out = []
    for number, (first, last) in enumerate(ranges, 1):
        own = replace(parsed, pages=tuple(p for p in parsed.pages if first <= p.number <= last), title=None,
                      headings=())
        meta = extract(own, source_name, {**hints, "organization": hints.get("organization") or organization},
                       packet=False)
        out.append(Part(number, first, last, meta.doctype, meta.title, meta.date, meta.body, meta.unit, meta.dnr))
    return tuple(out)


def extract(parsed: ParsedDocument, source_name: str, hints: dict | None = None, packet: bool = True) -> Metadata:
    """Metadata of a parsed document. `hints` (organization, body, doctype, date, title) come from
    a crawler's listing or a sources file and are used only where the document says nothing.
    `packet`: a kallelse followed by its ärenden's papers gets its parts (packets.py), each
    extracted from its own pages (packet=False there)."""
    hints = hints or {}
    pages, front_title, md_headings = _pages(parsed)
    text, _ = join(pages)
    first = pages[0].text if pages else ""
    doctype = classify(first[:6000], source_name, hints.get("doctype"))
    numbers = dnr.find(text)
    found = sections(text, numbers) if doctype in PROTOCOLS else []
    paragraphs = decisions.annotate(text, found, split(pages, found, numbers)) if found else ()
    if doctype == "protokoll" and len(paragraphs) == 1 and not _MEETING_FRONT.search(text):
        doctype = "protokollsutdrag"  # one § headed "Protokoll", without the meeting's front page: an extract
    when = protocol_dates(text, doctype) if doctype in PROTOCOLS else Dates()
    statements: tuple[Statement, ...] = find_statements(text, spans(text, found)) if doctype in PROTOCOLS else ()
    dated = document_date(text, doctype, source_name, hints.get("date"))
    date = dated.iso
    authored = without_recipient_lists(text)
    body = (find_body(authored, int(date[:4]) if date else year_in_path(source_name)) or hints.get("body")
            or body_of_source(authored, source_name))
    named, wrote = organization_evidence(authored)
    # A paper others wrote and a public body filed: its client's or applicant's title block first
    # (above the kommun its subject lies in), a company's or club's sign-off where no public body says it wrote it.
    outside = client(authored) or (None if wrote else signed_by(authored))
    organization = (outside or (named if wrote else None) or hints.get("organization") or organization_of_body(body)
                    or organization_of_host(source_name) or organization_of_path(source_name) or named
                    or government_by_minister(text) or organization_from_source(source_name))
    author = organization
    if doctype in ("motion", "interpellation"):
        organization = _submitted_to(organization)
    paragraph_dnr = tuple(d for p in paragraphs for d in p.dnr) + (listed_dnr(pages, found, numbers) if doctype == "protokoll" else ())
    own, mentioned = document_dnr(text, doctype, paragraph_dnr, numbers, found[0].start if found else None,
                                  len(paragraphs))
    header = "\n".join(_lines(first, _HEADER_LINES * 2))
    persons = find_persons(text, doctype, header)
    persons += [(s.kind, name) for s in statements for name in s.persons if (s.kind, name) not in persons]
    parties = [code for s in statements for code in s.parties]
    parties += _author_parties(text, doctype, author, persons)
    title = document_title(text, doctype, parsed, source_name, paragraphs, body, date, hints.get("title"),
                           front_title, md_headings)
    parts = _parts(parsed, pages, source_name, hints, organization) if packet and doctype in PACKET_KINDS else ()
    return Metadata(
        parts=parts,
        title=title,
        language=detect_language(text),
        date=date,
        date_kind=dated.kind,
        date_missing=dated.missing,
        doctype=doctype,
        organization=organization,
        body=body,
        unit=find_unit(authored, doctype),
        dnr=own,
        dnr_mentioned=mentioned,
        parties=tuple(dict.fromkeys(parties)),
        persons=tuple(persons),
        statements=statements,
        paragraphs=paragraphs,
        references=tuple(dict.fromkeys((r.kind, r.canonical) for r in find_references(text))),
        justified_on=when.justified_on,
        posted_on=when.posted_on,
        appeal_deadline=when.appeal_deadline,
        appeal_note=when.appeal_note,
    )
