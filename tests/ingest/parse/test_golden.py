"""Golden-file tests for the parse stage: one JSON per real document in tests/ingest/parse/golden/.

A regression case is one JSON file naming a document of the committed corpus (its path relative
to tests/fixtures/corpus/) and what parsing it must give. Keys (all optional except "document"):
  media_type, page_count, title, date        exact values (title/date may be null)
  headings_include                          headings that must be among the parsed headings
  contains / not_contains                   substrings of the whole text
  pages: {"N": {contains, not_contains, in_order}}   per page; in_order = substrings in order
  no_text_layer                             page numbers that must have has_text_layer=False
  warnings_include                          exact warnings that must be present
"""
import json
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*.json"))
KEYS = {
    "document", "media_type", "page_count", "title", "date", "headings_include", "contains",
    "not_contains", "pages", "no_text_layer", "warnings_include", "note",
}
PAGE_KEYS = {"contains", "not_contains", "in_order"}


def test_there_are_golden_cases():
    assert len(CASES) >= 8


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden(case, parse_corpus):
    expected = json.loads(case.read_text(encoding="utf-8"))
    assert set(expected) <= KEYS, f"unknown keys in {case.name}: {set(expected) - KEYS}"
    doc = parse_corpus(expected["document"])

    for key in ("media_type", "title", "date"):
        if key in expected:
            assert getattr(doc, key) == expected[key], key
    if "page_count" in expected:
        assert len(doc.pages) == expected["page_count"]
        assert [p.number for p in doc.pages] == list(range(1, len(doc.pages) + 1))
    for heading in expected.get("headings_include", []):
        assert heading in doc.headings
    _check_text(doc.text, expected, "whole text")
    for number, want in expected.get("pages", {}).items():
        assert set(want) <= PAGE_KEYS, f"unknown page keys in {case.name}: {set(want) - PAGE_KEYS}"
        _check_text(doc.pages[int(number) - 1].text, want, f"page {number}")
    if "no_text_layer" in expected:
        assert [p.number for p in doc.pages if not p.has_text_layer] == expected["no_text_layer"]
        assert all(p.text == "" for p in doc.pages if not p.has_text_layer)
    for warning in expected.get("warnings_include", []):
        assert warning in doc.warnings


def _check_text(text: str, want: dict, where: str) -> None:
    for s in want.get("contains", []):
        assert s in text, f"{where} lacks {s!r}"
    for s in want.get("not_contains", []):
        assert s not in text, f"{where} has {s!r}"
    position = 0
    for s in want.get("in_order", []):
        found = text.find(s, position)
        assert found >= 0, f"{where}: {s!r} missing or out of order"
        position = found + len(s)
