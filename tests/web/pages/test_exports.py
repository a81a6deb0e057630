"""Exports (web/pages/exports.py): every matching row as CSV and XLSX, cells a spreadsheet will not run."""
import csv
import io
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest

from web.pages.exports import COLUMNS, neutralize

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+46 8 123", "'+46 8 123"),
    ("-1+1", "'-1+1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("KS 2019/562", "KS 2019/562"),
    ("2024-01-31", "2024-01-31"),
    ("a=b", "a=b"),
    ("", ""),
    (None, ""),
    (7, "7"),
])
def test_neutralize(value, expected):
    assert neutralize(value) == expected


def csv_rows(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with the BOM
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_has_every_matching_row_streamed(client, monkeypatch):
    monkeypatch.setattr("web.pages.exports.CHUNK", 4)  # read from the catalog in several chunks
    r = client.get("/search.csv?q=")
    assert r.status_code == 200 and r.is_streamed
    assert "attachment" in r.headers["Content-Disposition"]
    rows = csv_rows(r)
    assert tuple(rows[0]) == COLUMNS
    total = client.get("/api/search?q=").get_json()["total"]
    assert total > 20  # more than a page
    assert len(rows) - 1 == total == int(r.headers["X-Total-Count"])
    assert len({row[0] for row in rows[1:]}) == total
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_csv_follows_the_filters_and_gives_the_hit_page(client):
    hits = client.get("/api/search?q=valsedlar&organization=Kungsbacka+kommun&per_page=100").get_json()
    rows = csv_rows(client.get("/search.csv?q=valsedlar&organization=Kungsbacka+kommun"))
    header, body = rows[0], rows[1:]
    assert [row[0] for row in body] == [h["id"] for h in hits["hits"]]  # same order as the search
    at = {name: header.index(name) for name in ("organization", "page", "url", "dnr")}
    assert all(row[at["organization"]] == "Kungsbacka kommun" for row in body)
    first = body[0]
    assert first[at["page"]].isdigit() and first[at["url"]].endswith("#sida-" + first[at["page"]])
    assert first[at["url"]].startswith("/documents/")  # relative without a base URL: never from Host


def test_csv_lists_paragraphs_parties_and_statements(client):
    rows = csv_rows(client.get("/search.csv?q=PEER+särskilt+uttalande"))
    header = rows[0]
    protocol = next(r for r in rows[1:] if r[header.index("paragraphs")])
    assert re.fullmatch(r"§ \d+(; § \d+)*", protocol[header.index("paragraphs")])
    assert any(r[header.index("statements")] for r in rows[1:])


def test_csv_separator_choice_and_a_bad_one(client):
    text = client.get("/search.csv?q=valsedlar&sep=komma").get_data(as_text=True)
    assert text.lstrip("\ufeff").startswith("id,title,doctype,")
    text = client.get("/search.csv?q=valsedlar&sep=tab").get_data(as_text=True)
    assert text.lstrip("\ufeff").startswith("id\ttitle\tdoctype\t")
    r = client.get("/search.csv?q=valsedlar&sep=x")
    assert r.status_code == 400 and "sep" in r.get_data(as_text=True)


def sheet_rows(data: bytes) -> list[list[str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
        names = z.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            shared = ["".join(t.text or "" for t in si.iter(f"{MAIN}t"))
                      for si in ET.fromstring(z.read("xl/sharedStrings.xml"))]
    assert not list(sheet.iter(f"{MAIN}f")), "no formulas in an export"
    out = []
    for row in sheet.iter(f"{MAIN}row"):
        cells = []
        for c in row.iter(f"{MAIN}c"):
            if c.get("t") == "inlineStr":
                cells.append("".join(t.text or "" for t in c.iter(f"{MAIN}t")))
            elif c.get("t") == "s":
                cells.append(shared[int(c.find(f"{MAIN}v").text)])
            else:
                cells.append(c.find(f"{MAIN}v").text)
        out.append(cells)
    return out


def test_xlsx_has_every_row_as_text_and_dates(client):
    r = client.get("/search.xlsx?q=")
    assert r.status_code == 200
    assert r.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "diariet-sokning.xlsx" in r.headers["Content-Disposition"]
    rows = sheet_rows(r.get_data())
    assert tuple(rows[0]) == COLUMNS
    total = client.get("/api/search?q=").get_json()["total"]
    assert len(rows) - 1 == total


def test_search_page_links_both_exports(client):
    html = client.get("/?q=valsedlar").get_data(as_text=True)
    assert "/search.csv?q=valsedlar" in html and "/search.xlsx?q=valsedlar" in html
