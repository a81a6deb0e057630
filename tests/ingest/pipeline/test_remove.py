"""Removal (ingest/pipeline/remove.py): by id, path, folder; --exclude; a stopped removal finished
by the next run; catalog, index and vocabulary agree afterwards. On the committed seed documents."""
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from index.engine import EngineSettings, open_engine
from index.query import ir
from index.search.vocabulary import words_of
from ingest.catalog.database import Catalog
from ingest.catalog.datadir import DataDir
from ingest.pipeline.remove import remove
from ingest.pipeline.runner import Ingester, ingest_paths
from ingest.pipeline.settings import Settings
from tests.corpus import CORPUS

ROOT = Path(__file__).resolve().parents[3]
SEEDS = sorted((CORPUS / "seeds").glob("*.txt"))


@pytest.fixture
def archive(tmp_path):
    """Five seeds ingested from tmp/src (two of them in a subfolder 'utkast')."""
    src = tmp_path / "src"
    (src / "utkast").mkdir(parents=True)
    for i, seed in enumerate(SEEDS):
        shutil.copy(seed, src / ("utkast" if i >= 3 else "") / seed.name)
    data = DataDir.create(tmp_path / "data")
    summary = ingest_paths(data, [src], settings=Settings(engine=EngineSettings(batch=2)))
    assert summary.count("new") == len(SEEDS) == 5
    return data, src


def indexed_ids(data) -> set[str]:
    engine = open_engine(data.index_path, EngineSettings())
    try:
        return set(engine.reader().search(ir.Every(), None, 100, order="newest").ids)
    finally:
        engine.close()


def vocabulary(data) -> Counter:
    catalog = Catalog(data.catalog_path, readonly=True)
    try:
        return Counter(dict(catalog.db.execute("SELECT word, documents FROM words").fetchall()))
    finally:
        catalog.close()


def catalog_ids(data) -> set[str]:
    catalog = Catalog(data.catalog_path, readonly=True)
    try:
        return set(catalog.iter_ids())
    finally:
        catalog.close()


def test_remove_by_id_and_by_path_updates_catalog_index_and_vocabulary(archive):
    data, src = archive
    before = vocabulary(data)
    ids = catalog_ids(data)
    assert indexed_ids(data) == ids
    ingester = Ingester(data)
    try:
        victim = ingester.catalog.id_of(str((src / SEEDS[0].name).resolve()))
        words = words_of(*(lambda d: (d.meta.title, d.text))(ingester.catalog.get(victim)))
        result = remove(ingester, [victim, str(src / SEEDS[1].name), "0123456789abcdef", str(src / "saknas.pdf")])
    finally:
        ingester.close()
    second = next(i for i in ids - {victim} if i not in catalog_ids(data))
    assert set(result.removed) == {victim, second}
    assert result.not_found == ["0123456789abcdef", str(src / "saknas.pdf")]
    assert catalog_ids(data) == indexed_ids(data) == ids - {victim, second}
    after = vocabulary(data)
    assert after and all(after[w] < before[w] for w in words if w in before)
    assert all(n > 0 for n in after.values())


def test_remove_a_folder(archive):
    data, src = archive
    ingester = Ingester(data)
    try:
        result = remove(ingester, [str(src / "utkast")])
    finally:
        ingester.close()
    assert len(result.removed) == 2 and not result.not_found
    assert len(catalog_ids(data)) == len(indexed_ids(data)) == 3


def test_a_stopped_removal_is_finished_by_the_next_run(archive):
    """Catalog rows gone, the index not yet committed (a kill between the two steps): the next
    ingest deletes the tombstoned ids from the index first."""
    data, src = archive
    catalog = Catalog(data.catalog_path)
    doc = next(d for d in catalog.iter_documents(catalog.iter_ids()) if not d.source.endswith(SEEDS[2].name))
    catalog.remove([doc], Counter(words_of(doc.meta.title, doc.text)))
    assert catalog.removed_ids() == [doc.id]
    catalog.close()
    assert doc.id in indexed_ids(data)  # the index still holds it
    summary = ingest_paths(data, [src / SEEDS[2].name])
    assert summary.count("unchanged") == 1
    assert doc.id not in indexed_ids(data)
    assert catalog_ids(data) == indexed_ids(data)
    assert Catalog(data.catalog_path, readonly=True).removed_ids() == []


def test_exclude_skips_matching_files_and_removes_those_already_ingested(archive):
    data, src = archive
    summary = ingest_paths(data, [src], settings=Settings(exclude=("utkast",)))
    assert len(summary.removed) == 2 and len(summary.outcomes) == 3
    assert summary.count("unchanged") == 3
    assert len(catalog_ids(data)) == len(indexed_ids(data)) == 3
    again = ingest_paths(data, [src], settings=Settings(exclude=("utkast", "*.txt")))
    assert len(again.removed) == 3 and again.outcomes == []
    assert catalog_ids(data) == indexed_ids(data) == set()


def test_the_remove_command(archive, tmp_path):
    data, src = archive

    def run(*args):
        return subprocess.run([sys.executable, "-m", "ingest", *map(str, args)], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)

    ok = run("remove", "--data", data.root, src / SEEDS[0].name)
    assert ok.returncode == 0, ok.stderr
    assert "Borttagna: 1 dokument." in ok.stdout
    missing = run("remove", "--data", data.root, src / SEEDS[0].name)
    assert missing.returncode == 1 and "HITTADES INTE" in missing.stdout
    assert run("remove", "--data", tmp_path / "finns-inte", "x").returncode == 2
    excluded = run("--data", data.root, "--quiet", "--exclude", "utkast", src)
    assert excluded.returncode == 0 and "Borttagna ur arkivet (--exclude): 2 dokument." in excluded.stdout
