"""The ingest run (ingest/pipeline/runner.py): idempotent, updates in place, safe to interrupt."""
import shutil
import sqlite3

from index.engine import EngineSettings, open_engine
from index.query import ir
from ingest.catalog.database import Catalog
from ingest.catalog.datadir import DataDir
from ingest.catalog.filestore import FileStore
from ingest.pipeline.runner import Ingester, ingest_paths, prepare


def index_ids(data: DataDir) -> list[str]:
    """The ids the index holds, through the engine-neutral interface."""
    engine = open_engine(data.index_path, EngineSettings())
    try:
        return sorted(engine.reader().search(ir.Every(), None, 10_000, order="newest").ids)
    finally:
        engine.close()


def catalog_ids(data: DataDir) -> list[str]:
    c = Catalog(data.catalog_path)
    try:
        return sorted(c.iter_ids())
    finally:
        c.close()


def test_reingest_is_unchanged(tmp_path, corpus):
    data = DataDir.create(tmp_path / "data")
    first = ingest_paths(data, [corpus / "seeds"])
    assert first.count("new") == 5 and not first.failures
    again = ingest_paths(data, [corpus / "seeds"])
    assert again.count("unchanged") == 5 and again.count("new") == 0
    assert catalog_ids(data) == index_ids(data) and len(catalog_ids(data)) == 5


def test_new_bytes_update_the_same_document(tmp_path, corpus):
    src = tmp_path / "src" / "utlatande.txt"
    src.parent.mkdir()
    shutil.copy(corpus / "seeds" / "001_e51f5a689c1ba08a.txt", src)
    data = DataDir.create(tmp_path / "data")
    first = ingest_paths(data, [src])
    doc_id = first.outcomes[0].document_id
    src.write_text(src.read_text(encoding="utf-8") + "\nTillägg: kompletterande uppgifter om hemtjänsten.\n",
                   encoding="utf-8")
    second = ingest_paths(data, [src])
    assert [o.status for o in second.outcomes] == ["updated"]
    assert second.outcomes[0].document_id == doc_id
    c = Catalog(data.catalog_path)
    doc = c.get(doc_id)
    assert doc.version == 2 and "kompletterande" in doc.text
    versions = c.db.execute("SELECT count(*) FROM versions WHERE document_id=?", (doc_id,)).fetchone()[0]
    c.close()
    assert versions == 2
    assert index_ids(data) == [doc_id]  # replaced in the index, not added twice


def test_bad_files_are_reported_and_the_run_goes_on(tmp_path, corpus):
    src = tmp_path / "src"
    src.mkdir()
    pdf = (corpus / "real/gotland-figotland/vegetabilisk_kost_som_grund_i_skolbespisningen.pdf").read_bytes()
    (src / "trasig.pdf").write_bytes(pdf[: len(pdf) // 3])
    (src / "tom.txt").write_bytes(b"")
    (src / "bild.pdf").write_bytes(b"GIF89a not a pdf at all")
    shutil.copy(corpus / "seeds" / "003_b7aafb99961ad059.txt", src / "ok.txt")
    data = DataDir.create(tmp_path / "data")
    summary = ingest_paths(data, [src])
    by_name = {o.source.rsplit("/", 1)[-1]: o for o in summary.outcomes}
    assert by_name["ok.txt"].status == "new"
    assert by_name["trasig.pdf"].status == "failed" and by_name["trasig.pdf"].reason == "corrupt"
    assert by_name["tom.txt"].reason == "empty"
    assert by_name["bild.pdf"].status == "failed" and by_name["bild.pdf"].message
    assert len(catalog_ids(data)) == 1


def test_catalogued_but_unindexed_documents_are_indexed_on_the_next_run(tmp_path, corpus):
    """A run killed after the catalog commit and before the index commit."""
    data = DataDir.create(tmp_path / "data")
    ingester = Ingester(data)
    for path in sorted((corpus / "seeds").glob("*.txt"))[:3]:
        raw = path.read_bytes()
        ingester.store(prepare(str(path.resolve()), path.name, raw), raw)
    ingester.catalog.close()  # no flush: the index never saw them
    ingester._batch.cancel()  # what a killed process's open index writer comes to
    assert index_ids(data) == []
    summary = ingest_paths(data, [corpus / "seeds"])
    assert summary.reindexed == 3
    assert summary.count("unchanged") == 3 and summary.count("new") == 2
    assert index_ids(data) == catalog_ids(data)


def test_parallel_ingest_matches_serial(tmp_path, corpus):
    paths = [corpus / "seeds", corpus / "real/kungsbacka-kommunhandlingar"]
    serial = DataDir.create(tmp_path / "a")
    parallel = DataDir.create(tmp_path / "b")
    ingest_paths(serial, paths, jobs=1)
    ingest_paths(parallel, paths, jobs=2)
    rows = "SELECT id, sha256, title, doctype, date FROM documents ORDER BY id"
    a = sqlite3.connect(serial.catalog_path).execute(rows).fetchall()
    b = sqlite3.connect(parallel.catalog_path).execute(rows).fetchall()
    assert a == b and len(a) == 10


def test_identical_bytes_are_not_parsed_twice(tmp_path, corpus, monkeypatch):
    pdf = corpus / "real/gotland-figotland/vegetabilisk_kost_som_grund_i_skolbespisningen.pdf"
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(pdf, tmp_path / folder / "motion.pdf")
    data = DataDir.create(tmp_path / "data")
    first = ingest_paths(data, [tmp_path / "a"])
    import ingest.pipeline.runner as pipeline

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(pipeline, "parse", no_parse)
    second = ingest_paths(data, [tmp_path / "b"])
    assert [o.status for o in second.outcomes] == ["new"]
    c = Catalog(data.catalog_path)
    a, b = c.get(first.outcomes[0].document_id), c.get(second.outcomes[0].document_id)
    c.close()
    assert a.id != b.id and a.text == b.text and a.meta.title == b.meta.title


def test_an_original_lost_from_the_file_store_is_stored_again(tmp_path, corpus):
    # Originals are made durable by one sync per index commit; one lost or cut short before
    # that (a crash) is not taken for unchanged: the next run stores it again.
    data = DataDir.create(tmp_path / "data")
    first = ingest_paths(data, [corpus / "seeds"], jobs=2)
    c = Catalog(data.catalog_path)
    sha_a, _, _ = c.stored_file(first.outcomes[0].document_id)
    sha_b, _, _ = c.stored_file(first.outcomes[1].document_id)
    c.close()
    files = FileStore(data.files_path)
    files.path_for(sha_a).unlink()
    files.path_for(sha_b).write_bytes(files.get(sha_b)[:10])
    again = ingest_paths(data, [corpus / "seeds"], jobs=2)
    assert [o.status for o in again.outcomes].count("unchanged") == 3
    assert files.has(sha_a) and len(files.get(sha_b)) > 10
    assert catalog_ids(data) == index_ids(data) and len(catalog_ids(data)) == 5


def test_a_stop_while_the_last_merge_finishes_ends_the_run_as_interrupted(tmp_path, corpus, monkeypatch):
    """SIGTERM or Ctrl-C while the run waits for its background merge at the end (found by
    benchmarks/crash_trials.py: a traceback, no summary, exit -2): the merge is abandoned, what
    is done is kept, the run says it was stopped."""
    from index.backends.whoosh import store

    waits = []
    real = store.BackgroundMerger.close

    def close(self, wait=True):
        waits.append(wait)
        if wait:
            raise KeyboardInterrupt  # the signal, arriving while the run waits
        real(self, wait)

    monkeypatch.setattr(store.BackgroundMerger, "close", close)
    data = DataDir.create(tmp_path / "data")
    summary = ingest_paths(data, [corpus / "seeds"])
    assert summary.interrupted and summary.count("new") == 5
    assert waits == [True, False]  # asked to wait, then stopped without waiting
    monkeypatch.undo()
    again = ingest_paths(data, [corpus / "seeds"])
    assert again.count("unchanged") == 5 and not again.interrupted
    assert catalog_ids(data) == index_ids(data) and len(catalog_ids(data)) == 5
