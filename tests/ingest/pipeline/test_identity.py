"""Document identity (ingest/pipeline/identity.py): a file's id does not depend on where the
folder is; archives made before keep their ids. On the committed seed documents."""
import shutil

from index.engine import EngineSettings, open_engine
from index.query import ir
from ingest.catalog.database import Catalog, document_id_for
from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import Ingester, ingest_paths, prepare
from ingest.pipeline.settings import Settings
from tests.corpus import CORPUS

SEEDS = sorted((CORPUS / "seeds").glob("*.txt"))


def copy_seeds(folder):
    (folder / "2020").mkdir(parents=True)
    for i, seed in enumerate(SEEDS):
        shutil.copy(seed, folder / ("2020" if i % 2 else "") / seed.name)
    return folder


def ids_and_sources(data) -> dict[str, str]:
    catalog = Catalog(data.catalog_path, readonly=True)
    try:
        return dict(catalog.db.execute("SELECT id, source FROM documents").fetchall())
    finally:
        catalog.close()


def indexed(data) -> list[str]:
    engine = open_engine(data.index_path, EngineSettings())
    try:
        return sorted(engine.reader().search(ir.Every(), None, 100, order="newest").ids)
    finally:
        engine.close()


def test_the_same_folder_gets_the_same_ids_wherever_it_is(tmp_path):
    one = DataDir.create(tmp_path / "one")
    two = DataDir.create(tmp_path / "two")
    ingest_paths(one, [copy_seeds(tmp_path / "a" / "protokoll")])
    ingest_paths(two, [copy_seeds(tmp_path / "b" / "c" / "protokoll")])
    assert set(ids_and_sources(one)) == set(ids_and_sources(two))
    assert document_id_for(f"protokoll/{SEEDS[0].name}") in ids_and_sources(one)
    assert document_id_for(f"protokoll/2020/{SEEDS[1].name}") in ids_and_sources(one)


def test_a_moved_folder_keeps_its_documents(tmp_path):
    data = DataDir.create(tmp_path / "data")
    first = ingest_paths(data, [copy_seeds(tmp_path / "a" / "protokoll")])
    before = ids_and_sources(data)
    shutil.move(tmp_path / "a" / "protokoll", tmp_path / "protokoll")
    moved = ingest_paths(data, [tmp_path / "protokoll"], settings=Settings(jobs=2))
    after = ids_and_sources(data)
    assert first.count("new") == moved.count("updated") == len(SEEDS) == len(after)
    assert set(after) == set(before) and indexed(data) == sorted(after)
    assert all(source.startswith(str((tmp_path / "protokoll").resolve())) for source in after.values())
    assert ingest_paths(data, [tmp_path / "protokoll"]).count("unchanged") == len(SEEDS)


def test_a_named_collection_tells_two_folders_of_one_name_apart(tmp_path):
    data = DataDir.create(tmp_path / "data")
    ingest_paths(data, [copy_seeds(tmp_path / "kommun-a" / "protokoll")], settings=Settings(collection="kommun-a"))
    ingest_paths(data, [copy_seeds(tmp_path / "kommun-b" / "protokoll")], settings=Settings(collection="kommun-b"))
    assert len(ids_and_sources(data)) == 2 * len(SEEDS) == len(indexed(data))


def test_an_archive_made_before_identity_keys_keeps_its_ids(tmp_path):
    """Documents whose id came from the absolute path (the older rule) are found by their path."""
    data = DataDir.create(tmp_path / "data")
    folder = copy_seeds(tmp_path / "protokoll")
    ingester = Ingester(data)
    try:
        for path in sorted(folder.rglob("*.txt")):
            source = str(path.resolve())
            ingester.store(prepare(source, path.name, path.read_bytes()), path.read_bytes())
    finally:
        ingester.close()
    legacy = ids_and_sources(data)
    assert set(legacy) == {document_id_for(source) for source in legacy.values()}
    summary = ingest_paths(data, [folder])
    assert summary.count("unchanged") == len(SEEDS) and ids_and_sources(data) == legacy


def test_files_given_by_name_in_folders_of_one_name_stay_apart(tmp_path):
    """A shell glob over month folders (2022/01/x.txt, 2023/01/x.txt): two documents, not one
    replacing the other (their keys were once 01/x.txt both)."""
    data = DataDir.create(tmp_path / "data")
    files = []
    for year, seed in (("2022", SEEDS[0]), ("2023", SEEDS[1])):
        (tmp_path / "r" / year / "01").mkdir(parents=True)
        files.append(shutil.copy(seed, tmp_path / "r" / year / "01" / "x.txt"))
    summary = ingest_paths(data, files)
    assert summary.count("new") == 2 and len(ids_and_sources(data)) == 2 == len(indexed(data))
    assert document_id_for("r/2023/01/x.txt") in ids_and_sources(data)


def test_a_second_folder_of_the_same_name_is_not_taken_for_the_first_moved(tmp_path):
    """Without --collection two folders of one name share keys; while the first is still where
    it was, the second's files are documents of their own (and the first keeps its)."""
    data = DataDir.create(tmp_path / "data")
    ingest_paths(data, [copy_seeds(tmp_path / "kommun-a" / "protokoll")])
    before = ids_and_sources(data)
    summary = ingest_paths(data, [copy_seeds(tmp_path / "kommun-b" / "protokoll")])
    after = ids_and_sources(data)
    assert summary.count("new") == len(SEEDS) and len(after) == 2 * len(SEEDS) == len(indexed(data))
    assert all(after[i] == source for i, source in before.items())
