"""Snippets (index/search/snippets.py): the same passage as before on ordinary pages; on a very
long page only the places that could match are analysed, so a search touching a 200 MB page
costs time linear in its length, not more (and far less analysis)."""
from pathlib import Path

from index.query.parser import SearchRequest, build, highlight_terms
from index.search import snippets
from ingest.model import Page

SEED = (Path(__file__).resolve().parents[3] / "samples" / "seeds" / "000_c6a6d7e471c0821b.txt").read_text()


def test_an_ordinary_page_marks_its_matches():
    s = snippets.best([Page(1, SEED)], "sv", {"socialnämnd"})
    assert "<mark>Socialnämnden</mark>" in s.html


def test_a_long_page_is_analysed_only_around_its_possible_matches(monkeypatch):
    analysed = []
    real = snippets._matches

    def counting(text, *args):
        analysed.append(len(text))
        return real(text, *args)

    monkeypatch.setattr(snippets, "_matches", counting)
    filler = "ord utan betydelse här " * 400_000  # 9 MB of words, none matching
    page = filler + SEED + filler
    s = snippets.best([Page(1, "kort sida om annat"), Page(2, page)], "sv", {"socialnämnd", "utvärdering"})
    assert s.page == 2 and "<mark>" in s.html
    assert sum(analysed) <= snippets.MAX_PLACES * (2 * snippets.WINDOW + 200) < len(page) / 100


def test_the_densest_passage_is_chosen_among_many_matches():
    text = " ".join(["budget"] + ["fyllnad"] * 200 + ["budget budget budget"] + ["fyllnad"] * 200)
    s = snippets.best([Page(1, text)], "sv", {"budget"})
    assert s.html.count("<mark>") == 3


def test_a_page_of_matches_only_stays_bounded(monkeypatch):
    calls = []
    real = snippets._matches
    monkeypatch.setattr(snippets, "_matches", lambda text, *a: calls.append(len(text)) or real(text, *a))
    page = "socialnämnden " * 1_000_000  # every word a match
    s = snippets.best([Page(1, page)], "sv", {"socialnämnd"})
    assert s.html.count("<mark>") > 10
    assert len(calls) == snippets.MAX_PLACES


def test_the_passage_with_the_most_distinct_query_words_wins_over_the_densest():
    """Stockholm's § 16 names PEER support in its heading and decision again and again; the
    special statement (särskilt uttalande) is where 'uttalande' stands with it."""
    terms, prefixes = highlight_terms(build(SearchRequest(q="peer support uttalande")).query)
    s = snippets.best([Page(1, SEED)], "sv", terms, prefixes)
    assert "<mark>uttalande</mark>" in s.html and "<mark>PEER</mark>" in s.html


JOKKMOKK = (Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "bulk" / "regeringen" / "pressmeddelanden"
            / "2023" / "02" / "kulturministern-besoker-jokkmokk.md").read_text()


def test_a_word_typed_without_its_accent_is_marked_as_written():
    terms, prefixes = highlight_terms(build(SearchRequest(q="Sami")).query)
    s = snippets.best([Page(1, JOKKMOKK)], "sv", terms, prefixes)
    assert "<mark>Sámi</mark>" in s.html

