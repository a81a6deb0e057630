"""Extract stage: Swedish public holidays of any year, and the days a statutory period cannot end on.

Allmänna helgdagar as lag (1989:253) lists them; the days on which a period ends is moved off by
lag (1930:173) om beräkning av lagstadgad tid: Saturday, Sunday, an allmän helgdag,
midsommarafton, julafton and nyårsafton.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


def easter(year: int) -> date:
    """Easter Sunday of a year in the Gregorian calendar (the anonymous algorithm, Meeus/Jones/Butcher).

    >>> easter(2024), easter(2025), easter(2038)
    (datetime.date(2024, 3, 31), datetime.date(2025, 4, 20), datetime.date(2038, 4, 25))
    """
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _saturday_between(year: int, month: int, day: int) -> date:
    """The Saturday in the seven days starting at (month, day)."""
    start = date(year, month, day)
    return start + timedelta(days=(5 - start.weekday()) % 7)


@lru_cache(maxsize=256)
def public_holidays(year: int) -> dict[date, str]:
    """The allmänna helgdagar of a year, by date (Sundays are helgdagar too and not listed).

    >>> sorted(public_holidays(2024).items())[:3]
    [(datetime.date(2024, 1, 1), 'nyårsdagen'), (datetime.date(2024, 1, 6), 'trettondedag jul'), (datetime.date(2024, 3, 29), 'långfredagen')]
    """
    e = easter(year)
    days = {
        date(year, 1, 1): "nyårsdagen",
        date(year, 1, 6): "trettondedag jul",
        e - timedelta(days=2): "långfredagen",
        e: "påskdagen",
        e + timedelta(days=1): "annandag påsk",
        date(year, 5, 1): "första maj",
        e + timedelta(days=39): "Kristi himmelsfärdsdag",
        e + timedelta(days=49): "pingstdagen",
        date(year, 6, 6): "Sveriges nationaldag",
        _saturday_between(year, 6, 20): "midsommardagen",
        _saturday_between(year, 10, 31): "alla helgons dag",
        date(year, 12, 25): "juldagen",
        date(year, 12, 26): "annandag jul",
    }
    return days


def non_working(day: date) -> str | None:
    """Why a statutory period may not end on `day` (lag 1930:173), or None on an ordinary weekday.

    >>> non_working(date(2025, 6, 20)), non_working(date(2025, 6, 23))
    ('midsommarafton', None)
    """
    holiday = public_holidays(day.year).get(day)
    if holiday:
        return holiday
    if day.month == 12 and day.day == 24:
        return "julafton"
    if day.month == 12 and day.day == 31:
        return "nyårsafton"
    if day.month == 6 and day.weekday() == 4 and 19 <= day.day <= 25:
        return "midsommarafton"
    if day.weekday() == 5:
        return "lördag"
    if day.weekday() == 6:
        return "söndag"
    return None


def next_working_day(day: date) -> date:
    """`day` itself, or the first day after it on which a period may end."""
    while non_working(day):
        day += timedelta(days=1)
    return day
