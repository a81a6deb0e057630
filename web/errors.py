"""Web stage, errors: one JSON shape for every API error (400, 404, 405, 500 ...), a Swedish page elsewhere."""
from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug import exceptions as werkzeug_exceptions
from werkzeug.exceptions import HTTPException

from web import requests

# Swedish titles and default messages; anything else says "Fel" and the HTTP status.
TITLES = {
    400: ("Felaktig begäran", "Felaktig begäran."),
    404: ("Hittades inte", "Sidan finns inte."),
    405: ("Metoden stöds inte", "Adressen finns men tar inte emot den metoden."),
    413: ("För stor begäran", "Begäran är för stor."),
    415: ("Fel innehållstyp", "Skicka JSON (Content-Type: application/json)."),
    429: ("För många förfrågningar", "För många förfrågningar; vänta en stund."),
    500: ("Internt fel", "Något gick fel i servern; felet är loggat."),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_body(status: int, message: str) -> dict:
    """The one shape: {"error": "not_found", "status": 404, "message": "..."}."""
    from werkzeug.http import HTTP_STATUS_CODES

    code = HTTP_STATUS_CODES.get(status, "error").lower().replace(" ", "_").replace("-", "_")
    return {"error": code, "status": status, "message": message}


def _message(error: HTTPException) -> str:
    default = TITLES.get(error.code or 500, ("", "Fel."))[1]
    description = error.description or ""
    # Werkzeug's own English descriptions are replaced by ours; the views' Swedish ones kept.
    if not description or description == type(error).description:
        return default
    return description


def handle(error: HTTPException):
    status = error.code or 500
    message = _message(error)
    if wants_json():
        response: Response | str = jsonify(error_body(status, message))
    else:
        title = TITLES.get(status, (f"Fel {status}",))[0]
        response = render_template("error.html", title=title, message=message)
    headers = {}
    if status == 405 and (methods := getattr(error, "valid_methods", None)):
        headers["Allow"] = ", ".join(methods)
    return response, status, headers


def bad_request(error: requests.BadRequest):
    """A request argument that cannot be used (web.requests raises it): 400 with its message."""
    return handle(werkzeug_exceptions.BadRequest(description=str(error)))


def register(app: Flask) -> None:
    # Unhandled exceptions reach this as a 500 (InternalServerError) once Flask has logged them.
    app.register_error_handler(HTTPException, handle)
    app.register_error_handler(requests.BadRequest, bad_request)
