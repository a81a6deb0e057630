"""Query rewriting on the IR (index/query/rewrite.py): a compound the archive rarely holds is also
searched as its modifier and head."""
from index.query import ir
from index.query.parser import SearchRequest, build


def _built(q: str, frequencies: dict[str, int]):
    return build(SearchRequest(q=q), doc_frequency=lambda field, term: frequencies.get(term, 0)).query


def _prefixes(q: ir.Node) -> set[str]:
    return {leaf.text for leaf in ir.leaves(q) if isinstance(leaf, ir.Prefix)}


def _terms(q: ir.Node) -> set[str]:
    return {leaf.text for leaf in ir.leaves(q) if isinstance(leaf, ir.Term)}


def test_a_rare_compound_is_also_its_modifier_and_head():
    q = _built("hedersvåld", {})
    assert {"hedersvåld", "heder", "våld"} <= _terms(q)
    assert "heders" in _prefixes(q)  # the modifier as typed begins "hedersrelaterat"
    phrases = [leaf for leaf in ir.leaves(q) if isinstance(leaf, ir.Phrase)]
    assert {p.words for p in phrases} == {("hed", "våld"), ("våld", "hed")}  # near, either order


def test_a_common_compound_and_a_plain_word_stay_as_typed():
    assert _built("hedersvåld", {"hedersvåld": 5}) == build(SearchRequest(q="hedersvåld")).query
    assert _built("budget", {}) == build(SearchRequest(q="budget")).query


def test_the_whole_word_weighs_more_than_its_parts():
    q = _built("ersättningsreglemente förtroendevalda", {})
    assert isinstance(q, ir.AndMaybe)  # the two words, and the proximity of both
    whole = [leaf for leaf in ir.leaves(q) if isinstance(leaf, ir.Term) and leaf.text == "ersättningsreglement"]
    assert whole and all(leaf.boost >= 1.0 for leaf in whole if leaf.field == "text")
    apart = [node for node in _walk(q) if isinstance(node, ir.And) and node.boost < 1.0]
    assert apart  # modifier and head together, weighted below the whole word


def test_a_compound_head_meets_other_modifiers_through_the_parts_field():
    q = _built("felparkeringstaxa", {})
    assert any(isinstance(leaf, ir.Term) and leaf.field == "parts" and leaf.text == "parkeringstax"
               and leaf.boost < 0.5 for leaf in ir.leaves(q))


def _walk(q: ir.Node):
    yield q
    for child in ir.children(q):
        yield from _walk(child)
