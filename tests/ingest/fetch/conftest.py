"""Fixtures for the crawler tests: a municipal site on 127.0.0.1 (and another host on 127.0.0.2),
built from real documents of the committed corpus (tests/fixtures/corpus), and a way to run the crawl command against it."""
from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest

from tests.ingest.fetch.site import (
    Site,
    always,
    gzipped,
    markdown_page,
    once,
    page,
    read,
    serve,
)

ROOT = Path(__file__).resolve().parents[3]
SIMRISHAMN = "real/simrishamn-lundgren9"
LARGE = 5_000_000  # over the max_size of the test sources (3 MB; the largest real PDF is 2.5 MB)
CRAWL_DELAY = 0.1  # robots.txt's Crawl-delay for every agent


def run_crawl(data: Path, sources: Path, *extra, timeout: int = 240) -> subprocess.CompletedProcess:
    """`python -m ingest --data DATA --sources SOURCES ...`, in a fresh process (Scrapy's reactor
    runs once per process)."""
    return subprocess.run(
        [sys.executable, "-m", "ingest", "--data", str(data), "--sources", str(sources), "--quiet", *map(str, extra)],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout,
    )


def press_releases(corpus: Path) -> list[tuple[str, str, bytes, str]]:
    """(slug, title, html, RFC 822 date) of each real press release; dated the 15th of its month."""
    out = []
    for path in sorted((corpus / "real/regeringen-g0vse/pressmeddelanden").glob("*/*/*.md")):
        markdown = path.read_text(encoding="utf-8")
        title = markdown.split("\n", 1)[0].lstrip("# ").strip()
        year, month = int(path.parent.parent.name), int(path.parent.name)
        date = format_datetime(datetime(year, month, 15, 9, 30, tzinfo=UTC))
        out.append((path.stem[:60], title, markdown_page(markdown).encode(), date))
    return out


def build_municipality(corpus: Path, other: str) -> Site:
    """The site of a municipality at /, and what the tests expect of each part of it."""
    site = Site()
    site.add("/robots.txt", f"User-agent: *\nDisallow: /internt/\nCrawl-delay: {CRAWL_DELAY}\n", "text/plain")
    site.add("/politik/", page("Politik och demokrati", f"""
        <h1>Politik och demokrati</h1>
        <h2>Sammanträden</h2>
        <ul><li><a href="moten/spn-2024-04-25.html">Samhällsplaneringsnämnden 25 april 2024</a></li>
            <li><a href="moten/kfn-2026-03-31.html">Kultur- och fritidsnämnden 31 mars 2026</a></li>
            <li><a href="/politik/moten/ks-2020-11-04.html">Kommunstyrelsen 4 november 2020</a></li></ul>
        <h2>Anslagstavla</h2>
        <a href="anslagstavla/rapport-fran-fullmaktige.html">Rapport från fullmäktige</a>
        <h2>Övrigt</h2>
        <a href="ombyggd.html">Riktlinjer (sidan byggs om)</a>
        <a href="/internt/hemligt.pdf">Intern promemoria</a>
        <a href="{other}/grannkommunen/protokoll.pdf">Grannkommunens protokoll</a>
        <a href="/politik/arkiv/gammalt.pdf">Arkiverade protokoll</a>
        <a href="/evenemang/konsert.html">Konsert i stadsparken</a>
        <a href="djup/niva1.html">Fördjupning</a>
        <a href="/bilder/karta.png">Karta</a> <a href="mailto:kommun@example.org">E-post</a> <a href="#top">Upp</a>
    """))
    site.add("/politik/moten/spn-2024-04-25.html", page("SPn 2024-04-25", """
        <h1>Samhällsplaneringsnämnden 2024-04-25</h1>
        <h2>Protokoll</h2>
        <a href="/filer/spn/Protokoll%20%20SPn%20april%202024_Bortredigerad.pdf">Protokoll SPn april 2024 (pdf, 2,4 MB)</a>
        <h2>Handlingar</h2>
        <a href="/filer/spn/Sammanstallning_granskningsyttranden_Borrby.pdf">Sammanställning av granskningsyttranden</a>
        <a href="/filer/spn/saknas.pdf">Bilaga 2 (pdf)</a>
        <a href="/filer/spn/trasig.pdf">Bilaga 3 (pdf)</a>
        <a href="/filer/spn/karta.pdf">Plankarta i hög upplösning</a>
        <a href="/filer/spn/karta-strom.pdf">Plankarta (utan längd)</a>
    """))
    site.add("/politik/moten/kfn-2026-03-31.html", page("KFN 2026-03-31", """
        <h1>Kultur- och fritidsnämnden 2026-03-31</h1>
        <h2>Tjänsteskrivelser</h2>
        <ul><li><a href="/filer/kfn/260330_badanalys.pdf">Tobisviksbadet, utfall och budget</a></li>
            <li><a href="/filer/kfn/upptagen.pdf">Vegetabilisk kost i skolan</a></li>
            <li><a href="/filer/kfn/seg.txt">Svar på motion</a></li></ul>
        <h2>Flyttat</h2>
        <a href="/filer/kfn/flyttad.pdf">Flyttad handling</a>
        <a href="/filer/kfn/slinga">Handling i en slinga</a>
    """))
    site.add("/politik/moten/ks-2020-11-04.html", page("KS 2020-11-04", """
        <h1>Kommunstyrelsen 2020-11-04</h1><h2>Protokollsutdrag</h2>
        <a href="/filer/ks/paragraf-16.txt">§ 16 PEER support</a>
    """))
    site.add("/politik/anslagstavla/rapport-fran-fullmaktige.html",
             markdown_page(read(corpus, "real/gotland-figotland/2016-09-27-rapport-fran-fullmaktige.markdown").decode()))
    site.add("/politik/ombyggd.html", page("Riktlinjer", """
        <h1>Riktlinjer</h1><a href="/filer/riktlinjer/peer-support.txt">Utvärdering av PEER support</a>
    """), special=once(500, {"Content-Type": "text/html"}, b"<h1>Internt serverfel</h1>"))
    site.add("/politik/djup/niva1.html", page("Nivå 1", '<a href="niva2.html">Nivå 2</a>'))
    site.add("/politik/djup/niva2.html", page("Nivå 2", '<a href="niva3.pdf">Nivå 3</a>'))
    site.add("/politik/djup/niva3.pdf", read(corpus, "real/gotland-figotland/vegetabilisk_kost_som_grund_i_skolbespisningen.pdf"),
             "application/pdf")
    site.add("/politik/arkiv/gammalt.pdf", b"%PDF-1.4 never fetched", "application/pdf")
    site.add("/evenemang/konsert.html", page("Konsert", "<p>Never fetched</p>"))
    site.add("/internt/hemligt.pdf", b"%PDF-1.4 never fetched", "application/pdf")

    pdf = "application/pdf"
    site.add("/filer/spn/Protokoll  SPn april 2024_Bortredigerad.pdf",
             read(corpus, f"{SIMRISHAMN}/Protokoll  SPn april 2024_Bortredigerad.pdf"), pdf)
    site.add("/filer/spn/Sammanstallning_granskningsyttranden_Borrby.pdf",
             read(corpus, f"{SIMRISHAMN}/Sammanstallning_granskningsyttranden_Borrby.pdf"), pdf)
    site.add("/filer/spn/trasig.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog broken", pdf)
    site.add("/filer/spn/karta.pdf", b"%PDF-1.4\n" + b"0" * LARGE, pdf)
    site.add("/filer/spn/karta-strom.pdf", b"%PDF-1.4\n" + b"0" * LARGE, pdf, length=False)
    site.add("/filer/kfn/260330_badanalys.pdf", read(corpus, f"{SIMRISHAMN}/260330_badanalys.pdf"), pdf)
    site.add("/filer/kfn/upptagen.pdf",
             read(corpus, "real/gotland-figotland/vegetabilisk_kost_som_grund_i_skolbespisningen.pdf"), pdf,
             special=once(429, {"Retry-After": "1", "Content-Type": "text/plain"}, b"Too many requests"))
    site.add("/filer/kfn/seg.txt", read(corpus, "seeds/003_b7aafb99961ad059.txt"), "text/plain; charset=utf-8",
             delay_first=3.0)
    site.add("/filer/kfn/flyttad.pdf", b"", special=always(301, {"Location": f"{other}/flyttad.pdf"}))
    site.add("/filer/kfn/slinga", b"", special=always(302, {"Location": "/filer/kfn/slinga2"}))
    site.add("/filer/kfn/slinga2", b"", special=always(302, {"Location": "/filer/kfn/slinga"}))
    site.add("/filer/ks/paragraf-16.txt", read(corpus, "seeds/000_c6a6d7e471c0821b.txt"),
             "text/plain; charset=utf-8", etag=False)  # Last-Modified only: If-Modified-Since
    site.add("/filer/riktlinjer/peer-support.txt", read(corpus, "seeds/001_e51f5a689c1ba08a.txt"),
             "text/plain; charset=utf-8")

    # Press releases: half in an RSS 2.0 feed, half in an Atom feed.
    releases = press_releases(corpus)
    rss_items, atom_entries = [], []
    for i, (slug, title, body, date) in enumerate(releases):
        site.add(f"/press/{slug}.html", body)
        if i % 2 == 0:
            rss_items.append(f"<item><title>{title}</title><link>/press/{slug}.html</link>"
                             f"<pubDate>{date}</pubDate><guid>{slug}</guid></item>")
        else:
            iso = datetime.strptime(date, "%a, %d %b %Y %H:%M:%S %z").isoformat()
            atom_entries.append(f'<entry><title>{title}</title><link rel="alternate" href="/press/{slug}.html"/>'
                                f"<id>urn:{slug}</id><published>{iso}</published><updated>{iso}</updated></entry>")
    site.add("/press/rss.xml", '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
             "<title>Pressmeddelanden</title><link>/press/</link>" + "".join(rss_items) + "</channel></rss>",
             "application/rss+xml")
    site.add("/press/atom.xml", '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
             "<title>Pressmeddelanden</title>" + "".join(atom_entries) + "</feed>", "application/atom+xml")

    # A sitemap index with a plain and a gzipped sitemap.
    site.add("/sitemap_index.xml", '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             "<sitemap><loc>/sitemaps/dokument.xml</loc></sitemap><sitemap><loc>/sitemaps/sidor.xml.gz</loc></sitemap>"
             "</sitemapindex>", "application/xml")
    site.add("/sitemaps/dokument.xml", '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             "<url><loc>/dokument/pressmeddelande.txt</loc><lastmod>2019-09-02</lastmod></url>"
             "<url><loc>/internt/utkast.txt</loc></url></urlset>", "application/xml")
    site.add("/sitemaps/sidor.xml.gz", gzipped(b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             b"<url><loc>/dokument/utvardering.txt</loc></url></urlset>"), "application/gzip")
    site.add("/dokument/pressmeddelande.txt", read(corpus, "seeds/002_6473ea12f96f77f2.txt"), "text/plain; charset=utf-8")
    site.add("/dokument/utvardering.txt", read(corpus, "seeds/004_32a3c4eaa92b937e.txt"), "text/plain; charset=utf-8")
    return site


def sources_toml(main: str, extra: str = "") -> str:
    return f"""
[defaults]
delay = 0
timeout = 2
retries = 2
backoff = 0.2
max_size = 3_000_000

[[sources]]
name = "kommunen"
organization = "Simrishamns kommun"
kind = "site"
start_urls = ["{main}/politik/"]
allow = ['^/politik/', '^/filer/', '^/internt/']
deny = ['/arkiv/']
documents = ['/anslagstavla/.+\\.html$']
max_depth = 2

[[sources]]
name = "press-rss"
organization = "Regeringen"
kind = "feed"
start_urls = ["{main}/press/rss.xml"]

[[sources]]
name = "press-atom"
organization = "Regeringen"
kind = "feed"
start_urls = ["{main}/press/atom.xml"]

[[sources]]
name = "kartan"
organization = "Simrishamns kommun"
kind = "sitemap"
start_urls = ["{main}/sitemap_index.xml"]
{extra}"""


@pytest.fixture(scope="module")
def municipality(corpus):
    """(site, main URL, other URL): the municipality on 127.0.0.1 and another host on 127.0.0.2,
    both logging into the same Site."""
    site = Site()
    other = serve(site, "127.0.0.2", "other")
    other_url = f"http://127.0.0.2:{other.server_address[1]}"
    built = build_municipality(corpus, other_url)
    site.resources = built.resources
    main = serve(site, "127.0.0.1", "main")
    yield site, f"http://127.0.0.1:{main.server_address[1]}", other_url
    main.shutdown()
    other.shutdown()
