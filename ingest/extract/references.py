"""Extract stage: typed references other than diarienummer (laws, förarbeten, court cases, §§).

Pure functions of text. The patterns here are also the boundary knowledge of `ingest.extract.dnr`:
it imports `NON_DNR_PREFIXES`, `DEPARTMENT_CODES`, `YEAR`, `DASH` and `overlaps` from this
module, so that a citation such as "SFS 2001:453" or "P 4803-15" is never read as a
diarienummer and no pattern is typed twice.

Kinds and one example each (canonical form after the arrow):

- ``sfs``     "SFS 2001:453", "lagen (2023:482)", "Lag 1995:479" -> "SFS 2001:453", "SFS 2023:482", ...
- ``fs``      other författningssamlingar "AFS 2011:19", "HSLF-FS 2017:23" -> "AFS 2011:19"
- ``prop``    "prop. 2022/23:126", "Proposition 2022/23:126" -> "Prop. 2022/23:126"
- ``bet``     "2022/23:JuU31", "bet. 2001/02:TU3"         -> "Bet. 2022/23:JuU31"
- ``mot``     "motion 2022/23:2403", "mot. 2022/23:2403"  -> "Mot. 2022/23:2403"
- ``sou``     "SOU 2025:20"                                -> "SOU 2025:20"
- ``ds``      "Ds 2016:46"                                 -> "Ds 2016:46"
- ``dir``     "Dir. 2016:15", "dir. 2014:139"              -> "Dir. 2016:15"
- ``court``   "P 4803-15", "mål T 3592-13", "MÖD P 4803-15", "B-114-2012", "T3592-13"
              -> "P 4803-15", "T 3592-13", "B 114-2012";
              precedents "NJA 2014 s. 499" -> "NJA 2014 s. 499", "NJA 2014:45", "AD 2013 nr 63"
- ``paragraph_ref`` a § of another meeting: "KS 2024-02-14 § 27", "2024-02-05 VN § 6",
              "beslut 2024-03-21, § 62", "den 21 november 2019 § 115"
              -> "KS 2024-02-14 § 27", "VN 2024-02-05 § 6", "2024-03-21 § 62", "2019-11-21 § 115"
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Reference:
    """One typed reference: kind (see module docstring), canonical form and offsets into the text."""

    kind: str
    canonical: str
    start: int
    end: int


# Upper-case prefixes that never start a diarienummer: statute books, förarbeten, courts and
# their case types, report series, and label words. `ingest.extract.dnr` rejects a prefixed candidate
# whose prefix is in here (or ends in "FS", a författningssamling such as BFS, KIFS, HSLF-FS).
NON_DNR_PREFIXES = frozenset(
    """
    SFS SOU DS DIR PROP BET MOT RSKR FPM KOM COM SÖ
    AFS NFS SOSFS HSLF BFS FFS KIFS STFS SÄIFS ELSÄK FKFS TSFS SKVFS LIVSFS MSBFS
    NJA RÅ HFD AD MÖD MMD MIG RH HD HOVR KAMR JO FÖD RK
    P T B Ö Ä M F K UM UÖ FT ÖÄ PMT PMÖ MÖ ÄNR
    EU EG EEG ISO EN SS IEC GDPR
    DNR NR ID SID ÅR KL TEL FAX ORG BG PG SE ISBN ISSN AB HB KB EK
    """.split()
)

# Department codes of the Government Offices: in "Ju 2019:09" or "U 2016:04" they name a
# committee (kommitté), not a case; as glued prefixes ("Fi2025/00415") they start a dnr.
DEPARTMENT_CODES = {
    code.upper(): code
    for code in "A Fi Fö I IJ Ju Jo KN Ku LI M N S SB U UD Ko".split()
}

YEAR = r"(?:1[89]|20)\d\d"  # in a reference or a case number (statutes since the 1800s); a dated record's: dates.YEAR
RIKSMOTE = rf"{YEAR}/\d\d"  # a riksmöte, "2022/23"
DATE = rf"{YEAR}-[01]\d-[0-3]\d"
DASH = "[-–‑]"  # hyphen, en dash or non-breaking hyphen
_END = r"(?![\w])"

_COURT_TYPES = r"UM|UÖ|FT|ÖÄ|PMT|PMÖ|[BTÖÄPMFK]"
_COURTS = r"MÖD|MMD|HD|HFD|AD|HovR|KamR|MMÖD|MIG"
_BODY = r"[A-ZÅÄÖ]{2,6}[a-zåäö]{0,2}"  # KS, VN, BN, SPn, KSAU
_MONTH_NAMES = "januari februari mars april maj juni juli augusti september oktober november december"
_MONTHS = "|".join(_MONTH_NAMES.split())

_PATTERNS: list[tuple[str, str]] = [
    ("sfs", rf"\bSFS\s?(?:nr\.?\s?)?(?P<sfs_y>{YEAR}):(?P<sfs_n>\d{{1,4}}){_END}"),
    (
        "sfsp",
        r"(?i:lag|lagen|förordning|förordningen|balk|balken|kungörelse|kungörelsen|"
        r"instruktion|instruktionen|stadga|stadgan)\s*"
        rf"(?P<sfsp_open>\()?(?P<sfsp_y>{YEAR}):(?P<sfsp_n>\d{{1,4}})(?(sfsp_open)\)|{_END})",
    ),
    ("fs", rf"(?<![\w-])(?P<fs_p>[A-ZÅÄÖ]{{1,6}}(?:-FS|FS))\s?(?P<fs_y>{YEAR}):(?P<fs_n>\d{{1,4}}){_END}"),
    (
        "prop",
        r"\b(?:[Pp]rop\.?|PROP\.?|[Pp]roposition(?:en|erna)?)\s*"
        rf"(?P<prop_rm>{RIKSMOTE}):(?P<prop_n>\d{{1,4}}){_END}",
    ),
    (
        "bet",
        r"(?:\b(?:[Bb]et\.|[Bb]etänkande(?:t|n)?)\s*)?"
        rf"(?<![\w/])(?P<bet_rm>{RIKSMOTE}):"
        rf"(?P<bet_n>[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{{0,4}}U\d{{1,3}}){_END}",
    ),
    (
        "mot",
        rf"\b(?:[Mm]ot\.|[Mm]otion(?:en|erna)?)\s*(?P<mot_rm>{RIKSMOTE}):(?P<mot_n>\d{{1,5}}){_END}",
    ),
    ("sou", rf"\bSOU\s?(?P<sou_y>{YEAR}):(?P<sou_n>\d{{1,3}}){_END}"),
    ("ds", rf"\b(?:Ds|DS)\s?(?P<ds_y>{YEAR}):(?P<ds_n>\d{{1,3}}){_END}"),
    (
        "dir",
        rf"\b(?:[Dd]ir\.?|DIR\.?|[Kk]ommittédirektiv)\s?(?P<dir_y>{YEAR}):(?P<dir_n>\d{{1,3}}){_END}",
    ),
    (
        "prec",
        rf"\b(?P<prec_c>NJA|RÅ|HFD|RH|AD|MÖD|MIG)\s(?P<prec_y>{YEAR})"
        r"(?:\s?s\.\s?(?P<prec_s>\d{1,4})|:(?P<prec_n>\d{1,4})"
        r"|\s(?P<prec_w>ref\.?|nr)\s?(?P<prec_r>\d{1,4}))",
    ),
    (
        "court",
        rf"(?:\b(?:{_COURTS})\s+)?(?:\b(?:[Mm]ål|[Mm]ålnummer)(?:\s?nr\.?)?:?\s*)?"
        rf"(?<![\w-])(?P<court_t>{_COURT_TYPES})\s?-?\s?(?P<court_n>\d{{2,6}}){DASH}"
        rf"(?P<court_y>\d\d(?:\d\d)?)(?![\w]|{DASH}\d)",
    ),
    ("court2", rf"(?<![\w-])(?P<court2_y>\d\d)-(?P<court2_t>[PTBÖM])(?P<court2_n>\d{{3,5}}){_END}"),
    (
        "pref",
        rf"(?:(?<![\w-])(?P<pref_b1>{_BODY})[ \t]+)?(?<![\w-])"
        rf"(?:(?P<pref_d>{DATE})"
        rf"|(?P<pref_day>[0-3]?\d)[ \t](?P<pref_mon>{_MONTHS})[ \t](?P<pref_y>{YEAR})),?[ \t]+"
        rf"(?:(?P<pref_b2>{_BODY})[ \t]+)?§[ \t]?(?P<pref_n>\d{{1,4}}){_END}",
    ),
]

_KIND = {"sfsp": "sfs", "prec": "court", "court2": "court", "pref": "paragraph_ref"}
_REGEX = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _PATTERNS))


# Canonical forms of the simple kinds, filled from the match's groups ("sfs_y" → {y}).
_FORMS = {
    "sfs": "SFS {y}:{n}", "sfsp": "SFS {y}:{n}", "fs": "{p} {y}:{n}", "prop": "Prop. {rm}:{n}",
    "bet": "Bet. {rm}:{n}", "mot": "Mot. {rm}:{n}", "sou": "SOU {y}:{n}", "ds": "Ds {y}:{n}",
    "dir": "Dir. {y}:{n}", "court": "{t} {n}-{y}", "court2": "{t} {n}-{y}",
}


def _canonical(name: str, g: dict) -> str:
    if name in _FORMS:
        return _FORMS[name].format(**{k[len(name) + 1:]: v for k, v in g.items() if k.startswith(name + "_")})
    if name == "prec":
        court, year = g["prec_c"], g["prec_y"]
        if g["prec_s"]:
            return f"{court} {year} s. {g['prec_s']}"
        if g["prec_n"]:
            return f"{court} {year}:{g['prec_n']}"
        word = "nr" if g["prec_w"] == "nr" else "ref."
        return f"{court} {year} {word} {g['prec_r']}"
    body = g["pref_b1"] or g["pref_b2"]
    date = g["pref_d"]
    if not date:
        month = _MONTH_NAMES.split().index(g["pref_mon"]) + 1
        date = f"{g['pref_y']}-{month:02d}-{int(g['pref_day']):02d}"
    return f"{body + ' ' if body else ''}{date} § {g['pref_n']}"


# Every reference holds one of these, at most _BEFORE characters after its start and _AFTER
# before its end: only windows around them are searched (the full alternation is slow).
_ANCHOR = re.compile(r"\d\d(?:[:/–-]|[ \t]?§|\s(?:s\.|nr|ref))|§")
_BEFORE, _AFTER = 80, 40


def _reference(m: re.Match) -> Reference:
    name = m.lastgroup or ""
    g = {k: v for k, v in m.groupdict().items() if k.startswith(name + "_")}
    start = m.start()
    if name == "sfsp":  # the reference is the (parenthesised) number, not the law's name
        start = m.start("sfsp_open") if g["sfsp_open"] else m.start("sfsp_y")
    return Reference(_KIND.get(name, name), _canonical(name, g), start, m.end())


def find_references(text: str) -> list[Reference]:
    """All typed references in `text`, in order of appearance.

    >>> [r.canonical for r in find_references("enligt lag (2023:482) och prop. 2022/23:126")]
    ['SFS 2023:482', 'Prop. 2022/23:126']
    """
    out: list[Reference] = []
    done = last_end = 0  # anchors before `done` lie in windows already searched
    for anchor in _ANCHOR.finditer(text):
        at = anchor.start()
        if at < done:
            continue
        lo, hi = max(last_end, at - _BEFORE), min(len(text), at + _BEFORE + 2 * _AFTER)
        done = hi - _AFTER
        for m in _REGEX.finditer(text, lo, hi):
            if m.end() == hi < len(text):  # may be cut short by the window: search it again
                done = min(done, m.start())
                break
            out.append(_reference(m))
            last_end = m.end()
    return out


def overlaps(text: str, start: int, end: int, margin: int = 40) -> bool:
    """True if a typed reference overlaps text[start:end] (looked for within `margin` around it)."""
    lo = max(0, start - margin)
    window = text[lo : end + margin]
    return any(r.start + lo < end and start < r.end + lo for r in find_references(window))
