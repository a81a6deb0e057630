"""Extract stage: statements in protocols (reservation, särskilt uttalande, ersättaryttrande, protokollsanteckning)."""
from __future__ import annotations

import re

from ingest.extract.paragraphs import HEADING as PARAGRAPH_HEADING
from ingest.extract.paragraphs import SECTION, spans
from ingest.extract.persons import named_with_party, party_names
from ingest.model import Statement

# The words for each kind of statement -> the kind recorded.
KINDS: dict[str, str] = {
    "reservation": "reservation",
    "reservationer": "reservation",
    "särskilt uttalande": "särskilt uttalande",
    "särskilda uttalanden": "särskilt uttalande",
    "särskilt yttrande": "särskilt uttalande",
    "särskilda yttranden": "särskilt uttalande",
    "ersättaryttrande": "ersättaryttrande",
    "ersättaryttranden": "ersättaryttrande",
    "protokollsanteckning": "protokollsanteckning",
    "protokollsanteckningar": "protokollsanteckning",
    "anteckning till protokollet": "protokollsanteckning",
}
_KIND_WORDS = "|".join(sorted(KINDS, key=len, reverse=True))
# A heading line: "Särskilt uttalande", "Reservation (S)", "Protokollsanteckning från Liberalerna:".
HEADING = re.compile(rf"^[ \t*#]*(?P<kind>{_KIND_WORDS})\b[ \t*]*(?P<rest>[^\n]*)$", re.I | re.M)
_HEADING_REST = re.compile(r"^(?:$|[(:–-]|från\b|av\b|mot\b|till förmån\b|\d\b|[A-ZÅÄÖ])")
# In running text: "Lars Eriksson (S) reserverar sig mot beslutet", "(L) lämnar en protokollsanteckning".
INLINE = re.compile(
    r"(?P<verb>reserverar sig|reserverade sig|anmäler reservation|lämnar (?:en |följande )?reservation"
    r"|(?:lämnar|lägger|anmäler|får lägga) (?:en |följande |ett )?(?:skriftlig )?"
    r"(?:protokollsanteckning|särskilt (?:uttalande|yttrande)|ersättaryttrande))",
    re.I,
)
_INLINE_KIND = (
    ("reserv", "reservation"),
    ("protokollsanteckning", "protokollsanteckning"),
    ("särskilt", "särskilt uttalande"),
    ("ersättaryttrande", "ersättaryttrande"),
)
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n)(?=[^.!?\n]*$)")
_MAX_TEXT = 3000


def _who(block: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Persons and parties named where a statement says who stands behind it.

    Parties attached to named persons count; bare tags such as "från (V), (S)" (whose
    statement is joined) count only when nobody is named.
    """
    first = next((line for line in block.split("\n") if line.strip()), "")
    first = re.split(r"[”\"“]", first, maxsplit=1)[0]  # the quoted statement itself follows
    pairs = named_with_party(first)
    persons = tuple(dict.fromkeys(name for name, _ in pairs if name))
    if persons:
        parties = tuple(dict.fromkeys(code for name, code in pairs if name and code))
    else:
        parties = tuple(dict.fromkeys([code for _, code in pairs if code] + party_names(first)))
    return persons, parties


def _block_end(text: str, start: int) -> int:
    """Where a statement's text ends: the next heading of a § section, statement or §."""
    ends = [len(text), start + _MAX_TEXT]
    for pattern in (SECTION, HEADING, PARAGRAPH_HEADING):
        m = pattern.search(text, start)
        if m:
            ends.append(m.start())
    rule = re.compile(r"^[ \t]*_{3,}", re.M).search(text, start)
    if rule:
        ends.append(rule.start())
    return min(ends)


def _sentence_start(text: str, pos: int, max_lines: int = 4) -> int:
    """Where the sentence around `pos` starts: back over lines that do not end a sentence."""
    start = text.rfind("\n", 0, pos) + 1
    for _ in range(max_lines):
        if start <= 1:
            break
        prev_start = text.rfind("\n", 0, start - 1) + 1
        prev = text[prev_start:start - 1].strip()
        if not prev or prev.endswith((".", ":", "!", "?", "”", '"')) or SECTION.match(prev) or HEADING.match(prev):
            break
        start = prev_start
    return start


def _lead_in(text: str, heading_start: int) -> str:
    """The sentence leading into a statement heading that continues it ("lämnar följande")."""
    line_start = text.rfind("\n", 0, max(0, heading_start - 1)) + 1
    prev = text[line_start:heading_start].strip()
    if not prev or prev.endswith((".", ":")):
        return ""
    return " ".join(text[_sentence_start(text, line_start):heading_start].split())


def _paragraph_at(paragraph_spans: list[tuple[str, int, int]], offset: int) -> str | None:
    for number, start, end in paragraph_spans:
        if start <= offset < end:
            return number
    return None


def find_statements(text: str, paragraph_spans: list[tuple[str, int, int]] | None = None) -> tuple[Statement, ...]:
    """The statements in a protocol's text, each with who made it and the § it belongs to.

    >>> s = find_statements("§ 16 Dnr 1\\nBeslut\\nJa.\\n\\nErsättaryttrande\\n\\nErsättaren Anna Rantala Bonnier (Fi) instämde.")
    >>> s[0].kind, s[0].parties, s[0].persons, s[0].paragraph
    ('ersättaryttrande', ('Fi',), ('Anna Rantala Bonnier',), '16')
    """
    paragraph_spans = spans(text) if paragraph_spans is None else paragraph_spans
    found: list[tuple[int, Statement]] = []
    covered: list[tuple[int, int]] = []
    headings = [m for m in HEADING.finditer(text) if _HEADING_REST.match(m.group("rest").strip(" *"))]
    for i, m in enumerate(headings):
        rest = m.group("rest").strip(" *")
        after = headings[i + 1] if i + 1 < len(headings) else None
        if (after is not None and after.group("kind").lower() == m.group("kind").lower()
                and after.start() - m.end() < _MAX_TEXT and not _lead_in(text, m.start())
                and _lead_in(text, after.start())):
            continue  # "Protokollsanteckning" + "A (S) och B (V) lämnar följande\nprotokollsanteckning:": one statement
        end = _block_end(text, m.end() + 1)
        block = (rest + "\n" + text[m.end():end]).strip()
        persons, parties = _who(block)
        if not persons and not parties:  # "X (L) och Y (L) lämnar följande\nprotokollsanteckning:"
            persons, parties = _who(_lead_in(text, m.start()))
        kind = KINDS[" ".join(m.group("kind").lower().split())]
        found.append((m.start(), Statement(kind, parties, persons, block, _paragraph_at(paragraph_spans, m.start()))))
        covered.append((m.start(), end))
    for m in INLINE.finditer(text):
        if any(start <= m.start() < end for start, end in covered):
            continue
        sentence_start = _sentence_start(text, m.start())
        period = max(text.rfind(". ", sentence_start, m.start()), text.rfind("? ", sentence_start, m.start()))
        start = period + 2 if period >= 0 else sentence_start
        stop = text.find(".", m.end())
        sentence = " ".join(text[start:stop + 1 if stop >= 0 else len(text)].split())
        persons, parties = _who(" ".join(text[start:m.start()].split()))
        verb = m.group("verb").lower()
        kind = next(k for word, k in _INLINE_KIND if word in verb)
        found.append((start, Statement(kind, parties, persons, sentence, _paragraph_at(paragraph_spans, start))))
    return tuple(s for _, s in sorted(found, key=lambda f: f[0]))
