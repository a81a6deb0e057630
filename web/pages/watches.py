"""Web stage, watches: "Bevaka" → a form → a watch; the watches page, confirm and unsubscribe links,
and /api/watches (list, create, delete). Delivery is notify/'s; storage ingest/catalog/watches.py."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, g, jsonify, redirect, render_template, request, url_for

from ingest.catalog.watches import FREQUENCIES, KINDS, Watch, WatchStore
from notify import links, match
from notify.settings import NotifySettings
from web import hardening
from web.app import catalog
from web.requests import BadRequest, search_request

bp = Blueprint("watches", __name__)

EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+")
MAX_VALUE = 1000
KIND_LABELS = {"search": "Sökning", "dnr": "Ärende", "body": "Organ", "organization": "Organisation",
               "party": "Parti"}
FREQUENCY_LABELS = {"daily": "dagligen", "weekly": "veckovis"}


def settings() -> NotifySettings:
    return current_app.config.get("NOTIFY") or NotifySettings()


def store() -> WatchStore:
    if "watches" not in g:
        g.watches = WatchStore(current_app.config["DATA"].catalog)
    return g.watches


@bp.teardown_app_request
def close_store(exc):
    found = g.pop("watches", None)
    if found is not None:
        found.close()


def base_url() -> str:
    """The site's address in e-mails: --base-url, else DIARIET_BASE_URL (never the Host header)."""
    return (current_app.config.get("BASE_URL") or settings().base_url).rstrip("/")


# -- what a watch is ------------------------------------------------------------


def parse_watch(form, preview: bool = False) -> dict:
    """A watch from a form or JSON: kind, value (a search's arguments for kind=search), e-mail,
    frequency, webhook; raises BadRequest with a Swedish message."""
    kind = (form.get("kind") or "").strip()
    if kind not in KINDS:
        raise BadRequest(f"kind måste vara {', '.join(KINDS)}, inte {kind!r}")
    organization = (form.get("organization") or "").strip() or None
    if kind == "search":
        raw = form.get("value")
        if isinstance(raw, dict):
            args = raw
        else:
            from urllib.parse import parse_qsl

            args = dict(parse_qsl(str(raw or ""), keep_blank_values=True))
        req = search_request(args)  # the same validation as the search itself
        value = match.saved_search(req.q, req.filters)
    else:
        value = str(form.get("value") or "").strip()
        if not value:
            raise BadRequest("value saknas: vad ska bevakas?")
    if len(value) > MAX_VALUE:
        raise BadRequest(f"value är för långt (högst {MAX_VALUE} tecken)")
    email = str(form.get("email") or "").strip() or None
    if email and not EMAIL.fullmatch(email):
        raise BadRequest(f"{email!r} ser inte ut som en e-postadress")
    frequency = str(form.get("frequency") or "daily")
    if frequency not in FREQUENCIES:
        raise BadRequest(f"frequency måste vara {' eller '.join(FREQUENCIES)}, inte {frequency!r}")
    webhook = str(form.get("webhook") or "").strip() or None
    if webhook:
        parts = urlsplit(webhook)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise BadRequest("webhook måste vara en http- eller https-adress")
        if settings().shared:
            raise BadRequest("webhooks kan bara anges i en installation för en användare")
    if settings().shared and not email and not preview:
        raise BadRequest("ange en e-postadress: den bekräftade adressen är nyckeln till dina bevakningar")
    return {"kind": kind, "value": value, "organization": organization, "email": email,
            "frequency": frequency, "webhook": webhook, "label": label(kind, value, organization)}


def label(kind: str, value: str, organization: str | None) -> str:
    """"Sökning: valsedlar (Kungsbacka kommun)", "Ärende KS 2019/562", "Socialnämnden, Stockholms stad"."""
    if kind == "search":
        req = match.search_of(Watch("", kind, value, ""))
        shown = [f"”{req.q}”"] if req.q.strip() else []
        shown += [v for k, v in req.filters.items()]
        return "Sökning: " + (", ".join(shown) if shown else "alla handlingar")
    if kind == "dnr":
        text = f"Ärende {value}"
    elif kind == "party":
        text = f"Parti {value}"
    else:
        text = value
    return f"{text}, {organization}" if organization else text


def create(fields: dict) -> tuple[Watch, bool]:
    """Store a watch; in a shared install a new address gets a confirmation e-mail first.
    Returns (watch, whether a confirmation was sent)."""
    shared = settings().shared
    require_writable()
    watch = store().add(fields["kind"], fields["value"], fields["label"], fields["organization"],
                        fields["email"], fields["frequency"], fields["webhook"], confirmed=not shared)
    if shared and not watch.confirmed:
        from notify import digest, mail

        email = watch.email or ""  # a shared install's watch has one (checked by the form)
        key = store().subscriber(email, confirmed=False)["key"]
        message = digest.confirmation(email, watch, links.confirm(base_url(), key), settings().sender)
        try:
            mail.send([message], settings())
        except mail.MailError as e:
            store().delete(watch.id)
            abort(503, description=f"Bekräftelsen kunde inte skickas: {e}")
        return watch, True
    return watch, False


def require_writable() -> None:
    if not store().writable:
        abort(503, description="Arkivet är skrivskyddat: här kan inga bevakningar sparas eller ändras.")


def visible(key: str | None) -> tuple[list[Watch], dict | None]:
    """The watches a request may see: all of them in a single-user install; in a shared one
    only those of the address whose key is given."""
    if not settings().shared:
        return store().all(), None
    subscriber = store().by_key(key) if key else None
    if subscriber is None:
        return [], None
    return store().all(subscriber["email"]), subscriber


def may_change(watch: Watch, key: str | None) -> bool:
    if not settings().shared:
        return True
    subscriber = store().by_key(key) if key else None
    return subscriber is not None and subscriber["email"] == watch.email


def same_origin() -> None:
    """A form POST only from this site's own pages (no other site can create or delete watches)."""
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if origin and urlsplit(origin).netloc != request.host:
        abort(403, description="Formuläret kom från en annan webbplats.")


def watch_json(watch: Watch, with_secret: bool = False) -> dict:
    out = watch.to_dict(with_secret=with_secret)
    out["url"] = hardening.absolute(links.watch_page("", watch))
    return out


# -- pages -------------------------------------------------------------------------


def recent_documents(watch: Watch, limit: int = 5) -> list[dict]:
    rows = store().sql.execute(
        "SELECT document_id FROM watch_matches WHERE watch_id = ? ORDER BY matched_at DESC LIMIT ?",
        (watch.id, limit))
    docs = catalog().get_many(r[0] for r in rows)
    return [{"id": d.id, "title": d.meta.title, "date": d.meta.date} for d in docs.values()]


@bp.get("/bevakningar")
def watches_page():
    key = request.args.get("nyckel")
    watches, subscriber = visible(key)
    return render_template("watches.html", watches=watches, subscriber=subscriber, key=key,
                           shared=settings().shared, recent={w.id: recent_documents(w) for w in watches},
                           page_of=lambda w: links.watch_page("", w), kind_labels=KIND_LABELS,
                           frequency_labels=FREQUENCY_LABELS, created=request.args.get("skapad"),
                           confirm_sent=request.args.get("bekrafta"))


@bp.get("/bevakningar/ny")
def new_watch_page():
    """The form a "Bevaka" button opens: what is watched, and how to be told."""
    try:
        wanted = {**request.args.to_dict(), "email": "", "webhook": ""}
        fields = parse_watch(wanted, preview=True) if request.args.get("kind") else None
    except BadRequest as e:
        abort(400, description=str(e))
    if fields is None:
        abort(400, description="Vad ska bevakas? Använd knappen Bevaka på en sökning, ett ärende eller ett organ.")
    return render_template("watch_new.html", fields=fields, shared=settings().shared,
                           frequency_labels=FREQUENCY_LABELS)


@bp.post("/bevakningar")
def create_watch():
    same_origin()
    try:
        fields = parse_watch(request.form)
    except BadRequest as e:
        abort(400, description=str(e))
    watch, confirm_sent = create(fields)
    if confirm_sent:
        return redirect(url_for("watches.watches_page", bekrafta=watch.email), 303)
    return redirect(url_for("watches.watches_page", skapad=watch.id) + f"#bevakning-{watch.id}", 303)


@bp.post("/bevakningar/<watch_id>/ta-bort")
def delete_watch(watch_id: str):
    same_origin()
    key = request.form.get("nyckel")
    watch = store().get(watch_id)
    if watch is None or not may_change(watch, key):
        abort(404, description="Ingen sådan bevakning.")
    require_writable()
    store().delete(watch_id)
    return redirect(url_for("watches.watches_page", nyckel=key or None), 303)


@bp.get("/bevakningar/<watch_id>/avsluta")
def unsubscribe_page(watch_id: str):
    """The e-mail's unsubscribe link: a page with one button (a link alone must not delete:
    mail programs open links to preview them)."""
    key = request.args.get("nyckel", "")
    watch = store().get(watch_id)
    subscriber = store().by_key(key)
    if watch is None or subscriber is None or subscriber["email"] != watch.email:
        return render_template("unsubscribed.html", watch=None, done=False), 404  # no such watch for this key
    return render_template("unsubscribed.html", watch=watch, key=key, done=False)


@bp.post("/bevakningar/<watch_id>/avsluta")
def unsubscribe(watch_id: str):
    """The page's button, and RFC 8058 one-click unsubscribe from the mail program."""
    key = request.args.get("nyckel") or request.form.get("nyckel", "")
    watch = store().get(watch_id)
    subscriber = store().by_key(key)
    if watch is not None and subscriber is not None and subscriber["email"] == watch.email:
        require_writable()
        store().delete(watch_id)
    return render_template("unsubscribed.html", watch=watch, done=True)


@bp.get("/bevakningar/bekrafta")
def confirm_page():
    require_writable()
    subscriber = store().confirm(request.args.get("nyckel", ""))
    if subscriber is None:
        abort(404, description="Länken gäller inte (längre).")
    return redirect(url_for("watches.watches_page", nyckel=subscriber["key"]), 303)


# -- JSON API ----------------------------------------------------------------------


@bp.get("/api/watches")
def api_watches():
    watches, _ = visible(request.args.get("key"))
    return jsonify({"watches": [watch_json(w) for w in watches], "shared": settings().shared})


@bp.post("/api/watches")
def api_create_watch():
    body = request.get_json(silent=True)
    if not request.is_json:
        abort(415)
    if not isinstance(body, dict):
        abort(400, description="skicka ett JSON-objekt: {\"kind\": ..., \"value\": ...}")
    try:
        fields = parse_watch(body)
    except BadRequest as e:
        abort(400, description=str(e))
    watch, confirm_sent = create(fields)
    out = watch_json(watch, with_secret=True)  # the webhook's secret is shown once, here
    out["confirmation_sent"] = confirm_sent
    return jsonify(out), 202 if confirm_sent else 201


@bp.delete("/api/watches/<watch_id>")
def api_delete_watch(watch_id: str):
    watch = store().get(watch_id)
    if watch is None or not may_change(watch, request.args.get("key")):
        abort(404, description=f"Ingen bevakning med id {watch_id!r}.")
    require_writable()
    store().delete(watch_id)
    return "", 204


def _operations() -> dict:
    from web.openapi import error, json_response, query, ref

    key = query("key", "Nyckeln från e-postens länk (bara i en delad installation).")
    return {
        "/api/watches": {
            "get": {"operationId": "watches", "tags": ["Bevakningar"], "summary": "Bevakningarna",
                    "description": "I en installation för en användare alla; i en delad de som hör till nyckelns adress.",
                    "parameters": [key],
                    "responses": {"200": json_response("Bevakningarna.", {
                        "type": "object", "required": ["watches", "shared"],
                        "properties": {"watches": {"type": "array", "items": ref("Watch")},
                                       "shared": {"type": "boolean"}}})}},
            "post": {"operationId": "create_watch", "tags": ["Bevakningar"], "summary": "Skapa en bevakning",
                     "description": "En sparad sökning (`kind=search`, `value` sökningens argument) eller en "
                                    "bevakning på ett diarienummer, organ, en organisation eller ett parti. "
                                    "Svaret visar webhookens hemlighet (HMAC-SHA256) en gång.",
                     "requestBody": {"required": True, "content": {"application/json": {"schema": ref("NewWatch")}}},
                     "responses": {"201": json_response("Bevakningen.", ref("Watch")),
                                   "202": json_response("Bevakningen; en bekräftelse har skickats.", ref("Watch")),
                                   "400": error("Något i bevakningen går inte att använda."),
                                   "415": error("Kroppen var inte JSON."),
                                   "503": error("Bekräftelsen kunde inte skickas.")}},
        },
        "/api/watches/{watch_id}": {"delete": {
            "operationId": "delete_watch", "tags": ["Bevakningar"], "summary": "Ta bort en bevakning",
            "parameters": [{"name": "watch_id", "in": "path", "required": True, "schema": {"type": "string"}}, key],
            "responses": {"204": {"description": "Borttagen."}, "404": error("Ingen sådan bevakning.")}}},
    }


OPENAPI_PATHS = _operations()
OPENAPI_SCHEMAS = {
    "NewWatch": {
        "type": "object", "required": ["kind", "value"],
        "properties": {
            "kind": {"type": "string", "enum": list(KINDS)},
            "value": {"description": "Sökningens argument (q, filter) som frågesträng eller objekt; annars "
                                     "diarienumret, organet, organisationen eller partiet.",
                      "oneOf": [{"type": "string", "maxLength": MAX_VALUE}, {"type": "object"}]},
            "organization": {"type": ["string", "null"]},
            "email": {"type": ["string", "null"], "format": "email"},
            "frequency": {"type": "string", "enum": list(FREQUENCIES), "default": "daily"},
            "webhook": {"type": ["string", "null"], "format": "uri"},
        },
    },
    "Watch": {
        "type": "object", "required": ["id", "kind", "value", "label", "url"],
        "properties": {
            "id": {"type": "string"}, "kind": {"type": "string", "enum": list(KINDS)},
            "value": {"type": "string"}, "label": {"type": "string"},
            "organization": {"type": ["string", "null"]}, "email": {"type": ["string", "null"]},
            "frequency": {"type": "string"}, "webhook": {"type": ["string", "null"]},
            "secret": {"type": ["string", "null"]}, "created_at": {"type": "string"},
            "last_sent_at": {"type": ["string", "null"]}, "last_error": {"type": ["string", "null"]},
            "confirmed": {"type": "boolean"}, "url": {"type": "string"},
            "confirmation_sent": {"type": "boolean"},
        },
    },
}
