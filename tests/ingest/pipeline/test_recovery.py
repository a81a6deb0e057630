"""A deleted or damaged index is rebuilt from the catalog by the next ingest, never taken for
an empty one; what a killed rebuild left is removed (ingest/pipeline/runner.py, store.py)."""
import shutil
from pathlib import Path

import pytest

from index.backends.whoosh.store import IndexStore
from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import ingest_paths

SEEDS = Path(__file__).resolve().parents[3] / "samples" / "seeds"


def searchable(data: Path) -> int:
    ix = IndexStore(data / "index").open()
    with ix.searcher() as s:
        return s.doc_count()


def damage_removed(index: Path):
    shutil.rmtree(index)


def damage_no_current(index: Path):
    (index / "CURRENT").unlink()


def damage_garbage_current(index: Path):
    (index / "CURRENT").write_bytes(b"\x00\xffgen-../../etc\n")


def damage_truncated_toc(index: Path):
    (toc,) = IndexStore(index).current_dir().glob("_MAIN_*.toc")
    toc.write_bytes(toc.read_bytes()[:20])


@pytest.mark.parametrize("damage", [damage_removed, damage_no_current, damage_garbage_current,
                                    damage_truncated_toc], ids=lambda f: f.__name__[7:])
def test_the_next_ingest_rebuilds_a_damaged_index(tmp_path, damage):
    data = DataDir.create(tmp_path / "data")
    first = ingest_paths(data, [SEEDS])
    assert first.count("new") == 5 and searchable(data.root) == 5
    damage(data.index_path)
    again = ingest_paths(data, [SEEDS])
    assert again.count("unchanged") == 5
    assert again.rebuilt and again.reindexed == 5
    assert searchable(data.root) == 5
    assert ingest_paths(data, [SEEDS]).rebuilt is None  # healthy now


def test_a_half_built_generation_of_a_killed_rebuild_is_removed(tmp_path):
    data = DataDir.create(tmp_path / "data")
    ingest_paths(data, [SEEDS])
    live = IndexStore(data.index_path).current_dir()
    half = data.index_path / "gen-000099"
    half.mkdir()
    (half / "MAIN_abc.seg").write_bytes(b"half")
    (data.index_path / ".CURRENT-x1").write_text("gen-000099")
    summary = ingest_paths(data, [SEEDS])
    assert summary.rebuilt is None and summary.count("unchanged") == 5
    assert sorted(p.name for p in data.index_path.iterdir()) == ["CURRENT", live.name]


def test_a_killed_merge_s_output_is_removed_by_the_next_run_even_with_nothing_to_commit(tmp_path):
    """Found by benchmarks/crash_trials.py: a run killed while its background merge ran left
    DIR/index/.merge-*, which stayed until a later run committed something."""
    data = DataDir.create(tmp_path / "data")
    ingest_paths(data, [SEEDS])
    live = IndexStore(data.index_path).current_dir()
    stale = data.index_path / ".merge-k1ll3d"
    stale.mkdir()
    (stale / "MAIN_abc.seg").write_bytes(b"half")
    summary = ingest_paths(data, [SEEDS])
    assert summary.count("unchanged") == 5  # nothing committed
    assert sorted(p.name for p in data.index_path.iterdir()) == ["CURRENT", live.name]
