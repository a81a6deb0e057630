"""The index fields of real documents (index/backends/whoosh/schema.py): what the workers index ahead of time
is exactly what the schema's own fields would index."""
import pytest

from index.backends.whoosh.schema import ANALYZED, analyzed_fields, build_schema, to_fields
from ingest.pipeline.runner import prepare

DOCUMENTS = [
    "seeds/000_c6a6d7e471c0821b.txt",
    "real/kungsbacka-kommunhandlingar/data/kungsbacka/bygg-au/2024/2024-02-01/protokoll.md",
    "real/regeringen-g0vse/tal/2016/02/statement-of-government-policy-in-the-parliamentary-debate-on-foreign-affairs-2016.md",
    "real/riksdagen-gco/bill_2022_23_110.html",
]


@pytest.mark.parametrize("path", DOCUMENTS)
def test_fields_indexed_ahead_equal_the_schemas_postings(corpus, path):
    file = corpus / path
    doc = prepare(str(file), file.name, file.read_bytes())
    schema = build_schema()
    fields = to_fields(doc)
    ahead = analyzed_fields(doc)
    assert set(ahead) == {name for name in ANALYZED if fields.get(name)}
    for name, value in ahead.items():
        direct = list(schema[name].index(fields[name]))
        assert list(value.items) == direct, name
        assert direct, name


def test_an_index_whose_analyzers_changed_is_not_healthy(tmp_path):
    """An index written by analyzers of another ANALYSIS_VERSION is rebuilt from the catalog."""
    import copy

    from whoosh import index as whoosh_index

    from index.backends.whoosh.store import INDEX_NAME, IndexStore

    store = IndexStore(tmp_path)
    store.open()
    assert store.is_healthy() == (True, "")
    old = build_schema()
    old["dnr"].analyzer = copy.copy(old["dnr"].analyzer)
    old["dnr"].analyzer.version = 1  # as an earlier release pickled it
    whoosh_index.create_in(store.current_dir(), old, indexname=INDEX_NAME)
    healthy, why = store.is_healthy()
    assert not healthy and "äldre version" in why
