"""Extract stage: a protocol's paragraphs (§), each with title, page, dnr and decision."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.extract import dnr, headings
from ingest.model import Page, Paragraph

# A § heading starts a line: "§ 16", "§66 Dnr 2024/1", "§ 73 forts Dnr 2023/710", "§ 1   Dnr 2024-00001".
# What follows the number decides: a title, a dnr or nothing. Running text wrapped onto a new
# line ("§ 115 att ge positivt planbesked", "§ kommunallagen") is not a heading.
HEADING = re.compile(
    r"^[ \t#*]*§[ \t]*(?P<number>\d{1,4})(?![\d:.,/-])[ \t]*(?P<rest>[^\n]*)$",
    re.M,
)
_CONTINUED = re.compile(r"^\(?\s*(?:forts(?:\.|ättning)?|fortsättn\.?)\)?(?:\s|$)", re.I)
_TITLE_START = re.compile(r"^(?:$|Dnr\b|DNR\b|[*_]|[A-ZÅÄÖÉ0-9\"”“'(])")
_DNR_LABEL = re.compile(r"^\s*(?:Dnr|DNR|Diarienummer)[.:]?\s*", re.I)
_DOT_LEADER = re.compile(r"(?:\.{2,}|…+)[ \t]*\d{1,4}[ \t]*$", re.M)
_PAGE_MARKER = re.compile(r"<!--\s*sida\s+(\d+)\s*-->", re.I)
_RULE = re.compile(r"^[ \t]*[_\-–]{3,}[ \t]*$")
_HYPHENATED = re.compile(r"(?<=[a-zåäö])-\n(?=[a-zåäö])")  # "infor-\nmationspunkt"
_NOISE_LINE = 4  # shorter decision lines are page furniture (rotated signature text, page numbers)
_BULLET = re.compile(r"^(?:\S{1,2}[ \t]+)?[•*-][ \t]*")

# Headings inside a §, whole lines; the decision ends at the next one.
SECTION = re.compile(
    r"^[ \t*#]*(?:"
    r"(?:[\wåäöÅÄÖ-]+s[ \t]+)?beslut(?:sförslag(?:[ \t]+till[ \t]+[\wåäöÅÄÖ]+)?)?"
    r"|ärendet|ärendebeskrivning|sammanfattning(?: av ärendet)?|bakgrund|beslutsunderlag|beslutsgång"
    rf"|beslutsordning|yrkanden?|{headings.PROPOSAL}[^\n]*|överläggningar?|propositionsordning"
    r"|reservation(?:er)?|särskil(?:t|da) (?:uttalanden?|yttranden?)|ersättaryttranden?"
    r"|protokollsanteckning(?:ar)?|anteckning till protokollet|beslutet (?:skickas|expedieras) till:?"
    r"|expedieras(?: till)?:?|expedierat/bestyrkt|justerandes sign[^\n]*|jäv|ajournering"
    r"|skäl för beslut(?:et)?|motivering|handlingar|deltar ej i beslutet|avstå från att delta i beslutet"
    r"|återkallande av beslutsförslag|ärendets beredning|förvaltningens (?:bedömning|förslag[^\n]*)"
    r"|inledning|omröstning(?:sresultat)?|upplysningar|beslutets? innebörd"
    r")[ \t*:]*$",
    re.I | re.M,
)
# The decision itself: "Beslut", "Socialnämndens beslut", "SAMHÄLLSPLANERINGSNÄMNDENS BESLUT".
DECISION = re.compile(
    r"^[ \t*#]*(?:\w{1,2}[ \t]+)?(?:[\wåäöÅÄÖ]+-[ \t]+och[ \t]+)?(?:[\wåäöÅÄÖ-]+s[ \t]+)?beslut(?:sförslag(?:[ \t]+till[ \t]*[\wåäöÅÄÖ]*)?)?[ \t*:]*$",
    re.I | re.M,
)
# An arbetsutskott proposes rather than decides: "Förslag till beslut i byggnadsnämnden".
PROPOSAL = re.compile(rf"^[ \t*#]*{headings.PROPOSAL}\b(?! på sammanträdet)[^\n]*$", re.I | re.M)
_TOC_MAX_LINES = 8


@dataclass(frozen=True)
class Section:
    """Where one § heading's text lies in the joined text."""

    number: str
    start: int
    end: int
    heading_end: int
    continued: bool  # "§ 73 forts": the rest of an earlier §
    listed: bool  # an entry of the table of contents, not the § itself


def join(pages: Sequence[Page]) -> tuple[str, list[tuple[int, int]]]:
    """The pages' text joined as ParsedDocument.text joins it, with (offset, page number) starts.

    "<!-- sida N -->" markers of converted documents start a page too.
    """
    parts: list[str] = []
    starts: list[tuple[int, int]] = []
    offset = 0
    for page in pages:
        starts.append((offset, page.number))
        for m in _PAGE_MARKER.finditer(page.text):
            starts.append((offset + m.start(), int(m.group(1))))
        parts.append(page.text)
        offset += len(page.text) + 2
    return "\n\n".join(parts), starts


def page_at(starts: list[tuple[int, int]], offset: int) -> int:
    """The page number at a character offset of the joined text."""
    number = starts[0][1] if starts else 1
    for start, page in starts:
        if start > offset:
            break
        number = page
    return number


def _is_heading(rest: str) -> bool:
    rest = rest.strip()
    return bool(_CONTINUED.match(rest) or _TITLE_START.match(rest))


def _within(numbers: Sequence[dnr.DnrMatch], start: int, end: int) -> list[dnr.DnrMatch]:
    return [m for m in numbers if start <= m.start and m.end <= end]


def sections(text: str, numbers: Sequence[dnr.DnrMatch] | None = None) -> list[Section]:
    """The § headings of a text with their extent, table-of-contents entries marked.

    `numbers` is dnr.find(text) when the caller has it already.
    """
    numbers = dnr.find(text) if numbers is None else numbers
    heads = [m for m in HEADING.finditer(text) if _is_heading(m.group("rest"))]
    found: list[Section] = []
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        body = text[m.start():end]
        lines = [line for line in body.splitlines() if line.strip()]
        continued = bool(_CONTINUED.match(m.group("rest").strip()))
        # A table of contents lists a § before the § itself; its lines end in page numbers.
        again = any(h.group("number") == m.group("number") and not _CONTINUED.match(h.group("rest").strip())
                    for h in heads[i + 1:])
        listed = not continued and (again or bool(_DOT_LEADER.search("\n".join(lines[:_TOC_MAX_LINES]))))
        found.append(Section(m.group("number"), m.start(), end, m.end(), continued, listed))
    # The §§ themselves run in order and carry a dnr or a heading such as "Beslut": drop stray
    # headings ("§ 28" in an attendance list) and headings that go backwards.
    kept: list[Section] = []
    last = -1
    in_contents: set[str] = set()
    for s in found:
        if s.listed:
            kept.append(s)
            in_contents.add(s.number)
            continue
        # A § the table of contents listed is one even when it is only a heading ("§ 34 Information").
        if not s.continued and s.number not in in_contents and not _has_substance(text, s, numbers):
            continue
        n = int(s.number)
        if n > last or (s.continued and n == last):
            kept.append(s)
            last = n
    return kept


def _has_substance(text: str, s: Section, numbers: Sequence[dnr.DnrMatch]) -> bool:
    if any(m.labelled for m in _within(numbers, s.start, min(s.end, s.start + 400))):
        return True
    return bool(SECTION.search(text, s.start, s.end))


def spans(text: str, found: list[Section] | None = None) -> list[tuple[str, int, int]]:
    """(number, start, end) of each § body in the text, continuations included."""
    found = sections(text) if found is None else found
    return [(s.number, s.start, s.end) for s in found if not s.listed]


def _title(text: str, s: Section, numbers: Sequence[dnr.DnrMatch]) -> str:
    heading = text[s.start:s.heading_end]
    for m in reversed(_within(numbers, s.start, s.heading_end)):
        heading = heading[:m.start - s.start] + heading[m.end - s.start:]
    first = _DNR_LABEL.sub("", heading.split(s.number, 1)[1]).strip(" \t*_")
    first = _CONTINUED.sub("", first).strip()
    lines: list[str] = [first] if first else []
    for raw in text[s.heading_end:s.end].split("\n")[1:]:
        line = raw.strip().strip("*_").strip()
        if not line:
            if lines:
                break
            continue
        if SECTION.match(line) or _DNR_LABEL.match(line) or _RULE.match(line) or len(lines) >= 3:
            break
        if lines:
            prev = lines[-1]
            wraps = prev.endswith(("-", "–", ",")) or line[0].islower() or line[0].isdigit() or len(prev) >= 50
            if not wraps:
                break
        lines.append(line)
    return _join_lines(lines)


def _join_lines(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].islower() and not line.startswith("och "):
            out = out[:-1] + line  # "eventuel-" + "la" -> "eventuella"
        else:
            out = f"{out} {line}" if out else line
    return " ".join(out.split())


# A number on a line of its own among a §'s first lines is its case's, with a filing code after
# it or not: "## **§ 33**", "## **Verksamhetsberättelse 2024**", "Bun/2023:276 041".
_FIRST_LINES = 3
_CODE_AFTER = re.compile(r"[ \t*_]*(?:\d{1,4}(?:\.\d{1,3})*)?[ \t*_]*(?:\n|\Z)")


def _first_lines_end(text: str, s: Section) -> int:
    end, lines = s.heading_end, 0
    while lines < _FIRST_LINES and end < s.end:
        nxt = text.find("\n", end + 1)
        nxt = s.end if nxt < 0 or nxt > s.end else nxt
        if text[end:nxt].strip():
            lines += 1
        end = nxt
    return end


def _alone_on_line(text: str, m: dnr.DnrMatch) -> bool:
    line_start = text.rfind("\n", 0, m.start) + 1
    return not text[line_start:m.start].strip(" \t*_#") and bool(_CODE_AFTER.match(text, m.end))


# A list of the cases a § reports ("Meddelanden", "Anmälningar"): a number opening a bullet line,
# "• 2025.252 KS-013 § 10 VON - Rapportering av ej verkställda beslut".
_BULLET_BEFORE = re.compile(r"(?:^|\n)[ \t]*[•▪◦*–-][ \t]*\Z")


def _dnr(text: str, s: Section, numbers: Sequence[dnr.DnrMatch]) -> tuple[str, ...]:
    first_lines = _first_lines_end(text, s)
    found = [m for m in _within(numbers, s.start, s.end)
             if (m.start < s.heading_end + 300 and (m.labelled or m.start < s.heading_end))
             or (m.start < first_lines and _alone_on_line(text, m))
             or _BULLET_BEFORE.search(text, max(s.start, m.start - 8), m.start)]
    by_case: dict[str, str] = {}
    for m in found:
        by_case.setdefault(m.key, m.canonical)  # "2025.252 KS-013" and "2025.252 KS-015": one case
    return tuple(by_case.values())


def furniture(pages: Sequence[Page]) -> frozenset[str]:
    """Lines repeated at the top or bottom of most pages: letterheads, dates, footers."""
    if len(pages) < 3:
        return frozenset()
    counts: dict[str, int] = {}
    for page in pages:
        lines = [line.strip() for line in page.text.splitlines() if line.strip()]
        for line in set(lines[:3] + lines[-3:]):
            counts[line] = counts.get(line, 0) + 1
    return frozenset(line for line, n in counts.items() if n >= max(3, len(pages) // 2))


def _decision(body: str, heading: re.Match | None, skip: frozenset[str] = frozenset()) -> str:
    if not heading:
        return ""
    rest = body[heading.end():].split("\n")
    if heading.group(0).rstrip(" \t*:").lower().endswith(" till"):
        rest = rest[2:]  # "BESLUTSFÖRSLAG TILL" + "KOMMUNFULLMÄKTIGE" on the next line
    lines: list[str] = []
    for raw in rest:
        line = raw.strip()
        if SECTION.match(line) or _RULE.match(line) or _PAGE_MARKER.search(line):
            if lines:
                break
            continue
        if len(line) >= _NOISE_LINE and line not in skip:
            lines.append(_BULLET.sub("", line))
    return _HYPHENATED.sub("", "\n".join(lines)).strip()


def _paragraph(text: str, parts: list[Section], starts: list[tuple[int, int]], skip: frozenset[str],
               numbers: Sequence[dnr.DnrMatch]) -> Paragraph:
    """One § from its heading and its "forts" continuations."""
    first = parts[0]
    bodies = [text[p.heading_end:p.end] for p in parts]
    decision = next((_decision(b, m, skip) for b in bodies if (m := DECISION.search(b))), "") or next(
        (_decision(b, m, skip) for b in bodies if (m := PROPOSAL.search(b))), ""
    )
    found = tuple(dict.fromkeys(d for p in parts for d in _dnr(text, p, numbers)))
    return Paragraph(first.number, _title(text, first, numbers), page_at(starts, first.start), found, decision,
                     start=first.start)


def split(pages: Sequence[Page], found: list[Section] | None = None,
          numbers: Sequence[dnr.DnrMatch] | None = None) -> tuple[Paragraph, ...]:
    """The §§ of a protocol in order; a "forts" heading adds to its §, listed entries are skipped.

    `found` and `numbers` are sections() and dnr.find() of the joined text when the caller has them.
    """
    text, starts = join(pages)
    numbers = dnr.find(text) if numbers is None else numbers
    found = sections(text, numbers) if found is None else found
    groups: list[list[Section]] = []
    for s in found:
        if s.listed:
            continue
        if s.continued and groups and groups[-1][0].number == s.number:
            groups[-1].append(s)
        else:
            groups.append([s])
    skip = furniture(pages)
    return tuple(_paragraph(text, parts, starts, skip, numbers) for parts in groups)


def listed_dnr(pages: Sequence[Page], found: list[Section] | None = None,
               numbers: Sequence[dnr.DnrMatch] | None = None) -> tuple[str, ...]:
    """The dnr of the table of contents' § entries (all §§ of a protocol, even when cut short)."""
    text, _ = join(pages)
    numbers = dnr.find(text) if numbers is None else numbers
    found = sections(text, numbers) if found is None else found
    listed: list[str] = []
    for s in found:
        if s.listed:
            listed.extend(m.canonical for m in _within(numbers, s.start, min(s.end, s.heading_end + 200)))
    return tuple(dict.fromkeys(listed))
