"""Tests for ingest.extract.language: deterministic detection on real Swedish, English and mixed pages."""
from pathlib import Path

from ingest.extract.language import detect_language
from tests.corpus import CORPUS

G0VSE = CORPUS / "real" / "regeringen-g0vse"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_swedish_seeds():
    for path in sorted((CORPUS / "seeds").glob("*.txt")):
        assert detect_language(read(path)) == "sv", path.name


def test_english_speech():
    path = G0VSE / "tal/2016/02/statement-of-government-policy-in-the-parliamentary-debate-on-foreign-affairs-2016.md"
    assert detect_language(read(path)) == "en"


def test_mixed_page_with_swedish_intro_is_english():
    # Swedish title and two Swedish lines, then an English speech: the prose decides.
    path = G0VSE / "tal/2024/08/tal-av-statssekreterare-minna-ljunggren-i-uppsala-den-19-augusti-2024.md"
    assert detect_language(read(path)) == "en"


def test_mixed_page_with_english_passages_is_swedish():
    # A Swedish faktapromemoria quoting EU text in English.
    assert detect_language(read(G0VSE / "faktapromemoria/2020/09/201920fpm68.md")) == "sv"


def test_short_or_empty_text_is_swedish():
    assert detect_language("") == "sv"
    assert detect_language("Dnr 2024/93") == "sv"
    assert detect_language("Justitieministern presenterar ny rikspolischef") == "sv"
    assert detect_language("Pressbriefing med statsminister Ulf Kristersson och Natos generalsekreterare") == "sv"


def test_norwegian_guess_for_swedish_text_is_mapped_back():
    text = "Kommunfullmäktige beslutar att godkänna förslaget om höjd taxa för vatten och avlopp från den första juli."
    assert detect_language(text) == "sv"


def test_deterministic():
    text = read(G0VSE / "artiklar/2015/10/gemensam-kommunike-fran-den-nionde-sessionen-av-den-binationellla-kommissionen-"
                        "mellan-sydafrika-och-sverige--stockholm-19--20-october-2015.md")
    assert {detect_language(text) for _ in range(5)} == {"en"}
