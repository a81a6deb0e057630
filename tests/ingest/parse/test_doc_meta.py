"""Tests for ingest/parse/doc_meta.py on the metadata values found in the corpus."""
from datetime import UTC, datetime

import pytest

from ingest.parse.doc_meta import iso_date, meaningful_title


@pytest.mark.parametrize(
    "raw, title",
    [
        ("Kemiska arbetsmiljörisker", "Kemiska arbetsmiljörisker"),
        ("Dir. 2016:15 Dataskyddsförordningen", "Dir. 2016:15 Dataskyddsförordningen"),
        ("Protokoll", "Protokoll"),
        ("  Budgetskrivelse för\ninvesteringar 2027-2031 ", "Budgetskrivelse för investeringar 2027-2031"),
        ("Microsoft Word - Proposition 200506_74 KY uppdrag.doc", None),
        ("Vegetabilisk kost som grund i skolbespisningen.pages", None),
        ("NFS 2007-10k2.indd.indd", None),
        ("ReferatLagrummet", None),
        ("", None),
        ("   ", None),
        ("12345", None),
        ("Dokument1", None),
        (None, None),
        (b"bytes", None),
    ],
)
def test_meaningful_title(raw, title):
    assert meaningful_title(raw) == title


@pytest.mark.parametrize(
    "value, day",
    [
        ("D:20240502000000Z", "2024-05-02"),
        ("D:20230420104407+02'00'", "2023-04-20"),
        ("2019-11-29T11:00:53.000Z", "2019-11-29"),
        ("2016-02-29 13:23:56", "2016-02-29"),
        ("2017-02-21 12:26:00 Z", "2017-02-21"),
        ("Mon, 29 Feb 2016 15:17:13 GMT", "2016-02-29"),
        (datetime(2013, 8, 23, 8, 33, tzinfo=UTC), "2013-08-23"),
        ("2016-02-30", None),
        ("D:1", None),
        ("förra veckan", None),
        (datetime(1601, 1, 1), None),  # Word's "no date"
        (None, None),
    ],
)
def test_iso_date(value, day):
    assert iso_date(value) == day
