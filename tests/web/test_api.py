"""The JSON API contract (web/pages/archive.py) on an archive of real documents."""
import re

import pytest

from tests.web.conftest import ocr_document_of

HIT_KEYS = {"id", "title", "doctype", "organization", "body", "unit", "date", "dnr", "language",
            "source", "snippet", "url"}


def search(client, **params):
    r = client.get("/api/search", query_string=params)
    assert r.status_code == 200, r.data
    return r.get_json()


def test_search_shape_and_snippet(client):
    data = search(client, q="peer support")
    assert set(data) >= {"query", "total", "page", "per_page", "hits", "facets", "suggestion"}
    assert data["query"] == "peer support" and data["page"] == 1 and data["per_page"] == 10
    assert data["total"] >= 4
    hit = data["hits"][0]
    assert HIT_KEYS <= set(hit)
    assert "<mark>" in hit["snippet"]
    assert re.sub(r"</?mark>", "", hit["snippet"]).count("<") == 0  # everything else escaped
    assert set(data["facets"]) >= {"doctype", "organization", "year", "party"}


def test_inflected_query_finds_the_protocol(client):
    # "protokollsutdraget" is only in inflected forms; the stemmer meets them.
    plain = search(client, q="särskilda uttalanden")
    assert any("PEER" in h["title"] for h in plain["hits"])


def test_empty_query_lists_newest_first(client):
    data = search(client, q="", per_page=100)
    dates = [h["date"] for h in data["hits"] if h["date"]]
    assert data["total"] == len(data["hits"]) > 10
    assert dates == sorted(dates, reverse=True)


def test_pagination_is_disjoint(client):
    first = search(client, q="", per_page=5, page=1)
    second = search(client, q="", per_page=5, page=2)
    assert {h["id"] for h in first["hits"]}.isdisjoint({h["id"] for h in second["hits"]})
    assert first["total"] == second["total"]


def test_facet_filter_narrows(client):
    everything = search(client, q="")
    language_counts = everything["facets"]["language"]
    assert "en" in language_counts
    english = search(client, q="", language="en")
    assert english["total"] == language_counts["en"]
    assert all(h["language"] == "en" for h in english["hits"])


def test_date_range_filter(client):
    data = search(client, q="", date_from="2024-01-01", date_to="2024-12-31", per_page=100)
    assert data["total"] >= 1
    assert all(h["date"] and "2024-01-01" <= h["date"] <= "2024-12-31" for h in data["hits"])


def test_sort_by_date(client):
    data = search(client, q="kommun", sort="date", per_page=50)
    dates = [h["date"] or "" for h in data["hits"]]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("q", ['"unclosed', "(((", "AND OR NOT", "title:", "*", "dnr:", ")", "hemtj*", "a" * 900])
def test_malformed_queries_never_fail(client, q):
    r = client.get("/api/search", query_string={"q": q})
    assert r.status_code in (200, 400)
    assert r.is_json


@pytest.mark.parametrize("params, word", [({"page": "x"}, "page"), ({"sort": "random"}, "sort"),
                                          ({"date_from": "igår"}, "date_from"), ({"per_page": "-1"}, "per_page")])
def test_bad_parameters_are_400_with_message(client, params, word):
    r = client.get("/api/search", query_string=params)
    assert r.status_code == 400
    assert word in r.get_json()["message"]


def test_document_and_original(client):
    hit = search(client, q="Tobisviksbadet")["hits"][0]
    doc = client.get(f"/api/documents/{hit['id']}").get_json()
    assert doc["page_count"] == 44 == len(doc["pages"])
    assert {"number", "text"} <= set(doc["pages"][0])
    for key in ("statements", "cases", "dnr_mentioned", "sha256"):
        assert key in doc
    original = client.get(f"/api/documents/{hit['id']}/original")
    assert original.status_code == 200
    assert original.mimetype == "application/pdf"
    assert original.data[:5] == b"%PDF-"
    import hashlib
    assert hashlib.sha256(original.data).hexdigest() == doc["sha256"]


def test_html_original_is_an_attachment(client):
    hit = search(client, q="äldreomsorg", doctype="")["hits"]
    html_hits = [h for h in hit if h["source"].endswith(".html")]
    assert html_hits
    r = client.get(f"/api/documents/{html_hits[0]['id']}/original")
    assert r.headers["Content-Disposition"].startswith("attachment")
    assert r.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/api/documents/nope", "/api/documents/..%2F..%2Fetc%2Fpasswd/original",
                                  "/documents/0000000000000000", "/api/documents/%2e%2e/original"])
def test_unknown_ids_are_404(client, path):
    assert client.get(path).status_code == 404


def test_cases_by_any_surface_form(client):
    for form in ("VN-2023-00023", "vn 2023 00023", "VN2023-00023"):
        data = client.get("/api/cases", query_string={"dnr": form}).get_json()
        assert [c["dnr"] for c in data["cases"]] == ["VN-2023-00023"], form
        assert len(data["cases"][0]["documents"]) >= 2


def test_dnr_query_returns_the_case_first(client):
    data = search(client, q="vn 2023 00023")
    assert data["cases"] and data["cases"][0]["dnr"] == "VN-2023-00023"
    top = data["hits"][0]
    assert "VN-2023-00023" in top["dnr"] or top["id"] in {d["id"] for d in data["cases"][0]["documents"]}


def test_security_headers(client):
    r = client.get("/")
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_party_statement_filter_finds_the_partys_own_statements(client):
    v = search(client, q="peer support", party="V", statement="särskilt uttalande")
    assert [h["doctype"] for h in v["hits"]] == ["protokollsutdrag"]
    # Fi wrote an ersättaryttrande in that protocol, not a särskilt uttalande.
    assert search(client, q="peer support", party="Fi", statement="särskilt uttalande")["total"] == 0
    assert search(client, q="peer support", party="Fi", statement="ersättaryttrande")["total"] == 1
    facets = search(client, q="")["facets"]["statement"]
    assert facets.get("särskilt uttalande", 0) >= 1 and facets.get("protokollsanteckning", 0) >= 1
    by_syntax = search(client, q='peer uttalande:"särskilt uttalande"')
    assert by_syntax["total"] == 1


def test_similar_documents_cross_organizations(client):
    hit = search(client, q="peer support", doctype="tjänsteutlåtande")["hits"][0]
    doc = client.get(f"/api/documents/{hit['id']}").get_json()
    similar = doc["similar"]
    assert similar and hit["id"] not in {s["id"] for s in similar}
    assert any(s["organization"] != doc["organization"] for s in similar)
    assert any("peer" in s["title"].lower() for s in similar)


def test_recency_sort_is_accepted(client):
    assert search(client, q="kommun", sort="recency")["total"] > 0


def test_document_pages_say_how_their_text_was_read(ocr_client):
    """A scan's page is OCR with its confidence; a born-digital protocol's own pages are its text
    layer, its two scanned pages OCR (saved in the catalog, read back by the API)."""
    pages = ocr_document_of(ocr_client, "Förbundsordningen", "ss620.pdf")["pages"]
    assert [(p["ocr"], p["has_text_layer"]) for p in pages] == [(True, False)]
    assert 0.8 <= pages[0]["confidence"] <= 1.0 and "§ 620" in pages[0]["text"]
    pages = ocr_document_of(ocr_client, "Gröstorps", "Bortredigerad.pdf")["pages"]
    assert [p["number"] for p in pages if p["ocr"]] == [17, 25]
    assert all(p["confidence"] is None and p["has_text_layer"] for p in pages if not p["ocr"])
    confidence = {p["number"]: p["confidence"] for p in pages if p["ocr"]}
    assert confidence[17] >= 0.8 and confidence[25] < 0.5  # a typed note; handwritten signatures
