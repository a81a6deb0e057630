"""The compound splitter (index/analysis/compounds.py) on real words of the corpus."""
import pytest

from index.analysis import compounds
from index.analysis.chain import stem
from index.analysis.compounds import split


@pytest.mark.parametrize("word, parts", [
    ("ungdomspsykiatrin", ["ungdom", "psykiatri"]),
    ("heldygnsavdelningar", ["hel", "dygn", "avdelning"]),  # linking -s-, inflected last part
    ("skolskjutsverksamheten", ["skolskjuts", "verksamhet"]),
    ("äldreomsorgsnämnden", ["äldreomsorg", "nämnd"]),
    ("hemtjänstinsatser", ["hemtjänst", "insats"]),  # "hem|tjänst" merged: hemtjänst is protected
    ("skolinspektionen", ["skola", "inspektion"]),  # elided vowel: "skol" of "skola"
    ("samhällsplaneringsnämnden", ["samhälle", "planering", "nämnd"]),
    ("yrkeshögskolan", ["yrke", "högskola"]),  # "hög|skola" merged back
])
def test_compounds_split_into_their_parts(word, parts):
    assert [stem(p) for p in split(word).parts] == [stem(p) for p in parts]


@pytest.mark.parametrize("word", sorted({"sammanträde", "paragrafen", "redovisning", "undervisning",
                                         "underlaget", "framtiden", "livsmedel", "måltider",
                                         "handledning", "psykologiska", "kostnader", "regeringen"}))
def test_protected_and_tricky_words_stay_whole(word):
    assert split(word).parts == ()


@pytest.mark.parametrize("word", ["fritid", "egendom", "deltagare", "lagring", "måltider"])
def test_the_protected_list_is_what_keeps_them_whole(word, monkeypatch):
    assert split(word).parts == ()
    monkeypatch.setattr(compounds, "PROTECTED", frozenset())
    split.cache_clear()
    try:
        assert split(word).parts  # "fri|tid", "egen|dom": valid parts, wrong word
    finally:
        split.cache_clear()


def test_frequent_whole_word_beats_rare_parts():
    # Koehn-Knight: "sammanträde" is more frequent in our corpus than any split of it.
    lex = compounds.lexicon()
    assert lex.freq["sammanträde"] > 0
    assert "sammanträde" in lex.tails and "sammanträdes" in lex.heads


def test_unknown_compound_gets_a_lemma_from_its_last_part():
    assert split("hemtjänstinsatser").lemma == "hemtjänstinsats"
    assert split("heldygnsavdelningar").lemma == "heldygnsavdelning"


def test_lexicon_is_committed_and_compact():
    assert compounds.LEXICON_PATH.is_file()
    assert compounds.LEXICON_PATH.stat().st_size < 5_000_000
    lex = compounds.lexicon()
    assert len(lex.freq) > 50_000
    assert lex.heads["avdelnings"] == "avdelning"  # hunspell's linking form
