"""The organization directory (ingest/extract/directory.py and its data files)."""
from __future__ import annotations

import json
import re
from pathlib import Path

from ingest.extract import directory, organization
from ingest.extract.directory import (
    kommuner,
    official_name,
    organization_of_host,
    organization_of_path,
    read_tsv,
    regioner,
)
from ingest.extract.parties import PARTY_NAME

ROOT = Path(__file__).resolve().parents[3]


def test_all_kommuner_and_regioner():
    assert len(kommuner()) == 290
    assert len(regioner()) == 21
    codes = [k.code for k in kommuner()]
    assert len(set(codes)) == 290 and all(re.fullmatch(r"\d{4}", c) for c in codes)
    counties = {r.code for r in regioner()}
    assert len(counties) == 21 and all(re.fullmatch(r"\d\d", c) for c in counties)
    assert {c[:2] for c in codes} == counties  # each kommun lies in a län with a region
    assert len({k.name for k in kommuner()}) == 290
    domains = [o.domain for o in kommuner()] + [r.domain for r in regioner() if r.name != "Region Gotland"]
    assert len(domains) == len(set(domains)) and all(d.endswith(".se") for d in domains)


def test_every_data_file_says_its_source():
    for path in sorted(directory.DATA.glob("*.tsv")):
        header = path.read_text(encoding="utf-8").split("\n\t", 1)[0]
        assert "SOURCES:" in header, path.name
        assert all(len(row) == len(read_tsv(path.name)[0]) for row in read_tsv(path.name))


def _labelled_organizations() -> set[str]:
    """Every organization the benchmarks' and seeds' labels name."""
    names: set[str] = set()
    for path in [*ROOT.glob("benchmarks/*.json"), ROOT / "tests/fixtures/corpus/seeds/gold.json"]:
        data = json.loads(path.read_text(encoding="utf-8"))
        docs = data.get("documents", data) if isinstance(data, dict) else data
        for doc in docs.values() if isinstance(docs, dict) else docs:
            if isinstance(doc, dict) and doc.get("organization"):
                names.add(doc["organization"])
    return names


def test_every_labelled_kommun_and_region_is_in_the_directory():
    labelled = _labelled_organizations()
    municipal = {n for n in labelled if re.search(r" (?:kommun|[sS]tad)$|^Region |regionen$", n)
                 and not PARTY_NAME.match(n)}  # "Miljöpartiet de gröna i Stockholms stad" is a party
    assert {"Kungsbacka kommun", "Göteborgs Stad", "Region Halland", "Västra Götalandsregionen"} <= municipal
    local = {r["name"] for r in directory.local()}  # kommunalförbund named like a region: Göteborgsregionen
    assert {n for n in municipal if official_name(n) != n and n not in local} == set()
    national = {r["name"] for r in directory.national()}
    assert {"Regeringen", "Riksdagen", "NSPH", "Socialstyrelsen"} <= national


def test_written_forms():
    assert official_name("Göteborg stad") == "Göteborgs Stad"
    assert official_name("GÖTEBORGS  STAD") == "Göteborgs Stad"
    assert official_name("Stockholms kommun") == "Stockholms stad"
    assert official_name("Alingsås kommuns") == "Alingsås kommun"
    assert official_name("Gotlands kommun") == "Region Gotland"
    assert official_name("Region Jönköping") == "Region Jönköpings län"
    assert official_name("Landstinget Dalarna") == "Region Dalarna"
    assert official_name("Denna kommun") is None


def test_hosts_and_paths():
    assert organization_of_host("www.alingsas.se") == "Alingsås kommun"
    assert organization_of_host("https://goteborg.se/wps/portal") == "Göteborgs Stad"
    assert organization_of_host("www.regeringen.se") == "Regeringen"
    assert organization_of_host("alingsas.se.example.org") is None
    assert organization_of_path("municipal/goteborg-dearbetarfordig/granskning.pdf") == "Göteborgs Stad"
    assert organization_of_path("municipal/region-dalarna/beslut.pdf") == "Region Dalarna"
    assert organization_of_path("arkiv/upplands-vasby-kommun/protokoll.pdf") == "Upplands Väsby kommun"
    assert organization_of_path("real/protokoll.md") is None


def test_recognised_in_text():
    # The directory, not a list of special cases, decides which "<name> kommun" is an organization.
    names = [name for _, _, name in organization.mentions(
        "Skrivelse från Hylte kommun till Region Hallands regionstyrelse, kopia Faluns kommun och Orust kommun. "
        "Västra Götalandsregionen och Landstinget Blekinge. En annan stad, Region Norden."
    )]
    assert names == ["Hylte kommun", "Region Halland", "Falu kommun", "Orust kommun",
                     "Västra Götalandsregionen", "Region Blekinge"]


def test_special_cases_are_data():
    # The names, ministries and regulation series come from the data files.
    assert "NSPH" in organization.KNOWN
    assert organization._REGULATION_SERIES["SOSFS"] == "Socialstyrelsen"
    assert organization.ministry_of("Minister for Finance", None) == "Finansdepartementet"
    assert organization.ministry_of("miljöminister", 2022) == "Miljödepartementet"
    assert organization.ministry_of("miljöminister", 2024) == "Klimat- och näringslivsdepartementet"
