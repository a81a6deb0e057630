"""Matching a document against a watch (notify/match.py), on the real Kungsbacka protocols."""
import pytest

from ingest.catalog.database import Catalog
from ingest.catalog.watches import Watch
from notify.match import matches, saved_search, search_of


@pytest.fixture(scope="module")
def protocol(archive_dir):
    catalog = Catalog(archive_dir / "catalog.sqlite", readonly=True)
    found = [d for d in catalog.get_many(catalog.iter_ids()).values() if d.meta.title == "Protokoll Valnämnden 2024-05-06"]
    catalog.close()
    assert found
    return found[0]


def watch(kind, value, organization=None):
    return Watch("w", kind, value, "x", organization=organization)


@pytest.mark.parametrize("kind, value, organization, expected", [
    ("dnr", "VN-2024-00029", None, True),
    ("dnr", "vn 2024 00029", None, True),  # any surface form
    ("dnr", "VN-2024-00033", "Kungsbacka kommun", True),  # a § 's dnr
    ("dnr", "VN-2024-00029", "Region Halland", False),  # the organization scopes it
    ("dnr", "KS 2019/562", None, False),
    ("body", "valnämnden", None, True),
    ("body", "Valnämnden", "kungsbacka kommun", True),
    ("body", "Byggnadsnämnden", None, False),
    ("organization", "Kungsbacka kommun", None, True),
    ("organization", "Stockholms stad", None, False),
    ("party", "V", None, False),
    ("search", "q=valsedlar", None, False),  # searches are the index's to match
])
def test_matches(protocol, kind, value, organization, expected):
    assert matches(watch(kind, value, organization), protocol) is expected


def test_party(archive_dir):
    catalog = Catalog(archive_dir / "catalog.sqlite", readonly=True)
    docs = catalog.get_many(catalog.iter_ids()).values()
    catalog.close()
    with_v = [d for d in docs if "V" in d.meta.parties]
    assert with_v and all(matches(watch("party", "v"), d) for d in with_v)
    assert not any(matches(watch("party", "V"), d) for d in docs if "V" not in d.meta.parties)


def test_saved_search_round_trip():
    value = saved_search("valsedlar", {"organization": "Kungsbacka kommun", "date_from": "2024-01-01", "page": "3"})
    req = search_of(watch("search", value))
    assert req.q == "valsedlar" and req.sort == "date"
    assert req.filters == {"organization": "Kungsbacka kommun", "date_from": "2024-01-01"}
