"""Tests for ingest.extract.packets: a real meeting packet (Kungsbacka's valnämnd, handlingar of
2024-05-06: the kallelse and the papers of its ärenden in one file) split into its papers, and
files that are one paper left whole."""
from pathlib import Path

import pytest

from ingest.catalog.database import _meta_from_json, _meta_to_json
from ingest.extract.metadata import _pages, extract
from ingest.extract.packets import part_ranges
from ingest.parse.registry import parse
from tests.corpus import CORPUS

PACKET = CORPUS / "real/kungsbacka-kommunhandlingar/data/kungsbacka/val/2024/2024-05-06/handlingar.md"
ONE_PAPER = [
    CORPUS / "real/kungsbacka-kommunhandlingar/data/kungsbacka/val/2024/2024-05-06/protokoll.md",
    CORPUS / "real/kungsbacka-kommunhandlingar/data/kungsbacka/bygg-au/2024/2024-02-01/kallelse.md",
    CORPUS / "real/simrishamn-lundgren9/Protokoll  SPn april 2024_Bortredigerad.pdf",
]


def _extract(path: Path):
    return extract(parse(path.read_bytes(), path.name), str(path))


def test_the_papers_of_a_real_packet_are_found_page_by_page():
    meta = _extract(PACKET)
    assert meta.doctype == "kallelse" and meta.body == "Valnämnden"
    assert [(p.first_page, p.last_page) for p in meta.parts] == [(1, 3), (4, 4), (5, 6), (7, 8), (9, 9)]
    assert [p.doctype for p in meta.parts] == ["kallelse", "tjänsteskrivelse", "tjänsteskrivelse",
                                               "protokollsutdrag", "tjänsteskrivelse"]
    # Each paper's own number and date, read from its own pages, not the kallelse's list.
    assert [p.dnr for p in meta.parts[1:]] == [("VN-2024-00033",), ("VN-2023-00023",), ("VN-2023-00023",),
                                               ("VN-2024-00027",)]
    assert [p.date for p in meta.parts[1:]] == ["2024-04-24", "2024-04-12", "2024-02-05", "2024-04-02"]
    assert meta.parts[2].title == "Riktlinjer för utläggning av valsedlar vid Europaparlamentvalet 2024"
    assert all(p.body == "Valnämnden" for p in meta.parts)


def test_a_continuation_page_stays_with_its_paper_whatever_it_repeats():
    pages = _pages(parse(PACKET.read_bytes(), PACKET.name))[0]
    # Page 8 repeats "SAMMANTRÄDESPROTOKOLL" but counts "2 (2)"; page 6 holds only a counter.
    ranges = part_ranges(pages)
    assert (7, 8) in ranges and (5, 6) in ranges


@pytest.mark.parametrize("path", ONE_PAPER, ids=lambda p: p.name)
def test_a_file_of_one_paper_has_no_parts(path):
    assert _extract(path).parts == ()


def test_parts_survive_the_catalog():
    meta = _extract(PACKET)
    assert _meta_from_json(_meta_to_json(meta)) == meta
