"""Tests for ingest.extract.doctype on the seeds and real documents' opening text."""
from pathlib import Path

import pytest

from ingest.extract.doctype import DOCTYPES, classify
from ingest.extract.metadata import normalize_text
from tests.corpus import CORPUS

REAL = CORPUS / "real"


def opening(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):  # front matter of converted files
        text = text[text.index("\n---", 4) + 4:]
    return normalize_text(text)[:6000]


@pytest.mark.parametrize("name, expected", [
    ("000_c6a6d7e471c0821b.txt", "protokollsutdrag"),  # a lone § with "Socialnämndens beslut"
    ("001_e51f5a689c1ba08a.txt", "tjänsteutlåtande"),  # "Förvaltningens förslag till beslut"
    ("002_6473ea12f96f77f2.txt", "pressmeddelande"),  # "pressmeddelandet", "Pressekreterare"
    ("003_b7aafb99961ad059.txt", "tjänsteskrivelse"),  # the heading word, not "Svar på motion"
    ("004_32a3c4eaa92b937e.txt", "annat"),
])
def test_seeds(name, expected):
    assert classify(opening(CORPUS / "seeds" / name), name) == expected


KUNGSBACKA = REAL / "kungsbacka-kommunhandlingar/data/kungsbacka"


@pytest.mark.parametrize("relative, expected", [
    ("bygg-au/2024/2024-02-01/kallelse.md", "kallelse"),
    ("bygg-au/2024/2024-02-01/protokoll.md", "protokoll"),
    ("bygg/2024/2024-02-22/protokoll-byggnadsnamndens-protokoll-2024-02-22-31-33.md", "protokoll"),
    ("val/2024/2024-05-06/handlingar.md", "kallelse"),
    ("val/2024/2024-05-06/protokoll.md", "protokoll"),
])
def test_kungsbacka(relative, expected):
    assert classify(opening(KUNGSBACKA / relative), relative) == expected


@pytest.mark.parametrize("relative", [
    "botkyrka-seniorbot/Riktlinje för anhörigstöd, antagen 2025-06-16.md",
    "botkyrka-bobot-converted/Kost-och måltidsenheten/Kostpolicy för Botkyrka kommun.md",
    "botkyrka-bobot-converted/Vård- och omsorgsboende/Handlingsprogram för calicivirus.md",
    "botkyrka-bobot-converted/Hemtjänst/Riktlinjer-Mot_mutor_och_jäv-20131213.md",
])
def test_styrdokument(relative):
    assert classify(opening(REAL / relative), relative) == "styrdokument"


def test_letterhead_word_after_body_name():
    assert classify("Samhällsplaneringsnämnden Sammanträdesprotokoll\n2024-04-25", "x.pdf") == "protokoll"


def test_footer_protokollsutdrag_intygas_is_not_a_heading():
    text = "Samhällsplaneringsnämnden Sammanträdesprotokoll\nJusterandes sign Protokollsutdrag intygas:"
    assert classify(text, "") == "protokoll"


def test_motion_heading_and_answer_to_a_motion():
    assert classify("Motion: Vegetabilisk kost som grund i skolbespisningen\nTill: Regionfullmäktige", "") == "motion"
    assert classify("Svar på motion om Peer support\nFörslag till beslut\nDiarienummer RS1", "") == "tjänsteskrivelse"


def test_source_name_and_hint():
    assert classify("En text utan rubrik.", "pressmeddelanden/2023/05/x.md") == "pressmeddelande"
    assert classify("En text utan rubrik.", "protokoll.md") == "protokoll"
    assert classify("En text utan rubrik.", "x.txt", "yttrande") == "yttrande"
    assert classify("En text utan rubrik.", "x.txt", "not-a-type") == "annat"
    assert set(DOCTYPES) >= {"protokoll", "styrdokument", "annat"}


def test_a_listing_page_hint_beats_a_folder_but_not_the_file_name():
    text = "Ärendet gäller ombyggnad av skolan."
    assert classify(text, "https://kommun.se/handlingar/2024/ombyggnad.pdf", "protokoll") == "protokoll"
    assert classify(text, "https://kommun.se/handlingar/2024/kallelse.pdf", "protokoll") == "kallelse"
    assert classify(text, "https://kommun.se/handlingar/2024/ombyggnad.pdf") == "kallelse"
