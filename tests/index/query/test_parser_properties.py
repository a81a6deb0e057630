"""Property-based tests of the query language (index/query): any string a user can type gives a
query or the grammar's QuerySyntaxError, build() turns every string into a query without raising,
and what the query marks in a real page's snippet comes out escaped (only <mark> is markup)."""
import re
from html import unescape
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.query import ir
from index.query.grammar import QuerySyntaxError
from index.query.parser import SearchRequest, _parse, build, highlight_terms
from index.search.snippets import best
from ingest.model import Page

SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "seeds" / "000_c6a6d7e471c0821b.txt"
TEXT = SAMPLE.read_text(encoding="utf-8")
WORDS = sorted(set(re.findall(r"\w+", TEXT)))  # the real vocabulary of a real protocol
SYNTAX = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "(", ")", '"', "[", "]", "{", "}", "*", "^2", "^",
          ":", "+", "-", "<", ">", "~", "\\", "/", "'", "&", "&amp;", "<script>", "</mark>", "<mark>",
          "titel:", "title:", "dnr:", "år:", "datum:", "typ:", "nämnd:", "parti:", "språk:", "text:",
          "datum:[2019-01-01 TO 2019-12-31]", "år:>2020", "Dnr 1.5.1-646/2018", "KS 2020/123", "hemtj*"]
TOKENS = st.one_of(st.sampled_from(WORDS), st.sampled_from(SYNTAX), st.text(max_size=6))
# Queries of the language's pieces (often well-formed, often not), and arbitrary strings.
QUERIES = st.one_of(st.lists(TOKENS, max_size=12).map(lambda ts: " ".join(ts)),
                    st.lists(TOKENS, max_size=12).map("".join),
                    st.text(max_size=80))
FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#x27);")


def query_or_its_own_error(q: str) -> None:
    try:
        node = _parse(q)
    except QuerySyntaxError:
        return
    assert isinstance(node, ir.Node)


@FUZZ
@given(q=QUERIES)
def test_the_grammar_gives_a_query_or_its_own_error(q):
    query_or_its_own_error(q)


@settings(FUZZ, max_examples=30)
@given(depth=st.integers(1, 3000), opener=st.sampled_from(["(", "NOT (", "titel:(", "(budget OR "]))
def test_deep_nesting_is_a_query_or_its_own_error(depth, opener):
    """Nested a thousand deep (a RecursionError out of the grammar before): its own error."""
    query_or_its_own_error(opener * depth + "budget" + ")" * depth)
    assert isinstance(build(SearchRequest(q=opener * depth + "budget" + ")" * depth)).query, ir.Node)


@FUZZ
@given(q=QUERIES)
def test_build_turns_any_string_into_a_query(q):
    built = build(SearchRequest(q=q))
    assert isinstance(built.query, ir.Node)
    assert built.words is None or isinstance(built.words.query, ir.Node)


@FUZZ
@given(q=QUERIES, at=st.integers(0, len(TEXT)))
def test_a_snippet_escapes_everything_but_its_marks(q, at):
    """The query's own text put into the real page (a page quoting the query, markup and all):
    the snippet that marks the query's terms holds no markup but <mark>…</mark>."""
    built = build(SearchRequest(q=q))
    terms, prefixes = highlight_terms(built.query)
    page = TEXT[:at] + " " + q + " " + TEXT[at:]
    html = best([Page(1, page)], "sv", terms, prefixes).html
    marks = re.findall(r"</?mark>", html)
    assert marks == ["<mark>", "</mark>"] * (len(marks) // 2)  # balanced, never nested
    bare = re.sub(r"</?mark>", "", html)
    assert not re.search(r"[<>\"']", bare), html
    assert "&" not in ENTITY.sub("", bare), html
    assert " ".join(unescape(bare).replace("…", " ").split()) in " ".join(page.split())


def test_operators_the_grammar_cannot_read_are_searched_as_words():
    """Found by the property above: the lenient path's own parse raised on the operators left in."""
    built = build(SearchRequest(q="1 ANDNOT ANDNOT 1"))
    assert built.lenient and isinstance(built.query, ir.Node)
