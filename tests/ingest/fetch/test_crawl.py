"""The crawl end to end (python -m ingest --sources): a real HTTP server on 127.0.0.1 serving a
municipal site built from real documents, crawled three times: first, again unchanged, and
after a file changed on the server."""
from __future__ import annotations

import re
import sqlite3

import pytest

from tests.ingest.fetch.conftest import CRAWL_DELAY, run_crawl, sources_toml

SITE_PATHS = ("/politik/", "/filer/", "/internt/")  # what the "kommunen" source crawls


def summary_line(stdout: str, name: str) -> dict[str, int]:
    line = next(line for line in stdout.splitlines() if line.startswith(f"{name} ["))
    return {label: int(n) for n, label in re.findall(
        r"(\d+) (hämtade|ej ändrade \(304\)|nya|uppdaterade|oförändrade|misslyckade|stoppade av robots\.txt)", line)}


def failures(stdout: str) -> dict[str, str]:
    """URL path → reason of each MISSLYCKADES line."""
    return {re.sub(r"^http://[^/]+", "", m[0]): m[1]
            for m in re.findall(r"^  MISSLYCKADES (\S+): .* \[([\w-]+)\]$", stdout, re.M)}


def catalog(data) -> sqlite3.Connection:
    db = sqlite3.connect(data / "catalog.sqlite")
    db.row_factory = sqlite3.Row
    return db


def document(data, main: str, path: str) -> sqlite3.Row:
    row = catalog(data).execute("SELECT * FROM documents WHERE source = ?", (main + path,)).fetchone()
    assert row is not None, f"{path} is not in the catalog"
    return row


@pytest.fixture(scope="module")
def crawled(municipality, tmp_path_factory):
    """The first crawl of all four sources: (site, main URL, data dir, sources file, result)."""
    site, main, other = municipality
    tmp = tmp_path_factory.mktemp("crawl")
    sources = tmp / "sources.toml"
    sources.write_text(sources_toml(main), encoding="utf-8")
    result = run_crawl(tmp / "data", sources)
    assert result.returncode == 0, result.stdout + result.stderr
    hits = site.requests()
    return site, main, tmp / "data", sources, result, hits


@pytest.fixture(scope="module")
def second(crawled):
    """The same crawl again, nothing changed on the server, with --strict."""
    site, main, data, sources, first, _ = crawled
    before = [tuple(r) for r in catalog(data).execute("SELECT id, version, sha256, ingested_at FROM documents ORDER BY id")]
    site.clear_log()
    result = run_crawl(data, sources, "--strict")
    return result, site.requests(), before


@pytest.fixture(scope="module")
def changed(crawled, second):
    """A file changed on the server, then only the "kommunen" source crawled (--only)."""
    site, main, data, sources, _, _ = crawled
    old = document(data, main, "/filer/kfn/260330_badanalys.pdf")
    site.replace("/filer/kfn/260330_badanalys.pdf",
                 site.resources["/filer/spn/Sammanstallning_granskningsyttranden_Borrby.pdf"].body + b"\n% rev 2\n")
    site.clear_log()
    result = run_crawl(data, sources, "--only", "kommunen")
    return result, site.requests(), old


# -- the first crawl ---------------------------------------------------------------------------

def test_files_are_ingested_with_the_listing_pages_hints(crawled):
    site, main, data, _, result, _ = crawled
    counts = summary_line(result.stdout, "kommunen")
    assert counts["nya"] == 8 and counts["uppdaterade"] == 0
    # The badanalys memo names neither body, date nor type: all three come from the meeting page
    # ("Kultur- och fritidsnämnden 2026-03-31" › "Tjänsteskrivelser"), the organization from the source.
    memo = document(data, main, "/filer/kfn/260330_badanalys.pdf")
    assert (memo["body"], memo["date"], memo["doctype"], memo["organization"]) == (
        "Kultur- och fritidsnämnden", "2026-03-31", "tjänsteskrivelse", "Simrishamns kommun")
    protocol = document(data, main, "/filer/spn/Protokoll%20%20SPn%20april%202024_Bortredigerad.pdf")
    assert (protocol["doctype"], protocol["body"], protocol["date"]) == ("protokoll", "Samhällsplaneringsnämnden", "2024-04-25")
    excerpt = document(data, main, "/filer/ks/paragraf-16.txt")  # the excerpt has no date of its own
    assert excerpt["date"] == "2020-11-04" and excerpt["doctype"] == "protokollsutdrag"
    # An HTML page the source lists under `documents` is archived; other pages are only read.
    assert document(data, main, "/politik/anslagstavla/rapport-fran-fullmaktige.html")["title"] == "Rapport från fullmäktige"
    assert catalog(data).execute("SELECT count(*) FROM documents WHERE source LIKE ?", (f"{main}/politik/moten/%",)).fetchone()[0] == 0


def test_documents_are_identified_by_their_url(crawled):
    _, main, data, _, _, _ = crawled
    from ingest.catalog.database import document_id_for

    url = main + "/filer/kfn/260330_badanalys.pdf"
    assert document(data, main, "/filer/kfn/260330_badanalys.pdf")["id"] == document_id_for(url)


def test_rss_and_atom_feeds(crawled):
    site, main, data, _, result, _ = crawled
    assert summary_line(result.stdout, "press-rss")["nya"] == 6
    assert summary_line(result.stdout, "press-atom")["nya"] == 6
    rows = catalog(data).execute("SELECT source, date, organization FROM documents WHERE source LIKE ?", (f"{main}/press/%",))
    dated = {r["source"].rsplit("/", 1)[1]: r["date"] for r in rows}
    assert len(dated) == 12
    # The releases carry no date in their text: it comes from pubDate (RSS) or published (Atom).
    assert dated["civilministern-i-mote-om-kommuner-och-regioners-arbete-i-sam.html"] == "2023-08-15"
    assert all(re.fullmatch(r"20\d\d-\d\d-15", d) for d in dated.values())


def test_sitemap_index_plain_and_gzipped_sitemaps(crawled):
    site, main, data, _, result, hits = crawled
    counts = summary_line(result.stdout, "kartan")
    assert counts["nya"] == 2 and counts["stoppade av robots.txt"] == 1
    for path in ("/dokument/pressmeddelande.txt", "/dokument/utvardering.txt"):
        document(data, main, path)
    assert {"/sitemap_index.xml", "/sitemaps/dokument.xml", "/sitemaps/sidor.xml.gz"} <= {h.path for h in hits}


def test_user_agent_names_the_project(crawled):
    hits = crawled[5]
    assert hits and all(h.headers["User-Agent"].startswith("Diariet/") for h in hits)


def test_other_hosts_are_never_requested(crawled, municipality):
    site, main, data, _, result, _ = crawled
    assert site.requests(server="other") == []  # neither the linked file nor the redirect target
    assert failures(result.stdout)["/filer/kfn/flyttad.pdf"] == "offsite-redirect"


def test_robots_txt_is_obeyed(crawled):
    site, main, data, _, result, hits = crawled
    paths = {h.path for h in hits}
    assert "/robots.txt" in paths
    assert not any(p.startswith("/internt/") for p in paths)
    assert f"  ROBOTS.TXT {main}/internt/hemligt.pdf" in result.stdout
    assert f"  ROBOTS.TXT {main}/internt/utkast.txt" in result.stdout
    assert summary_line(result.stdout, "kommunen")["stoppade av robots.txt"] == 1


def test_robots_crawl_delay_spaces_requests(crawled):
    """The sources file says delay = 0; robots.txt's Crawl-delay sets the pace."""
    hits = [h for h in crawled[5] if h.path.startswith(SITE_PATHS)]
    gaps = sorted(b.at - a.at for a, b in zip(hits, hits[1:]))
    # Measured on arrival, so one request sent late (the writer thread parsing a PDF holds the
    # GIL) shortens the next gap: the pace is checked over the whole crawl and its median.
    assert len(gaps) > 20 and gaps[len(gaps) // 2] >= CRAWL_DELAY * 0.95
    assert hits[-1].at - hits[0].at >= len(gaps) * CRAWL_DELAY * 0.95


def test_scope_allow_deny_and_max_depth(crawled):
    paths = {h.path for h in crawled[5]}
    assert "/politik/djup/niva2.html" in paths  # depth 2 = max_depth: read
    assert "/politik/djup/niva3.pdf" not in paths  # depth 3: beyond max_depth
    assert "/politik/arkiv/gammalt.pdf" not in paths  # deny
    assert "/evenemang/konsert.html" not in paths  # not in allow
    assert "/bilder/karta.png" not in paths  # a kind of file nothing here reads


def test_5xx_and_timeouts_are_retried_with_backoff(crawled):
    site, main, data, _, result, hits = crawled
    flaky = [h for h in hits if h.path == "/politik/ombyggd.html"]
    assert [h.status for h in flaky] == [500, 200]
    assert flaky[1].at - flaky[0].at >= 0.2  # backoff = 0.2 in the sources file
    document(data, main, "/filer/riktlinjer/peer-support.txt")  # linked from the page that failed once
    slow = [h for h in hits if h.path == "/filer/kfn/seg.txt"]
    assert len(slow) == 2 and slow[1].at - slow[0].at >= 2.0  # timeout = 2
    document(data, main, "/filer/kfn/seg.txt")


def test_retry_after_is_honoured(crawled):
    site, main, data, _, _, hits = crawled
    busy = [h for h in hits if h.path == "/filer/kfn/upptagen.pdf"]
    assert [h.status for h in busy] == [429, 200]
    assert busy[1].at - busy[0].at >= 1.0  # Retry-After: 1
    document(data, main, "/filer/kfn/upptagen.pdf")


def test_failures_are_reported_by_url_without_stopping(crawled):
    result = crawled[4]
    assert failures(result.stdout) == {
        "/filer/spn/saknas.pdf": "http-404",
        "/filer/spn/trasig.pdf": "corrupt",
        "/filer/spn/karta.pdf": "too-large",  # Content-Length over max_size
        "/filer/spn/karta-strom.pdf": "too-large",  # no Content-Length: cut off while streaming
        "/filer/kfn/flyttad.pdf": "offsite-redirect",
        "/filer/kfn/slinga": "redirect-loop",
    }
    assert summary_line(result.stdout, "kommunen")["misslyckade"] == 6
    assert "Klart: 4 källor" in result.stdout


def test_the_index_is_complete(crawled):
    data = crawled[2]
    db = catalog(data)
    assert db.execute("SELECT count(*) FROM documents WHERE indexed_version != version").fetchone()[0] == 0
    from index.backends.whoosh.store import IndexStore

    with IndexStore(data / "index").open().searcher() as s:
        assert s.doc_count() == db.execute("SELECT count(*) FROM documents").fetchone()[0] == 8 + 12 + 2


# -- the second crawl: nothing changed ---------------------------------------------------------

def test_second_run_sends_conditional_requests_and_changes_nothing(crawled, second):
    site, main, data, _, first, first_hits = crawled
    result, hits, before = second
    assert result.returncode == 1, result.stdout + result.stderr  # --strict: the same six still fail
    for name in ("kommunen", "press-rss", "press-atom", "kartan"):
        counts = summary_line(result.stdout, name)
        assert counts["nya"] == counts["uppdaterade"] == 0, name
    assert failures(result.stdout) == failures(first.stdout)
    conditional = [h for h in hits if "If-None-Match" in h.headers or "If-Modified-Since" in h.headers]
    assert conditional and all(h.status == 304 for h in conditional)
    answered = {h.path for h in first_hits if h.status == 200} - {
        "/robots.txt", "/filer/spn/trasig.pdf", "/filer/spn/karta.pdf", "/filer/spn/karta-strom.pdf"}
    assert answered == {h.path for h in conditional}  # every page, feed, sitemap and archived file
    assert len(answered) == 8 + 12 + 2 + 7 + 2 + 3  # documents + pages + feeds + sitemaps
    excerpt = next(h for h in hits if h.path == "/filer/ks/paragraf-16.txt")  # Last-Modified only
    assert "If-Modified-Since" in excerpt.headers and "If-None-Match" not in excerpt.headers
    after = [tuple(r) for r in catalog(data).execute("SELECT id, version, sha256, ingested_at FROM documents ORDER BY id")]
    assert after == before
    assert catalog(data).execute("SELECT count(*) FROM versions").fetchone()[0] == len(before)


def test_unchanged_bytes_are_not_parsed_again(crawled, second, tmp_path):
    """Without validators the server answers 200 with the same bytes: sha256 says unchanged."""
    site, main, data, sources, _, _ = crawled
    state = sqlite3.connect(data / "crawl.sqlite")
    with state:
        state.execute("UPDATE resources SET etag = NULL, last_modified = NULL WHERE url LIKE ? OR url LIKE ?",
                      (f"{main}/sitemap%", f"{main}/dokument/%"))
    site.clear_log()
    result = run_crawl(data, sources, "--only", "kartan")
    assert result.returncode == 0, result.stdout + result.stderr
    counts = summary_line(result.stdout, "kartan")
    assert counts["oförändrade"] == 2 and counts["nya"] == 0 and counts["ej ändrade (304)"] == 0
    assert "kommunen [" not in result.stdout  # --only


# -- a file changed on the server ----------------------------------------------------------------

def test_a_changed_file_becomes_version_2_of_the_same_document(crawled, changed):
    site, main, data, _, _, _ = crawled
    result, hits, old = changed
    assert result.returncode == 0, result.stdout + result.stderr
    counts = summary_line(result.stdout, "kommunen")
    assert counts["uppdaterade"] == 1 and counts["nya"] == 0
    # Downloaded in full: the changed file, and the corrupt PDF (never archived, so no validators).
    assert {h.path for h in hits if h.status == 200} - {"/filer/spn/karta.pdf", "/filer/spn/karta-strom.pdf"} == {
        "/robots.txt", "/filer/kfn/260330_badanalys.pdf", "/filer/spn/trasig.pdf"}
    assert counts["hämtade"] == 2
    assert [line for line in result.stdout.splitlines() if line.startswith("press-")] == []  # --only
    new = document(data, main, "/filer/kfn/260330_badanalys.pdf")
    assert new["id"] == old["id"] and new["version"] == 2 and new["sha256"] != old["sha256"]
    versions = catalog(data).execute("SELECT version, sha256 FROM versions WHERE document_id = ? ORDER BY version",
                                     (old["id"],)).fetchall()
    assert [tuple(v) for v in versions] == [(1, old["sha256"]), (2, new["sha256"])]
    assert (data / "files" / old["sha256"][:2] / old["sha256"][2:4] / old["sha256"]).exists()  # old bytes kept
    assert not any(h.path.startswith("/press/") for h in hits)
