"""Web stage, decisions: the Beslut search, a § 's page, the latest and appealable decisions, party pages.

Every HTML page has its JSON twin built from the same dict (/api/decisions, /api/decisions/<id>,
/api/decisions/latest, /api/decisions/appealable, /api/parties/<party>); the latest and the
appealable decisions are Atom feeds too.
"""
from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, g, jsonify, render_template, request, url_for

from index.decisions import MAX_PER_PAGE, DecisionRequest, open_index
from index.query.parser import EXCLUDE
from ingest.extract.parties import PARTIES
from ingest.model import OUTCOMES
from web import facets, hardening, paging
from web.requests import BadRequest, _date, _int, query_text

bp = Blueprint("decisions", __name__)

FILTERS = ("organization", "body", "outcome", "party", "statement", "year", "dnr",
           *(EXCLUDE + name for name in ("organization", "body", "outcome", "party", "year")))
FACET_LABELS = {"outcome": "Utfall", "organization": "Organisation", "body": "Organ", "year": "År", "party": "Parti"}
OUTCOME_LABELS = {
    "bifall": "Bifall", "avslag": "Avslag", "besvarad": "Besvarad", "återremiss": "Återremiss",
    "bordlagd": "Bordlagd", "val": "Val", "anmäld": "Anmäld / informerad", "förslag": "Förslag till annat organ",
    "annat": "Annat",
}
POSITION_LABELS = {"bifall": "bifall", "avslag": "avslag", "återremiss": "återremiss", "bordläggning": "bordläggning",
                   "ändring": "ändringsyrkande", "tillägg": "tilläggsyrkande"}
FEED_SIZE = 50


def decisions():
    """The request's read-only decision index."""
    if "decisions" not in g:
        g.decisions = open_index(current_app.config["DATA"].root, readonly=True)
    return g.decisions


@bp.teardown_app_request
def _close(exc):
    index = g.pop("decisions", None)
    if index is not None:
        index.close()


def decision_numbers(document_id: str) -> set[str]:
    """The § numbers of a document the decision index holds (those have a page of their own)."""
    return {h["number"] for h in decisions().for_document(document_id)}


def of_case(dnr: str, organization: str | None, case: dict | None = None) -> list[dict]:
    """A case's decisions, oldest first (the case timeline): the §§ naming its number, and with
    `case` (Catalog.cases_by_key's) any of its numbers' forms, only in its documents (another
    register's equal bare number is another case's)."""
    from ingest.extract import dnr as dnr_module

    numbers = case["numbers"] if case and case.get("numbers") else [dnr]
    hits = decisions().for_keys([dnr_module.key(n) for n in numbers], organization)
    if case is not None:
        ids = {d["id"] for d in case["documents"]}
        hits = [h for h in hits if h["document_id"] in ids]
    return with_urls(hits)


def _request() -> DecisionRequest:
    args = request.args
    q = query_text(args)
    outcome = args.get("outcome", "").strip()
    if outcome and outcome not in OUTCOMES:
        raise BadRequest(f"outcome måste vara {', '.join(OUTCOMES)}, inte {outcome!r}")
    filters = {name: args.get(name, "").strip() for name in FILTERS}
    filters = {k: v for k, v in filters.items() if v}
    for name, end in (("date_from", False), ("date_to", True)):
        value = _date(args, name, end)
        if value:
            filters[name] = value
    return DecisionRequest(q=q, page=_int(args, "page", 1, 1, 10_000),
                           per_page=_int(args, "per_page", 10, 1, MAX_PER_PAGE), filters=filters)


def with_urls(hits: list[dict]) -> list[dict]:
    """Hits with the URL of their § on the document page and of their own page."""
    return [h | {"url": url_for("diariet.document_page", document_id=h["document_id"]) + f"#beslut-{h['number']}",
                 "decision_url": url_for("decisions.decision_page", document_id=h["document_id"], number=h["number"])}
            for h in hits]


def _search_data() -> dict:
    req = _request()  # a BadRequest answers 400 (web/errors.py)
    data = decisions().search(req)
    data["hits"] = with_urls(data["hits"])
    return {"query": req.q, "page": req.page, "per_page": req.per_page, **data}


@bp.get("/api/decisions")
def api_decisions():
    data = _search_data()
    data |= paging.links("decisions.api_decisions", request.args.to_dict(), data["page"], data["per_page"], data["total"])
    return jsonify(data)


def _value_label(name: str, value: str) -> str:
    return OUTCOME_LABELS.get(value, value) if name == "outcome" else value


def _link(args: dict, **changes) -> str:
    return paging.changed("decisions.search_page", args, **changes)


@bp.get("/beslut")
def search_page():
    data = _search_data()
    args = request.args.to_dict()
    shown = current_app.config.get("FACET_VALUES", facets.SHOWN)
    return render_template("decisions.html", data=data, args=args, link=_link,
                           sidebar=facets.sidebar(data["facets"], args, _link, shown, FACET_LABELS, _value_label),
                           active=facets.active(args, _link, FACET_LABELS, _value_label), outcome_labels=OUTCOME_LABELS,
                           position_labels=POSITION_LABELS,
                           pages=-(-data["total"] // data["per_page"]) if data["total"] else 0)


def _decision(document_id: str, number: str) -> dict:
    found = decisions().find(document_id, number)
    if found is None:
        abort(404, description=f"Inget beslut § {number} i dokumentet {document_id!r}.")
    similar = decisions().similar(found["id"])
    (found,) = with_urls([found])
    found["similar"] = with_urls(similar)
    return found


# A decision is named by its document and § number: the same URL after any rebuild.
@bp.get("/api/decisions/<document_id>/<number>")
def api_decision(document_id: str, number: str):
    return jsonify(_decision(document_id, number))


@bp.get("/beslut/<document_id>/<number>")
def decision_page(document_id: str, number: str):
    return render_template("decision.html", d=_decision(document_id, number), outcome_labels=OUTCOME_LABELS,
                           position_labels=POSITION_LABELS)


def _today() -> str:
    return current_app.config.get("TODAY") or date.today().isoformat()


def _latest() -> dict:
    organization = request.args.get("organization", "").strip() or None
    return {"organization": organization, "hits": with_urls(decisions().latest(FEED_SIZE, organization))}


def _appealable() -> dict:
    today = _today()
    return {"today": today, "hits": with_urls(decisions().appealable(today))}


@bp.get("/api/decisions/latest")
def api_latest():
    return jsonify(_latest())


@bp.get("/api/decisions/appealable")
def api_appealable():
    return jsonify(_appealable())


@bp.get("/beslut/senaste")
def latest_page():
    return render_template("decision_list.html", data=_latest(), heading="Senaste besluten",
                           feed=hardening.link("decisions.latest_feed", request.args.to_dict()),
                           api=hardening.link("decisions.api_latest", request.args.to_dict()),
                           outcome_labels=OUTCOME_LABELS, appealable=False)


@bp.get("/beslut/overklagbara")
def appealable_page():
    return render_template("decision_list.html", data=_appealable(), heading="Överklagbart nu",
                           feed=url_for("decisions.appealable_feed"), api=url_for("decisions.api_appealable"),
                           outcome_labels=OUTCOME_LABELS, appealable=True)


def _feed(data: dict, title: str, kind: str, endpoint: str, page_endpoint: str) -> Response:
    """An Atom feed of decisions: links under the configured base URL, else relative; ids URNs."""
    args = {k: v for k, v in request.args.items() if v}
    updated = max((h["date"] for h in data["hits"] if h["date"]), default="1970-01-01")
    body = render_template("decisions_feed.xml", hits=data["hits"], title=title,
                           page_url=hardening.absolute(hardening.link(page_endpoint, args)),
                           feed_url=hardening.absolute(hardening.link(endpoint, args)),
                           feed_id=f"urn:diariet:decisions:{kind}:" + urlencode(sorted(args.items())),
                           updated=updated, outcome_labels=OUTCOME_LABELS, absolute=hardening.absolute)
    return Response(hardening.xml_text(body), content_type="application/atom+xml; charset=utf-8")


@bp.get("/beslut/senaste.atom")
def latest_feed():
    return _feed(_latest(), "Senaste besluten", "latest", "decisions.latest_feed", "decisions.latest_page")


@bp.get("/beslut/overklagbara.atom")
def appealable_feed():
    return _feed(_appealable(), "Överklagbart nu", "appealable", "decisions.appealable_feed", "decisions.appealable_page")


def _party(party: str) -> dict:
    if party not in PARTIES and party not in decisions().parties():
        abort(404, description=f"Inget parti {party!r} i besluten.")
    filters = {name: request.args.get(name, "").strip() for name in ("organization", "body", "year", "topic")}
    data = decisions().party(party, filters)
    data["name"] = PARTIES.get(party, party)
    data["hits"] = with_urls(data["hits"])
    data["filters"] = {k: v for k, v in filters.items() if v}
    return data


@bp.get("/api/parties/<party>")
def api_party(party: str):
    return jsonify(_party(party))


@bp.get("/partier")
def parties_page():
    return render_template("parties.html", parties=decisions().parties(), names=PARTIES)


@bp.get("/api/parties")
def api_parties():
    return jsonify({"parties": [{"party": p, "name": PARTIES.get(p, p), "decisions": n}
                                for p, n in decisions().parties().items()]})


@bp.get("/partier/<party>")
def party_page(party: str):
    data = _party(party)
    by_year: dict[str, dict[str, list[dict]]] = {}
    for h in data["hits"]:
        by_year.setdefault((h["date"] or "")[:4] or "odaterat", {}).setdefault(h["topic"], []).append(h)
    return render_template("party.html", data=data, by_year=by_year, outcome_labels=OUTCOME_LABELS,
                           position_labels=POSITION_LABELS, args=request.args.to_dict())


def _openapi() -> tuple[dict, dict]:
    """The decision routes for web/openapi.py (OPENAPI_PATHS, OPENAPI_SCHEMAS)."""
    from web.openapi import NULLABLE_STRING, STRINGS, error, json_response, query, ref

    counts = {"type": "object", "additionalProperties": {"type": "integer"}}
    nullable_int = {"type": ["integer", "null"]}
    motion = {"type": "object", "properties": {
        "person": NULLABLE_STRING, "party": NULLABLE_STRING,
        "position": {"type": "string", "enum": list(POSITION_LABELS)}, "text": {"type": "string"},
        "withdrawn": {"type": "boolean"}}}
    vote = {"type": ["object", "null"], "properties": {
        "yes": {"type": "integer"}, "no": {"type": "integer"}, "abstain": {"type": "integer"}, "absent": nullable_int,
        "by_party": {"type": "object", "additionalProperties": counts},
        "by_member": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "party": NULLABLE_STRING, "vote": {"type": "string"}}}},
        "question": {"type": "string"}}}
    decision = {
        "type": "object",
        "required": ["id", "document_id", "number", "title", "organization", "body", "date", "dnr", "outcome",
                     "as_proposed", "decision", "snippet", "url"],
        "properties": {
            "id": {"type": "integer"}, "document_id": {"type": "string"}, "number": {"type": "string"},
            "title": {"type": "string"}, "doctype": {"type": "string"}, "organization": NULLABLE_STRING,
            "body": NULLABLE_STRING, "date": NULLABLE_STRING, "dnr": STRINGS,
            "outcome": {"type": "string", "enum": list(OUTCOMES)}, "as_proposed": {"type": ["boolean", "null"]},
            "decision": {"type": "string"}, "snippet": {"type": "string", "description": "HTML: escaped, <mark> around matches."},
            "page": {"type": "integer"}, "posted_on": NULLABLE_STRING, "appeal_deadline": NULLABLE_STRING,
            "proposal": {"type": "string"}, "proposed_by": NULLABLE_STRING, "motions": {"type": "array", "items": motion},
            "vote": vote, "statements": {"type": "array", "items": {"type": "object"}}, "conflicts": STRINGS,
            "url": {"type": "string", "description": "Paragrafen i dokumentets sida."},
            "decision_url": {"type": "string"},
        },
    }
    listing = {"type": "object", "required": ["hits"], "properties": {"hits": {"type": "array", "items": ref("Decision")}}}
    schemas = {
        "Decision": decision,
        "DecisionSearch": {
            "type": "object", "required": ["query", "total", "page", "per_page", "hits", "facets"],
            "properties": {
                "query": {"type": "string"}, "total": {"type": "integer"}, "page": {"type": "integer"},
                "per_page": {"type": "integer"}, "hits": {"type": "array", "items": ref("Decision")},
                "facets": {"type": "object", "additionalProperties": counts},
                "next": NULLABLE_STRING, "prev": NULLABLE_STRING,
            },
        },
        "DecisionWithSimilar": {"allOf": [ref("Decision"), {"type": "object", "properties": {
            "similar": {"type": "array", "items": ref("Decision")}}}]},
        "Party": {"type": "object", "required": ["party", "name", "total", "roles", "years", "topics", "bodies", "hits"],
                  "properties": {"party": {"type": "string"}, "name": {"type": "string"}, "total": {"type": "integer"},
                                 "roles": counts, "years": counts, "topics": counts, "bodies": counts, "filters": {"type": "object"},
                                 "hits": {"type": "array", "items": ref("Decision")}}},
    }
    filters = [
        query("q", "Ord i beslutens rubrik och text, Diariets frågespråk (samma svenska analys som dokumentsökningen).",
              {"type": "string", "maxLength": 1000}),
        query("page", "Sida, från 1.", {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1}),
        query("per_page", "Beslut per sida.", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 10}),
        query("organization", "Organisation."), query("body", "Organ (nämnd, styrelse, fullmäktige)."),
        query("outcome", "Utfall.", {"type": "string", "enum": list(OUTCOMES)}),
        query("party", "Parti som yrkade, röstade med en sida eller reserverade sig (S, M, V ...)."),
        query("statement", "Uttalandets slag: reservation, särskilt uttalande, protokollsanteckning, ersättaryttrande."),
        query("year", "År."), query("dnr", "Diarienummer, i valfri skrivform."),
        query("date_from", "Från datum: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD.", {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}),
        query("date_to", "Till datum: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD.", {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}),
    ]
    party_param = {"name": "party", "in": "path", "required": True, "description": "Partiets förkortning (S, M, V ...).",
                   "schema": {"type": "string", "minLength": 1}}
    document_id = {"name": "document_id", "in": "path", "required": True, "description": "Dokumentets id.",
                   "schema": {"type": "string", "minLength": 1}}
    number = {"name": "number", "in": "path", "required": True, "description": "Paragrafens nummer.",
              "schema": {"type": "string", "minLength": 1}}
    paths = {
        "/api/decisions": {"get": {
            "operationId": "decisions", "tags": ["Beslut"], "summary": "Sök bland protokollens beslut (§§)",
            "parameters": filters,
            "responses": {"200": json_response("Träffar och facetter.", ref("DecisionSearch")),
                          "400": error("En parameter som inte går att använda.")}}},
        "/api/decisions/{document_id}/{number}": {"get": {
            "operationId": "decision", "tags": ["Beslut"], "summary": "Ett beslut (en paragraf) med liknande beslut",
            "parameters": [document_id, number],
            "responses": {"200": json_response("Beslutet.", ref("DecisionWithSimilar")),
                          "404": error("Ingen sådan paragraf i arkivet.")}}},
        "/api/decisions/latest": {"get": {
            "operationId": "decisions_latest", "tags": ["Beslut"], "summary": "Senaste besluten",
            "parameters": [query("organization", "Bara den här organisationen.")],
            "responses": {"200": json_response("De senaste besluten.", listing)}}},
        "/api/decisions/appealable": {"get": {
            "operationId": "decisions_appealable", "tags": ["Beslut"], "summary": "Beslut som kan överklagas nu",
            "responses": {"200": json_response("Besluten vars tid för laglighetsprövning inte har gått ut.", listing)}}},
        "/api/parties": {"get": {
            "operationId": "parties", "tags": ["Beslut"], "summary": "Partierna i besluten",
            "responses": {"200": json_response("Partier med antal beslut.", {"type": "object", "properties": {
                "parties": {"type": "array", "items": {"type": "object"}}}})}}},
        "/api/parties/{party}": {"get": {
            "operationId": "party", "tags": ["Beslut"], "summary": "Vad ett parti yrkade, röstade och reserverade sig mot",
            "parameters": [party_param, query("organization", "Organisation."), query("body", "Organ."), query("year", "År."),
                           query("topic", "Ämne (som i topics).")],
            "responses": {"200": json_response("Partiets beslut per roll, år, ämne och organ.", ref("Party")),
                          "404": error("Inget sådant parti i besluten.")}}},
    }
    return paths, schemas


OPENAPI_PATHS, OPENAPI_SCHEMAS = _openapi()
