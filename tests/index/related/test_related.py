"""Related words learned from the archive itself (index/related/, index/query/related.py) on an
archive of real documents: Botkyrka's guidelines for care and the committed bulk pages."""
import pytest

from index.backends.whoosh.engine import WhooshEngine
from index.query.parser import SearchRequest
from index.related import table
from index.related.learn import CatalogTexts, learn
from index.related.settings import RelatedSettings
from index.related.table import Related
from index.search.searcher import Searcher
from ingest.catalog.database import Catalog
from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import ingest_paths

PARTS = ["real/botkyrka-bobot-converted", "bulk"]
# 631 documents: a word of more than a tenth of them is an everyday word here.
SETTINGS = RelatedSettings(max_share=0.1)


@pytest.fixture(scope="module")
def archive(corpus, tmp_path_factory):
    data = DataDir.create(tmp_path_factory.mktemp("related"))
    summary = ingest_paths(data, [corpus / p for p in PARTS], jobs=2)
    assert not summary.failures, summary.failures
    catalog = Catalog(data.catalog_path, readonly=True)
    learned = learn(CatalogTexts(catalog), SETTINGS)
    table.save(learned, data.root / SETTINGS.file)
    related = Related.of(data.root, SETTINGS)
    assert related is not None and related.learned == learned  # the table reads back as written
    plain, wide = Searcher(WhooshEngine(data.index_path)), Searcher(WhooshEngine(data.index_path), related)
    yield plain, wide, catalog, related
    plain.close()
    wide.close()
    catalog.close()


def test_neighbours_are_learned_from_the_archive(archive):
    related = archive[3]
    # Botkyrka's handlingsprogram för calicivirus: "Calicivirus (vinterkräksjuka)".
    assert "calicivirus" in related.neighbours("vinterkräksjuka")
    assert len(related.neighbours("vinterkräksjuka")) == SETTINGS.per_word
    assert related.neighbours("och") == [] and related.neighbours("xyzzy") == []


def ids(searcher, catalog, q):
    return [h["id"] for h in searcher.search(SearchRequest(q=q, per_page=100), catalog).hits]


@pytest.mark.parametrize("q", ["magsjuka", "vinterkräksjuka", "desinfektion", "vinterkräksjuka äldreboende"])
def test_documents_of_the_typed_words_rank_first(archive, q):
    plain, wide, catalog, related = archive
    typed, widened = ids(plain, catalog, q), ids(wide, catalog, q)
    assert typed
    assert set(widened[:len(typed)]) == set(typed)
    assert set(typed) <= set(widened)


def test_related_words_find_documents_in_other_words(archive):
    plain, wide, catalog, related = archive
    typed, widened = ids(plain, catalog, "magsjuka"), ids(wide, catalog, "magsjuka")
    extra = [i for i in widened if i not in typed]
    assert extra
    # found through a neighbour: the neighbours alone find them
    assert set(extra) <= set(ids(plain, catalog, " OR ".join(related.neighbours("magsjuka"))))
