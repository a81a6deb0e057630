"""Watches in the web (web/pages/watches.py): Bevaka buttons, the form, the list, the JSON API, and a
shared install's confirmation by e-mail (a real SMTP server on loopback)."""
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from notify.settings import NotifySettings
from tests.notify.conftest import smtp  # noqa: F401 (the fixture)
from web.app import create_app


@pytest.fixture()
def client(own_archive):
    return create_app(own_archive, {"TESTING": True}).test_client()


def buttons(html: str) -> list[dict]:
    """Each Bevaka form's hidden fields."""
    out = []
    for form in re.findall(r'<form method="get" action="/bevakningar/ny".*?</form>', html, re.S):
        out.append({n: unescape(v) for n, v in re.findall(r'name="(\w+)" value="([^"]*)"', form)})
    return out


def test_bevaka_buttons_on_search_case_and_browse_pages(client):
    found = buttons(client.get("/?q=valsedlar&organization=Kungsbacka+kommun&body=Valn%C3%A4mnden").get_data(as_text=True))
    assert {"kind": "search", "value": "q=valsedlar&organization=Kungsbacka+kommun&body=Valn%C3%A4mnden"} in found
    assert {"kind": "body", "value": "Valnämnden", "organization": "Kungsbacka kommun"} in found
    found = buttons(client.get("/?party=V").get_data(as_text=True))
    assert {"kind": "party", "value": "V"} in found
    found = buttons(client.get("/cases?dnr=VN-2024-00029").get_data(as_text=True))
    assert {"kind": "dnr", "value": "VN-2024-00029", "organization": "Kungsbacka kommun"} in found
    found = buttons(client.get("/organisationer").get_data(as_text=True))
    assert {"kind": "organization", "value": "Kungsbacka kommun"} in found
    assert {"kind": "body", "value": "Valnämnden", "organization": "Kungsbacka kommun"} in found


def test_button_form_list_and_remove(client):
    form = client.get("/bevakningar/ny", query_string={"kind": "search", "value": "q=valsedlar&page=3&sort=date"})
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and "Bevaka: Sökning: ”valsedlar”" in html
    assert 'name="value" value="q=valsedlar"' in html  # page and sort are not part of a saved search
    r = client.post("/bevakningar", data={"kind": "search", "value": "q=valsedlar", "frequency": "weekly"})
    assert r.status_code == 303
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Bevakningen är sparad." in page and "Sökning: ”valsedlar”" in page
    assert 'href="/?q=valsedlar"' in page
    (watch,) = client.get("/api/watches").get_json()["watches"]
    assert watch["frequency"] == "weekly" and watch["kind"] == "search"
    r = client.post(f"/bevakningar/{watch['id']}/ta-bort")
    assert r.status_code == 303 and client.get("/api/watches").get_json()["watches"] == []


def test_forms_from_another_site_are_refused(client):
    r = client.post("/bevakningar", data={"kind": "party", "value": "V"}, headers={"Origin": "https://ond.example"})
    assert r.status_code == 403
    assert client.get("/api/watches").get_json()["watches"] == []


def test_bad_watches_are_400s(client):
    for data, word in (({"kind": "kommun", "value": "x"}, "kind"), ({"kind": "dnr", "value": ""}, "value"),
                       ({"kind": "dnr", "value": "x", "email": "inte-en-adress"}, "e-postadress"),
                       ({"kind": "dnr", "value": "x", "webhook": "ftp://x"}, "webhook"),
                       ({"kind": "search", "value": "sort=slump"}, "sort")):
        r = client.post("/api/watches", json=data)
        assert r.status_code == 400 and word in r.get_json()["message"], data
        assert set(r.get_json()) == {"error", "status", "message"}
    assert client.post("/api/watches", data="kind=dnr").status_code == 415
    assert client.delete("/api/watches/finnsinte").status_code == 404


def test_api_create_list_delete(client):
    r = client.post("/api/watches", json={"kind": "search", "value": {"q": "valsedlar", "organization": "Kungsbacka kommun"},
                                          "webhook": "http://127.0.0.1:9/hook"})
    assert r.status_code == 201
    made = r.get_json()
    assert made["value"] == "q=valsedlar&organization=Kungsbacka+kommun" and len(made["secret"]) == 64
    assert parse_qs(urlsplit(made["url"]).query) == {"q": ["valsedlar"], "organization": ["Kungsbacka kommun"]}
    listed = client.get("/api/watches").get_json()["watches"]
    assert [w["id"] for w in listed] == [made["id"]] and "secret" not in listed[0]  # shown once
    assert client.delete(f"/api/watches/{made['id']}").status_code == 204
    assert client.get("/api/watches").get_json()["watches"] == []


def test_shared_install_confirms_the_address_by_e_mail(own_archive, smtp):  # noqa: F811
    shared = NotifySettings(smtp_host="127.0.0.1", smtp_port=smtp.port, shared=True, sender="diariet@example.se",
                            base_url="http://localhost")
    client = create_app(own_archive, {"TESTING": True, "NOTIFY": shared}).test_client()
    r = client.post("/bevakningar", data={"kind": "dnr", "value": "VN-2024-00029"})
    assert r.status_code == 400  # an address is the key
    assert client.post("/api/watches", json={"kind": "dnr", "value": "x", "email": "a@b.se",
                                             "webhook": "http://127.0.0.1:9/"}).status_code == 400
    r = client.post("/bevakningar", data={"kind": "dnr", "value": "VN-2024-00029", "email": "Anna@Example.se"})
    assert r.status_code == 303 and "bekrafta=anna" in r.headers["Location"]
    assert "bekräftelselänk" in client.get(r.headers["Location"]).get_data(as_text=True)
    smtp.wait(1)
    (message,) = smtp.messages
    assert message["To"] == "anna@example.se" and "bekräfta" in message["Subject"]
    link = re.search(r"(http://localhost/bevakningar/bekrafta\?nyckel=\S+)", message.get_body(("plain",)).get_content()).group(1)
    assert client.get("/api/watches").get_json()["watches"] == []  # nobody's watches without the key
    assert "Ärende VN-2024-00029" not in client.get("/bevakningar").get_data(as_text=True)
    r = client.get(link.replace("http://localhost", ""))
    assert r.status_code == 303
    key = parse_qs(urlsplit(r.headers["Location"]).query)["nyckel"][0]
    (watch,) = client.get("/api/watches", query_string={"key": key}).get_json()["watches"]
    assert watch["confirmed"] and watch["email"] == "anna@example.se"
    assert "Ärende VN-2024-00029" in client.get(r.headers["Location"]).get_data(as_text=True)
    # The unsubscribe link: a page with a button; the button (or one-click POST) ends it.
    page = client.get(f"/bevakningar/{watch['id']}/avsluta", query_string={"nyckel": key}).get_data(as_text=True)
    assert "Avsluta bevakningen" in page
    assert client.get("/api/watches", query_string={"key": key}).get_json()["watches"]  # GET deleted nothing
    assert client.delete(f"/api/watches/{watch['id']}").status_code == 404  # not without the key
    r = client.post(f"/bevakningar/{watch['id']}/avsluta", query_string={"nyckel": key})
    assert "är avslutad" in r.get_data(as_text=True)
    assert client.get("/api/watches", query_string={"key": key}).get_json()["watches"] == []


def test_atom_link_opens_a_readable_page(client):
    html = client.get("/?q=valn%C3%A4mnden").get_data(as_text=True)
    link = re.search(r'<a class="feed" href="([^"]+)"', html).group(1)
    assert link.startswith("/flode?")
    page = client.get(unescape(link)).get_data(as_text=True)
    assert "Prenumerera: valnämnden" in page and "flödesläsare" in page
    assert 'id="flodeslank" href="/search.atom?q=valn%C3%A4mnden"' in page
    assert "Bevaka sökningen" in page and "Protokoll Valnämnden 2024-05-06" in page
    assert client.get("/search.atom?q=valn%C3%A4mnden").mimetype == "application/atom+xml"


def test_recently_ingested_beside_the_latest(client):
    html = client.get("/").get_data(as_text=True)
    assert "Nyligen inlästa" in html and "Senaste handlingarna" in html
    recent = re.search(r'<section class="recent".*?</section>', html, re.S).group(0)
    assert len(re.findall(r"<li>", recent)) == 8 and "inläst" in recent
    assert "Nyligen inlästa" not in client.get("/?q=valsedlar").get_data(as_text=True)
