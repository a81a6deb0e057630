"""Decisions in the web (web/pages/decisions.py): /api/decisions, the Beslut pages, feeds, party pages."""
import xml.etree.ElementTree as ET

import pytest

from web.app import create_app

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def dated(archive_dir):
    """The archive on a day when Simrishamn's SPn 2024-04-25 can still be appealed (posted 2024-05-03)."""
    return create_app(archive_dir, {"TESTING": True, "TODAY": "2024-05-10"}).test_client()


def test_api_decisions_shape_and_facets(client):
    data = client.get("/api/decisions?q=planhandlingarna").get_json()
    assert data["total"] >= 2
    hit = next(h for h in data["hits"] if h["number"] == "77")
    for key in ("document_id", "number", "title", "organization", "body", "date", "dnr", "outcome", "as_proposed",
                "decision", "snippet", "url"):
        assert key in hit
    assert hit["organization"] == "Simrishamns kommun" and hit["outcome"] == "avslag" and hit["as_proposed"] is False
    assert hit["url"].endswith("#beslut-77") and "<mark>" in hit["snippet"]
    assert set(data["facets"]) == {"outcome", "organization", "body", "year", "party"}
    assert data["facets"]["year"] == {"2024": data["total"]}


def test_the_same_swedish_analysis_finds_inflections(client):
    # "planhandling" (singular, no article) finds "planhandlingarna"
    assert client.get("/api/decisions?q=planhandling").get_json()["total"] >= 2
    # a typed phrase, and a word that is not there
    assert client.get('/api/decisions?q="godkänna planhandlingarna"').get_json()["total"] >= 1
    assert client.get("/api/decisions?q=zyxwvu").get_json()["total"] == 0


def test_filters(client):
    every = client.get("/api/decisions").get_json()["total"]
    assert every >= 24
    avslag = client.get("/api/decisions?outcome=avslag&organization=Simrishamns+kommun").get_json()
    assert avslag["total"] >= 2 and all(h["outcome"] == "avslag" for h in avslag["hits"])
    # party: moved, voted with a side or reserved itself
    v = client.get("/api/decisions?party=V&organization=Simrishamns+kommun").get_json()
    numbers = {h["number"] for h in v["hits"]}
    assert {"73", "77", "80"} <= numbers
    reserved = client.get("/api/decisions?statement=reservation").get_json()
    assert {"77", "80"} <= {h["number"] for h in reserved["hits"]}
    assert client.get("/api/decisions?date_from=2025-01-01&organization=Simrishamns+kommun").get_json()["total"] == 0
    page2 = client.get("/api/decisions?per_page=5&page=2").get_json()
    assert len(page2["hits"]) == 5 and page2["prev"] and page2["next"]


@pytest.mark.parametrize("query", ["outcome=beviljad", "date_from=igår", "page=x"])
def test_bad_parameters_are_400(client, query):
    r = client.get("/api/decisions?" + query)
    assert r.status_code == 400


def test_document_api_decision_records(client):
    hit = client.get("/api/decisions?q=planhandlingarna").get_json()["hits"][0]
    doc = client.get(f"/api/documents/{hit['document_id']}").get_json()
    assert doc["posted_on"] == "2024-05-03" and doc["appeal_deadline"] == "2024-05-24"
    p77 = next(p for p in doc["paragraphs"] if p["number"] == "77")
    assert p77["vote"]["yes"] == 4 and p77["vote"]["no"] == 7
    assert p77["vote"]["by_party"]["S"] == {"yes": 3, "no": 0, "abstain": 0}
    assert ("M", "avslag") in {(m["party"], m["position"]) for m in p77["motions"]}
    assert p77["statements"][0]["kind"] == "reservation"
    assert [p["number"] for p in doc["paragraphs"]][:3] == ["66", "67", "68"]


def test_a_protokollsutdrag_without_a_date_says_why(client):
    utdrag = client.get("/api/decisions?q=peer+support").get_json()["hits"][0]
    doc = client.get(f"/api/documents/{utdrag['document_id']}").get_json()
    assert doc["doctype"] == "protokollsutdrag"
    assert doc["appeal_deadline"] is None and "protokollet" in doc["appeal_note"]
    assert doc["protocol"] is None  # its protocol is not in the archive


def test_document_page_shows_every_decision(client):
    hit = client.get("/api/decisions?q=planhandlingarna").get_json()["hits"][0]
    html = client.get(f"/documents/{hit['document_id']}").get_data(as_text=True)
    assert 'id="beslut-77"' in html and 'id="beslut-66"' in html
    assert "Röster per parti" in html and "Laglighetsprövning senast" in html
    assert "Liknande beslut" in html


def test_decision_page_and_similar(client):
    hit = client.get("/api/decisions?q=planhandlingarna").get_json()["hits"][0]
    assert hit["decision_url"] == f"/beslut/{hit['document_id']}/{hit['number']}"
    one = client.get(f"/api/decisions/{hit['document_id']}/{hit['number']}").get_json()
    assert one["number"] == hit["number"] and one["similar"]
    assert all(s["id"] != one["id"] for s in one["similar"])
    assert client.get(hit["decision_url"]).status_code == 200
    assert client.get(f"/beslut/{hit['document_id']}/9999").status_code == 404
    assert client.get("/api/decisions/nope/1").status_code == 404
    assert client.get("/partier/XYZ").status_code == 404


def test_latest_and_appealable_with_feeds(client, dated):
    latest = client.get("/api/decisions/latest").get_json()["hits"]
    assert latest and all(h["outcome"] not in ("anmäld", "annat") for h in latest)
    open_now = dated.get("/api/decisions/appealable").get_json()
    assert open_now["today"] == "2024-05-10"
    assert open_now["hits"] and all(h["appeal_deadline"] == "2024-05-24" for h in open_now["hits"])
    assert client.get("/api/decisions/appealable").get_json()["hits"] == []  # long closed
    for url in ("/beslut/senaste.atom", "/beslut/overklagbara.atom"):
        r = dated.get(url)
        assert r.content_type.startswith("application/atom+xml")
        root = ET.fromstring(r.data)
        assert root.findall(f"{ATOM}entry")
    assert "överklaga senast 2024-05-24" in dated.get("/beslut/overklagbara").get_data(as_text=True)


def test_party_page(client):
    data = client.get("/api/parties/S").get_json()
    assert data["name"] == "Socialdemokraterna"
    assert data["roles"]["reserverade sig"] >= 1 and data["roles"]["yrkade"] >= 1
    assert "2024" in data["years"] and "Samhällsplaneringsnämnden" in data["bodies"]
    html = client.get("/partier/S").get_data(as_text=True)
    assert "Socialdemokraterna" in html and "reserverade sig" in html
    assert client.get("/api/parties").get_json()["parties"]


def test_party_page_by_topic(client):
    data = client.get("/api/parties/S").get_json()
    assert sum(data["topics"].values()) == data["total"] and all(h["topic"] for h in data["hits"])
    topic, n = next(iter(data["topics"].items()))
    narrowed = client.get("/api/parties/S", query_string={"topic": topic}).get_json()
    assert narrowed["total"] == n and {h["topic"] for h in narrowed["hits"]} == {topic}
    html = client.get("/partier/S", query_string={"topic": topic}).get_data(as_text=True)
    assert f'<h4 class="party-topic">{topic}</h4>' in html and "Visa alla år och ämnen" in html
    assert client.get("/partier/S", query_string={"topic": "<script>"}).get_data(as_text=True).count("<script>") == 0


def test_case_timeline_shows_decisions(client):
    html = client.get("/cases?dnr=2020/91").get_data(as_text=True)
    assert "Besluten i ärendet" in html and "§ 77" in html


def test_beslut_page_escapes_the_query(client):
    html = client.get("/beslut?q=%3Cscript%3Ealert(1)%3C/script%3E").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
