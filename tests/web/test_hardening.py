"""Web hardening (web/hardening.py, web/requests.py, views): hostile parameters answer 400, never
500; URLs never come from the Host header; every response has the security headers; any file
name downloads; HTML and XML originals are never rendered inline; no route lets a path through."""
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from email.message import Message
from pathlib import Path
from urllib.parse import unquote

import pytest

from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import ingest_paths
from web.app import create_app
from web.options import parse

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "samples" / "seeds" / "000_c6a6d7e471c0821b.txt"
HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy")


@pytest.mark.parametrize("url", [
    "/?q=budget&_external=1", "/?q=budget&_method=POST&_anchor=x&_scheme=javascript&endpoint=x",
    "/search.atom?q=budget&_external=1&_method=DELETE", "/search.csv?q=budget&_scheme=x",
    "/api/search?q=budget&_external=True", "/search.xlsx?q=budget&endpoint=x",
    "/?q=budget&per_page=" + "9" * 4000,
])
def test_stray_arguments_are_only_arguments(client, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", [
    "/?q=budget&page=²", "/api/search?q=budget&page=٣", "/?q=budget&page=" + "9" * 5000,
    "/api/search?q=budget&page=10001", "/api/search?per_page=1e3", "/?q=" + "ord%20" * 400,
    "/?q=budget&x=" + "a" * 5000, "/api/search?q=budget&x=" + "a" * 5000, "/search.atom?q=" + "a" * 1500,
])
def test_hostile_numbers_and_long_queries_answer_400(client, url):
    r = client.get(url)
    assert r.status_code == 400, url
    if url.startswith("/api/"):
        assert r.get_json()["status"] == 400


def test_absolute_urls_never_come_from_the_host_header(client, app):
    for url in ("/search.atom?q=budget", "/search.csv?q=budget", "/api/search?q=budget", "/?q=budget"):
        body = client.get(url, headers={"Host": "angripare.example"}).get_data(as_text=True)
        assert "angripare.example" not in body, url
    app.config["BASE_URL"] = "https://arkiv.kommun.se/diariet"
    try:
        feed = client.get("/search.atom?q=budget", headers={"Host": "angripare.example"}).get_data(as_text=True)
    finally:
        app.config.pop("BASE_URL")
    assert 'href="https://arkiv.kommun.se/diariet/documents/' in feed and "angripare" not in feed


def test_every_response_has_the_security_headers(client):
    hit = client.get("/api/search?q=budget").get_json()["hits"][0]
    for url in ("/", "/?q=budget", "/hjalp", "/finns-inte", "/api/finns-inte", "/?page=x", "/api/search?page=x",
                "/static/style.css", "/search.atom?q=budget", "/search.csv?q=budget", hit["url"].split("#")[0],
                f"/documents/{hit['id']}/original", f"/api/documents/{hit['id']}", "/cases?dnr=KS"):
        r = client.get(url)
        for name in HEADERS:
            assert r.headers.get(name), (url, name)


def test_html_and_xml_originals_are_never_rendered_inline(client, app):
    from web.app import catalog

    with app.app_context():
        rows = catalog().db.execute("SELECT id, media_type FROM documents").fetchall()
    kinds = {media_type for _, media_type in rows}
    assert "text/html" in kinds
    for document_id, media_type in rows:
        r = client.get(f"/documents/{document_id}/original")
        disposition = r.headers["Content-Disposition"]
        inline = media_type in ("application/pdf", "text/plain")
        assert disposition.startswith("inline;" if inline else "attachment;"), (media_type, disposition)
        assert "sandbox" in r.headers["Content-Security-Policy"]


PAYLOADS = ["..", "../../../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "..%5c..%5cwindows", "%00", "....//....//etc/passwd", "%252e%252e%252f"]


def test_no_route_lets_a_path_through(client, app):
    rules = [r for r in app.url_map.iter_rules() if r.arguments and "GET" in r.methods]
    assert len(rules) >= 3
    for rule in rules:
        for payload in PAYLOADS:
            values = {name: payload for name in rule.arguments}
            url = str(rule.rule)
            for name in rule.arguments:
                url = url.replace(f"<{name}>", payload).replace(f"<path:{name}>", payload)
                url = url.replace(f"<int:{name}>", "1")
            r = client.get(url)
            assert r.status_code in (400, 404, 308, 301), (url, r.status_code, values)
            assert b"root:x:0" not in r.data


def _archive_with(tmp_path, files: dict[str, bytes]) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for name, data in files.items():
        (src / name).write_bytes(data)
    data = tmp_path / "data"
    summary = ingest_paths(DataDir.create(data), [src])
    assert not summary.failures, summary.failures
    return data


NAMES = ["Protokoll – KS 2024 😀.txt", "a\u030angström.txt", "rad\nbrytning.txt", 'citat "x" ; y.txt',
         "skal $(rm -rf) `x` & | ; .txt", "=1+2;@SUMMA(A1).txt", "x" * 200 + ".txt"]


def test_any_file_name_downloads(tmp_path):
    text = SEED.read_bytes()
    data = _archive_with(tmp_path, {name: text + name.encode() for name in NAMES})
    client = create_app(data, {"TESTING": True}).test_client()
    hits = client.get("/api/search?q=&per_page=100").get_json()["hits"]
    assert len(hits) == len(NAMES)
    for hit in hits:
        r = client.get(f"/documents/{hit['id']}/original")
        assert r.status_code == 200
        header = r.headers["Content-Disposition"]
        assert header.isascii() and "\n" not in header
        message = Message()
        message["Content-Disposition"] = header
        assert message.get_filename().isascii()  # the fallback for old clients
        exact = re.search(r"filename\*=UTF-8''([^;\s]+)", header).group(1)  # what browsers use
        assert unquote(exact) in {unicodedata.normalize("NFC", " ".join(n.split())) for n in NAMES}


def test_the_atom_feed_is_well_formed_whatever_a_document_holds(tmp_path):
    hostile = b"Budget \x00 med NUL och \x1b[31m ESC och \x0b VT, \xef\xbf\xbe slut. " + SEED.read_bytes()
    data = _archive_with(tmp_path, {"styrtecken.txt": hostile})
    client = create_app(data, {"TESTING": True}).test_client()
    for q in ("budget", ""):
        r = client.get(f"/search.atom?q={q}")
        assert r.status_code == 200
        feed = ET.fromstring(r.data)  # raises on a character XML cannot hold
        assert feed.find("{http://www.w3.org/2005/Atom}entry") is not None


def test_the_server_binds_to_loopback_unless_told():
    assert parse(["--data", "x"], environ={}).host == "127.0.0.1"
    assert parse(["--data", "x", "--host", "0.0.0.0"], environ={}).host == "0.0.0.0"


READ_ONLY_PROBE = """
import sys
sys.path.insert(0, sys.argv[2])
from web.app import create_app
client = create_app(sys.argv[1], {"TESTING": True}).test_client()
for url in ["/", "/?q=socialnämnden", "/api/search?q=budget", "/organisationer", "/search.atom?q=budget"]:
    print(url, client.get(url).status_code)
"""


def test_a_read_only_data_directory_is_served(tmp_path):
    data = _archive_with(tmp_path, {"protokoll.txt": SEED.read_bytes()})
    script = [sys.executable, "-c", READ_ONLY_PROBE]
    if os.geteuid() == 0:  # root writes anywhere: a read-only bind mount in a mount namespace
        if not shutil.which("unshare"):
            pytest.skip("no unshare(1) to make a read-only mount")
        mount = tmp_path / "ro"
        mount.mkdir()
        command = ["unshare", "-m", "sh", "-c", 'mount --bind "$0" "$1" && mount -o remount,bind,ro "$1" && '
                   'exec "$2" "$3" "$4" "$1" "$5"', str(data), str(mount), *script, str(ROOT)]
    else:
        for path in [data, *data.rglob("*")]:
            path.chmod(path.stat().st_mode & ~0o222)
        command = [*script, str(data), str(ROOT)]
    r = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if os.geteuid() == 0 and "mount" in r.stderr and r.returncode != 0 and "Traceback" not in r.stderr:
        pytest.skip(f"no read-only mount here: {r.stderr.strip()}")
    assert r.returncode == 0, r.stderr
    statuses = [line.rsplit(" ", 1)[1] for line in r.stdout.splitlines()]
    assert statuses == ["200"] * 5, r.stdout + r.stderr
