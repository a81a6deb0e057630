"""Facets on the search page (web/facets.py) and typed facet values (index/query/values.py), on the web archive."""
import re
from html import unescape
from urllib.parse import parse_qsl

import pytest

from web.app import create_app


def total(client, **args) -> int:
    return client.get("/api/search", query_string=args).get_json()["total"]


def facets(client, **args) -> dict:
    return client.get("/api/search", query_string=args).get_json()["facets"]


@pytest.mark.parametrize("typed", ["parti:V", "parti:v", "parti:Vänsterpartiet", "PARTI:vänsterpartiet"])
def test_a_party_typed_any_way_is_the_sidebar_filter(client, typed):
    assert total(client, q=typed) == total(client, party="V") == facets(client)["party"]["V"] > 0


@pytest.mark.parametrize("typed, body", [
    ("spn", "Samhällsplaneringsnämnden"),  # initials of its compound's parts
    ("VON", "Vård- och omsorgsnämnden"),  # "och" skipped
    ("rs", "Regionstyrelsen"),
    ("socialnämnden", "Socialnämnden"),
    ("BYGGNADSNÄMNDEN", "Byggnadsnämnden"),
])
def test_a_body_typed_as_initials_or_in_any_case_is_the_sidebar_filter(client, typed, body):
    expected = facets(client)["body"][body]
    assert total(client, q=f"organ:{typed}") == total(client, body=typed) == total(client, body=body) == expected


def test_organization_by_its_first_word_and_doctype_in_any_case(client):
    counts = facets(client)
    name = next(o for o in counts["organization"] if o.endswith(" kommun"))
    first = name.split()[0].rstrip("s").lower()  # "Simrishamns kommun" → "simrishamn"
    assert total(client, q=f"organisation:{first}") == counts["organization"][name]
    assert total(client, q="typ:PROTOKOLL") == counts["doctype"]["protokoll"]
    assert total(client, q="språk:engelska") == total(client, language="en") == counts["language"]["en"]


def test_an_unknown_value_still_finds_nothing(client):
    assert total(client, q="organ:zzq") == total(client, party="Piratpartiet") == 0


def test_excluding_a_value_leaves_the_others(client):
    every = total(client)
    counts = facets(client)
    for name in ("year", "body", "doctype"):  # one value per document
        value, n = next(iter(counts[name].items()))
        assert total(client, **{f"not_{name}": value}) == every - n
        assert value not in facets(client, **{f"not_{name}": value})[name]
    # a party: documents with V among their parties are all left out
    assert total(client, not_party="v") == every - counts["party"]["V"]
    with_query = total(client, q="kommun")
    assert total(client, q="kommun", not_year="2024") == with_query - facets(client, q="kommun")["year"].get("2024", 0)


def sidebar_links(html: str, facet: str) -> list[str]:
    section = re.search(rf'<section class="facet" data-facet="{facet}"[^>]*>(.*?)</section>', html, re.S).group(1)
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a>', section)


def test_years_in_time_order_and_counts_from_the_index(client):
    html = client.get("/").get_data(as_text=True)
    years = sidebar_links(html, "year")
    assert len(years) >= 3 and years == sorted(years, reverse=True)
    counts = facets(client)["year"]
    assert list(counts) != sorted(counts, reverse=True)  # by count, the index's order, differs
    for year in years:
        assert re.search(rf'>{year}</a> <span class="count">{counts[year]}</span>', html)


def test_visa_fler_shows_every_value(archive_dir):
    client = create_app(archive_dir, {"TESTING": True, "FACET_VALUES": 4}).test_client()
    bodies = facets(client)["body"]
    assert len(bodies) > 4
    html = client.get("/").get_data(as_text=True)
    assert sidebar_links(html, "body") == list(bodies)[:4]
    more = re.search(r'<a href="([^"]+fler=body)">Visa fler \((\d+)\)</a>', html)
    assert int(more.group(2)) == len(bodies) - 4
    full = client.get(unescape(more.group(1))).get_data(as_text=True)
    assert sidebar_links(full, "body") == list(bodies) and "Visa färre" in full


def test_active_filters_above_the_results_each_removable(client):
    html = client.get("/", query_string={"q": "kommun", "party": "V", "not_year": "2017",
                                         "date_from": "2016-01-01"}).get_data(as_text=True)
    row = re.search(r'<ul class="active-filters"[^>]*>(.*?)</ul>', html, re.S).group(1)
    found = dict((unescape(label).strip(), unescape(href))
                 for href, label in re.findall(r'<li><a href="([^"]+)"[^>]*>([^<]+)<span', row))
    assert set(found) == {"Parti: V", "Inte år: 2017", "Från: 2016-01-01"}
    assert "party" not in found["Parti: V"] and "not_year=2017" in found["Parti: V"]
    assert "not_year" not in found["Inte år: 2017"] and "party=V" in found["Inte år: 2017"]
    assert "Filter (3)" in html
    assert html.index('class="active-filters"') < html.index('class="hits"')


def test_thousands_separator_in_counts(client):
    from web.facets import thousands

    # the page writes every count through the same filter: a narrow no-break space per thousand
    assert thousands(12345) == "12\u202f345"
    html = client.get("/").get_data(as_text=True)
    assert f"Senaste handlingarna ({thousands(total(client))})" in html


def decisions_total(client, **args) -> int:
    return client.get("/api/decisions", query_string=args).get_json()["total"]


def test_the_beslut_page_has_the_same_facets(archive_dir):
    client = create_app(archive_dir, {"TESTING": True, "FACET_VALUES": 3}).test_client()
    data = client.get("/api/decisions").get_json()
    every, counts = data["total"], data["facets"]
    outcome, n = next(iter(counts["outcome"].items()))
    assert decisions_total(client, not_outcome=outcome) == every - n > 0
    party, n = next(iter(counts["party"].items()))
    assert decisions_total(client, party=party.lower()) == decisions_total(client, party=party) == n
    assert decisions_total(client, not_party=party.lower()) == every - n
    html = client.get("/beslut", query_string={"not_outcome": outcome, "party": party}).get_data(as_text=True)
    row = re.search(r'<ul class="active-filters"[^>]*>(.*?)</ul>', html, re.S).group(1)
    assert f"Parti: {party}" in unescape(row) and "Inte utfall: " in unescape(row) and "Filter (2)" in html
    years = sidebar_links(client.get("/beslut").get_data(as_text=True), "year")
    assert years == sorted(years, reverse=True)
    bodies = counts["body"]
    assert len(bodies) > 3
    html = client.get("/beslut").get_data(as_text=True)
    assert sidebar_links(html, "body") == list(bodies)[:3]
    more = unescape(re.search(r'<a href="([^"]+fler=body)">Visa fler', html).group(1))
    assert sidebar_links(client.get(more).get_data(as_text=True), "body") == list(bodies)


def test_several_values_left_out_each_taken_back_alone(client):
    every, years = total(client), facets(client)["year"]
    (a, na), (b, nb) = list(years.items())[:2]
    assert total(client, not_year=f"{a}|{b}") == every - na - nb
    html = client.get("/", query_string={"not_year": f"{a}|{b}"}).get_data(as_text=True)
    assert a not in sidebar_links(html, "year") and b not in sidebar_links(html, "year")
    row = re.search(r'<ul class="active-filters"[^>]*>(.*?)</ul>', html, re.S).group(1)
    chips = {unescape(label).strip(): unescape(href) for href, label in re.findall(r'<li><a href="([^"]+)"[^>]*>([^<]+)<span', row)}
    assert set(chips) == {f"Inte år: {a}", f"Inte år: {b}"}
    assert chips[f"Inte år: {a}"].endswith(f"not_year={b}") and chips[f"Inte år: {b}"].endswith(f"not_year={a}")
    # leaving out a third value keeps the two
    c = next(y for y in years if y not in (a, b))
    link = re.search(rf'<a class="exclude" href="([^"]+)" aria-label="Uteslut år {c}"', html).group(1)
    assert total(client, **dict(parse_qsl(unescape(link).split("?")[1]))) == every - na - nb - years[c]


def test_a_typed_filter_is_named_as_the_archive_writes_it(client):
    html = client.get("/", query_string={"party": "v", "body": "spn"}).get_data(as_text=True)
    row = unescape(re.search(r'<ul class="active-filters"[^>]*>(.*?)</ul>', html, re.S).group(1))
    assert "Parti: V " in row and "Organ: Samhällsplaneringsnämnden" in row
    assert '<li class="active">Samhällsplaneringsnämnden' in unescape(html)
