"""CORS (web/cors.py): off by default; the configured origin may read the API, no other."""
import pytest

from web.app import create_app

ORIGIN = "https://karta.example.se"


@pytest.fixture(scope="module")
def cors_client(archive_dir):
    return create_app(archive_dir, {"TESTING": True, "CORS_ORIGIN": ORIGIN}).test_client()


def test_off_by_default(client):
    r = client.get("/api/search?q=", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in r.headers


def test_configured_origin_may_read_the_api(cors_client):
    r = cors_client.get("/api/search?q=", headers={"Origin": ORIGIN})
    assert r.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in r.headers["Vary"]
    assert "Link" in r.headers["Access-Control-Expose-Headers"]


def test_other_origins_and_html_pages_get_nothing(cors_client):
    r = cors_client.get("/api/search?q=", headers={"Origin": "https://annan.example"})
    assert "Access-Control-Allow-Origin" not in r.headers
    r = cors_client.get("/", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in r.headers


def test_preflight(cors_client):
    r = cors_client.options("/api/search", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "GET" in r.headers["Access-Control-Allow-Methods"]
