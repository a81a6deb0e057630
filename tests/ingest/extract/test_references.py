"""Tests for ingest/extract/references.py: typed references, and that none of them is read as a dnr."""
from __future__ import annotations

import warnings

import pytest

from ingest.extract import dnr
from ingest.extract.references import NON_DNR_PREFIXES, Reference, find_references, overlaps
from tests.corpus import CORPUS

REAL = CORPUS / "real"
KUNGSBACKA = REAL / "kungsbacka-kommunhandlingar" / "data" / "kungsbacka"


def refs(text: str) -> list[tuple[str, str]]:
    return [(r.kind, r.canonical) for r in find_references(text)]


CASES = [
    ("enligt SFS 2001:453", [("sfs", "SFS 2001:453")]),
    ("Förordning (2023:482) om prövning", [("sfs", "SFS 2023:482")]),
    ("till lag om ändring i lagen (2007:979) om åtgärder", [("sfs", "SFS 2007:979")]),
    ("hälso- och sjukvårdsförordningen (2017:80) och Patientsäkerhetslagen (2010:659)",
     [("sfs", "SFS 2017:80"), ("sfs", "SFS 2010:659")]),
    ("antagen som lag i Sverige (Lag 1995:479 om nordisk", [("sfs", "SFS 1995:479")]),
    ("t.o.m. SFS 2018:1317", [("sfs", "SFS 2018:1317")]),
    ("(AFS 2014:43)", [("fs", "AFS 2014:43")]),
    ("Ändringsförfattning HSLF-FS 2017:23", [("fs", "HSLF-FS 2017:23")]),
    ("föreskrifter (SOSFS 2005:27) om", [("fs", "SOSFS 2005:27")]),
    ("upprättas inte enligt BFS 2020:5", [("fs", "BFS 2020:5")]),
    ("med anledning av prop. 2022/23:126 Hemliga", [("prop", "Prop. 2022/23:126")]),
    ("Regeringens proposition 2022/23:126", [("prop", "Prop. 2022/23:126")]),
    ("Prop. 2005/06:74", [("prop", "Prop. 2005/06:74")]),
    ("Betänkande 2022/23:JuU31", [("bet", "Bet. 2022/23:JuU31")]),
    ("2022/23:JuU31 Justitieutskottet", [("bet", "Bet. 2022/23:JuU31")]),
    ("bet. 2001/02:TU3", [("bet", "Bet. 2001/02:TU3")]),
    ("Motion 2022/23:2403 av Gudrun Nordborg", [("mot", "Mot. 2022/23:2403")]),
    ("mot. 2022/23:2402", [("mot", "Mot. 2022/23:2402")]),
    ("Remiss av SOU 2025:20 Kommunal anslutning", [("sou", "SOU 2025:20")]),
    ("ID-nummer: Ds 2016:46", [("ds", "Ds 2016:46")]),
    ("Dir. 2016:15 Dataskyddsförordningen", [("dir", "Dir. 2016:15")]),
    ("refs dir. 2014:139.", [("dir", "Dir. 2014:139")]),
    ("DOM MÖD P 4803-15", [("court", "P 4803-15")]),
    ("I sin dom i mål P 4803-15 skrev", [("court", "P 4803-15")]),
    ("Mål nr: T 3592-13 (I) och T 5507-12 (II).", [("court", "T 3592-13"), ("court", "T 5507-12")]),
    ("Målnummer: | T3592-13 |", [("court", "T 3592-13")]),
    ("Vänersborgs tingsrätt, P 5456–22.", [("court", "P 5456-22")]),
    ("Dom 2013-08-21, målnummer B-114-2012", [("court", "B 114-2012")]),
    ("DOM MÖD 2017-10-18, mål nr P540-17,", [("court", "P 540-17")]),
    ("Dom 22-P4426", [("court", "P 4426-22")]),
    ("NJA 2014 s. 499 (NJA 2014:45)", [("court", "NJA 2014 s. 499"), ("court", "NJA 2014:45")]),
    ("Arbetsdomstolen AD 2013 nr 63", [("court", "AD 2013 nr 63")]),
    ("Kommunstyrelsens beslut, 2024-02-14, § 27", [("paragraph_ref", "2024-02-14 § 27")]),
    ("KS 2024-02-14 § 27", [("paragraph_ref", "KS 2024-02-14 § 27")]),
    ("Protokollsutdrag 2024-02-05 VN § 6 Riktlinjer", [("paragraph_ref", "VN 2024-02-05 § 6")]),
    ("SPn 2024-03-21 § 62", [("paragraph_ref", "SPn 2024-03-21 § 62")]),
    ("beslutade den 21 november 2019 § 115 att", [("paragraph_ref", "2019-11-21 § 115")]),
    ("beslutade den 1 april 2020, § 55 att", [("paragraph_ref", "2020-04-01 § 55")]),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[t for t, _ in CASES])
def test_references(text, expected):
    assert refs(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Dnr 2024-00013", "VON/2025:00149", "N2018/03142/SK", "Datum 2024-02-01", "Växel 08-405 10 00",
     "Datum\n2024-02-05\n\n§ 6                        Dnr VN-2023-00023", "Borrby 58:3 och S:35",
     "Sida 2 av 8", "kl 10.55-11.05"],
)
def test_not_references(text):
    assert refs(text) == []


@pytest.mark.parametrize("text, _", CASES, ids=[t for t, _ in CASES])
def test_no_reference_is_a_dnr(text, _):
    assert dnr.find(text) == []


def test_offsets():
    text = "enligt lagen (2023:482) och prop. 2022/23:126."
    first, second = find_references(text)
    assert first == Reference("sfs", "SFS 2023:482", 13, 23)
    assert text[second.start : second.end] == "prop. 2022/23:126"


def test_overlaps():
    text = "se SOU 2025:20 och KS-2020-1234"
    assert overlaps(text, text.index("2025"), text.index("2025") + 7)
    assert not overlaps(text, text.index("KS"), len(text))


def test_non_dnr_prefixes_are_upper_case():
    assert all(p == p.upper() for p in NON_DNR_PREFIXES)
    assert {"SFS", "SOU", "DS", "DIR", "PROP", "BET", "MOT", "NJA", "MÖD", "P", "T", "B", "Ö", "ÄNR"} <= NON_DNR_PREFIXES


def test_kungsbacka_paragraph_references():
    handlingar = (KUNGSBACKA / "val/2024/2024-05-06/handlingar.md").read_text(encoding="utf-8")
    assert ("paragraph_ref", "VN 2024-02-05 § 6") in refs(handlingar)
    assert ("paragraph_ref", "2024-01-17 § 6") in refs(handlingar)
    bygg = next((KUNGSBACKA / "bygg/2024/2024-02-22").glob("protokoll-*.md")).read_text(encoding="utf-8")
    assert [c for k, c in refs(bygg) if k == "paragraph_ref"] == [
        "2024-02-01 § 3", "2024-02-01 § 4", "2024-02-01 § 5"]


def test_riksdagen_pages():
    bs4 = pytest.importorskip("bs4")
    warnings.filterwarnings("ignore", category=bs4.XMLParsedAsHTMLWarning)
    page = REAL / "riksdagen-gco" / "bill_2022_23_126.html"
    text = bs4.BeautifulSoup(page.read_bytes(), "lxml").get_text("\n")
    found = set(refs(text))
    assert {("prop", "Prop. 2022/23:126"), ("bet", "Bet. 2022/23:JuU31"), ("mot", "Mot. 2022/23:2402"),
            ("mot", "Mot. 2022/23:2403"), ("mot", "Mot. 2022/23:2404"), ("sfs", "SFS 2007:979")} <= found


def test_windowed_search_equals_a_full_scan():
    """find_references searches only around anchors; it must find what a full scan finds."""
    from ingest.extract import references

    paths = [*KUNGSBACKA.rglob("*.md"), *(REAL / "regeringen-g0vse").rglob("*.md")]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        full = [references._reference(m) for m in references._REGEX.finditer(text)]
        assert find_references(text) == full, path.name
