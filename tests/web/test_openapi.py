"""The OpenAPI description (web/openapi.py) against the app's real routes, and the API page."""
import re

from web.openapi import spec


def api_routes(app) -> set[tuple[str, str]]:
    """(path in OpenAPI form, method) of every JSON API route and export the app serves."""
    out = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        if path.startswith("/api/") or path.startswith("/search."):
            if path == "/search.atom":  # a feed, described on the help page
                continue
            out |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return out


def test_description_matches_the_url_map(app):
    described = {(path, method) for path, methods in spec()["paths"].items() for method in methods}
    served = api_routes(app)
    assert served - described == set(), "routes without a description"
    assert described - served == set(), "descriptions of routes that do not exist"


def test_every_operation_is_complete(app):
    ids = []
    for path, methods in spec()["paths"].items():
        for method, op in methods.items():
            ids.append(op["operationId"])
            assert op["summary"] and op["responses"], (path, method)
            for name in re.findall(r"{(\w+)}", path):
                assert any(p["name"] == name and p["in"] == "path" for p in op["parameters"]), (path, name)
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")):
                    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert len(ids) == len(set(ids))


def test_served_at_api_openapi_json(client):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200 and r.is_json
    data = r.get_json()
    assert data["openapi"] == "3.1.0" and "/api/search" in data["paths"]
    refs = set(re.findall(r'"#/components/schemas/(\w+)"', r.get_data(as_text=True)))
    assert refs <= set(data["components"]["schemas"])


def test_api_page_lists_every_operation(client):
    html = client.get("/utvecklare").get_data(as_text=True)
    for path, methods in spec()["paths"].items():
        for method, op in methods.items():
            assert f'id="{op["operationId"]}"' in html
            assert f"{method.upper()} {path}" in html
    assert 'href="/api/openapi.json"' in html
    assert 'href="/utvecklare"' in client.get("/").get_data(as_text=True)
