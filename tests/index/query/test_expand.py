"""Vocabulary expansion (index/query/expand.py): synonyms from the data file, party names and body
codes in free text, each searched as well, below the words as typed."""
import tomllib

from index.query import ir
from index.query.expand import EXPANSION_BOOST, SYNONYMS, expand, synonyms
from index.query.parser import SearchRequest, build


def test_every_synonym_group_and_abbreviation_names_its_source():
    data = tomllib.loads(SYNONYMS.read_text(encoding="utf-8"))
    groups, abbreviations = data["group"], data["abbreviation"]
    assert groups and all(len(g["terms"]) >= 2 and g["source"].strip() for g in groups)
    assert abbreviations and all(a["code"] and a["means"] and a["source"].strip() for a in abbreviations)
    assert all(t == t.lower() for g in groups for t in g["terms"])


def test_an_abbreviation_stands_for_its_names_one_way():
    assert expand("KSAU svar") == '(KSAU OR "kommunstyrelsens arbetsutskott"^0.5) svar'
    assert expand("kommunstyrelsens arbetsutskott") == "kommunstyrelsens arbetsutskott"


def test_a_municipal_and_an_agency_code_stand_for_their_names():
    assert expand("KUN brev") == '(KUN OR "kultur- och utbildningsnämnden"^0.5) brev'
    assert expand("MSB uppdrag") == '(MSB OR "myndigheten för samhällsskydd och beredskap"^0.5) uppdrag'


def test_a_synonym_is_matched_in_any_inflection_and_across_words():
    assert ("särskild", "boendeform") in synonyms()  # "särskilda boendeformer"
    assert expand("särskilda boendeformen").startswith("((särskilda boendeformen) OR säbo^0.5")


def test_the_words_as_typed_weigh_more_than_their_synonyms():
    q = build(SearchRequest(q="SÄBO")).query
    boosts = {t.text: t.boost for t in ir.leaves(q) if isinstance(t, ir.Term) and t.field == "text"}
    assert boosts["säbo"] == 1.0 and boosts["äldreboend"] == EXPANSION_BOOST


def test_a_party_name_in_free_text_also_means_the_party():
    known = {"party": ["S", "SD", "V", "M"], "body": []}.__getitem__
    assert expand("sverigedemokraternas motion", known) == "(sverigedemokraternas OR party:SD^0.5 OR sd^0.5) motion"
    assert expand("Vänsterpartiet", known) == "(Vänsterpartiet OR party:V^0.5)"  # "v" alone is too many words
    assert expand("moderat höjning", known) == "moderat höjning"  # an adjective too: only the name
    assert expand("Liberalerna", known) == "Liberalerna"  # a party the archive does not hold


def test_a_body_code_in_capitals_also_means_the_bodies_with_those_initials():
    known = {"party": [], "body": ["Barn- och utbildningsnämnden", "Kommunstyrelsen"]}.__getitem__
    assert expand("BUN protokoll", known) == "(BUN OR body:BUN^0.5) protokoll"
    assert expand("bun protokoll", known) == "bun protokoll"  # lower case: a word
    q = build(SearchRequest(q="BUN protokoll"), known=known).query
    assert ir.Term("body", "Barn- och utbildningsnämnden", EXPANSION_BOOST) in set(ir.leaves(q))


def test_phrases_and_fields_are_kept_as_typed():
    assert expand('"särskilt boende" parti:V -SÄBO') == '"särskilt boende" parti:V -SÄBO'
