"""Tests for ingest.extract.organization: organizations and bodies from letterheads, addressees, decisions."""
from pathlib import Path

import pytest

from ingest.extract.metadata import normalize_text
from ingest.extract.organization import canonical_body, find_body, find_organization, mentions
from tests.corpus import CORPUS

REAL = CORPUS / "real"


def text_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        text = text[text.index("\n---", 4) + 4:]
    return normalize_text(text)


@pytest.mark.parametrize("name, organization, body", [
    ("000_c6a6d7e471c0821b.txt", "Stockholms stad", "Socialnämnden"),  # "Socialnämndens beslut"
    ("001_e51f5a689c1ba08a.txt", "Stockholms stad", "Socialnämnden"),  # "Till Socialnämnden"
    ("002_6473ea12f96f77f2.txt", "Miljöpartiet de gröna i Stockholms stad", None),  # signature line
    ("003_b7aafb99961ad059.txt", "Region Halland", "Regionstyrelsen"),  # party district, "Regionstyrelsen beslutar"
    ("004_32a3c4eaa92b937e.txt", "NSPH", None),
])
def test_seeds(name, organization, body):
    text = text_of(CORPUS / "seeds" / name)
    assert find_organization(text) == organization
    assert find_body(text) == body


KUNGSBACKA = REAL / "kungsbacka-kommunhandlingar/data/kungsbacka"


@pytest.mark.parametrize("relative, body", [
    ("bygg-au/2024/2024-02-01/kallelse.md", "Byggnadsnämndens arbetsutskott"),
    ("bygg-au/2024/2024-02-01/protokoll.md", "Byggnadsnämndens arbetsutskott"),
    ("bygg/2024/2024-02-22/protokoll-byggnadsnamndens-protokoll-2024-02-22-31-33.md", "Byggnadsnämnden"),
    ("val/2024/2024-05-06/protokoll.md", "Valnämnden"),  # the letterhead says "Valnämnd"
])
def test_kungsbacka(relative, body):
    text = text_of(KUNGSBACKA / relative)
    assert find_organization(text) == "Kungsbacka kommun"  # "KUNGSBACKA KOMMUN" in the letterhead
    assert find_body(text) == body


@pytest.mark.parametrize("relative, organization, body", [
    ("botkyrka-seniorbot/Riktlinje för anhörigstöd, antagen 2025-06-16.md", "Botkyrka kommun", "Vård- och omsorgsnämnden"),
    # written by Kommunledningsförvaltningen (its unit), fullmäktige only mentioned: no body
    ("botkyrka-bobot-converted/Hemtjänst/Riktlinjer-Mot_mutor_och_jäv-20131213.md", "Botkyrka kommun", None),
    ("botkyrka-bobot-converted/Vård- och omsorgsboende/Handlingsprogram för calicivirus.md", "Region Stockholm", None),
    ("regeringen-g0vse/regeringsuppdrag/2018/07/uppdrag-att-bista-i-genomforandet-av-det-nationella-skogsprogrammet.md", "Regeringen", "Näringsdepartementet"),
])
def test_real(relative, organization, body):
    text = text_of(REAL / relative)
    assert find_organization(text) == organization
    assert find_body(text) == body


def test_generic_names():
    names = [name for _, _, name in mentions(
        "KUNGSBACKA  KOMMUN. Simrishamns kommuns beslut, Stockholms stads budget, Upplands Väsby kommun, "
        "Region Jönköpings län och REGION GOTLAND. Varje kommun och denna stad räknas inte."
    )]
    assert names == ["Kungsbacka kommun", "Simrishamns kommun", "Stockholms stad", "Upplands Väsby kommun",
                     "Region Jönköpings län", "Region Gotland"]


def test_capitalised_stad():
    # Göteborg and Borås write "Stad" with a capital; "Göteborgs stad" and "Göteborg stad" are the
    # same city, named by its official name (data/kommuner.tsv).
    names = [name for _, _, name in mentions("Göteborgs Stad, Stadsledningskontoret. Borås Stads riktlinjer. "
                                             "Göteborgs stad, Göteborg stad.")]
    assert names == ["Göteborgs Stad", "Borås Stad", "Göteborgs Stad", "Göteborgs Stad"]


def test_government_page():
    text = "Dataskyddsförordningen\nID-nummer: Dir. 2016:15\nAnsvarig:\nJustitiedepartementet\n, Regeringen\nPublicerad 29 februari 2016"
    assert find_organization(text) == "Regeringen"
    assert find_body(text) == "Justitiedepartementet"


def test_canonical_body():
    assert canonical_body("socialnämndens") == "Socialnämnden"
    assert canonical_body("SAMHÄLLSPLANERINGSNÄMNDENS") == "Samhällsplaneringsnämnden"
    assert canonical_body("Valnämnd") == "Valnämnden"
    assert canonical_body("vård- och omsorgsnämndens") == "Vård- och omsorgsnämnden"
    assert canonical_body("Byggnadsnämndens   arbetsutskotts") == "Byggnadsnämndens arbetsutskott"
    assert canonical_body("kommunfullmäktiges") == "Kommunfullmäktige"
