"""Extract stage: a protocol's justering and anslag dates and the last day to appeal its decisions.

A decision can be appealed (laglighetsprövning) within three weeks from the day the justering
was posted on the anslagstavla (kommunallagen 13 kap. 5 §); a period ending on a Saturday,
Sunday, public holiday, midsommarafton, julafton or nyårsafton ends on the next weekday
(lag 1930:173). Pure functions of the protocol's text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.extract.dates import find_dates
from ingest.extract.decisions.holidays import next_working_day, non_working

APPEAL_WEEKS = 3

# "Datum för anslags uppsättande 2025-03-26", "Datum för 2024-05-03 ... anslags uppsättande",
# "Anslaget uppsatt: 2023-03-16", "Tillkännagivandet publicerat 2023-03-16".
_POSTED = re.compile(
    r"anslags?\s+uppsätt|anslag(?:et)?\s+(?:uppsatt|publicerat|anslaget)|uppsatt\s+på\s+anslagstavlan"
    r"|datum\s+för\s+anslag|tillkännagivande(?:t)?\s+(?:publicerat|uppsatt)|publicerat\s+på\s+anslagstavlan",
    re.I,
)
_JUSTIFIED = re.compile(r"justering(?:ens)?\s+(?:plats\s+och\s+tid|datum)|justeringsdatum|protokollet\s+justeras|justerat?\s+den", re.I)
_SIGNED = re.compile(r"(?:Signed by|Signerat av|Undertecknat av)[^\n]*?\n?[^\n]*?Date:\s*(\d{4}-\d\d-\d\d)", re.I)
_SIGNED_DATE = re.compile(r"\bDate:\s*(\d{4}-\d\d-\d\d)")


@dataclass(frozen=True)
class Dates:
    """A protocol's justering, posting and appeal dates, and why a deadline is missing."""

    justified_on: str | None = None
    posted_on: str | None = None
    appeal_deadline: str | None = None
    appeal_note: str | None = None


def appeal_deadline(posted_on: date) -> date:
    """The last day to appeal decisions whose justering was posted on `posted_on`.

    >>> appeal_deadline(date(2024, 5, 3)), appeal_deadline(date(2025, 5, 30))
    (datetime.date(2024, 5, 24), datetime.date(2025, 6, 23))
    """
    return next_working_day(posted_on + timedelta(weeks=APPEAL_WEEKS))


def _line_dates(line: str) -> list[str]:
    return [d.iso for d in find_dates(line) if d.label != "Sammanträdesdatum"]


def _posted(text: str) -> str | None:
    """The posting date of the anslag block: after its label on the label's line, else on the line
    above (layouts put "Datum för 2024-05-03 Datum för 2024-05-25" above "anslags uppsättande"),
    else on the line below. The block prints the posting date before the taking-down date."""
    for m in _POSTED.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        after = _line_dates(text[m.start():line_end])
        if after:
            return after[0]
        above_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
        above = _line_dates(text[above_start:line_start])
        if above:
            return above[0]
        below_end = text.find("\n", line_end + 1)
        below = _line_dates(text[line_end:below_end if below_end > 0 else len(text)])
        if below:
            return below[0]
    return None


def _justified(text: str) -> str | None:
    for m in _JUSTIFIED.finditer(text):
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        dates = find_dates(text[m.end():min(line_end + 60, m.end() + 120)])
        if dates:
            return dates[0].iso
    signed = [m.group(1) for m in _SIGNED_DATE.finditer(text)]
    return max(signed) if signed else None


def protocol_dates(text: str, doctype: str) -> Dates:
    """Justering, anslag and appeal deadline of a protocol or protokollsutdrag's text.

    >>> protocol_dates("ANSLAG/BEVIS\\nDatum för anslags uppsättande 2025-03-26 Datum för anslags nedtagande 2025-04-17", "protokoll").appeal_deadline
    '2025-04-16'
    """
    low = text.lower()  # the labels' words first: most documents have none
    justified = _justified(text) if "juster" in low or "date:" in low else None
    posted = _posted(text) if "anslag" in low or "tillkännagivande" in low else None
    if posted:
        deadline = appeal_deadline(date.fromisoformat(posted))
        end = date.fromisoformat(posted) + timedelta(weeks=APPEAL_WEEKS)
        why = non_working(end)
        note = f"Tre veckor från anslaget {posted}" + (f"; {end.isoformat()} är {why}, så tiden går ut nästa vardag" if why else "")
        return Dates(justified, posted, deadline.isoformat(), note)
    if doctype == "protokollsutdrag":
        note = "Protokollsutdraget anger inte när protokollet anslogs; tiden räknas från anslaget av hela protokollet"
    else:
        note = "Protokollet anger inte vilken dag justeringen anslogs på anslagstavlan"
    return Dates(justified, None, None, note)
