"""Errors (web/errors.py): one JSON shape for every API error, a Swedish page for the UI."""
import pytest

SHAPE = {"error", "status", "message"}


@pytest.mark.parametrize("method, path, status, code", [
    ("get", "/api/documents/finnsinte", 404, "not_found"),
    ("get", "/api/finnsinte", 404, "not_found"),
    ("post", "/api/search", 405, "method_not_allowed"),
    ("delete", "/api/documents/finnsinte", 405, "method_not_allowed"),
    ("get", "/api/search?page=x", 400, "bad_request"),
    ("get", "/api/cases", 400, "bad_request"),
])
def test_api_errors_have_one_shape(client, method, path, status, code):
    r = getattr(client, method)(path)
    assert r.status_code == status and r.is_json
    body = r.get_json()
    assert set(body) == SHAPE
    assert body["error"] == code and body["status"] == status
    assert body["message"] and "<" not in body["message"]


def test_405_says_what_is_allowed(client):
    r = client.post("/api/search")
    assert "GET" in r.headers["Allow"]
    assert r.get_json()["message"] == "Adressen finns men tar inte emot den metoden."


def test_swedish_message_of_the_view_is_kept(client):
    assert "finnsinte" in client.get("/api/documents/finnsinte").get_json()["message"]


@pytest.mark.parametrize("method, path, status, title", [
    ("get", "/finnsinte", 404, "Hittades inte"),
    ("post", "/", 405, "Metoden stöds inte"),
    ("get", "/?page=x", 400, "Felaktig begäran"),
])
def test_ui_errors_are_swedish_pages(client, method, path, status, title):
    r = getattr(client, method)(path)
    assert r.status_code == status and r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    assert f"<h1>{title}</h1>" in html and "Traceback" not in html


def test_unexpected_error_is_json_500_without_details(archive_dir):
    from web.app import create_app

    app = create_app(archive_dir)  # not TESTING: exceptions become 500s as in production

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("/secret/path")

    r = app.test_client().get("/api/boom")
    assert r.status_code == 500
    body = r.get_json()
    assert body["error"] == "internal_server_error" and "/secret" not in body["message"]
