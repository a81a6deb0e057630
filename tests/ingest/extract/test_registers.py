"""Registers (ingest/extract/registers.py): which diarium each number of a real document is in."""
from pathlib import Path

import pytest

from ingest.extract import dnr, registers
from ingest.extract.metadata import extract
from ingest.parse.registry import parse

FIXTURES = Path(__file__).parents[2] / "fixtures"
KUNGSBACKA = "real/kungsbacka-kommunhandlingar/data/kungsbacka"


def _extract(path: Path):
    return extract(parse(path.read_bytes(), path.name), path.name)


def _paragraph_registers(meta) -> set[str]:
    return {registers.register(d, meta.body) for p in meta.paragraphs for d in p.dnr}


def test_a_prefixed_number_names_its_register_whichever_body_carries_it():
    # Alingsås kommunfullmäktige decides cases of kommunstyrelsen's register: "§ 48 2026.113 KS".
    kf = _extract(FIXTURES / "extract" / "alingsas-protokoll-kf-2026-03-25.txt")
    assert kf.body == "Kommunfullmäktige" and _paragraph_registers(kf) == {"KS"}
    bun = _extract(FIXTURES / "extract" / "jonkoping-barn-och-utbildningsnamnden-2025-03-18.md")
    assert _paragraph_registers(bun) == {"BUN"}


def test_a_bare_number_is_in_the_register_of_the_nämnd_whose_document_carries_it(corpus):
    au = _extract(corpus / KUNGSBACKA / "bygg-au/2024/2024-02-01/protokoll.md")
    assert au.body == "Byggnadsnämndens arbetsutskott"
    bare = [d for p in au.paragraphs for d in p.dnr if dnr.is_bare(d)]
    assert "2024-00013" in bare
    assert {registers.register(d, au.body) for d in bare} == {"Byggnadsnämnden"}
    # Its kallelse lists the bare numbers beside the nämnd's prefixed ones ("BN-2020-<br>00017").
    kallelse = _extract(corpus / KUNGSBACKA / "bygg-au/2024/2024-02-01/kallelse.md")
    listed = {d: registers.register(d, kallelse.body) for d in kallelse.dnr}
    assert listed["2024-00013"] == "Byggnadsnämnden" and listed["BN-2020-00017"] == "BN"


@pytest.mark.parametrize("number, register, rest", [
    ("KS-2023-00112:4", "KS", "202300112"),  # a handlingsnummer is the case's
    ("2025.446 KS", "KS", "2025446"),
    ("SBN-2022/00318", "SBN", "202200318"),
    ("VON/2025:00149", "VON", "202500149"),
    ("Fi2025/00415", "Fi", "202500415"),
    ("2024-00013", None, "202400013"),
    ("1.5.1-646/2018", None, "1516462018"),
])
def test_parts(number, register, rest):
    assert dnr.parts(number) == (register, rest)
