"""The Swedish analysis chain on real Swedish words (index/analysis.py)."""
import pickle

import pytest

from index.analysis import analyze, terms
from index.whoosh_analysis import DiarietAnalyzer


@pytest.mark.parametrize("a, b", [
    ("reservationer", "Reservation"),
    ("vårdplatserna", "vårdplatser"),
    ("barnkonvention", "barnkonventionen"),
    ("nämnden", "nämnder"),
    ("hemtjänsten", "hemtjänst"),
    ("protokollen", "protokoll"),
    ("utvärderingen", "utvärderingar"),
])
def test_inflected_forms_meet(a, b):
    assert terms(a) == terms(b) != []


@pytest.mark.parametrize("a, b", [("år", "ar"), ("får", "far"), ("säl", "sal"), ("Malmö", "Malmo")])
def test_swedish_letters_are_not_folded(a, b):
    assert terms(a) != terms(b)


def test_stop_words_leave_their_position():
    tokens = list(analyze("Nämnden beslutar att godkänna förslaget"))
    assert [t.text for t in tokens] == ["nämnd", "beslut", "godkän", "förslag"]
    assert [t.pos for t in tokens] == [0, 1, 3, 4]  # "att" keeps slot 2: phrases stay exact


def test_offsets_point_into_the_text():
    text = "Socialnämndens beslut: PEER support införs."
    for t in analyze(text):
        assert text[t.start:t.end].lower().startswith(t.text[:3])


def test_english_is_analysed_as_english():
    assert terms("The Government's policies", "en") == terms("government policy", "en")
    assert terms("running", "en") == ["run"] != terms("running", "sv")
    assert terms("the", "en") == [] != terms("the", "sv")


def test_whoosh_analyzer_is_picklable_and_equal():
    a = DiarietAnalyzer("sv")
    b = pickle.loads(pickle.dumps(a))
    assert a == b
    assert [t.text for t in b("Vårdplatserna i regionen")] == ["vårdplats", "region"]
