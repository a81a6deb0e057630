"""Tests for ingest.extract.decisions.statements on seed 000 and the Simrishamn protocol."""


from ingest.extract.decisions.statements import find_statements
from ingest.extract.metadata import normalize_text
from tests.corpus import CORPUS


def test_seed_000_matches_gold():
    text = normalize_text((CORPUS / "seeds" / "000_c6a6d7e471c0821b.txt").read_text(encoding="utf-8"))
    found = find_statements(text)
    assert [(s.kind, s.parties, s.persons, s.paragraph) for s in found] == [
        ("särskilt uttalande", ("V", "S"), ("Alexandra Mattsson", "Karin Gustafsson"), "16"),
        # "instämde i det särskilda uttalandet från (V), (S)": only the named ersättare's party
        ("ersättaryttrande", ("Fi",), ("Anna Rantala Bonnier",), "16"),
    ]
    assert "implementeras" in found[0].text


def test_inline_reservation_and_protokollsanteckning():
    text = (
        "§ 12 Dnr KS-2024-1\nBudget\n\nBeslut\nNämnden beslutar enligt förslaget.\n\n"
        "Reservation\nLars Eriksson (S) och Britt Tönnberg (S) reserverar sig mot beslutet.\n\n"
        "§ 13 Dnr KS-2024-2\nTaxa\n\nBeslut\nBifall.\n\n"
        "Beslutsgång\nOrdföranden prövar förslaget. Pia Nordström (L) lämnar en protokollsanteckning.\n"
    )
    found = find_statements(text)
    assert [(s.kind, s.parties, s.persons, s.paragraph) for s in found] == [
        ("reservation", ("S",), ("Lars Eriksson", "Britt Tönnberg"), "12"),
        ("protokollsanteckning", ("L",), ("Pia Nordström",), "13"),
    ]


def test_party_only_reservation():
    (s,) = find_statements("Reservation\n(SD) och (KD) reserverar sig till förmån för eget förslag.")
    assert (s.kind, s.parties, s.persons) == ("reservation", ("SD", "KD"), ())


def test_not_statements():
    assert find_statements("Reservationen avser beslutet.\nProtokollsanteckningar ska lämnas skriftligt senast i dag.") == ()
