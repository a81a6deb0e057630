"""Tests on blind set 12's records (benchmarks/corpus/municipal3, its SOURCES.md), studied after
their first score: papers others wrote and a kommun filed, a state authority's föreskrifter."""
from functools import cache
from pathlib import Path

import pytest

from ingest.extract.metadata import extract
from ingest.extract.outside_authors import client, signed_by
from ingest.model import Metadata
from ingest.parse.registry import parse

SET12 = Path(__file__).resolve().parents[3] / "benchmarks" / "corpus" / "municipal3"
ENERGY_SAMRAD = "alingsas-energi-ab/bygg-och-miljonamnden_2026-06-16_remiss-samrad-solveden-.pdf"
FEE_REPORT = "soderberg-partners/kommunfullmaktige_2026-06-10_ab-alingsas-radhus-rapport-borgensavgifter-2026-03-26.pdf"
FEE_REPORT_ENERGY = ("soderberg-partners/kommunfullmaktige_2026-06-10_alingsas-energi-ab-rapport-borgensavgifter-"
                     "2026-03-26-.pdf")
CLUB_APPLICATION = "holmalund-city-ff/kommunstyrelsen_2026-06-15_ansokan-om-investeringsbidrag.pdf"
TSFS = ("transportstyrelsen/tekniska-namnden_2026-05-18_transportstyrelsens-foreskrifter-om-parkeringsanmarkningar-"
        "och-felparkeringsavgift-tsfs-202457.pdf")
CASE_PAPER = "alingsas-kommun/kommunstyrelsen_2026-06-15_tjansteskrivelse-investeringsbidrag-for-renovering-holmalund-city-ff.pdf"


@cache
def load(relative: str) -> Metadata:
    path = SET12 / relative
    return extract(parse(path.read_bytes(), path.name), "municipal3/" + relative)


@pytest.mark.parametrize("relative, organization", [
    (ENERGY_SAMRAD, "Alingsås Energi AB"),  # Sweco's title block "Kund Alingsås Energi AB", not the kommun it lies in
    (FEE_REPORT, "Söderberg & Partners"),  # closes with "soderbergpartners.se", its disclaimer spells the name
    (FEE_REPORT_ENERGY, "Söderberg & Partners"),
    (CLUB_APPLICATION, "Holmalund City FF"),  # "Styrelsen Holmalund City FF, representerad av ..."
    (TSFS, "Transportstyrelsen"),  # its series "TSFS 2024:57" (data/national.tsv)
    (CASE_PAPER, "Alingsås kommun"),  # the kommun's own paper on the club's application stays the kommun's
])
def test_organization_of_a_paper_others_wrote(relative, organization):
    assert load(relative).organization == organization


def test_a_foreskrift_is_dated_by_its_decision():
    """"beslutade den 28 augusti 2024", not "Utkom från trycket den 10 september 2024" beside the title."""
    meta = load(TSFS)
    assert (meta.date, meta.date_kind) == ("2024-08-28", "beslutad")


def test_a_kommun_paper_names_no_outside_author():
    text = (SET12 / CASE_PAPER).read_bytes()
    parsed = parse(text, "x.pdf").text
    assert client(parsed) is None and signed_by(parsed) is None
