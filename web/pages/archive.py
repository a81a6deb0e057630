"""Web stage, views: every HTML page has a JSON twin built from the same dict."""
from __future__ import annotations

import mimetypes
from dataclasses import replace
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, url_for

from ingest.extract import dnr as dnr_module
from ingest.extract.packets import PACKET_KINDS
from web import facets, hardening, paging, render
from web.app import catalog, files, searcher
from web.pages import decisions, viewer
from web.requests import query_text, search_request

bp = Blueprint("diariet", __name__)

REFERENCE_LABELS = {
    "sfs": "Författningar (SFS)", "fs": "Föreskrifter", "prop": "Propositioner", "bet": "Betänkanden",
    "mot": "Motioner i riksdagen", "sou": "SOU", "ds": "Ds", "dir": "Kommittédirektiv",
    "court": "Domar och mål", "paragraph_ref": "Paragrafer i andra protokoll",
}


def _search_data() -> dict:
    req = search_request(request.args)  # a BadRequest answers 400 (web/errors.py)
    result = searcher().search(req, catalog())
    data = result.to_dict() | {"lenient": result.lenient}
    data["hits"] = _with_urls(data["hits"])
    return data


def _with_urls(hits: list[dict]) -> list[dict]:
    """Hits (which carry ids) with the URL of their document page, at the snippet's page."""
    return [hit | {"url": url_for("diariet.document_page", document_id=hit["id"])
                   + (f"#sida-{hit['snippet_page']}" if hit.get("snippet_page") else "")}
            for hit in hits]


def _named(name: str, value: str) -> str:
    """A filter's value as the archive writes it ("party=v" is V, "body=spn" Samhällsplaneringsnämnden)."""
    return ", ".join(facets.value_label(name, v) for v in searcher().resolved(name, value))


def _link(args: dict, **changes) -> str:
    return paging.changed("diariet.search_page", args, **changes)


@bp.get("/api/search")
def api_search():
    data = _search_data()
    data |= paging.links("diariet.api_search", request.args.to_dict(), data["page"], data["per_page"], data["total"])
    response = jsonify(data)
    if header := paging.link_header({"next": data["next"], "prev": data["prev"]}):
        response.headers["Link"] = header
    return response


@bp.get("/")
def search_page():
    data = _search_data()
    args = request.args.to_dict()
    return render_template(
        "search.html", data=data, args=args, link=_link, language_labels=facets.LANGUAGE_LABELS,
        sidebar=facets.sidebar(data["facets"], args, _link, current_app.config.get("FACET_VALUES", facets.SHOWN),
                               named=_named),
        active=facets.active(args, _link, named=_named),
        pages=-(-data["total"] // data["per_page"]) if data["total"] else 0,
        empty_archive=not data["hits"] and catalog().count() == 0, index_note=searcher().status(),
        recent=catalog().recently_ingested(RECENT) if not any(args.values()) else [],
    )


RECENT = 8  # "Nyligen inlästa" beside "Senaste handlingarna" on the front page


def _document(document_id: str):
    doc = catalog().get(document_id)
    if doc is None:
        abort(404, description=f"Inget dokument med id {document_id!r}.")
    return doc


@bp.get("/api/documents/<document_id>")
def api_document(document_id: str):
    doc = _document(document_id)
    data = doc.to_dict()
    data["cases"] = _cases_of(doc)
    data["protocol"] = _protocol_of(doc)
    data["similar"] = _with_urls(searcher().similar(doc.id, catalog()))
    data["url"] = url_for("diariet.document_page", document_id=doc.id)
    data["original_url"] = url_for("diariet.api_original", document_id=doc.id)
    return jsonify(data)


def _cases_of(doc) -> list[dict]:
    """The cases of the document's own numbers: those it is in, with their register."""
    out = []
    for d in doc.meta.dnr:
        for case in catalog().cases_by_key(dnr_module.key(d)):
            if any(c["id"] == doc.id for c in case["documents"]):
                out.append({"organization": case["organization"], "register": case["register"], "dnr": d,
                            "documents": len(case["documents"])})
    return out


def _protocol_of(doc):
    """A protokollsutdrag's protocol in the archive (its appeal deadline holds for the extract)."""
    if doc.meta.doctype != "protokollsutdrag":
        return None
    protocol = catalog().protocol_of(doc.meta.organization, doc.meta.body, doc.meta.date)
    if protocol is None:
        return None
    return {"id": protocol.id, "title": protocol.meta.title, "appeal_deadline": protocol.meta.appeal_deadline,
            "url": url_for("diariet.document_page", document_id=protocol.id)}


@bp.get("/documents/<document_id>")
def document_page(document_id: str):
    doc = _document(document_id)
    q = query_text(request.args)
    terms, prefixes = searcher().highlighting(q, catalog()) if q.strip() else (set(), set())
    return render_template(
        "document.html", doc=doc, data=doc.to_dict(), cases=_cases_of(doc),
        protocol=_protocol_of(doc), decision_numbers=decisions.decision_numbers(doc.id),
        outcome_labels=decisions.OUTCOME_LABELS, position_labels=decisions.POSITION_LABELS,
        similar=_with_urls(searcher().similar(doc.id, catalog())),
        language_labels=facets.LANGUAGE_LABELS, segments=render.page_segments(doc),
        references=_grouped_references(doc), reference_labels=REFERENCE_LABELS,
        citation=render.citation(doc), ocr_note=render.ocr_note(doc.pages), percent=render.percent,
        paragraph_citations={p.number: render.citation(doc, p) for p in doc.meta.paragraphs},
        q=q, mark=render.highlighter(doc.meta.language, terms, prefixes), page_images=viewer.has_images(doc),
        source=render.shown_source(doc.source, catalog().local_sources_span()), date_note=render.date_note(doc),
    )


def _grouped_references(doc) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for kind, reference in doc.meta.references:
        grouped.setdefault(kind, []).append(reference)
    return {kind: grouped[kind] for kind in REFERENCE_LABELS if kind in grouped}


@bp.get("/api/documents/<document_id>/original")
@bp.get("/documents/<document_id>/original")
def api_original(document_id: str):
    found = catalog().stored_file(document_id)
    if found is None:
        abort(404, description=f"Inget dokument med id {document_id!r}.")
    sha256, media_type, source = found
    store = files()
    if not store.has(sha256):
        abort(404, description="Originalfilen saknas i arkivet.")
    name = source.rstrip("/").rsplit("/", 1)[-1] or f"{document_id}"
    if not mimetypes.guess_type(name)[0]:
        name += mimetypes.guess_extension(media_type) or ""
    # HTML (and anything a browser could run) is sent as an attachment, never rendered here.
    inline = media_type in ("application/pdf", "text/plain")
    response = Response(store.get(sha256), content_type=media_type)
    # Any name: en dashes, emoji, decomposed å, a newline (RFC 5987's filename*).
    response.headers["Content-Disposition"] = hardening.content_disposition(
        "inline" if inline else "attachment", name)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/api/cases")
def api_cases():
    dnr = request.args.get("dnr", "").strip()
    if not dnr:
        abort(400, description="ange ett diarienummer: /api/cases?dnr=...")
    register = request.args.get("register")
    return jsonify({"dnr": dnr, "key": dnr_module.key(dnr), "register": register,
                    "cases": _with_parts(catalog().cases_by_key(dnr_module.key(dnr), register), dnr)})


def _with_parts(cases: list[dict], dnr: str) -> list[dict]:
    """Each meeting packet of a case told which of its papers is the case's (ingest/extract/packets.py):
    `parts` of the document, with the viewer's link to its first page."""
    key = dnr_module.key(dnr)
    for case in cases:
        for d in case["documents"]:
            if d.get("doctype") not in PACKET_KINDS:
                continue
            doc = catalog().get(d["id"])
            d["parts"] = [{"number": p.number, "doctype": p.doctype, "title": p.title, "first_page": p.first_page,
                           "last_page": p.last_page,
                           "url": url_for("viewer.viewer_page", document_id=d["id"], number=p.first_page)}
                          for p in (doc.meta.parts if doc else ()) if p.number > 1
                          and any(dnr_module.key(x) == key for x in p.dnr)]
    return cases


@bp.get("/cases")
def case_page():
    dnr = request.args.get("dnr", "").strip()
    register = request.args.get("register")
    cases = _with_parts(catalog().cases_by_key(dnr_module.key(dnr), register), dnr) if dnr else []
    decided = {i: decisions.of_case(dnr, case["organization"], case) for i, case in enumerate(cases)}
    return render_template("case.html", dnr=dnr, register=register, cases=cases, case_decisions=decided,
                           outcome_labels=decisions.OUTCOME_LABELS)


@bp.get("/hjalp")
def help_page():
    return render_template("help.html")


DECISION_TYPES = ("protokoll", "protokollsutdrag")


def _browse_data() -> dict:
    learned = catalog().registers()
    return {"organizations": [{**o, "registers": learned.get(o["organization"] or "", [])}
                              for o in catalog().organizations()],
            "latest_decisions": catalog().latest(DECISION_TYPES, limit=15)}


@bp.get("/api/organizations")
def api_organizations():
    return jsonify(_browse_data())


@bp.get("/organisationer")
def browse_page():
    return render_template("browse.html", data=_browse_data())


FEED_SIZE = 50


@bp.get("/search.atom")
def search_feed():
    """Every search as an Atom feed, newest first, with the same filters as the search page."""
    req = search_request(request.args)  # a BadRequest answers 400 (web/errors.py)
    req = replace(req, sort="date", page=1, per_page=FEED_SIZE)
    result = searcher().search(req, catalog())
    docs = catalog().get_many(h["id"] for h in result.hits)
    args = {k: v for k, v in request.args.items() if v}
    # Links under the configured base URL, else relative (resolved against the feed's own URL):
    # never built from the Host header. Ids are URNs, the same wherever the feed is read from.
    feed = hardening.absolute(hardening.link("diariet.search_feed", args))
    page = hardening.absolute(hardening.link("diariet.search_page", args))
    updated = max((d.ingested_at for d in docs.values()), default="1970-01-01T00:00:00+00:00")
    body = render_template("feed.xml", hits=result.hits, docs=docs, query=req.q, page_url=page,
                           feed_url=feed, feed_id="urn:diariet:search:" + urlencode(sorted(args.items())),
                           updated=updated, absolute=hardening.absolute)
    return Response(hardening.xml_text(body), content_type="application/atom+xml; charset=utf-8")
