"""Tests for ingest.extract.dates: Swedish date forms and their labels."""
from ingest.extract.dates import find_dates


def found(text):
    return [(d.iso, d.label) for d in find_dates(text)]


def test_iso_and_label_on_the_line_above():
    assert found("Datum\n2024-02-01") == [("2024-02-01", "Datum")]


def test_words():
    assert found("20 augusti 2019") == [("2019-08-20", None)]
    assert found("tjänsteutlåtande daterat den 27 juni 2019") == [("2019-06-27", "Daterad")]
    assert found("den 3 mars 2024") == [("2024-03-03", None)]
    assert found("Wednesday, 24 February 2016.") == [("2016-02-24", None)]


def test_meeting_date_with_weekday_and_time():
    (d,) = find_dates("Sammanträde torsdagen den 1 februari 2024 kl. 09.00")
    assert (d.iso, d.label) == ("2024-02-01", "Sammanträde")
    assert "kl. 09.00" in "Sammanträde torsdagen den 1 februari 2024 kl. 09.00"[d.start:d.end]


def test_time_after_iso_date_is_part_of_the_match():
    text = "Sammanträdesdatum 2024-04-25 kl 13:00"
    (d,) = find_dates(text)
    assert (d.iso, d.label, text[d.end - 5:d.end]) == ("2024-04-25", "Sammanträdesdatum", "13:00")


def test_labels():
    assert found("Dokumentet beslutades den: 2025-06-16") == [("2025-06-16", "Beslutsdatum")]
    assert found("Publicerad \n29 februari 2016") == [("2016-02-29", "Publicerad")]
    assert found("Justeringsdatum: 2024-05-03") == [("2024-05-03", "Justeringsdatum")]
    assert found("Anslaget 2024-05-03") == [("2024-05-03", "Anslaget")]
    assert found("Tjänsteskrivelse**Datum**\n\n2021-01-13") == [("2021-01-13", "Datum")]


def test_label_must_be_a_word_of_its_own():
    assert found("Datum för 2024-05-03") == [("2024-05-03", None)]


def test_numeric_dotted_only_when_valid():
    assert found("20.8.2019") == [("2019-08-20", None)]
    assert found("31.2.2019") == []


def test_two_digit_years_only_after_a_label():
    assert found("Datum 21-04-08") == [("2021-04-08", "Datum")]
    assert found("avsnitt 21-04-08") == []


def test_not_dates():
    assert found("Dnr BN-2023-002242, 2024-00001, 2027-2031, 13-15 maj") == []
    assert found("2019-02-30") == []
