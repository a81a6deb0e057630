"""Tests for ingest.extract.decisions.appeal: anslag dates and the appeal deadline (KL 13:5, lag 1930:173)."""
from datetime import date

import pytest

from ingest.extract.decisions.appeal import appeal_deadline, protocol_dates


@pytest.mark.parametrize("posted, deadline, case", [
    (date(2024, 5, 3), date(2024, 5, 24), "an ordinary Friday"),
    (date(2024, 5, 4), date(2024, 5, 27), "three weeks end on a Saturday"),
    (date(2024, 3, 8), date(2024, 4, 2), "långfredag, påskafton, påskdagen, annandag påsk"),
    (date(2025, 3, 31), date(2025, 4, 22), "annandag påsk 2025"),
    (date(2025, 5, 8), date(2025, 5, 30), "Kristi himmelsfärdsdag"),
    (date(2024, 5, 16), date(2024, 6, 7), "nationaldagen"),
    (date(2025, 5, 30), date(2025, 6, 23), "midsommarafton, midsommardagen and a Sunday"),
    (date(2025, 10, 11), date(2025, 11, 3), "alla helgons dag"),
    (date(2024, 12, 3), date(2024, 12, 27), "julafton, juldagen, annandag jul"),
    (date(2025, 12, 10), date(2026, 1, 2), "nyårsafton and nyårsdagen"),
    (date(2025, 12, 16), date(2026, 1, 7), "trettondedag jul"),
])
def test_appeal_deadline(posted, deadline, case):
    assert appeal_deadline(posted) == deadline, case


def test_dates_of_a_one_line_anslag_block():
    # Jönköping's layout (barn- och utbildningsnämnden 2025-03-18)
    text = ("Protokollet justeras digitalt 2025-03-25\n...\nOrgan Barn- och utbildningsnämnden Sammanträdesdatum "
            "2025-03-18 Datum för anslags uppsättande 2025-03-26 Datum för anslags nedtagande 2025-04-17")
    d = protocol_dates(text, "protokoll")
    assert (d.justified_on, d.posted_on, d.appeal_deadline) == ("2025-03-25", "2025-03-26", "2025-04-16")


def test_dates_printed_above_their_labels():
    # Simrishamn's layout: the dates on the line above "anslags uppsättande anslags nedtagande"
    text = ("Sammanträdesdatum 2024-04-25\nDatum för 2024-05-03 Datum för 2024-05-25\n"
            "anslags uppsättande anslags nedtagande\n...\nSigned by: X Date: 2024-05-02 10:24:52")
    d = protocol_dates(text, "protokoll")
    assert (d.justified_on, d.posted_on, d.appeal_deadline) == ("2024-05-02", "2024-05-03", "2024-05-24")


def test_labels_then_dates_over_two_lines():
    # Alingsås 2018: "Datum för anslags 2018-03-02 Datum för anslags 2018-03-24" + "uppsättande nedtagande"
    d = protocol_dates("Datum för anslags 2018-03-02 Datum för anslags 2018-03-24\nuppsättande nedtagande", "protokoll")
    assert (d.posted_on, d.appeal_deadline) == ("2018-03-02", "2018-03-23")


def test_a_holiday_deadline_says_so():
    d = protocol_dates("Datum för anslags uppsättande 2025-05-30", "protokoll")
    assert d.appeal_deadline == "2025-06-23"
    assert "midsommarafton" in d.appeal_note


def test_no_posting_date_no_deadline_and_why():
    d = protocol_dates("Protokollet är justerat. Justeringen har tillkännagivits på Alingsås kommuns digitala anslagstavla.",
                       "protokoll")
    assert d.posted_on is None and d.appeal_deadline is None
    assert "anger inte" in d.appeal_note
    d = protocol_dates("§ 16 Dnr 1\nBeslut\nJa.", "protokollsutdrag")
    assert d.appeal_deadline is None and "hela protokollet" in d.appeal_note
