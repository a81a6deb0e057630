"""Crawl state (ingest/fetch/state.py): validators, remembered links and the resumable frontier."""
from ingest.fetch.state import CrawlState, Entry

START = [Entry("https://k.se/politik/", "page", 0, {"organization": "K"})]


def test_a_new_crawl_starts_and_a_broken_one_resumes(tmp_path):
    state = CrawlState(tmp_path / "crawl.sqlite")
    entries, resumed = state.begin("k", START)
    assert entries == START and not resumed
    children = [Entry("https://k.se/a.pdf", "page", 0, {"title": "A"}), Entry("https://k.se/b.pdf", "page")]
    follow = [Entry(c.url, c.kind, 1, c.hints) for c in children]
    assert state.read("k", START[0].url, children, follow, '"e1"', None) == follow
    assert state.read("k", START[0].url, children, follow, '"e1"', None) == []  # already in the frontier
    state.archived("k", "https://k.se/a.pdf", '"e2"', "Mon, 06 May 2024 10:00:00 GMT", "ab" * 32)
    state.close()

    state = CrawlState(tmp_path / "crawl.sqlite")  # a new process after a kill
    entries, resumed = state.begin("k", START)
    assert resumed and [(e.url, e.depth, e.hints) for e in entries] == [("https://k.se/b.pdf", 1, {})]
    assert state.validators("https://k.se/a.pdf").sha256 == "ab" * 32
    assert state.children("k", START[0].url)[0].hints == {"title": "A"}
    state.done("k", "https://k.se/b.pdf")
    state.finish("k")
    entries, resumed = state.begin("k", START)
    assert entries == START and not resumed  # after a finished crawl: anew, from the start URLs


def test_sources_have_frontiers_of_their_own(tmp_path):
    state = CrawlState(tmp_path / "crawl.sqlite")
    state.begin("a", START)
    assert state.begin("b", START) == (START, False)
    assert state.progress("a") == state.progress("b") == (0, 1)  # (done, known)
    state.not_modified("a", START[0].url, [])
    assert state.progress("a") == (1, 1) and state.progress("b") == (0, 1)
