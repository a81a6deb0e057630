"""The sources file (ingest/fetch/sources.py): what it accepts, and exit 2 with a message that
names the source and the key for what it does not."""
from __future__ import annotations

import re

import pytest

from ingest.__main__ import main
from ingest.fetch.sources import KEYS, SourcesError, load, parse
from tests.ingest.fetch.conftest import ROOT, run_crawl

GOOD = {
    "name": "malmo-politik",
    "organization": "Malmö stad",
    "kind": "site",
    "start_urls": ["https://malmo.se/politik/"],
    "allow": ["/politik/", r"\.pdf$"],
}


def error(entry: dict | None = None, **raw) -> str:
    with pytest.raises(SourcesError) as e:
        parse(raw or {"sources": [entry]})
    return str(e.value)


def test_a_good_source_with_defaults():
    (source,) = parse({"defaults": {"delay": 2.5}, "sources": [GOOD]})
    assert source.kind == "site" and source.hosts == {"malmo.se"} and source.delay == 2.5
    assert source.max_depth == 3 and source.retries == 3 and source.organization == "Malmö stad"
    assert [p.pattern for p in source.allow] == ["/politik/", r"\.pdf$"]


def test_listed_hosts_join_the_start_urls_hosts():
    (source,) = parse({"sources": [{**GOOD, "hosts": ["Dokument.Malmo.se"]}]})
    assert source.hosts == {"malmo.se", "dokument.malmo.se"}


@pytest.mark.parametrize("entry, key, words", [
    ({k: v for k, v in GOOD.items() if k != "start_urls"}, "start_urls", "saknas"),
    ({k: v for k, v in GOOD.items() if k != "kind"}, "kind", "saknas"),
    ({**GOOD, "kind": "blog"}, "kind", "okänd typ 'blog'"),
    ({**GOOD, "allow": ["/politik/(", "ok"]}, "allow", "allow[0]"),
    ({**GOOD, "deny": ["*.pdf"]}, "deny", "reguljärt uttryck"),
    ({**GOOD, "max_dept": 2}, "max_dept", "okänd nyckel"),
    ({**GOOD, "start_urls": "https://malmo.se/"}, "start_urls", "lista"),
    ({**GOOD, "start_urls": ["ftp://malmo.se/"]}, "start_urls", "ingen http(s)-adress"),
    ({**GOOD, "delay": "1s"}, "delay", "sekunder"),
    ({**GOOD, "max_depth": True}, "max_depth", "heltal"),
    ({**GOOD, "kind": "feed", "max_depth": 2}, "max_depth", 'kind = "site"'),
])
def test_bad_sources_name_the_source_and_the_key(entry, key, words):
    message = error(entry)
    assert 'källa "malmo-politik"' in message and f'nyckel "{key}"' in message and words in message


def test_other_bad_files():
    assert 'källa nr 1, nyckel "name": saknas' in error({k: v for k, v in GOOD.items() if k != "name"})
    assert "namnet används redan" in error(sources=[GOOD, GOOD])
    assert "[[sources]]" in error(source=[GOOD])
    assert "inga källor" in error(sources=[])
    assert '[defaults], nyckel "name"' in error(defaults={"name": "x"}, sources=[GOOD])


def test_the_example_file_loads():
    sources = load(ROOT / "sources.example.toml")
    assert len(sources) >= 3 and {s.kind for s in sources} == {"site", "feed", "sitemap"}


def test_every_key_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Crawling", 1)[1].split("\n## ", 1)[0]
    assert [k for k in KEYS if f"`{k}`" not in section] == []


def test_cli_exit_2_with_the_message(tmp_path, capsys):
    bad = tmp_path / "sources.toml"
    bad.write_text('[[sources]]\nname = "gotland"\nkind = "site"\nstart_urls = ["https://gotland.se/"]\n'
                   "deny = ['[']\n", encoding="utf-8")
    result = run_crawl(tmp_path / "data", bad)  # the real command, in its own process
    assert result.returncode == 2
    assert re.search(r'källa "gotland", nyckel "deny": deny\[0\]', result.stderr)
    assert not (tmp_path / "data").exists()  # nothing touched before the file is checked

    syntax = tmp_path / "syntax.toml"
    syntax.write_text("[[sources]\nname = 'x'\n", encoding="utf-8")
    assert main(["--data", str(tmp_path / "d"), "--sources", str(syntax)]) == 2
    assert "ogiltig TOML" in capsys.readouterr().err
    assert main(["--data", str(tmp_path / "d"), "--sources", str(tmp_path / "missing.toml")]) == 2
    good = tmp_path / "good.toml"
    good.write_text('[[sources]]\nname = "a"\nkind = "feed"\nstart_urls = ["https://a.se/rss"]\n', encoding="utf-8")
    assert main(["--data", str(tmp_path / "d"), "--sources", str(good), "--only", "b"]) == 2
    assert "ingen källa heter 'b'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        main(["--data", str(tmp_path / "d"), "--only", "a", str(good)])
    assert e.value.code == 2
