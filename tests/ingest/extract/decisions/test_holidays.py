"""Tests for ingest.extract.decisions.holidays: Swedish public holidays of any year and lag (1930:173)."""
from datetime import date

import pytest

from ingest.extract.decisions.holidays import easter, next_working_day, non_working, public_holidays


@pytest.mark.parametrize("year, sunday", [
    (1818, date(1818, 3, 22)),  # the earliest possible Easter
    (1943, date(1943, 4, 25)),  # the latest
    (2000, date(2000, 4, 23)),
    (2019, date(2019, 4, 21)),
    (2024, date(2024, 3, 31)),
    (2025, date(2025, 4, 20)),
    (2026, date(2026, 4, 5)),
    (2038, date(2038, 4, 25)),
])
def test_easter(year, sunday):
    assert easter(year) == sunday


def test_the_holidays_of_2024():
    days = public_holidays(2024)
    assert days[date(2024, 3, 29)] == "långfredagen"
    assert days[date(2024, 4, 1)] == "annandag påsk"
    assert days[date(2024, 5, 9)] == "Kristi himmelsfärdsdag"
    assert days[date(2024, 5, 19)] == "pingstdagen"
    assert days[date(2024, 6, 22)] == "midsommardagen"
    assert days[date(2024, 11, 2)] == "alla helgons dag"
    assert len(days) == 13


@pytest.mark.parametrize("day, why", [
    (date(2025, 6, 20), "midsommarafton"),  # Friday 19-25 June
    (date(2026, 6, 19), "midsommarafton"),
    (date(2026, 6, 20), "midsommardagen"),
    (date(2025, 11, 1), "alla helgons dag"),  # Saturday 31 October - 6 November
    (date(2026, 10, 31), "alla helgons dag"),
    (date(2024, 12, 24), "julafton"),
    (date(2025, 12, 31), "nyårsafton"),
    (date(2026, 1, 6), "trettondedag jul"),
    (date(2024, 6, 6), "Sveriges nationaldag"),
    (date(2024, 5, 25), "lördag"),
    (date(2024, 5, 26), "söndag"),
    (date(2024, 5, 24), None),
    (date(2024, 6, 21), "midsommarafton"),
    (date(2024, 4, 30), None),  # valborgsmässoafton is a weekday like any other
])
def test_non_working(day, why):
    assert non_working(day) == why


def test_next_working_day_skips_a_run_of_holidays():
    assert next_working_day(date(2024, 12, 24)) == date(2024, 12, 27)  # julafton, juldagen, annandag
    assert next_working_day(date(2024, 3, 29)) == date(2024, 4, 2)  # långfredag to annandag påsk
    assert next_working_day(date(2024, 5, 24)) == date(2024, 5, 24)
