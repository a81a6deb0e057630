"""Scope (ingest/fetch/scope.py): hosts, allow/deny on the path, URLs made absolute."""
from ingest.fetch.scope import absolute, in_scope, unreadable
from ingest.fetch.sources import parse


def source(**extra):
    (s,) = parse({"sources": [{"name": "m", "kind": "site", "start_urls": ["https://malmo.se/politik/"], **extra}]})
    return s


def test_hosts_allow_and_deny():
    s = source(allow=["^/politik/", r"\.pdf$"], deny=["/arkiv/"], hosts=["dokument.malmo.se"])
    assert in_scope(s, "https://malmo.se/politik/moten.html")
    assert in_scope(s, "https://dokument.malmo.se/files/protokoll.pdf")
    assert not in_scope(s, "https://malmo.se/evenemang/")  # not allowed
    assert not in_scope(s, "https://malmo.se/politik/arkiv/2001.pdf")  # denied
    assert not in_scope(s, "https://www.malmo.se/politik/")  # another host, even a subdomain
    assert not in_scope(s, "https://lund.se/politik/")
    assert in_scope(source(), "https://malmo.se/anything?q=1")  # no allow: the whole host


def test_absolute_and_unreadable():
    assert absolute(" protokoll 2024.pdf ", "https://malmo.se/politik/") == "https://malmo.se/politik/protokoll%202024.pdf"
    assert absolute("//malmo.se/a#b", "https://x.se/") == "https://malmo.se/a"
    assert absolute("javascript:alert(1)", "https://x.se/") is None and absolute("", "https://x.se/") is None
    assert unreadable("https://malmo.se/bild.JPG") and not unreadable("https://malmo.se/protokoll.pdf")
