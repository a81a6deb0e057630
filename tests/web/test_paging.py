"""Paged JSON responses (web/paging.py): next and prev links in the body and the Link header."""
from urllib.parse import parse_qs, urlsplit


def test_next_and_prev_walk_the_whole_result(client):
    seen, url, pages = [], "/api/search?q=&per_page=7&language=sv", 0
    first = client.get(url).get_json()
    assert first["prev"] is None
    while url:
        r = client.get(url)
        data = r.get_json()
        seen += [h["id"] for h in data["hits"]]
        if data["next"]:
            assert f'<{data["next"]}>; rel="next"' in r.headers["Link"]
            assert parse_qs(urlsplit(data["next"]).query)["language"] == ["sv"]
        url, pages = data["next"], pages + 1
    assert len(seen) == len(set(seen)) == first["total"]
    assert pages == -(-first["total"] // 7) > 1
    assert data["prev"] and parse_qs(urlsplit(data["prev"]).query)["page"] == [str(pages - 1)]


def test_a_page_past_the_end_points_back_to_the_last(client):
    data = client.get("/api/search?q=&per_page=10&page=999").get_json()
    last = -(-data["total"] // 10)
    assert data["next"] is None and data["hits"] == []
    assert parse_qs(urlsplit(data["prev"]).query).get("page") == [str(last)]


def test_one_page_has_no_links(client):
    r = client.get("/api/search?q=valsedlar&per_page=100")
    assert r.get_json()["next"] is None and r.get_json()["prev"] is None
    assert "Link" not in r.headers
