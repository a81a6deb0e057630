"""Extract stage: diarienummer (case numbers) — the one place their patterns and normalisation live.

Used by the extractor (`find`), the catalog and index (`canonical`, `key`) and the query parser
(`query_key`). Pure functions of strings.

Supported families (name: example -> canonical). *Prefixed* families are recognised anywhere in
the text; *bare* families (no letters) only after a dnr label ("Dnr", "Dnr:", "Dnr.",
"Diarienummer", "Diarienr", "Vårt dnr", "Ert dnr", "Er referens", "Vår beteckning",
"Ärendenummer", "Tillhör ärende", "Beteckning", "LST"), in a labelled column of a Markdown table
(header cell "Beteckning", "Dnr", "Diarienummer" ...), after ", " / "och" following such a
labelled number, or at the end of a line that starts with "§ N" (a protocol's table of contents).

Prefixed:
- stockholm:   Stockholms stad           "1.5.1-646/2018"  -> "1.5.1-646/2018"
- stockholm3:  Stockholms stad (older)   "322-278/2009"    -> "322-278/2009"
- government:  Regeringskansliet, Lantmäteriet (letters glued to the year)
               "N2018/03142/SK", "fi2025/00415", "A2026/00012", "LI2023/01723", "LM2024/027148"
               -> "N2018/03142/SK", "Fi2025/00415", ... (department codes keep their case)
- colon:       Botkyrka                  "VON/2025:00149", "VON 2025:00149", "KS/2013:635",
               "SN/2020:00537", "UF/2011:71" -> "VON/2025:00149", ... (the slash form Botkyrka
               writes in its headers; the space form needs 4+ digits or a label, since
               "SSM 2014:36" and "ER 2015:23" are report series)
- dash:        Malmö, Uppsala, Kungsbacka, VGR, Region Stockholm, Helsingborg, Transportstyrelsen
               "KS-2020-1234", "KSN-2021-0456", "BN-2020-\\n00017", "rs 2019-01234",
               "SMST 2510-0065", "SBF 2021-002727" -> as written, upper-case prefix; the registers
               in HYPHEN_PREFIXES are written with hyphens, so "VN 2024-00036" -> "VN-2024-00036"
               and "BN 2023-002372" -> "BN-2023-002372"; a prefix glued to the year stays glued
               ("FM2025-19772") except in SPACE_PREFIXES ("RS2019-05482" -> "RS 2019-05482");
               a handlingsnummer is kept as written ("KS-2023-00112:4"), and dropped by `key`
- space_slash: Stockholm KS, Trafikverket "KS 2019/562", "TRV 2024/58131" -> same
- glued:       Region Halland            "RS200880" -> "RS200880" (other letters+digits need a label)
- dash_yy:     Göteborg                  "SRV-0226/18" -> "SRV-0226/18"
- court:       a court's case after "mål nr": "mål nr AM 112/1947", "mål nr VA 26/76" -> "AM 112/1947"
- year_dot:    Alingsås                  "2025.446 KS", "2022.088 SN-020", "2017.289/200 SBN" -> as written (a serial of
               1-2 digits needs a label; a handlingsnummer after the register is dropped by `key`)
- any case:    a stamp's register may be lower- or mixed-case before "-" or "/": "bn-2021-0456",
               "Bun/2023:276" -> "BN-2021-0456", "BUN/2023:276"

Bare and unknown shapes (label or dnr position required):
- coded:       other letter-coded numbers "dnr A033.183/2019" -> "A033.183/2019"
- year_dash:   Kungsbacka nämnd register "Dnr 2024-00013" -> "2024-00013"
- year_slash:  Simrishamn                "Dnr 2024/93" -> "2024/93"
- year_colon:  various                   "dnr 2015:798" -> "2015:798"
- num_year:    Länsstyrelsen, JO         "Diarienummer: 15548-2024", "LST 403-170-2023",
               "dnr. 5627–2012" -> "15548-2024", "403-170-2023", "5627-2012"
- num_yy:      Göteborg                  "Dnr 0456/19" -> "0456/19"
- digits:      Region Skåne              "Dnr 1600123" -> "1600123"
- yy_serial:   Tolkförmedling Väst       "Dnr 26/0005-2" -> "26/0005-2" (label only; not "01/2020")
- short_digits: e-services               "Ärendenummer: #334849" -> "334849" (label only)

A label also counts from a row of labels over a row of values ("Datum Diarienummer" over
"2026-06-22 5475-2026"): the first number in the two lines under it.

Not diarienummer (rejected): dates and times, phone numbers, postcodes, organisationsnummer,
money, page counts "3 (44)", years and year ranges "2027-2031", riksmöte numbers "2022/23:126",
and every citation that `ingest.extract.references` knows (SFS, prop., bet., mot., SOU, Ds, Dir.,
court cases, other författningssamlingar): a prefix in `references.NON_DNR_PREFIXES` never
starts a dnr, a department code before a space is a committee ("Ju 2019:09"), and a bare
candidate that overlaps a reference found by `references.find_references` is dropped.

Canonical form: the organisation's own written form with an upper-case prefix. Key: upper-case
letters and digits only, without a handlingsnummer (the case a document belongs to), so "ks 2020 1234" meets "KS-2020-1234" while "VN-2024-00015" and the
bare "2024-00015" of another register stay apart. Leading zeros are kept.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ingest.extract import dates
from ingest.extract.references import DASH, DEPARTMENT_CODES, NON_DNR_PREFIXES, YEAR, overlaps


@dataclass(frozen=True)
class DnrMatch:
    """A diarienummer found in a text."""

    surface: str  # as written in the text (line breaks collapsed)
    canonical: str  # the organisation's own written form, upper-case prefix
    key: str  # loose lookup key: upper-case letters and digits only
    start: int  # offsets into the text passed in
    end: int
    labelled: bool  # preceded by a dnr label (Dnr, Diarienummer, Beteckning column ...)


# Dash-family registers that write hyphens throughout (Kungsbacka, Malmö, Uppsala); a space
# after their prefix is a slip ("VN 2024-00036"). Other registers keep the separator they use.
HYPHEN_PREFIXES = frozenset({"BN", "VN", "KS", "KF", "KSN"})
# Dash-family registers that write a space after their prefix (Region Skåne's "RS 2019-05482");
# a prefix glued to the year is a slip there. Other registers keep the form they are written in
# ("FM2025-19772", Försvarsmakten).
SPACE_PREFIXES = frozenset({"RS", "SMST", "SBF"})
# Letters glued to digits counted without a label (Region Halland's "RS200880").
GLUED_PREFIXES = frozenset({"RS"})

_UP = "A-ZÅÄÖ"
_ANY = "A-Za-zÅÄÖåäö"  # a register prefix in a registration stamp may be lower-case ("bn-2021-0456")
_D = DASH
_BRK = r"(?:<br\s*/?>|[ \t]*\r?\n[ \t]*)?"  # a line break inside a number, after a separator
# A table cell's line break a parser wrote as a space, after a prefixed number's year: "BN-2020- 00017".
_CELL_BRK = r" (?=\d{3,7}(?![\d-]))"
_SP = r"(?:[ \t\xa0\u202f]|[ \t]*\r?\n[ \t]*)"  # between prefix and year: a space or a line break
_PRE = r"(?<![\w/-])"  # before a prefix
_NUM = r"(?<![\w./–‑-])(?<!\d:)"  # before a number
_AFTER = r"(?!\w|[-–‑/:.]\d)"  # after a number
# A filing code after a case number, a space and three digits (Marks kommun's "KS 2010-313 212",
# "2012-531 014-2"), ending its line or its clause; part of the number as written, not of its
# case (dropped by `key`, as a handlingsnummer is).
_CLASS = r"(?:(?P<{f}_c>[ \t\xa0]\d{{3}}(?:{d}\d{{1,3}})?)(?=[ \t]*(?:[.,;)]|\r?\n|\Z)))?"

# family -> pattern; a family's groups are named "<family>_<part>". At one position the first
# family that matches wins.
_FAMILIES: list[tuple[str, str]] = [
    ("stockholm", rf"{_NUM}\d{{1,2}}(?:\.\d{{1,2}}){{1,4}}{_D}{_BRK}\d{{1,6}}/{_BRK}{YEAR}{_AFTER}"),
    ("stockholm3", rf"{_NUM}\d{{2,3}}{_D}\d{{1,6}}/{_BRK}{YEAR}{_AFTER}"),
    (
        "government",
        rf"{_PRE}(?P<government_p>[{_UP}][A-Za-zÅÄÖåäö]{{0,3}})(?P<government_y>{YEAR}) ?/ ?{_BRK}"
        rf"(?P<government_n>\d{{1,7}})(?: ?/(?P<government_s>[{_UP}][A-Za-zÅÄÖåäö]{{0,5}}\d?"
        rf"(?:/[{_UP}]{{1,6}})?))?(?!\w|[/:]\d)",
    ),
    (
        "colon",
        rf"{_PRE}(?P<colon_p>[{_ANY}]{{1,6}}+)(?P<colon_sep>/|{_SP})(?P<colon_y>{YEAR}):{_BRK}"
        rf"(?P<colon_n>\d{{1,7}}){_AFTER}",
    ),
    (
        "dash",
        rf"{_PRE}(?P<dash_p>[{_ANY}]{{2,6}}+)(?P<dash_sep>{_D}{_BRK}|{_SP}|)(?P<dash_y>\d{{4}}){_D}(?:{_BRK}|{_CELL_BRK})"
        rf"(?P<dash_n>\d{{3,7}})(?P<dash_h>:\d{{1,4}})?{_CLASS.format(f='dash', d=_D)}{_AFTER}",
    ),
    (
        "dash_slash",
        rf"{_PRE}(?P<dash_slash_p>[{_ANY}]{{2,6}}+){_D}{_BRK}(?P<dash_slash_y>{YEAR})/{_BRK}"
        rf"(?P<dash_slash_n>\d{{1,7}}){_AFTER}",
    ),
    # A court's case after "mål nr": its division's letters, serial, slash, year ("mål nr AM 112/1947",
    # "mål nr VA 26/76", the old vattendomstolar's); a court's, so never a document's own
    ("court", rf"(?:(?<=[Mm]ål nr )|(?<=[Mm]ål nr\. )|(?<=[Mm]ålnummer ))(?P<court_p>[{_UP}]{{1,3}}) (?P<court_n>\d{{1,5}})"
              rf"/(?P<court_y>{YEAR}|\d\d){_AFTER}"),
    # Göteborg: register, dash, serial, slash, two-digit year ("SRV-0226/18")
    ("dash_yy", rf"{_PRE}(?P<dash_yy_p>[{_UP}]{{2,6}}){_D}(?P<dash_yy_n>\d{{3,5}})/(?P<dash_yy_y>\d\d){_AFTER}"),
    # Alingsås: year, dot, serial, the register after a space ("2025.446 KS"), a handlingsnummer
    # after a dash ("2022.088 SN-020"); the older numbers' filing code after a slash, part of the
    # number ("2017.289/200 SBN-001")
    (
        "year_dot",
        rf"{_NUM}(?P<year_dot_y>{YEAR})\.(?P<year_dot_gap>[ \t\xa0])?(?P<year_dot_n>\d{{1,6}})(?P<year_dot_k>/\d{{3}})?"
        rf"[ \t\xa0](?P<year_dot_p>[{_UP}]{{1,5}})"
        rf"(?P<year_dot_h>{_D}\d{{1,4}})?(?![\w-])",
    ),
    (
        "dotted",
        rf"{_PRE}(?P<dotted_p>[{_UP}]{{1,6}})(?P<dotted_sep>[/.])(?P<dotted_y>{YEAR})\.{_BRK}"
        rf"(?P<dotted_n>\d{{1,7}}){_AFTER}",
    ),
    (
        "space_slash",
        rf"{_PRE}(?P<space_slash_p>[{_UP}]{{2,6}}){_SP}(?P<space_slash_y>{YEAR})/{_BRK}"
        rf"(?P<space_slash_n>\d{{1,7}})(?P<space_slash_s>{_D}[{_UP}](?![\w-]))?{_AFTER}",
    ),
    # a register, the decision's date run together, a serial ("TF_20260429_13381"; OCR reads the
    # underscores as spaces), after a label or in a labelled column only
    ("dated", rf"{_PRE}(?P<dated_p>[{_UP}]{{2,4}})[_ \t](?P<dated_d>{YEAR}[01]\d[0-3]\d)[_ \t](?P<dated_n>\d{{4,6}}){_AFTER}"),
    ("glued", rf"{_PRE}(?P<glued_p>[{_UP}]{{2,4}})(?P<glued_n>\d{{5,8}}){_AFTER}"),
    # a unit code of letters and digits before year:serial (Vägverket's "Beteckning SA10A 2004:9166")
    ("coded_year", rf"{_PRE}[{_UP}]{{1,3}}\d{{1,3}}[{_UP}]{{1,2}}[ \t]{YEAR}[:/]\d{{1,6}}{_AFTER}"),
    ("coded", rf"{_PRE}[{_UP}]{{1,4}}\d{{1,6}}(?:[.:/-]\d{{1,6}}){{1,3}}(?:/[{_UP}]{{1,5}})?{_AFTER}"),
    ("num_year", rf"{_NUM}(?:\d{{3}}{_D})?\d{{1,6}}{_D}{YEAR}{_AFTER}"),
    # the older two-digit-year form of Länsstyrelsen and Naturvårdsverket, a unit code after it:
    # "NV dnr 382-6897-07 Rv", "Dnr 501-1234-07"
    ("num_yy_unit", rf"{_NUM}\d{{3}}{_D}\d{{1,6}}{_D}\d\d(?:[ \t][{_UP}][a-zåäö]?)?{_AFTER}"),
    ("year_dash", rf"{_NUM}(?P<year_dash_y>{YEAR}){_D}{_BRK}(?P<year_dash_n>\d{{3,7}})"
                  rf"{_CLASS.format(f='year_dash', d=_D)}{_AFTER}"),
    ("year_slash", rf"{_NUM}{YEAR}/\d{{1,6}}(?:/[{_UP}]{{1,6}})?{_AFTER}"),
    ("year_colon", rf"{_NUM}{YEAR}:\d{{1,6}}{_AFTER}"),
    ("num_yy", rf"{_NUM}\d{{3,5}}/\d\d{_AFTER}"),
    ("yy_serial", rf"{_NUM}\d\d/\d{{4}}(?P<yy_serial_h>-\d{{1,3}})?{_AFTER}"),
    ("digits", rf"{_NUM}\d{{7}}{_AFTER}"),
    ("short_digits", rf"{_NUM}\d{{5,6}}{_AFTER}"),  # after a label only: "Ärendenummer: #334849"
]
_BARE = frozenset({"coded", "coded_year", "num_yy_unit", "num_year", "year_dash", "year_slash", "year_colon", "num_yy", "yy_serial", "digits",
                   "short_digits"})
_REGEX = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _FAMILIES))
# Where a dnr may start: an upper-case letter or digit opening a token, with a digit within
# six letters and one separator. Cheap to scan for; `_REGEX` is then tried only there.
_START = re.compile(
    rf"[{_UP}\d](?<![\w./–‑-].)"
    r"(?=[A-Za-zÅÄÖåäö]{0,5}(?:[-–‑/.:_ \t\xa0\u202f]|<br\s*/?>|[ \t]*\r?\n[ \t]*)?\d)"
)
# A lower-case stamp ("bn-2021-0456", "Bun/2023:276"): found from its separator, which is rarer
# than a lower-case letter.
_SEP_DIGIT = re.compile(r"[-–‑/](?=\d)(?<=[a-zåäö].)")
_LOWER_PREFIX = re.compile(r"(?<![\w./–‑-])[A-Za-zÅÄÖåäö]{2,6}\Z")


def _starts(text: str) -> list[int]:
    """Offsets where a diarienummer may start, in order."""
    starts = [m.start() for m in _START.finditer(text)]
    lower = [p.start() for m in _SEP_DIGIT.finditer(text)
             if (p := _LOWER_PREFIX.search(text, max(0, m.start() - 6), m.start())) and not text[p.start()].isupper()]
    return sorted(set(starts + lower)) if lower else starts

_LABEL_WORDS = (
    r"(?:(?<![A-Za-zÅÄÖåäö])(?:[Dd]nr|DNR|[Dd]\.nr|[Dd]iarie ?nr|[Ää]rende)\.?"
    r"|[Dd]iarienummer|DIARIENUMMER|[Ää]rendenummer|[Ää]rendenr\.?|[Ää]rende\s?nr\.?"
    r"|(?<![A-Za-zÅÄÖåäö])(?:[Vv]år|[Ee]r)\s+(?:referens|beteckning)"
    r"|(?<![A-Za-zÅÄÖåäö])(?:[Bb]eteckning|BETECKNING)"
    r"|[Tt]illhör\s+ärende|(?<![A-Za-zÅÄÖåäö])LST)"
)
_LABEL_BEFORE = re.compile(_LABEL_WORDS + r"[ \t\xa0.:;#*|>(\[-]*(?:\r?\n[ \t#*>|]*){0,2}\Z")
_LABEL_CELL = re.compile(r"[*_ ]*" + _LABEL_WORDS + r"[ \t.:*_]*\Z")
# A letterhead's row of labels over a row of values: "Datum Diarienummer" over "2026-06-22
# 5475-2026". A line of label words without digits (each capitalised or ending in a colon, not
# a sentence); its values are in the next two lines.
_LABEL_ROW = re.compile(r"[^\d\n]*" + _LABEL_WORDS + r"[^\d\n]*")
_ROW_LINES = 2
_ROW_WORDS = 8


_ROW_LABEL_WORDS = 4  # words of one label in a row of colon-ended labels ("Koordinatsystem i plan:")


def _label_row(row: str) -> bool:
    """A row of labels: capitalised words or colon-ended ones ("Datum Diarienummer"), or
    capitalised phrases each ended by a colon ("Diarienummer: Koordinatsystem i plan:")."""
    words = row.split()
    if len(words) > _ROW_WORDS or not _LABEL_ROW.fullmatch(row):
        return False
    if all(w[0].isupper() or w.endswith(":") for w in words):
        return True
    labels = row.strip().split(":")
    return (len(labels) > 2 and not labels[-1].strip()
            and all(0 < len(w := label.split()) <= _ROW_LABEL_WORDS and w[0][0].isupper() for label in labels[:-1]))
# What may stand between two numbers of one label: "Dnr KS 2019/562, KS 2019/563", "Diarienummer:
# U2025/01526 U2025/01882" (on one line).
_CONTINUE = re.compile(r"[ \t]*(?:(?:,|;|och|samt|resp\.?|and)[ \t]*(?:(?:[Dd]nr|dnr\.)[ \t]*)?|[ \t])\Z")
_TABLE_ROW = re.compile(r"(?m)^[ \t]*\|[^\n]*")
_PARA_LINE = re.compile(r"[ \t#*]*§[ \t]*\d")
_LINE_TAIL = re.compile(r"[ \t.\d–-]*(?:\r?\n|\Z)")
_BREAK_AFTER_SEP = re.compile(r"(?<=[-–/:])(?:<br\s*/?>|[ \t]*\r?\n[ \t]*|(?<=\d[-–]) (?=\d))")
_BREAK = re.compile(r"[ \t]*(?:<br\s*/?>|\r?\n)[ \t]*")
_QUERY_LABEL = re.compile(r"(?i)\s*(?:dnr|diarienummer|diarienr|d\.nr)(?![a-zåäö])\.?:?\s*")
_LOOSE_QUERY = re.compile(
    rf"(?P<p>[{_UP}]{{1,6}})[ /-]*(?P<y>\d{{4}})[ /:-]+(?P<n>\d{{1,7}})(?:[ /]+(?P<s>[{_UP}]{{1,6}}))?"
)


def key(surface: str) -> str:
    """Loose lookup key of any string: upper-case letters A-Z, Å, Ä, Ö and digits only; a
    handlingsnummer suffix is dropped, so a document's number meets its case's.

    >>> key("von/2025:00149"), key("KS-2023-00112:4")
    ('VON202500149', 'KS202300112')
    """
    s = _collapse(surface.strip()).upper()
    m = _REGEX.fullmatch(s)
    if m:  # a handlingsnummer ("KS-2023-00112:4" is document 4 of case KS-2023-00112), a filing code
        for part in ("c", "h"):  # the later part first, so the earlier's offsets still hold
            if m.groupdict().get(f"{m.lastgroup}_{part}"):
                s = s[:m.start(f"{m.lastgroup}_{part}")] + s[m.end(f"{m.lastgroup}_{part}"):]
    return re.sub(r"[^A-Z0-9ÅÄÖ]", "", s)


def _collapse(surface: str) -> str:
    """Remove line breaks inside a number: nothing after a separator, a space elsewhere."""
    return _BREAK.sub(" ", _BREAK_AFTER_SEP.sub("", surface))


def _prefix_ok(prefix: str) -> bool:
    up = prefix.upper()
    return up not in NON_DNR_PREFIXES and not up.endswith("FS")


# Units and currencies after a number are no register: "2020.500 SEK".
_NEVER_REGISTERS = frozenset({"SEK", "KR", "TKR", "MSEK", "MKR", "EUR", "USD", "ST", "KM", "MW", "KWH", "MWH", "GWH"})


def _class_code(code: str | None) -> str:
    """A filing code as written after its number: one space, a plain hyphen."""
    return " " + re.sub("[–‑]", "-", code.strip()) if code else ""


def _year_range(a: str, b: str) -> bool:
    """'2027-2031', '1984-1986': two years a short span apart."""
    if not (len(a) == len(b) == 4 and a[:2] in ("19", "20") and b[:2] in ("19", "20")):
        return False
    return 0 < int(b) - int(a) <= 50


def _season(y: str, n: str) -> bool:
    """'2022/23', '2024/25': a riksmöte or a season, not a number in a register."""
    return len(n) == 2 and int(n) == (int(y) + 1) % 100


# What a match needs besides its own shape: nothing, a dnr context (label, labelled table
# column, "§ N" line), or an explicit label before it.
_ANYWHERE, _CONTEXT, _LABEL = 0, 1, 2


def _build(family: str, m: re.Match, surface: str) -> tuple[str, int] | None:
    """(canonical, requirement) for a match of `family`, or None if it is not a dnr."""
    g = lambda part: m.group(f"{family}_{part}")  # noqa: E731
    if family == "government":
        p = g("p")
        if p.upper() not in DEPARTMENT_CODES and not (p.isupper() and _prefix_ok(p)):
            return None
        if _season(g("y"), g("n")):
            return None
        suffix = f"/{g('s').upper()}" if g("s") else ""
        return f"{DEPARTMENT_CODES.get(p.upper(), p.upper())}{g('y')}/{g('n')}{suffix}", _ANYWHERE
    if family == "colon":
        p, spaced = g("p").upper(), g("sep") != "/"
        if not _prefix_ok(p) or (spaced and (len(p) < 2 or p in DEPARTMENT_CODES)):
            return None
        if not g("p").isupper() and (spaced or len(p) < 2):
            return None  # a lower-case stamp writes its register glued: "Bun/2023:276"
        return f"{p}/{g('y')}:{g('n')}", _LABEL if spaced and len(g("n")) < 4 else _ANYWHERE
    if family == "dash":
        p, y, n, sep = g("p").upper(), g("y"), g("n"), g("sep")
        hyphen = sep[:1] in ("-", "–", "‑")
        if (not hyphen and (_year_range(y, n) or not g("p").isupper())) or p in _NEVER_REGISTERS:
            return None
        # No citation series is written register-year-serial with hyphens: "FFS-2026-00773"
        # is a register that shares its letters with one, after a label.
        requirement = _ANYWHERE if _prefix_ok(p) else _LABEL if hyphen else None
        if requirement is None:
            return None
        if hyphen or p in HYPHEN_PREFIXES:
            sep = "-"
        elif sep or p in SPACE_PREFIXES:
            sep = " "
        return f"{p}{sep}{y}-{n}{g('h') or ''}{_class_code(g('c'))}", requirement
    if family == "dash_slash":
        p = g("p").upper()
        ok = _prefix_ok(p) and not _season(g("y"), g("n"))
        return (f"{p}-{g('y')}/{g('n')}", _ANYWHERE) if ok else None
    if family == "court":
        return f"{g('p')} {g('n')}/{g('y')}", _ANYWHERE
    if family == "dash_yy":
        p = g("p").upper()
        return (f"{p}-{g('n')}/{g('y')}", _ANYWHERE) if _prefix_ok(p) else None
    if family == "year_dot":
        p, n, h = g("p"), g("n"), re.sub("[–‑]", "-", g("h") or "")
        if not _prefix_ok(p) or p in _NEVER_REGISTERS:
            return None
        # a space after the dot is a slip a label vouches for: "Diarienummer: 2025. 374 KS"
        return f"{g('y')}.{n}{g('k') or ''} {p}{h}", _ANYWHERE if len(n) >= 3 and not g("gap") else _LABEL
    if family == "dotted":
        p = g("p").upper()
        return (f"{p}{g('sep')}{g('y')}.{g('n')}", _LABEL) if _prefix_ok(p) else None
    if family == "space_slash":
        p = g("p").upper()
        ok = _prefix_ok(p) and not _season(g("y"), g("n"))
        suffix = f"-{g('s')[1:]}" if g("s") else ""  # a sub-case letter: "TRV 2011/30571-B"
        return (f"{p} {g('y')}/{g('n')}{suffix}", _ANYWHERE) if ok else None
    if family == "dated":
        p = g("p").upper()
        return (f"{p}_{g('d')}_{g('n')}", _LABEL) if _prefix_ok(p) else None
    if family == "glued":
        p, n = g("p").upper(), g("n")
        glued_ok = p in GLUED_PREFIXES and len(n) == 6
        return (p + n, _ANYWHERE if glued_ok else _LABEL) if _prefix_ok(p) else None
    s = re.sub("[–‑]", "-", surface).upper()
    if family == "year_dash" and g("c"):
        # "2012-531 014-2": a serial and its filing code say case number without a label
        if _year_range(g("y"), g("n")):
            return None
        return f"{g('y')}-{g('n')}{_class_code(g('c'))}", _ANYWHERE
    if family == "num_year":
        a, b = s.split("-")[-2:]
        return None if _year_range(a, b) else (s, _CONTEXT)
    if family == "year_slash" and _season(s[:4], s[5:]):
        return s, _LABEL  # "Dnr 2024/25", but not a bare "2022/23"
    if family == "yy_serial":
        yy, serial = s[:2], s[3:7]
        return None if int(yy) <= 12 and re.fullmatch(YEAR, serial) else (s, _LABEL)  # not "01/2020"
    if family in ("short_digits", "coded_year", "num_yy_unit"):
        return s, _LABEL
    return s, _CONTEXT if family in _BARE else _ANYWHERE


def _parse(surface: str) -> tuple[str, str, int] | None:
    """(family, canonical, requirement) if all of `surface` is one dnr, else None."""
    s = _collapse(surface.strip()).upper()
    m = _REGEX.fullmatch(s)
    if m is None or m.lastgroup is None:
        return None
    built = _build(m.lastgroup, m, s)
    return (m.lastgroup, *built) if built else None


# Families whose prefix group names the register ("<family>_p"); "coded" letters are a series.
_NAMED_FAMILIES = frozenset({"government", "colon", "dash", "dash_slash", "dash_yy", "year_dot", "dotted",
                             "space_slash", "dated", "glued"})


def parts(canonical_form: str) -> tuple[str | None, str]:
    """(register, number) of a canonical diarienummer: the register letters it names (None for a
    number without them) and its key without them, so "BN-2024-00013" and the bare "2024-00013"
    share a number in two registers.

    >>> parts("KS-2023-00112:4"), parts("2025.446 KS"), parts("2024-00013")
    (('KS', '202300112'), ('KS', '2025446'), (None, '202400013'))
    """
    k = key(canonical_form)
    s = _collapse(canonical_form.strip()).upper()
    m = _REGEX.fullmatch(s)
    family = m.lastgroup if m else None
    if m is None or family not in _NAMED_FAMILIES:
        return None, k
    p = m.group(f"{family}_p").upper()
    if family == "government":
        p = DEPARTMENT_CODES.get(p, p)
        k_up = k.upper()
        return p, k[len(p):] if k_up.startswith(p.upper()) else k
    number = k[len(p):] if k.startswith(p) else k[:-len(p)] if k.endswith(p) else k
    return p, number


_YEAR_RUN = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def shape(canonical_form: str) -> str:
    """The number's shape: its letters and separators as written, a year "ÅÅÅÅ", other digits "n"
    (how a register writes its numbers, learned per organization: ingest/extract/registers.py).

    >>> shape("KS-2023-00112"), shape("2025.446 KS"), shape("0451/23")
    ('KS-ÅÅÅÅ-nnnnn', 'ÅÅÅÅ.nnn KS', 'nnnn/nn')
    """
    s = _collapse(canonical_form.strip())
    year = _YEAR_RUN.search(s)
    if year:
        s = s[:year.start()] + "\0" + s[year.end():]
    return re.sub(r"\d", "n", s).replace("\0", "ÅÅÅÅ")


def is_bare(canonical_form: str) -> bool:
    """A number of a bare family (no register letters, read only in a dnr position): "2024-00013",
    "2024/93", "0456/19"; not Stockholm's "1.5.1-646/2018", which is read anywhere."""
    parsed = _parse(canonical_form)
    return parsed is not None and parsed[0] in _BARE


def _strip_label(s: str) -> tuple[str, bool]:
    s = s.strip()
    label = _QUERY_LABEL.match(s)
    if label and label.end() < len(s):
        return s[label.end():], True
    return s, False


def canonical(surface: str) -> str | None:
    """Canonical form of one surface form, None if it is not a diarienummer.

    Case is ignored and a leading label ("Dnr", "Diarienummer:") is allowed.

    >>> canonical("VON 2025:00149"), canonical("vn 2024-00036"), canonical("SOU 2025:20")
    ('VON/2025:00149', 'VN-2024-00036', None)
    """
    s, labelled = _strip_label(surface)
    parsed = _parse(s)
    if not parsed or (parsed[0] == "year_slash" and parsed[2] == _LABEL and not labelled):
        return None  # "2022/23" is a riksmöte unless it follows "Dnr"
    return parsed[1]


def query_key(query: str) -> str | None:
    """The key of a search query that is, as a whole, a diarienummer in any surface form.

    Separators may be spaces ("ks 2020 1234"). Bare numbers count only in the Kungsbacka shape
    ("2024-00013") or after "dnr" ("dnr 2024/93"); ordinary queries give None.

    >>> query_key("ks 2020 1234") == key("KS-2020-1234"), query_key("2024")
    (True, None)
    """
    s, labelled = _strip_label(query)
    parsed = _parse(s)
    if parsed:
        family, c, requirement = parsed
        bare = family in _BARE and family != "year_dash"
        if not labelled and (bare or family == "glued" and requirement == _LABEL):
            return None
        return key(c)
    m = _LOOSE_QUERY.fullmatch(re.sub(r"\s+", " ", s.upper()))
    if not m or not _prefix_ok(m.group("p")) or _year_range(m.group("y"), m.group("n")):
        return None
    return key(m.group(0))


def _labelled_cells(text: str) -> list[tuple[int, int]]:
    """Spans of Markdown table cells under a header cell that is a dnr label ("Beteckning")."""
    spans: list[tuple[int, int]] = []
    columns: set[int] = set()
    previous_end = -2
    for row in _TABLE_ROW.finditer(text):
        if row.start() != previous_end + 1:  # not the next line: a new table
            columns = set()
        previous_end = row.end()
        bars = [row.start() + i for i, ch in enumerate(row.group()) if ch == "|"]
        cells = list(zip((b + 1 for b in bars), bars[1:]))
        header = {k for k, (a, b) in enumerate(cells) if _LABEL_CELL.match(text, a, b)}
        if header:
            columns = header
        else:
            spans.extend(cells[k] for k in columns if k < len(cells))
    return spans


def _under_label_row(text: str, start: int, taken: list[DnrMatch]) -> bool:
    """The first number in the two lines under a row of labels naming a dnr."""
    line_start = text.rfind("\n", 0, start) + 1
    row_end = line_start - 1
    for _ in range(_ROW_LINES):
        if row_end <= 0:
            return False
        row_start = text.rfind("\n", 0, row_end) + 1
        if _label_row(text[row_start:row_end]):
            return not any(row_end < m.start < start for m in taken)
        row_end = row_start - 1
    return False


def _in_paragraph_line(text: str, start: int, end: int) -> bool:
    """A number ending a line that starts with '§ N' (a protocol's table of contents)."""
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_PARA_LINE.match(text, line_start) and _LINE_TAIL.match(text, end))


def find(text: str) -> list[DnrMatch]:
    """All diarienummer in `text`, in order, duplicates kept.

    >>> [m.canonical for m in find("Dnr 2024/93. Se även KS-2020-1234 och prop. 2022/23:126.")]
    ['2024/93', 'KS-2020-1234']
    """
    out: list[DnrMatch] = []
    cells: list[tuple[int, int]] | None = None  # labelled table cells, computed when needed
    prev_end, prev_labelled = -1, False
    unlabelled: list[DnrMatch] = []  # numbers a label would make: maybe rows of a labelled column
    for start in _starts(text):
        m = _REGEX.match(text, start) if start >= prev_end else None
        if not m:
            continue
        family, end = m.lastgroup or "", m.end()
        surface = _collapse(m.group())
        built = _build(family, m, surface)
        if built is None:
            continue  # a shorter number may still start further in ("DNR 2024/93")
        c, requirement = built
        labelled = bool(_LABEL_BEFORE.search(text, max(0, start - 80), start)) or (
            prev_labelled and bool(_CONTINUE.match(text, prev_end, start))
        )
        if not labelled:
            if cells is None:
                cells = _labelled_cells(text) if "|" in text else []
            labelled = any(a <= start and end <= b for a, b in cells) or _under_label_row(text, start, out)
        if not labelled and requirement == _CONTEXT and start < _LETTERHEAD_CHARS and _letterhead_line(text, start, end):
            requirement = _ANYWHERE  # "Datum: 2026-06-09" over a lone "2026-000297": the letterhead's case number
        if requirement != _ANYWHERE and overlaps(text, start, end):
            continue  # prefixed families meet citations through NON_DNR_PREFIXES instead
        if not labelled and requirement != _ANYWHERE:
            if requirement == _LABEL or not _in_paragraph_line(text, start, end):
                if not unlabelled or start >= unlabelled[-1].end:  # not a part of the last one
                    unlabelled.append(DnrMatch(surface, c, key(c), start, end, False))
                continue
        out.append(DnrMatch(surface, c, key(c), start, end, labelled))
        prev_end, prev_labelled = end, labelled
    column = _column_rows(text, unlabelled)
    return sorted(out + column, key=lambda m: m.start) if column else out


# A bare number alone on a line under the date line of a letterhead (among the first lines of a
# text) is the letterhead's case number: "Datum: 2026-06-09" over "2026-000297".
_LETTERHEAD_LINES = 6
_LETTERHEAD_CHARS = 600


def _letterhead_line(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    if line.strip(" \t*#") != text[start:end].strip():
        return False
    above = [ln for ln in text[:line_start].split("\n") if ln.strip()]
    return 0 < len(above) < _LETTERHEAD_LINES and bool(dates.find_dates(above[-1]))


# A table's header line naming a dnr column, its cells one a line below it (a PDF's text layer):
# "Delegat och Beslutet avser Diarienummer Sekretessbefattning" over rows "2.5.4 10:32 1 2026-6395".
_NEWLINE = re.compile("\n")
_COLUMN_HEADER = re.compile(_LABEL_WORDS + r"(?![A-Za-zÅÄÖåäö])")
_COLUMN_HEADER_WORDS = 12
_COLUMN_GAP = 6  # lines between two rows (wrapped cells, a sub-heading "AVSLAG"), and under the header
_COLUMN_ROWS = 2


def _column_header(line: str) -> bool:
    return (bool(_COLUMN_HEADER.search(line)) and not any(ch.isdigit() for ch in line)
            and len(line.split()) <= _COLUMN_HEADER_WORDS and not line.rstrip().endswith("."))


def _column_rows(text: str, candidates: list[DnrMatch]) -> list[DnrMatch]:
    """Numbers that need a label, in a column under a header naming a dnr: at least two rows
    in a run, one number of one shape a row, a row at most `_COLUMN_GAP` lines from the next,
    the header at most that far above the first. Rows list cases: none is marked `labelled`
    (a label of the document's own number)."""
    if len(candidates) < _COLUMN_ROWS:
        return []
    breaks = [b.start() for b in _NEWLINE.finditer(text)]
    lines: dict[int, list[DnrMatch]] = {}
    for m in candidates:
        if text[m.start - 1:m.start] == "(" and text[m.end:m.end + 1] == ")":
            continue  # "PBL (2010:900)": a statute cited in a cell
        lines.setdefault(bisect.bisect_left(breaks, m.start), []).append(m)
    rows = sorted((n, ms[0]) for n, ms in lines.items() if len(ms) == 1)
    runs: list[list[tuple[int, DnrMatch]]] = []
    for n, m in rows:
        last = runs[-1][-1] if runs else None
        if last and n - last[0] <= _COLUMN_GAP + 1 and shape(last[1].canonical) == shape(m.canonical):
            runs[-1].append((n, m))
        else:
            runs.append([(n, m)])
    out: list[DnrMatch] = []
    for run in runs:
        first = run[0][0]  # the line index: lines above it start after breaks[first - k - 1]
        above = (text[(breaks[i - 1] + 1 if i else 0):breaks[i]] for i in range(max(0, first - _COLUMN_GAP - 1), first))
        if len(run) >= _COLUMN_ROWS and any(_column_header(line) for line in above):
            out.extend(m for _, m in run)
    return out


# -- loose forms: how people type a number they have seen ---------------------------------------

_RUN = re.compile(r"[A-ZÅÄÖ]+|\d+")
# A query that may be a diarienummer typed loosely: letter runs and digit runs with separators,
# at least two digit runs ("646/2018", "von 2025 149", "2020.008 KS").
_LOOSE_SHAPE = re.compile(r"(?:[A-ZÅÄÖ]{1,6}[ ./:-]*)?\d{1,7}(?:[ ./:-]+\d{1,7})+(?:[ ./:-]*[A-ZÅÄÖ]{1,6})?")
_DATE = re.compile(rf"{dates.YEAR}-[01]\d-[0-3]\d")


def _loose(letters: list[str], digits: list[str]) -> str:
    return ".".join(sorted(letters)) + ":" + ".".join(digits)


def loose_keys(dnr: str) -> tuple[str, ...]:
    """The keys a diarienummer is also found by when typed loosely: its register letters in any
    place and every serial without leading zeros ("VON 2025 149" for `VON/2025:00149`, "KS
    2020-008" for `2020.008 KS`), and its numbers without the register, so a bare "646/2018"
    or "2025:149" meets `1.5.1-646/2018` and `VON/2025:00149` (the last two or more numbers).

    >>> loose_keys("VON/2025:00149")
    ('VON:2025.149', ':2025.149')
    >>> loose_keys("1.5.1-646/2018")
    (':1.5.1.646.2018', ':5.1.646.2018', ':1.646.2018', ':646.2018')
    """
    runs = _RUN.findall(dnr.upper())
    letters = [r for r in runs if not r.isdigit()]
    digits = [str(int(r)) for r in runs if r.isdigit()]
    out = [_loose(letters, digits)] if digits else []
    for start in range(len(digits) - 1):
        bare = _loose([], digits[start:])
        if bare not in out:
            out.append(bare)
    return tuple(out)


def query_loose_key(query: str) -> str | None:
    """The loose key (loose_keys) of a search query that may be a diarienummer however typed:
    any query `query_key` takes, and numbers with or without a register in any order and with
    any separators ("646/2018", "KS 2020-008", "2019 1005"); not a date or a span of years.
    A query may look like a number and be none: the searcher falls back to its words.

    >>> query_loose_key("von 2025 149"), query_loose_key("646/2018"), query_loose_key("2024-02-01")
    ('VON:2025.149', ':646.2018', None)
    """
    s, _ = _strip_label(query)
    s = re.sub(r"\s+", " ", s.strip().upper())
    if not _LOOSE_SHAPE.fullmatch(s) and query_key(query) is None:
        return None
    runs = _RUN.findall(s)
    letters = [r for r in runs if not r.isdigit()]
    digits = [r for r in runs if r.isdigit()]
    if any(not _prefix_ok(p) for p in letters) or _DATE.fullmatch(s):
        return None
    if len(digits) >= 2 and (_year_range(*digits[:2]) or _season(*digits[:2])):
        return None  # "2027-2031", "2022/23:126" (a riksmöte's number)
    return _loose(letters, [str(int(d)) for d in digits])
