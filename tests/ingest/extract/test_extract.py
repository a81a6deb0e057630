"""Tests for ingest.extract.metadata: the five seeds against gold.json and real Kungsbacka, Botkyrka and Simrishamn files."""
import json
import time
from pathlib import Path

import pytest

from ingest.extract.metadata import extract, normalize_text
from ingest.model import Page, ParsedDocument
from ingest.parse.registry import parse
from tests.corpus import CORPUS

REAL = CORPUS / "real"


def load(path: Path) -> ParsedDocument:
    """The document as the ingest parses it."""
    return parse(path.read_bytes(), path.name)


def gold() -> dict:
    return json.loads((CORPUS / "seeds" / "gold.json").read_text(encoding="utf-8"))["documents"] if CORPUS.is_dir() else {}


def seed(name: str, hints: dict | None = None):
    text = (CORPUS / "seeds" / name).read_text(encoding="utf-8")
    return extract(ParsedDocument("text/plain", (Page(1, text),)), name, hints)


@pytest.mark.parametrize("name", sorted(gold()))
def test_seed_against_gold(name):
    expected = gold()[name]
    text = (CORPUS / "seeds" / name).read_text(encoding="utf-8")
    # Seed 004's title is not in its text (a paraphrase): it comes as a crawler's hint.
    hints = {"title": expected["title"]} if expected["title"] not in text else None
    meta = seed(name, hints)
    for field in ("doctype", "organization", "body", "date", "language", "title"):
        assert getattr(meta, field) == expected[field], field
    assert list(meta.dnr) == expected["dnr"]
    assert [(s.kind, list(s.parties), list(s.persons)) for s in meta.statements] == [
        (s["kind"], s["parties"], s["persons"]) for s in expected["statements"]
    ]
    for role, names in expected.get("persons", {}).items():
        for person in [names] if isinstance(names, str) else names:
            assert (role, person) in meta.persons, (role, person)


def test_seed_000_paragraph_and_parties():
    meta = seed("000_c6a6d7e471c0821b.txt")
    (paragraph,) = meta.paragraphs
    assert (paragraph.number, paragraph.dnr) == ("16", ("1.5.1-646/2018",))
    assert meta.parties == ("V", "S", "Fi")
    assert all(s.paragraph == "16" for s in meta.statements)


def test_seed_002_author_party_and_no_date_guess():
    meta = seed("002_6473ea12f96f77f2.txt")
    assert meta.parties == ("MP",)
    assert meta.date is None and meta.dnr == ()


def test_seed_001_dnr_in_running_text_is_its_own():
    meta = seed("001_e51f5a689c1ba08a.txt")
    assert meta.dnr == ("1.5.1-646/2018",) and meta.dnr_mentioned == ()


KUNGSBACKA = REAL / "kungsbacka-kommunhandlingar/data/kungsbacka"


@pytest.mark.parametrize("relative, doctype, body, date", [
    ("bygg-au/2024/2024-02-01/kallelse.md", "kallelse", "Byggnadsnämndens arbetsutskott", "2024-02-01"),
    ("bygg-au/2024/2024-02-01/protokoll.md", "protokoll", "Byggnadsnämndens arbetsutskott", "2024-02-01"),
    ("bygg/2024/2024-02-22/protokoll-byggnadsnamndens-protokoll-2024-02-22-31-33.md", "protokoll", "Byggnadsnämnden", "2024-02-22"),
    ("val/2024/2024-05-06/handlingar.md", "kallelse", "Valnämnden", "2024-05-06"),
    ("val/2024/2024-05-06/protokoll.md", "protokoll", "Valnämnden", "2024-05-06"),
])
def test_kungsbacka(relative, doctype, body, date):
    meta = extract(load(KUNGSBACKA / relative), relative.rsplit("/", 1)[1])
    assert (meta.doctype, meta.organization, meta.body, meta.date) == (doctype, "Kungsbacka kommun", body, date)


def test_kungsbacka_protocol_dnr_are_its_paragraphs():
    """Each § carries its case's number; the protocol mentions them (its header labels none)."""
    meta = extract(load(KUNGSBACKA / "bygg/2024/2024-02-22/protokoll-byggnadsnamndens-protokoll-2024-02-22-31-33.md"), "protokoll.md")
    assert [d for p in meta.paragraphs for d in p.dnr] == ["2024-00013", "2024-00014", "2024-00015"]
    assert meta.dnr == () and meta.dnr_mentioned == ("2024-00013", "2024-00014", "2024-00015")
    assert meta.title == "Protokoll Byggnadsnämnden 2024-02-22"
    assert ("justerare", "Britt Tönnberg") in meta.persons and ("ordförande", "Thure Sandén") in meta.persons


@pytest.mark.parametrize("relative, title, body, unit, date, dnr", [
    ("botkyrka-seniorbot/Riktlinje för anhörigstöd, antagen 2025-06-16.md",
     "Riktlinje för Anhörigstöd", "Vård- och omsorgsnämnden", "Vård- och omsorgsförvaltningen", "2025-06-16",
     ("VON/2025:00149",)),  # the office's letterhead over the nämnd's riktlinje
    ("botkyrka-seniorbot/Avgifter inom vård och omsorg i Botkyrka kommun - riktlinje 2025-06-16.md",
     "Riktlinjer för avgifter inom vård och omsorg i Botkyrka kommun", "Vård- och omsorgsnämnden", None, "2025-06-16",
     ("VON/2025:00149",)),
    # the office's letterhead: its unit, not its body (fullmäktige only mentioned)
    ("botkyrka-bobot-converted/Hemtjänst/Riktlinjer-Mot_mutor_och_jäv-20131213.md",
     "Riktlinjer mot mutor och jäv i Botkyrka kommun", None, "Kommunledningsförvaltningen", "2013-12-13", ("KS/2013:635",)),
])
def test_botkyrka(relative, title, body, unit, date, dnr):
    meta = extract(load(REAL / relative), relative.rsplit("/", 1)[1])
    assert (meta.doctype, meta.organization, meta.title, meta.body, meta.unit, meta.date, meta.dnr) == (
        "styrdokument", "Botkyrka kommun", title, body, unit, date, dnr)


def test_botkyrka_replaced_dnr_is_only_mentioned():
    meta = extract(load(REAL / "botkyrka-seniorbot/Avgifter inom vård och omsorg i Botkyrka kommun - riktlinje 2025-06-16.md"), "x.md")
    assert "VON/2021:00134" in meta.dnr_mentioned


@pytest.fixture(scope="module")
def simrishamn():
    return extract(load(REAL / "simrishamn-lundgren9" / "Protokoll  SPn april 2024_Bortredigerad.pdf"),
                   "Protokoll  SPn april 2024_Bortredigerad.pdf")


def test_simrishamn_protocol(simrishamn):
    meta = simrishamn
    assert (meta.doctype, meta.organization, meta.body, meta.date) == (
        "protokoll", "Simrishamns kommun", "Samhällsplaneringsnämnden", "2024-04-25")
    assert len(meta.paragraphs) == 24
    assert {"2019/1005", "2024/93", "2023/314"} <= set(meta.dnr_mentioned) - set(meta.dnr)
    assert ("sekreterare", "Annette Knutsson") in meta.persons
    assert ("ordförande", "Carl-Göran Svensson") in meta.persons
    kinds = {(s.kind, s.paragraph) for s in meta.statements}
    assert ("protokollsanteckning", "74") in kinds and ("reservation", "80") in kinds


def test_hints_only_fill_what_the_document_does_not_say():
    path = REAL / "gotland-figotland/vegetabilisk_kost_som_grund_i_skolbespisningen.pdf"
    meta = extract(load(path), path.name, {"organization": "Region Gotland", "body": "Kommunstyrelsen", "doctype": "annat"})
    assert (meta.doctype, meta.organization, meta.body, meta.date) == ("motion", "Region Gotland", "Regionfullmäktige", "2017-01-30")
    assert meta.parties == ("Fi",) and ("motionär", "Elin Bååth") in meta.persons
    assert meta.title == "Vegetabilisk kost som grund i skolbespisningen"


def test_government_page():
    path = REAL / "regeringen-g0vse/regeringsuppdrag/2018/07/uppdrag-att-bista-i-genomforandet-av-det-nationella-skogsprogrammet.md"
    meta = extract(load(path), path.name)
    assert (meta.organization, meta.body) == ("Regeringen", "Näringsdepartementet")
    # "... skogsprogrammets strategi (dnr N2018/03142/SK)": the case of the strategy, cited in a
    # sentence, as blind sets 2, 3 and 6 label such numbers; the case page links it all the same.
    assert meta.dnr == () and "N2018/03142/SK" in meta.dnr_mentioned
    assert meta.title == "Uppdrag att bistå i genomförandet av det nationella skogsprogrammet"


def test_normalize_text_removes_converter_markup():
    assert normalize_text("§ 16**PEER support**\n## Rubrik") == "§ 16\nPEER support\n\nRubrik"


def test_normalize_text_joins_words_a_soft_hyphen_broke():
    """Mark's översiktsplan (blind set 11, a text conversion): "Be\xad" + "teckning SA10A 2004:9166";
    a soft hyphen before a column gap or inside a line goes, the words stay apart."""
    text = normalize_text("Beslut 2004-11-08. Be\xad\nteckning SA10A 2004:9166.\nutvecklings\xad\xad      gional Kom\xadmun")
    assert text == "Beslut 2004-11-08. Beteckning SA10A 2004:9166.\nutvecklings      gional Kommun"


def test_pure_and_fast():
    texts = [(CORPUS / "seeds" / name).read_text(encoding="utf-8") for name in sorted(gold())]
    docs = [ParsedDocument("text/plain", (Page(1, t),)) for t in texts]
    first = [extract(d, "x.txt") for d in docs]
    start = time.perf_counter()
    again = [extract(d, "x.txt") for d in docs]
    mean_ms = (time.perf_counter() - start) * 1000 / len(docs)
    assert first == again  # same input, same output
    assert mean_ms < 50  # generous bound for slow CI machines; the benchmark reports real figures
