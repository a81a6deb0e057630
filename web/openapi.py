"""Web stage, OpenAPI: the JSON API described as OpenAPI 3.1 (/api/openapi.json) and as a page (/utvecklare).

The core paths are here; a page family with API routes of its own (web/pages/watches.py, ...) declares
`OPENAPI_PATHS` (and `OPENAPI_SCHEMAS`) beside its views and is named in FAMILIES. A test
compares the paths with Flask's url_map, so a route without a description fails the suite."""
from __future__ import annotations

import importlib

from flask import Blueprint, jsonify, render_template

from index.fields import FACETS
from index.query.parser import EXCLUDE

bp = Blueprint("openapi", __name__)

# Modules whose OPENAPI_PATHS / OPENAPI_SCHEMAS join the description.
FAMILIES = ("web.pages.exports", "web.pages.decisions", "web.pages.watches")

NULLABLE_STRING = {"type": ["string", "null"]}
STRINGS = {"type": "array", "items": {"type": "string"}}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error(description: str) -> dict:
    return json_response(description, ref("Error"))


def query(name: str, description: str, schema: dict | None = None, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema or {"type": "string"}}


SEARCH_PARAMETERS = [
    query("q", "Frågan i Diariets frågespråk (se /hjalp); tom: alla dokument, nyast först.",
          {"type": "string", "maxLength": 1000}),
    query("page", "Sida, från 1.", {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1}),
    query("per_page", "Träffar per sida.", {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}),
    query("sort", "Ordning.", {"type": "string", "enum": ["relevance", "recency", "date"], "default": "relevance"}),
    query("stavning", "`exakt`: orden som de skrivits, aldrig rättade (se `corrected`) eller utvidgade (se `relaxed`).",
          {"type": "string", "enum": ["exakt"]}),
    *(query(name, f"Filter på facetten {name}: ett värde ur `facets.{name}`, i valfritt skiftläge, "
                  "eller ett namn eller initialer som står för det (parti: Vänsterpartiet, organ: ks).")
      for name in FACETS),
    *(query(EXCLUDE + name, f"Utan dokumenten med det här värdet av {name} (samma skrivsätt som {name}; flera åtskilda med |).")
      for name in FACETS),
    query("dnr", "Diarienummer, i valfri skrivform."),
    query("date_from", "Från datum: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD.",
          {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}),
    query("date_to", "Till datum: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD.",
          {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}),
]
DOCUMENT_ID = {"name": "document_id", "in": "path", "required": True, "description": "Dokumentets id.",
               "schema": {"type": "string", "minLength": 1}}

SCHEMAS = {
    "Error": {
        "type": "object", "required": ["error", "status", "message"],
        "properties": {
            "error": {"type": "string", "description": "HTTP-statusens namn: not_found, bad_request, ..."},
            "status": {"type": "integer"},
            "message": {"type": "string", "description": "Vad som var fel, på svenska."},
        },
    },
    "Hit": {
        "type": "object", "required": ["id", "title", "doctype", "date", "dnr", "snippet", "url"],
        "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "doctype": {"type": "string"},
            "organization": NULLABLE_STRING, "body": NULLABLE_STRING, "unit": NULLABLE_STRING, "date": NULLABLE_STRING,
            "dnr": STRINGS, "language": {"type": "string"}, "source": {"type": "string"},
            "snippet": {"type": "string", "description": "HTML: allt escapat utom <mark>."},
            "snippet_page": {"type": ["integer", "null"]},
            "snippet_paragraph": {**NULLABLE_STRING, "description": "Numret på den § i protokollet som utdraget är ur."}, "url": {"type": "string"},
        },
    },
    "SearchResult": {
        "type": "object",
        "required": ["query", "total", "page", "per_page", "hits", "facets", "next", "prev"],
        "properties": {
            "query": {"type": "string"}, "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer"}, "per_page": {"type": "integer"}, "sort": {"type": "string"},
            "filters": {"type": "object", "additionalProperties": {"type": "string"}},
            "hits": {"type": "array", "items": ref("Hit")},
            "facets": {"type": "object", "additionalProperties": {
                "type": "object", "additionalProperties": {"type": "integer"}}},
            "suggestion": NULLABLE_STRING,
            "corrected": {**NULLABLE_STRING, "description": "Frågan som söktes i stället för den skrivna, "
                          "när den skrivna hittade nästan inget och rättelsen fler (`stavning=exakt`: aldrig)."},
            "cases": {"type": "array", "items": ref("Case")},
            "relaxed": {"type": "boolean", "description": "Sant när frågans alla ord hittade nästan inget: "
                        "efter de dokumenten följer de med orden stavade nästan likadant och de där ett av "
                        "orden saknas (`stavning=exakt`: aldrig)."},
            "lenient": {"type": "boolean"},
            "next": {**NULLABLE_STRING, "description": "Nästa sida av samma sökning, eller null."},
            "prev": {**NULLABLE_STRING, "description": "Föregående sida, eller null."},
        },
    },
    "Document": {
        "type": "object", "required": ["id", "title", "doctype", "date", "dnr", "pages", "url"],
        "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "doctype": {"type": "string"},
            "organization": NULLABLE_STRING, "body": NULLABLE_STRING, "unit": NULLABLE_STRING, "date": NULLABLE_STRING,
            "date_kind": {**NULLABLE_STRING, "description": "Vilket datum det är: sammanträde, datum, antagen, "
                          "beslutad, publicerad, upprättad, ort och datum, brevhuvud, filnamn ..."},
            "date_missing": {**NULLABLE_STRING, "description": "För ett odaterat dokument: varför datum saknas."},
            "language": {"type": "string"}, "dnr": STRINGS, "dnr_mentioned": STRINGS, "parties": STRINGS,
            "persons": {"type": "array", "items": {"type": "object", "properties": {
                "role": {"type": "string"}, "name": {"type": "string"}}}},
            "statements": {"type": "array", "items": {"type": "object"}},
            "references": {"type": "array", "items": {"type": "object"}},
            "paragraphs": {"type": "array", "items": {"type": "object", "properties": {
                "number": {"type": "string"}, "title": {"type": "string"}, "page": {"type": "integer"},
                "dnr": STRINGS, "decision": {"type": "string"}, "proposal": {"type": "string"},
                "proposed_by": NULLABLE_STRING, "motions": {"type": "array", "items": {"type": "object"}},
                "procedure": {"type": "string"}, "vote": {"type": ["object", "null"]},
                "votes": {"type": "array", "items": {"type": "object"}},
                "outcome": {"type": "string"}, "as_proposed": {"type": ["boolean", "null"]},
                "changes": STRINGS, "statements": {"type": "array", "items": {"type": "object"}},
                "conflicts": STRINGS,
                "start": {"type": ["integer", "null"], "description": "where the § heading starts in the text"}}}},
            "justified_on": NULLABLE_STRING, "posted_on": NULLABLE_STRING, "appeal_deadline": NULLABLE_STRING,
            "appeal_note": NULLABLE_STRING, "protocol": {"type": ["object", "null"]},
            "parts": {"type": "array", "description": "Ett sammanträdes handlingar i en fil: varje dokument i den "
                      "(kallelsen först), med sina sidor.", "items": {"type": "object", "properties": {
                          "number": {"type": "integer"}, "first_page": {"type": "integer"},
                          "last_page": {"type": "integer"}, "doctype": {"type": "string"}, "title": {"type": "string"},
                          "date": NULLABLE_STRING, "body": NULLABLE_STRING, "unit": NULLABLE_STRING, "dnr": STRINGS}}},
            "source": {"type": "string"}, "sha256": {"type": "string"}, "media_type": {"type": "string"},
            "page_count": {"type": "integer"}, "version": {"type": "integer"},
            "pages": {"type": "array", "items": {"type": "object", "properties": {
                "number": {"type": "integer"}, "text": {"type": "string"},
                "has_text_layer": {"type": "boolean",
                                   "description": "Filen har ett användbart textlager på sidan (falskt för en skannad bild)."},
                "ocr": {"type": "boolean", "description": "Sidans text är maskinläst (OCR) ur sidans bild."},
                "confidence": {"type": ["number", "null"], "minimum": 0, "maximum": 1,
                               "description": "Med ocr: OCR:ens medelsäkerhet per ord, 0–1; annars null."}}}},
            "cases": {"type": "array", "items": {"type": "object"}},
            "similar": {"type": "array", "items": ref("Hit")},
            "url": {"type": "string"}, "original_url": {"type": "string"},
        },
    },
    "Case": {
        "type": "object", "required": ["dnr", "register", "documents"],
        "properties": {"organization": NULLABLE_STRING, "dnr": {"type": "string"},
                       "register": {"type": "string", "description": "Diariet numret hör till: det prefixet "
                                    "namnger (KS, BN), annars nämnden vars dokument bär ett nummer utan "
                                    "prefix, eller \"\" för organisationens."},
                       "numbers": {**STRINGS, "description": "Numrets skrivformer i ärendet (BN-2024-00013, 2024-00013)."},
                       "documents": {"type": "array", "items": {"type": "object", "description":
                                     "own: numret är dokumentets eget (false: dokumentet nämner ärendet)."}}},
    },
    "Cases": {
        "type": "object", "required": ["dnr", "key", "cases"],
        "properties": {"dnr": {"type": "string"}, "key": {"type": "string"}, "register": NULLABLE_STRING,
                       "cases": {"type": "array", "items": ref("Case")}},
    },
    "Organizations": {
        "type": "object", "required": ["organizations"],
        "properties": {"organizations": {"type": "array", "items": {"type": "object", "description":
                                          "organization, count, bodies (med år) och registers: diarierna "
                                          "arkivet visar (register, numbers, documents, shapes, bodies, "
                                          "written_as)."}},
                       "latest_decisions": {"type": "array", "items": {"type": "object"}}},
    },
}

PATHS = {
    "/api/search": {"get": {
        "operationId": "search", "tags": ["Sök"], "summary": "Sök i arkivet",
        "description": "Träffar med utdrag, facetter, förslag och ärenden; `next`/`prev` och en "
                       "Link-header pekar på grannsidorna.",
        "parameters": SEARCH_PARAMETERS,
        "responses": {"200": json_response("En sida träffar.", ref("SearchResult")),
                      "400": error("En parameter som inte går att använda.")},
    }},
    "/api/documents/{document_id}": {"get": {
        "operationId": "document", "tags": ["Dokument"], "summary": "Ett dokument med text och metadata",
        "parameters": [DOCUMENT_ID],
        "responses": {"200": json_response("Dokumentet.", ref("Document")),
                      "404": error("Inget dokument med det id:t.")},
    }},
    "/api/documents/{document_id}/original": {"get": {
        "operationId": "original", "tags": ["Dokument"], "summary": "Originalfilen",
        "description": "De lagrade bytena med sin mediatyp; HTML skickas som bilaga.",
        "parameters": [DOCUMENT_ID],
        "responses": {"200": {"description": "Filen.", "content": {"*/*": {"schema": {
                          "type": "string", "format": "binary"}}}},
                      "404": error("Inget dokument, eller filen saknas.")},
    }},
    "/api/cases": {"get": {
        "operationId": "cases", "tags": ["Ärenden"], "summary": "Ärenden med ett diarienummer",
        "parameters": [query("dnr", "Diarienummer i valfri skrivform (KS 2019/562, ks-2019-562).",
                             {"type": "string", "minLength": 1}, required=True),
                       query("register", "Bara ärenden i detta diarium (KS, Byggnadsnämnden).", {"type": "string"})],
        "responses": {"200": json_response("Ärendena, varje med sina dokument.", ref("Cases")),
                      "400": error("Inget diarienummer angivet.")},
    }},
    "/api/organizations": {"get": {
        "operationId": "organizations", "tags": ["Bläddra"], "summary": "Organisationer, organ och år",
        "responses": {"200": json_response("Träd med antal och de senaste besluten.", ref("Organizations"))},
    }},
    "/api/openapi.json": {"get": {
        "operationId": "openapi", "tags": ["API"], "summary": "Den här beskrivningen (OpenAPI 3.1)",
        "responses": {"200": json_response("OpenAPI-dokumentet.", {"type": "object"})},
    }},
}


def spec() -> dict:
    """The whole description: the core paths and every family's."""
    paths = dict(PATHS)
    schemas = dict(SCHEMAS)
    for name in FAMILIES:
        module = importlib.import_module(name)
        paths |= getattr(module, "OPENAPI_PATHS", {})
        schemas |= getattr(module, "OPENAPI_SCHEMAS", {})
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Diariet",
            "version": "1",
            "description": "Öppet JSON-API för Diariets arkiv av kommuners och regioners allmänna "
                           "handlingar. Alla fel har formen {\"error\", \"status\", \"message\"}.",
            "license": {"name": "Samma som Diariet"},
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


@bp.get("/api/openapi.json")
def openapi_json():
    response = jsonify(spec())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/utvecklare")
def api_page():
    """The same description, readable: every operation with its parameters and answers."""
    description = spec()
    operations = [(path, method, op) for path, methods in description["paths"].items()
                  for method, op in methods.items()]
    return render_template("api.html", spec=description, operations=operations)
