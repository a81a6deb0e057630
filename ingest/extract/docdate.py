"""Extract stage: a document's own date by its kind, which date that is, or why it has none.

Protocols, protokollsutdrag and kallelser are dated by their meeting, press releases by their
publication, styrdokument by their adoption ("Antagen", "Datum för beslut") before their own date,
other papers by their "Datum". A date in the letterhead, a "Göteborg den 18 november 2025" line,
a motion's signature date follow. A date only in the file name is a hint: used where the text
prints none, except the meeting date of a meeting's folder ("tekniska-namnden_2026-05-18_..."),
which is not the attached document's own. An undated document says why.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.extract.dates import WEEKDAY, date_in_name, find_dates

_MEETING_PAPERS = ("protokoll", "protokollsutdrag", "kallelse")
_HEADER_CHARS = 2500  # labelled dates count as the document's own within this opening
_HEADER_LINES = 10  # unlabelled (letterhead) dates count within these first lines
_SIGNATURE_CHARS = 600
_DATE_LINE_WORDS = 6
_OPENING_CHARS = 800
_SCANNED_CHARS = 20000
_LABELS = {
    "protocol": ("Sammanträdesdatum", "Sammanträde", "Tid och plats", "Datum"),
    "pressmeddelande": ("Publicerad", "Datum"),
    "styrdokument": ("Antagen", "Beslutsdatum", "Datum", "Daterad", "Upprättad", "Uppdaterad", "Publicerad"),
    # a plan: its adoption ("Antagande: 2025-03-13" in a plankarta's title block) before "Upprättad datum"
    "detaljplan": ("Denna handling", "Antagen", "Beslutsdatum", "Datum", "Daterad", "Upprättad", "Publicerad"),
    "other": ("Denna handling", "Datum", "Beslutsdatum", "Antagen", "Daterad", "Upprättad", "Inlämnad", "Publicerad"),
}
_ANYWHERE_LABELS = ("Sammanträdesdatum", "Publicerad", "Beslutsdatum", "Denna handling")
# What each label's date is, as the document page says it.
KINDS = {
    "Sammanträdesdatum": "sammanträde", "Sammanträde": "sammanträde", "Tid och plats": "sammanträde",
    "Datum": "datum", "Beslutsdatum": "beslutad", "Antagen": "antagen", "Daterad": "daterad",
    "Upprättad": "upprättad", "Uppdaterad": "uppdaterad", "Inlämnad": "inlämnad", "Publicerad": "publicerad",
    "Denna handling": "den här handlingen",
}
# A deadline is not the document's date: "senast den 30 april 2024", "före den 1 mars".
_DEADLINE = re.compile(r"\b(?:senaste?|före|till och med|t\.o\.m\.|sista dag(?:en)?)\b[^\n]{0,20}\Z", re.I)
# The start of a period of validity is the date of last resort: "Gäller fr.o.m. 2026-01-01" gives
# way to the document's "Uppdaterad: 2025-03-28", but dates "Gäller 2025-11-06 – 2028-10-31" alone.
_VALIDITY = re.compile(r"\b(?:gäller|giltig[ta]?)(?:[ \t]+(?:fr\.o\.m\.|från|t\.o\.m\.|till))?[ \t:]*\Z", re.I)
_WEEKDAY_BEFORE = re.compile(rf"{WEEKDAY}[\s,]*(?:den\s+)?\Z", re.I)
# A letter's place and date: "Göteborg den 18 november 2025", "Alingsås 2026-05-13".
_PLACE_AND_DATE = re.compile(r"^[ \t]*(?!(?:Den|Det|Från|Till|Sedan|Efter|Före|Under|Per|Mellan|Senast|Klockan)\b)"
                             r"[A-ZÅÄÖ][a-zåäö]+(?:[ -][A-ZÅÄÖ][a-zåäö]+)?,?[ \t]+(?:den[ \t]+)?(?=\d)", re.M)
# A författning's title closes with its decision: "Transportstyrelsens föreskrifter ... om
# felparkeringsavgift;\nbeslutade den 28 augusti 2024." (not the "Utkom från trycket" date beside it).
_ISSUED = re.compile(r"^[ \t;]*beslutade[ \t]+den[ \t]+(?=\d)", re.M)
# A cover's date typeset letter-spaced, alone on its line: "2 0 2 6 - 0 3 - 2 6".
_SPACED_DATE = re.compile(r"[ \t]*(?:\d[ \t]*){4}[-–][ \t]*\d[ \t]*\d[ \t]*[-–][ \t]*\d[ \t]*\d[ \t]*")
# A template's date field never filled in: "Datum för beslut: ÅÅÅ-MM-DD", "2026-XX-XX".
_PLACEHOLDER = re.compile(r"\b(?:Å{3,4}|YYYY)-MM-DD\b|\b(?:19|20)\d\d-XX-XX\b|\bXXXX-XX-XX\b")
# A meeting's folder or file name: the nämnd's slug, then the meeting date, then the paper's name.
_MEETING_NAME = re.compile(r"(?:namnd\w*|styrelse\w*|fullmaktige|utskott\w*|direktion\w*|\b(?:kf|ks|ksau|bun|bmn|sn|ten|ofn))"
                           r"[_-](?:19|20)\d\d-?[01]\d-?[0-3]\d[_-]", re.I)


@dataclass(frozen=True)
class DocumentDate:
    """A document's date (YYYY-MM-DD or None), the kind of date it is, or why there is none."""

    iso: str | None
    kind: str | None = None  # "sammanträde", "datum", "antagen", "publicerad", "filnamn" ...
    missing: str | None = None  # why there is no date, for an undated document


def _lines(text: str, limit: int) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()][:limit]


def _from_text(text: str, doctype: str) -> tuple[str, str] | None:
    """(date, kind) the text itself gives, or None."""
    kind = "protocol" if doctype in _MEETING_PAPERS else doctype
    labels = _LABELS.get(kind, _LABELS["other"])
    head = text[:_HEADER_CHARS]
    found = find_dates(text[:_SCANNED_CHARS])
    signature_start = len(text) - _SIGNATURE_CHARS
    for label in labels:
        for d in found:
            if d.label != label:
                continue
            if d.start < _HEADER_CHARS or label in _ANYWHERE_LABELS or (label == "Datum" and d.start >= signature_start):
                return d.iso, KINDS[label]
    if doctype == "styrdokument":
        for m in _ISSUED.finditer(head):
            issued = find_dates(head[m.end():m.end() + 30])
            if issued and issued[0].start == 0:
                return issued[0].iso, KINDS["Beslutsdatum"]
    # A letterhead date stands on a short line of its own: "2019-08-20", "Vård- och omsorgsnämnden 2025-07-01".
    previous = ""
    valid_from: str | None = None
    for line in _lines(head, _HEADER_LINES):
        if _SPACED_DATE.fullmatch(line):
            line = re.sub(r"[ \t]+", "", line)
        if len(line.split()) > _DATE_LINE_WORDS or _DEADLINE.search(previous + " "):
            previous = line  # a date on a line after "... senast den" is a deadline too
            continue
        previous = line
        dates = find_dates(line)
        if dates and _VALIDITY.search(line, 0, dates[0].start):  # the line states a period: its start
            valid_from = valid_from or dates[0].iso
            continue
        for d in dates:
            if (d.label is None or d.label in labels) and not _DEADLINE.search(line, 0, d.start):
                placed = _PLACE_AND_DATE.match(line)
                unlabelled = "ort och datum" if placed and placed.end() == d.start else "brevhuvud"
                return d.iso, KINDS.get(d.label or "", unlabelled)
    if doctype == "motion":
        tail = find_dates(text[-_SIGNATURE_CHARS:])
        if tail:
            return tail[-1].iso, "undertecknad"
    title = find_dates(next(iter(_lines(head, 1)), ""))  # "Tal av ... i Uppsala den 19 augusti 2024"
    if title:
        return title[0].iso, "rubrik"
    for m in _PLACE_AND_DATE.finditer(text, 0, _SCANNED_CHARS):  # "Göteborg den 18 november 2025"
        line_end = text.find("\n", m.end())
        line = text[m.end():line_end if line_end >= 0 else len(text)]
        dates = find_dates(line)
        if dates and dates[0].start == 0 and not line[dates[0].end:].strip(" .,"):  # the date ends the line
            return dates[0].iso, "ort och datum"
    if valid_from:
        return valid_from, "gäller från"
    # A date with its weekday in the opening names the day of the event: "Presented by ... in the
    # Parliamentary Debate on Foreign Affairs, Wednesday, 24 February 2016."
    return next(((d.iso, "dag") for d in find_dates(text[:_OPENING_CHARS])
                 if _WEEKDAY_BEFORE.search(text, max(0, d.start - 16), d.start)
                 and not _DEADLINE.search(text, max(0, d.start - 40), d.start)), None)


def document_date(text: str, doctype: str, source_name: str = "", hint: str | None = None) -> DocumentDate:
    """The document's date by its kind, else a crawler's hint, else its file name's date (not a
    meeting folder's); with the kind of date taken, or why there is none.

    >>> document_date("Kommunstyrelsen\\nProtokoll\\nSammanträdesdatum 2026-06-15", "protokoll")
    DocumentDate(iso='2026-06-15', kind='sammanträde', missing=None)
    >>> document_date("Rapportsammandrag\\nText.\\nGöteborg den 18 november 2025\\nFör revisorsgruppen,", "utvärdering").iso
    '2025-11-18'
    >>> document_date("Biblioteksplan\\nDatum för beslut: ÅÅÅ-MM-DD", "styrdokument", "bun_2026-06-16_bilaga.pdf").missing
    'datumfältet är inte ifyllt (ÅÅÅ-MM-DD)'
    """
    found = _from_text(text, doctype)
    if found:
        return DocumentDate(found[0], found[1])
    if hint:
        return DocumentDate(hint, "källa")
    placeholder = _PLACEHOLDER.search(text[:_SCANNED_CHARS])
    name_date = date_in_name(source_name)
    if name_date and not _MEETING_NAME.search(source_name.replace("\\", "/").rsplit("/", 1)[-1]):
        return DocumentDate(name_date, "filnamn")
    if placeholder:
        return DocumentDate(None, missing=f"datumfältet är inte ifyllt ({placeholder.group(0)})")
    if not text.strip():
        return DocumentDate(None, missing="handlingen har ingen läsbar text")
    if name_date:
        return DocumentDate(None, missing=f"texten anger inget eget datum; {name_date} i filnamnet är mötets")
    return DocumentDate(None, missing="texten anger inget datum")
