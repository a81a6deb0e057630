"""The vocabulary (index/search/vocabulary.py): plain words and their document counts in the catalog,
kept by the ingest, counted anew by a rebuild, searched within two edits."""
from collections import Counter

from index.search.searcher import _edits  # Levenshtein, as Whoosh's automaton counts
from index.search.vocabulary import within, words_of
from ingest.catalog.database import Catalog
from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import Ingester, ingest_paths

PARTS = ["seeds", "real/kungsbacka-kommunhandlingar", "real/regeringen-g0vse/tal"]


def counts_in(catalog: Catalog) -> Counter:
    return Counter(dict(catalog.db.execute("SELECT word, documents FROM words")))


def expected_counts(catalog: Catalog) -> Counter:
    docs = catalog.iter_documents(catalog.iter_ids())
    return Counter(w for d in docs for w in words_of(d.meta.title, d.text))


def test_the_ingest_counts_each_documents_words_once(corpus, tmp_path):
    data = DataDir.create(tmp_path / "data")
    summary = ingest_paths(data, [corpus / p for p in PARTS], jobs=2)
    assert summary.count("new") > 10 and not summary.failures
    catalog = Catalog(data.catalog_path)
    try:
        counts = counts_in(catalog)
        assert counts == expected_counts(catalog)  # worker streams and words_of agree
        assert counts["kungsbacka"] >= 5 and "och" not in counts  # stop words are no vocabulary
        assert catalog.word_frequency("kungsbacka") == counts["kungsbacka"]
        assert catalog.word_frequency("ingetsådantord") == 0
    finally:
        catalog.close()
    # A rebuild of the index counts anew: the same counts, not twice as many.
    ingester = Ingester(data)
    try:
        ingester.rebuild_index()
        assert counts_in(ingester.catalog) == counts
    finally:
        ingester.close()


def test_words_within_two_edits_come_from_the_catalog(corpus, tmp_path):
    data = DataDir.create(tmp_path / "data")
    ingest_paths(data, [corpus / "seeds"])
    catalog = Catalog(data.catalog_path, readonly=True)
    try:
        vocabulary = sorted(counts_in(catalog))
        assert catalog.next_word("") == vocabulary[0] and catalog.next_word("\U0010ffff") is None
        assert catalog.word_frequency("stadsdelsnämnderna") > 0
        found = within("stadsdelsnamderna", 2, catalog.next_word)
        assert "stadsdelsnämnderna" in found
        # every word within two edits, as a scan of the whole vocabulary finds them
        for typed in ("stadsdelsnamderna", "socialnämdnen", "beslut"):
            scanned = [w for w in vocabulary if _edits(typed, w) <= 2]
            assert sorted(within(typed, 2, catalog.next_word)) == scanned, typed
    finally:
        catalog.close()

