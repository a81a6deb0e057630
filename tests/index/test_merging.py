"""Tiered segment merging (index/merging.py, IndexStore.batch) on real documents."""
from index.merging import FANOUT, tier_of, to_merge
from index.store import IndexStore
from ingest.pipeline import prepare


def test_segments_of_one_tier_merge_when_the_tier_is_full():
    floor = 500
    assert [tier_of(n, floor) for n in (1, 500, 3999, 4000, 31999, 32000)] == [0, 0, 0, 1, 1, 2]
    assert to_merge([500] * (FANOUT - 1), floor) == []
    assert to_merge([500] * FANOUT, floor) == list(range(FANOUT))
    # A full tier merges, a larger segment stays; an emptied segment (all deleted) always goes.
    assert to_merge([32000] + [500] * FANOUT + [0], floor) == list(range(1, FANOUT + 2))


def test_many_commits_leave_few_segments_and_every_document_once(corpus, tmp_path):
    files = sorted((corpus / "real/regeringen-g0vse").rglob("*.md"))[:24]
    assert len(files) == 24
    docs = [prepare(str(f), f.name, f.read_bytes()) for f in files]
    store = IndexStore(tmp_path / "index")
    for i in range(0, len(docs), 2):  # twelve commits of two documents: one segment each
        batch = store.batch(floor=2)
        for doc in docs[i:i + 2]:
            batch.add(doc)
        batch.commit()
    batch = store.batch(floor=2)  # an update: the old version is deleted in its segment
    batch.add(docs[0])
    batch.commit()
    ix = store.open()
    segments = ix._segments()
    assert len(segments) <= FANOUT - 1 and max(seg.doc_count_all() for seg in segments) >= 2 * FANOUT
    with ix.searcher() as s:
        ids = [s.stored_fields(n)["id"] for n in range(s.doc_count_all()) if not s.reader().is_deleted(n)]
    assert sorted(ids) == sorted(d.id for d in docs)
