"""The topic of a § from its title (ingest/extract/decisions/topics.py), on titles of the labelled protocols."""
import json
from pathlib import Path

import pytest

from ingest.extract.decisions.topics import OTHER, TOPICS, topic

LABELS = Path(__file__).resolve().parents[4] / "benchmarks" / "decisions_expected.json"


@pytest.mark.parametrize("title, expected", [
    ("Bygglovstaxa 2026", "Taxor och avgifter"),
    ("Revidering felparkeringsavgifter", "Taxor och avgifter"),
    ("Ingared 4:101, strandskyddsdispens för nybyggnad av komplementbyggnad, carport (2026-0142)", "Plan, bygg och mark"),
    ("Omställning av Egnahemsskolan till förskola", "Skola och förskola"),
    ("Tidsreglering av 30 parkeringsplatser i Nolhaga", "Trafik och infrastruktur"),
    ("Kommunalt kompletteringsval – Ersättare i socialnämnden efter Anders Hjälm (V)", "Val och uppdrag"),
    ("Återrapportering till KS Korsavadsbadet - investeringsprojektets fortgående och utgiftsutveckling", "Ekonomi och budget"),
    ("Biblioteksplan Alingsås kommun 2027-2030", "Kultur och fritid"),
    ("Återrapportering handlingsplaner LSS personlig assistans och stöd", "Vård och omsorg"),
    ("Införande av utbildningskrav för nya gode män och förvaltare", "Socialtjänst"),
    ("Plan för brandvattenförsörjning", "Säkerhet och beredskap"),
    ("Tillägg i Alingsås kommuns avfallsföreskrifter", "Vatten, avfall och miljö"),
    ("Fastställande av föredragningslista", "Formalia och information"),
])
def test_topic_of_real_titles(title, expected):
    assert topic(title) == expected


def test_a_title_without_a_topic_word_takes_the_decision_text():
    assert topic("Babet", "Kommunstyrelsen godkänner detaljplanen för granskning.") == "Plan, bygg och mark"
    assert topic("Babet") == OTHER


def test_almost_every_labelled_title_has_a_topic():
    titles = [p["title"] for d in json.loads(LABELS.read_text())["documents"] for p in d["paragraphs"]]
    found = [topic(t) for t in titles]
    assert set(found) <= set(TOPICS)
    assert found.count(OTHER) <= len(titles) * 0.05
