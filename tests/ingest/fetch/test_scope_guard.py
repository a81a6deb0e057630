"""The crawler never leaves its scope (ingest/fetch/scope.py HostGuard, spider.py): another port
of an allowed host, file: and data: URLs, private addresses the source does not name; bounded
chains of sitemap indexes and link traps. Crawls of a real site on loopback, built from samples/."""
import sqlite3
from pathlib import Path

import pytest
from scrapy import Request

from ingest.fetch.scope import HostGuard, OffHost, PrivateAddress, host_allowed
from ingest.fetch.sources import parse
from tests.ingest.fetch.conftest import run_crawl
from tests.ingest.fetch.site import Site, page, serve

SEEDS = Path(__file__).resolve().parents[3] / "samples" / "seeds"
SEED = sorted(SEEDS.glob("*.txt"))


def source(**extra):
    (s,) = parse({"sources": [{"name": "s", "kind": "site", "start_urls": ["https://malmo.se/politik/"], **extra}]})
    return s


def test_another_port_of_an_allowed_host_is_another_host():
    s = source(hosts=["dokument.malmo.se", "arkiv.malmo.se:8443"])
    assert host_allowed(s, "https://malmo.se/a.pdf") and host_allowed(s, "http://malmo.se:80/a.pdf")
    assert not host_allowed(s, "https://malmo.se:8080/a.pdf")
    assert host_allowed(s, "https://arkiv.malmo.se:8443/a.pdf") and not host_allowed(s, "https://arkiv.malmo.se/a")
    assert not host_allowed(s, "https://malmo.se:99999/a.pdf")  # no port at all
    assert not host_allowed(s, "file:///etc/passwd") and not host_allowed(s, "ftp://malmo.se/a.pdf")


def guard(private=False, addresses=("93.184.216.34",)):
    return HostGuard(["malmo.se", "127.0.0.1:8080", "localhost:8000"], private, resolve=lambda host: list(addresses))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "data:text/plain,hej", "ftp://malmo.se/x",
                                 "https://malmo.se:8080/x", "http://169.254.169.254/latest/meta-data/",
                                 "http://127.0.0.1:9200/", "http://[::1]:8080/"])
def test_the_guard_refuses_what_the_source_did_not_name(url):
    with pytest.raises(OffHost):
        guard().process_request(Request(url) if not url.startswith("data:") else Request(url))


@pytest.mark.parametrize("addresses", [["10.0.0.5"], ["93.184.216.34", "127.0.0.1"], ["169.254.169.254"],
                                       ["fd00::1"], ["::ffff:192.168.1.1"]])
def test_a_host_name_resolving_to_a_private_address_is_refused(addresses):
    with pytest.raises(PrivateAddress):
        guard(addresses=addresses).process_request(Request("https://malmo.se/politik/"))
    assert guard(private=True, addresses=addresses).process_request(Request("https://malmo.se/politik/")) is None


def test_named_addresses_and_public_hosts_pass():
    g = guard(addresses=["10.0.0.5"])
    assert g.process_request(Request("http://127.0.0.1:8080/politik/")) is None  # named as an address
    assert g.process_request(Request("http://localhost:8000/")) is None  # named localhost
    assert guard().process_request(Request("https://malmo.se/politik/")) is None


@pytest.fixture()
def sites():
    """The municipality on 127.0.0.1 and, on another port of the same host, a server it must not reach."""
    site, other = Site(), Site()
    main_server, other_server = serve(site, "127.0.0.1", "main"), serve(other, "127.0.0.1", "other")
    main = f"http://127.0.0.1:{main_server.server_address[1]}"
    elsewhere = f"http://127.0.0.1:{other_server.server_address[1]}"
    yield site, other, main, elsewhere
    main_server.shutdown()
    other_server.shutdown()


def sources_file(tmp_path, body: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text("[defaults]\ndelay = 0\ntimeout = 5\nretries = 0\n\n" + body)
    return path


def test_a_crawl_stays_on_its_host_and_port(tmp_path, sites):
    site, other, main, elsewhere = sites
    site.add("/robots.txt", "", "text/plain")
    site.add("/politik/", page("Politik", f"""
        <a href="/filer/protokoll.txt">Protokoll</a>
        <a href="{elsewhere}/filer/hemligt.txt">Annan port</a>
        <a href="file:///etc/passwd">Lösenord</a>
        <a href="data:text/plain;base64,aGVq">Data</a>
        <a href="/flytta">Omdirigering till annan port</a>
        <a href="/till-fil">Omdirigering till file:</a>"""))
    site.add("/filer/protokoll.txt", SEED[0].read_bytes(), "text/plain; charset=utf-8")
    site.add("/flytta", b"", special=lambda n: (302, {"Location": f"{elsewhere}/filer/hemligt.txt"}, b""))
    site.add("/till-fil", b"", special=lambda n: (302, {"Location": "file:///etc/passwd"}, b""))
    other.add("/filer/hemligt.txt", SEED[1].read_bytes(), "text/plain")
    other.add("/robots.txt", "", "text/plain")
    data = tmp_path / "data"
    r = run_crawl(data, sources_file(tmp_path, f'[[sources]]\nname = "k"\nkind = "site"\nstart_urls = ["{main}/politik/"]\n'))
    assert r.returncode == 0, r.stdout + r.stderr
    assert other.requests(server="other") == []  # not even its robots.txt
    assert "offsite-redirect" in r.stdout
    db = sqlite3.connect(data / "catalog.sqlite")
    assert [s for (s,) in db.execute("SELECT source FROM documents")] == [f"{main}/filer/protokoll.txt"]


def test_an_endless_chain_of_sitemap_indexes_is_cut_off(tmp_path, sites):
    site, _, main, _ = sites
    site.add("/robots.txt", "", "text/plain")
    index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             '<sitemap><loc>{next}</loc></sitemap><sitemap><loc>{main}/karta.xml</loc></sitemap></sitemapindex>')
    for n in range(50):  # index-0 → index-1 → … as far as a server cares to generate
        site.add(f"/index-{n}.xml", index.format(next=f"{main}/index-{n + 1}.xml", main=main), "application/xml")
    site.add("/karta.xml", f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f'<url><loc>{main}/filer/a.txt</loc></url></urlset>', "application/xml")
    site.add("/filer/a.txt", SEED[2].read_bytes(), "text/plain; charset=utf-8")
    data = tmp_path / "data"
    r = run_crawl(data, sources_file(tmp_path, f'[[sources]]\nname = "k"\nkind = "sitemap"\nstart_urls = ["{main}/index-0.xml"]\n'))
    assert r.returncode == 0, r.stdout + r.stderr
    fetched = {h.path for h in site.requests()}
    assert "/index-4.xml" in fetched and "/index-6.xml" not in fetched
    assert "sitemap-depth" in r.stdout
    db = sqlite3.connect(data / "catalog.sqlite")
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    again = run_crawl(data, sources_file(tmp_path, f'[[sources]]\nname = "k"\nkind = "sitemap"\nstart_urls = ["{main}/index-0.xml"]\n'))
    assert again.returncode == 0
    assert "/index-6.xml" not in {h.path for h in site.requests()}  # nor resumed next run


def test_an_endless_calendar_is_bounded(tmp_path, sites):
    from ingest.fetch import spider

    site, _, main, _ = sites
    site.add("/robots.txt", "", "text/plain")
    links = "".join(f'<a href="/kalender?dag={d}">{d}</a>' for d in range(spider.MAX_QUERY_VARIANTS + 100))
    site.add("/politik/", page("Politik", links + '<a href="/filer/a.txt">Protokoll</a>'))
    site.add("/kalender", page("Kalender", ""))
    site.add("/filer/a.txt", SEED[3].read_bytes(), "text/plain; charset=utf-8")
    data = tmp_path / "data"
    r = run_crawl(data, sources_file(tmp_path, f'[[sources]]\nname = "k"\nkind = "site"\nmax_depth = 1\n'
                                               f'start_urls = ["{main}/politik/"]\n'), timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert site.count("/kalender") == spider.MAX_QUERY_VARIANTS
    assert "link-trap" in r.stdout
