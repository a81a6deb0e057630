"""Web stage, exports: every row of a search as streamed CSV (/search.csv) or as XLSX (/search.xlsx)."""
from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from datetime import date

from flask import Blueprint, Response, abort, request, send_file, stream_with_context, url_for

from index.search import snippets
from ingest.model import Document
from web import hardening
from web.app import catalog, searcher
from web.requests import search_request

bp = Blueprint("exports", __name__)

COLUMNS = ("id", "title", "doctype", "organization", "body", "unit", "date", "dnr", "paragraphs", "parties", "statements", "page", "url")
CHUNK = 200  # documents read from the catalog at a time
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet, less the header row
SEPARATORS = {";": ";", "semikolon": ";", ",": ",", "komma": ",", "tab": "\t", "\t": "\t"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _export_operation(name: str, media_type: str, summary: str) -> dict:
    from web.openapi import SEARCH_PARAMETERS, error, query

    parameters = [p for p in SEARCH_PARAMETERS if p["name"] not in ("page", "per_page")]
    if name == "csv":
        parameters.append(query("sep", "Avgränsare.", {"type": "string", "enum": ["semikolon", "komma", "tab"],
                                                       "default": "semikolon"}))
    return {"get": {
        "operationId": f"export_{name}", "tags": ["Export"], "summary": summary,
        "description": "Alla träffar (inget tak), kolumner: " + ", ".join(COLUMNS) + ".",
        "parameters": parameters,
        "responses": {"200": {"description": "Filen.", "content": {media_type: {"schema": {"type": "string"}}}},
                      "400": error("En parameter som inte går att använda.")},
    }}


def neutralize(value) -> str:
    """A cell a spreadsheet will not run: text starting like a formula (=, +, -, @, tab, CR)
    gets a leading apostrophe, so `=HYPERLINK(...)` from a document stays text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _rows(terms: set[str], prefixes: set[str], ids: list[str]) -> Iterator[dict]:
    """One dict per matching document, in the search's order, CHUNK documents at a time."""
    cat = catalog()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        docs = cat.get_many(chunk)
        for document_id in chunk:
            doc = docs.get(document_id)
            if doc is not None:
                yield row(doc, _hit_page(doc, terms, prefixes))


def _hit_page(doc: Document, terms: set[str], prefixes: set[str]) -> int | None:
    if not (terms or prefixes):
        return None
    return snippets.best(catalog().pages(doc.id), doc.meta.language, terms, prefixes).page


def row(doc: Document, page: int | None) -> dict:
    """A document as an export row: lists joined with "; ", the URL at the hit's page."""
    meta = doc.meta
    url = hardening.absolute(url_for("diariet.document_page", document_id=doc.id))  # not from Host
    kinds = dict.fromkeys(s.kind for s in meta.statements)
    out = {
        "id": doc.id,
        "title": meta.title,
        "doctype": meta.doctype,
        "organization": meta.organization,
        "body": meta.body,
        "unit": meta.unit,
        "date": meta.date,
        "dnr": "; ".join(meta.dnr),
        "paragraphs": "; ".join(f"§ {p.number}" for p in meta.paragraphs),
        "parties": "; ".join(meta.parties),
        "statements": "; ".join(kinds),
        "page": page,
        "url": url + (f"#sida-{page}" if page else ""),
    }
    return out


def _matching() -> tuple[list[str], set[str], set[str]]:
    req = search_request(request.args)  # a BadRequest answers 400 (web/errors.py)
    return searcher().matching(req, catalog())


def _separator() -> str:
    raw = request.args.get("sep", ";")
    if raw not in SEPARATORS:
        abort(400, description=f"sep måste vara semikolon, komma eller tab, inte {raw!r}")
    return SEPARATORS[raw]


@bp.get("/search.csv")
def search_csv():
    """Every matching row, streamed as it is written: UTF-8 with a BOM and semicolons by
    default (what a Swedish Excel opens as columns), `sep=komma|tab` for other programs."""
    sep = _separator()
    ids, terms, prefixes = _matching()

    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        yield "\ufeff" + buffer.getvalue()
        for r in _rows(terms, prefixes, ids):
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([neutralize(r[c]) for c in COLUMNS])
            yield buffer.getvalue()

    response = Response(stream_with_context(generate()), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="diariet-sokning.csv"'
    response.headers["X-Total-Count"] = str(len(ids))
    return response


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@bp.get("/search.xlsx")
def search_xlsx():
    """Every matching row as an Excel workbook: text cells never read as formulas, dates as
    dates, a filter on the header row."""
    import xlsxwriter

    ids, terms, prefixes = _matching()
    out = tempfile.TemporaryFile()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                     "strings_to_urls": False, "strings_to_numbers": False})
    sheet = book.add_worksheet("Sökning")
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    widths = {"title": 60, "organization": 24, "body": 24, "unit": 24, "url": 50}
    for col, name in enumerate(COLUMNS):
        sheet.set_column(col, col, widths.get(name, 14))
        sheet.write_string(0, col, name, bold)
    n = 0
    for n, r in enumerate(_rows(terms, prefixes, ids), 1):
        if n > XLSX_MAX_ROWS:
            sheet.write_string(n, 0, f"Avkortad: {len(ids) - XLSX_MAX_ROWS} rader till ryms inte i ett kalkylblad; "
                                     "hämta CSV-filen för alla.")
            n = XLSX_MAX_ROWS
            break
        for col, name in enumerate(COLUMNS):
            value = r[name]
            if value is None or value == "":
                continue
            if name == "page":
                sheet.write_number(n, col, value)
            elif name == "date" and _day(value):
                sheet.write_datetime(n, col, _day(value), day)
            else:
                sheet.write_string(n, col, str(value))
    sheet.autofilter(0, 0, max(n, 1), len(COLUMNS) - 1)
    sheet.freeze_panes(1, 0)
    book.close()
    out.seek(0)
    response = send_file(out, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         as_attachment=True, download_name="diariet-sokning.xlsx")
    response.headers["X-Total-Count"] = str(len(ids))
    return response


OPENAPI_PATHS = {
    "/search.csv": _export_operation("csv", "text/csv", "Sökningen som CSV"),
    "/search.xlsx": _export_operation(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Sökningen som Excel"),
}
