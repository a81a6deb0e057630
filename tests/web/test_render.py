"""What a document page shows of where a document came from and of its date (web/render.py)."""
import re
from html import unescape

from tests.web.conftest import SAMPLES


def every_document(client) -> list[dict]:
    data = client.get("/api/search", query_string={"per_page": 100}).get_json()
    assert data["total"] == len(data["hits"])
    return data["hits"]


def test_readers_never_see_the_servers_folders(client):
    server_folder = str(SAMPLES.parent)  # the repository's path on this machine
    for hit in every_document(client):
        html = client.get(f"/documents/{hit['id']}").get_data(as_text=True)
        assert server_folder not in unescape(html), hit["source"]
        shown = unescape(re.search(r'<dd class="source">(.*?)</dd>', html, re.S).group(1))
        # the path from the folder every ingested file shares: samples/ (seeds/ and real/ below it)
        assert hit["source"] == str(SAMPLES / shown), (hit["source"], shown)
        assert shown.startswith(("seeds/", "real/"))


def test_a_document_without_a_date_says_why(client):
    undated = [h for h in every_document(client) if not h["date"]]
    assert undated
    for hit in undated:
        html = client.get(f"/documents/{hit['id']}").get_data(as_text=True)
        date = re.search(r"<dt>Datum</dt><dd>(.*?)</dd>", html, re.S).group(1)
        assert date.startswith("saknas: ") and "datum" in date
    dated = next(h for h in every_document(client) if h["date"])
    html = client.get(f"/documents/{dated['id']}").get_data(as_text=True)
    assert f'<time datetime="{dated["date"]}">' in html
