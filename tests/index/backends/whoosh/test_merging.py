"""Tiered segment merging (index/backends/whoosh/merging.py, IndexStore.batch) on real documents."""
from index.backends.whoosh.merging import FANOUT, tier_of, to_merge
from index.backends.whoosh.store import BackgroundMerger, IndexStore
from ingest.pipeline.runner import prepare


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


def _commit_pairs(store, docs, floor=2):
    for i in range(0, len(docs), 2):
        batch = store.batch(floor=floor)
        for doc in docs[i:i + 2]:
            batch.add(doc)
        batch.commit(merge=False)


def _live_ids(store):
    with store.open().searcher() as s:
        return sorted(s.stored_fields(n)["id"] for n in range(s.doc_count_all())
                      if not s.reader().is_deleted(n))


def _merging(corpus, tmp_path):
    """One full tier committed (FANOUT segments of two documents) and its merge started."""
    files = sorted((corpus / "real/regeringen-g0vse").rglob("*.md"))[:2 * FANOUT]
    docs = [prepare(str(f), f.name, f.read_bytes()) for f in files]
    store = IndexStore(tmp_path / "index")
    merger = BackgroundMerger(store, floor=2)
    _commit_pairs(store, docs)
    merger.step()
    return docs, store, merger


def test_a_background_merge_is_swapped_in_between_commits(corpus, tmp_path):
    files = sorted((corpus / "real/regeringen-g0vse").rglob("*.md"))[:20]
    docs = [prepare(str(f), f.name, f.read_bytes()) for f in files]
    store = IndexStore(tmp_path / "index")
    merger = BackgroundMerger(store, floor=2)
    _commit_pairs(store, docs[:2 * FANOUT])  # one full tier: FANOUT segments of 2
    assert len(store.open()._segments()) == FANOUT
    merger.step()  # starts the merge in its own process
    _commit_pairs(store, docs[2 * FANOUT:])  # the ingest goes on meanwhile
    merger.close(wait=True)  # swaps it in
    segments = store.open()._segments()
    assert len(segments) == 1 + (len(docs) - 2 * FANOUT) // 2
    assert max(seg.doc_count() for seg in segments) == 2 * FANOUT
    assert _live_ids(store) == sorted(d.id for d in docs)
    assert not list((tmp_path / "index").glob(".merge-*"))


def test_a_merge_whose_sources_changed_is_discarded(corpus, tmp_path):
    docs, store, merger = _merging(corpus, tmp_path)
    batch = store.batch(floor=2)  # a document replaced while the merge runs
    batch.add(docs[0])
    batch.commit(merge=False)
    merger.close(wait=True)
    assert len(store.open()._segments()) == FANOUT + 1  # nothing swapped in
    assert _live_ids(store) == sorted(d.id for d in docs)
    assert not list((tmp_path / "index").glob(".merge-*"))


def test_a_killed_merge_leaves_the_index_as_it_was(tmp_path):
    store = IndexStore(tmp_path / "index")
    store.open()
    stale = tmp_path / "index" / ".merge-abc"
    stale.mkdir()
    (stale / "MAIN_x.seg").write_bytes(b"half a segment")
    store.recover()  # what the next run does first, whether or not it will commit
    assert not stale.exists()


def test_an_interrupted_run_stops_the_merge_and_drops_its_output(corpus, tmp_path):
    docs, store, merger = _merging(corpus, tmp_path)
    process = merger._running[0]
    merger.close(wait=False)
    assert process.poll() is not None
    assert len(store.open()._segments()) == FANOUT
    assert _live_ids(store) == sorted(d.id for d in docs)
    assert not list((tmp_path / "index").glob(".merge-*"))
