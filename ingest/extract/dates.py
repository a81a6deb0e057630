"""Extract stage: dates as Swedish documents write them, with the label that names each one."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS: dict[str, int] = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "okt": 10, "nov": 11, "dec": 12,
    # English, for the archive's English pages ("24 February 2016")
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10, "oct": 10,
}

# Labels that name a date, in the words the documents use; matched just before the date.
LABELS: dict[str, str] = {
    "sammanträdesdatum": "Sammanträdesdatum",
    "sammanträdesdag": "Sammanträdesdatum",
    "sammanträde": "Sammanträde",
    "sammanträdet": "Sammanträde",
    "tid och plats": "Tid och plats",
    "plats och tid": "Tid och plats",
    "beslutsdatum": "Beslutsdatum",
    "justeringsdatum": "Justeringsdatum",
    "datum för justering": "Justeringsdatum",
    "anslaget": "Anslaget",
    "anslag uppsatt": "Anslaget",
    "daterad": "Daterad",
    "daterat": "Daterad",
    "daterade": "Daterad",
    "publicerad": "Publicerad",
    "publicerat": "Publicerad",
    "uppdaterad": "Uppdaterad",
    "upprättad": "Upprättad",
    "inlämnad": "Inlämnad",
    "inkom": "Inlämnad",
    "upprättat": "Upprättad",
    "dokumentet beslutades den": "Beslutsdatum",
    "beslutad": "Beslutsdatum",
    "utfärdad": "Beslutsdatum",  # a statute: "Utfärdad: 2023-06-22"
    "beslutat": "Beslutsdatum",
    "antagen": "Antagen",
    "antaget": "Antagen",
    "antagen av kommunfullmäktige": "Antagen",
    "antagande": "Antagen",  # a plan's title block: "Antagande: 2025-03-13"
    "antagandedatum": "Antagen",
    # a plan's list of its papers names itself: "Plan- och genomförandebeskrivning (den här handlingen) 2026-02-16"
    "(den här handlingen)": "Denna handling",
    "(denna handling)": "Denna handling",
    "datum för beslut": "Beslutsdatum",  # a styrdokument's header: "Datum för beslut: 2023-09-27 § 165"
    "datum för beslutet": "Beslutsdatum",
    "fastställd": "Antagen",
    "datum": "Datum",
    "date": "Datum",
}

_DAY = r"(?P<day>[0-3]?\d)"
YEAR = r"(?:19|20)\d\d"  # a year of the records we archive; every year pattern of the extractors uses it
_YEAR = rf"(?P<year>{YEAR})"
# One pattern per way of writing a date; all share the named groups day, month/mon, year.
_ISO = rf"\b{_YEAR}[-–](?P<month>[01]\d)[-–]{_DAY}\b"  # "2026–03–24" typeset with en dashes too
_WORDS = (
    rf"\b{_DAY}(?::?[ea])?\s+(?P<mon>{'|'.join(sorted(MONTHS, key=len, reverse=True))})\.?,?\s+{_YEAR}\b"
)
_DOTTED = rf"\b{_DAY}\.(?P<month>[01]?\d)\.{_YEAR}\b"  # 20.8.2019: Swedish day.month.year
_SHORT = rf"\b(?P<year>[0-3]\d)-(?P<month>[01]\d)-{_DAY}\b"  # 21-04-08: kept only after a label
# Named groups must be unique across alternatives: number them by alternative.
_ALTERNATIVES = [_ISO, _WORDS, _DOTTED, _SHORT]
DATE = re.compile(
    "|".join(
        "(?:" + alt.replace("(?P<day>", f"(?P<day{i}>").replace("(?P<year>", f"(?P<year{i}>")
        .replace("(?P<month>", f"(?P<month{i}>") + ")"
        for i, alt in enumerate(_ALTERNATIVES)
    ),
    re.I,
)
_TIME = re.compile(r"\s*,?\s*(?:kl\.?|klockan)\s*\d{1,2}[.:]\d\d(?:\s*[-–]\s*\d{1,2}[.:]\d\d)?", re.I)
WEEKDAY = r"(?:(?:mån|tis|ons|tors|fre|lör|sön)dag(?:en)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
# A label ends the text before the date: "Datum\n", "Sammanträdesdatum ", "beslutades den: ",
# "Sammanträde torsdagen den ", "**Datum**\n\n", "Antagen av kommunfullmäktige § 117, ".
_LABEL_BEFORE = re.compile(
    r"(?P<label>" + "|".join(re.escape(k) for k in sorted(LABELS, key=len, reverse=True)) + r")"
    + rf"[\s:*#.,]*(?:§\s*\d+\s*,?\s*)?(?:{WEEKDAY}[\s,]*)?(?:den\s+)?$",
    re.I,
)
_LOOKBEHIND = 60  # characters before a date searched for its label


@dataclass(frozen=True)
class DateMatch:
    """A date found in text: ISO form, character span and the label naming it (or None)."""

    iso: str
    start: int
    end: int
    label: str | None = None


def _iso(m: re.Match) -> str | None:
    groups = {k: v for k, v in m.groupdict().items() if v is not None}
    year = int(next(v for k, v in groups.items() if k.startswith("year")))
    year += 2000 if year < 100 else 0
    day = int(next(v for k, v in groups.items() if k.startswith("day")))
    if "mon" in groups:
        month = MONTHS[groups["mon"].lower()]
    else:
        month = int(next(v for k, v in groups.items() if k.startswith("month")))
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def label_before(text: str, start: int) -> str | None:
    """The label just before position `start` (same line or the line above), canonical form."""
    window = text[max(0, start - _LOOKBEHIND):start]
    m = _LABEL_BEFORE.search(window)
    if not m:
        return None
    # The label must start a word: "Upprättad" yes, "Ej daterad" yes, "mandatum" no.
    if m.start() > 0 and window[m.start() - 1].isalpha():
        return None
    return LABELS[m.group("label").lower()]


def find_dates(text: str) -> list[DateMatch]:
    """All valid dates in `text`, in order, each with its label when one precedes it.

    >>> [(d.iso, d.label) for d in find_dates("Sammanträdesdatum 2024-04-25 kl 13:00")]
    [('2024-04-25', 'Sammanträdesdatum')]
    >>> [(d.iso, d.label) for d in find_dates("tjänsteutlåtande daterat den 27 juni 2019")]
    [('2019-06-27', 'Daterad')]
    >>> [d.iso for d in find_dates("den 31.2.2019 och 20.8.2019")]
    ['2019-08-20']
    """
    out: list[DateMatch] = []
    for m in DATE.finditer(text):
        iso = _iso(m)
        if iso is None:
            continue
        label = label_before(text, m.start())
        if m.group("year3") and label is None:  # a two-digit year is a date only when labelled
            continue
        end = m.end()
        time = _TIME.match(text, end)
        if time:
            end = time.end()
        out.append(DateMatch(iso, m.start(), end, label))
    return out


# A date in a file name: "2016-09-27-rapport.md", "riktlinje-20131213.md".
_NAME_DATE = re.compile(rf"(?<!\d){_YEAR}-?(?P<month>[01]\d)-?(?P<day>[0-3]\d)(?!\d)")


def date_in_name(source: str) -> str | None:
    """The date a file's own name gives (not its folders'), for a text that gives none.

    >>> date_in_name("gotland/2016-09-27-rapport-fran-fullmaktige.markdown"), date_in_name("x/Riktlinjer-20131213.md")
    ('2016-09-27', '2013-12-13')
    >>> date_in_name("2019/12/uppdrag.md") is None
    True
    """
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    for m in _NAME_DATE.finditer(name):
        try:
            return date(int(m.group("year")), int(m.group("month")), int(m.group("day"))).isoformat()
        except ValueError:
            continue
    return None


_PATH_MONTH = re.compile(rf"[/\\]{_YEAR}[/\\](?:0[1-9]|1[0-2])[/\\]")


def year_in_path(source: str) -> int | None:
    """The year of a source's year/month folders ("pressmeddelanden/2023/05/x"): when a text
    gives no date, still the year it was published.

    >>> year_in_path("https://www.regeringen.se/pressmeddelanden/2023/05/x/"), year_in_path("a/2023/b")
    (2023, None)
    """
    m = _PATH_MONTH.search(source)
    return int(m.group("year")) if m else None
