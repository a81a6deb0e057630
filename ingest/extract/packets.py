"""Extract stage: a meeting packet's parts.

A nämnd's "handlingar" are one file: the kallelse (or föredragningslista) and after it the
papers of each ärende, each as it was written (tjänsteskrivelse, protokollsutdrag of an
utskott, yttrande, bilaga), each with its own letterhead and page counter. part_ranges() finds
where each paper begins, page by page, from what the papers' own first pages show:

* a page counter that starts again ("1 (2)", "1(3)", "Sida 1 av 4") begins a paper, a counter
  past 1 ("2 (2)") continues one, whatever heading the page repeats;
* without a counter, a kind heading at the top of the page ("TJÄNSTESKRIVELSE",
  "SAMMANTRÄDESPROTOKOLL", "Bilaga 2") begins a paper, unless it repeats the kind and the
  diarienummer of the paper before (a letterhead printed on every page);
* any other page continues the paper before.

The packet stays one document (one original file); its parts are its metadata, each with the
type, title, date, body and own diarienummer extraction finds in the part's pages alone.
"""
from __future__ import annotations

import re

from ingest.extract import dnr
from ingest.extract.doctype import from_headings
from ingest.model import Page

# The lines at the top of a page where a letterhead, a heading and a page counter stand.
_TOP_LINES = 8
# A page counter: "2 (3)", "2(3)", "Sida 2 av 3", "Sida 2 (3)"; not a date or a dnr ("2024-04-25", "VN 2024-00036").
_COUNTER = re.compile(
    r"(?<![\w/.:-])(?P<n>\d{1,3})[ \t]?\((?P<of>\d{1,3})\)(?!\w)"
    r"|\bSida[ \t]+(?P<n2>\d{1,3})[ \t]*(?:av|\(|/)[ \t]*(?P<of2>\d{1,3})\)?",
    re.I,
)
# An attachment's own heading: "Bilaga 2", "BILAGA 1 till ...", "Bilaga: Karta".
_ATTACHMENT = re.compile(r"^[ \t#*]*Bilaga\b(?:[ \t]+\d+|[ \t]*:)?", re.I)
# The kinds that head a packet: a packet is a kallelse with papers after it.
PACKET_KINDS = ("kallelse",)


def _top(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return "\n".join(lines[:_TOP_LINES])


def page_counter(text: str) -> tuple[int, int] | None:
    """The page counter at the top of a page, (page, of), or None.

    >>> page_counter("KUNGSBACKA KOMMUN   SAMMANTRÄDESPROTOKOLL   1 (2)\\nValnämnd")
    (1, 2)
    >>> page_counter("Sida 3 av 7\\nText"), page_counter("Datum\\n2024-04-25\\nVN-2024-00036")
    ((3, 7), None)
    """
    for m in _COUNTER.finditer(_top(text)):
        n, of = int(m.group("n") or m.group("n2")), int(m.group("of") or m.group("of2"))
        if 1 <= n <= of:
            return n, of
    return None


def _kind(top: str) -> str | None:
    if any(_ATTACHMENT.match(line) for line in top.splitlines()[:3]):
        return "bilaga"
    return from_headings(top)


def _numbers(top: str) -> set[str]:
    return {m.key for m in dnr.find(top)}


def part_ranges(pages: list[Page]) -> list[tuple[int, int]]:
    """(first, last) page numbers of each paper in a packet's pages, in order; one range for a
    file that is one paper.

    >>> pages = [Page(1, "KALLELSE\\nValnämnd"), Page(2, "KOMMUN\\n2(2)\\nÄrenden"),
    ...          Page(3, "TJÄNSTESKRIVELSE\\nDiarienummer\\nVN-2024-00033"), Page(4, "KOMMUN\\n2 (2)\\nBeslutsunderlag"),
    ...          Page(5, "KOMMUN   SAMMANTRÄDESPROTOKOLL   1 (2)\\nValnämnd"), Page(6, "SAMMANTRÄDESPROTOKOLL 2 (2)")]
    >>> part_ranges(pages)
    [(1, 2), (3, 4), (5, 6)]
    >>> part_ranges([Page(1, "TJÄNSTESKRIVELSE\\nDnr KS-2024-00012"), Page(2, "TJÄNSTESKRIVELSE\\nDnr KS-2024-00012")])
    [(1, 2)]
    """
    if not pages:
        return []
    starts = [0]
    kind = _kind(_top(pages[0].text))
    numbers = _numbers(_top(pages[0].text))
    for i, page in enumerate(pages[1:], 1):
        top = _top(page.text)
        counter = page_counter(page.text)
        heading = _kind(top)
        if counter is not None and counter[0] > 1:
            continue  # "2 (2)": the paper before goes on
        page_numbers = _numbers(top)
        repeated = heading == kind and (not page_numbers or page_numbers == numbers)
        first_of_many = counter is not None and counter[0] == 1 and counter[1] > 1
        if ((counter is not None or heading) and not repeated) or (first_of_many and heading is None):
            starts.append(i)
            kind, numbers = heading, page_numbers
    ends = [s - 1 for s in starts[1:]] + [len(pages) - 1]
    return [(pages[s].number, pages[e].number) for s, e in zip(starts, ends)]
