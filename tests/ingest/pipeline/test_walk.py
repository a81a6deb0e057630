"""The files of a run (ingest/pipeline/walk.py) and per-file isolation in the run itself: each
entry that cannot be read is that entry's failure with a reason, and the run goes on."""
import os
from pathlib import Path

import pytest

from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import ingest_paths
from ingest.pipeline.settings import Limits, Settings
from ingest.pipeline.walk import Unreadable, collect, read_file
from tests.ingest.many import sample_texts

SAMPLE = sample_texts()[0]


@pytest.fixture()
def folder(tmp_path) -> Path:
    """A folder with one good file and every kind of bad entry."""
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "bra.txt").write_bytes(SAMPLE.read_bytes())
    (root / "sub" / "också bra.md").write_bytes(SAMPLE.read_bytes() + b"\nEn rad till.\n")
    outside = tmp_path / "hemlig.txt"
    outside.write_text("Lösenord: hunter2")
    (root / "ut.txt").symlink_to(outside)  # a file outside the folder
    (root / "etc").symlink_to("/etc")  # a folder outside it
    (root / "a.txt").symlink_to(root / "b.txt")  # a loop of two links
    (root / "b.txt").symlink_to(root / "a.txt")
    (root / "sub" / "upp").symlink_to(root)  # a folder link back to an ancestor
    (root / "inne.txt").symlink_to(root / "bra.txt")  # inside: the same document, once
    (root / "borta.txt").symlink_to(root / "finns-inte.txt")
    os.mkfifo(root / "rör.txt")  # a FIFO named .txt: reading it would wait forever
    with open(root / "gles.txt", "wb") as f:  # sparse: 3 GB on paper, nothing on disk
        f.truncate(3 * 2**30)
    return root


def test_every_bad_entry_is_named_with_its_reason(folder):
    found = list(collect([folder]))
    files = sorted(p.name for p in found if isinstance(p, Path))
    reasons = {Path(u.source).name: u.reason for u in found if isinstance(u, Unreadable)}
    assert files == ["bra.txt", "gles.txt", "inne.txt", "också bra.md"]
    assert reasons == {"ut.txt": "outside", "etc": "outside", "a.txt": "symlink-loop",
                       "b.txt": "symlink-loop", "upp": "symlink-loop", "borta.txt": "broken-symlink",
                       "rör.txt": "not-a-file"}


def test_symlinks_can_be_left_alone(folder):
    found = list(collect([folder], symlinks="none"))
    assert sorted(p.name for p in found if isinstance(p, Path)) == ["bra.txt", "gles.txt", "också bra.md"]
    assert [u.reason for u in found if isinstance(u, Unreadable)] == ["not-a-file"]


def test_a_folder_reached_twice_is_read_once(tmp_path):
    root = tmp_path / "in"
    (root / "a").mkdir(parents=True)
    (root / "a" / "x.txt").write_text("text")
    (root / "b").symlink_to(root / "a")
    assert [p for p in collect([root]) if isinstance(p, Path)] == [root / "a" / "x.txt"]


def test_reading_is_bounded_and_refuses_what_is_no_file(tmp_path):
    big = tmp_path / "stor.txt"
    big.write_bytes(b"x" * 1001)
    with pytest.raises(Unreadable) as e:
        read_file(big, max_bytes=1000)
    assert e.value.reason == "too-large" and "1\u00a0001 byte" in e.value.message
    assert read_file(big, max_bytes=1001) == b"x" * 1001
    with pytest.raises(Unreadable) as e:
        read_file(Path("/dev/zero"), max_bytes=1000)  # what a link to it would give, named itself
    assert e.value.reason == "not-a-file"
    fifo = tmp_path / "rör.txt"
    os.mkfifo(fifo)
    with pytest.raises(Unreadable) as e:
        read_file(fifo, max_bytes=1000)
    assert e.value.reason == "not-a-file"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without read permission")
def test_a_file_without_read_permission_is_reported(tmp_path):
    locked = tmp_path / "låst.txt"
    locked.write_text("hemligt")
    locked.chmod(0)
    with pytest.raises(Unreadable) as e:
        read_file(locked, max_bytes=1000)
    assert e.value.reason == "unreadable" and "Permission denied" in e.value.message


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_run_goes_on_and_names_each_bad_entry(tmp_path, folder, jobs):
    settings = Settings(jobs=jobs, limits=Limits(max_bytes=2**20))
    summary = ingest_paths(DataDir.create(tmp_path / "data"), [folder], settings=settings)
    assert sorted(Path(o.source).name for o in summary.outcomes if o.status == "new") == ["bra.txt", "också bra.md"]
    failed = {Path(o.source).name: o.reason for o in summary.failures}
    assert failed == {"ut.txt": "outside", "etc": "outside", "a.txt": "symlink-loop", "b.txt": "symlink-loop",
                      "upp": "symlink-loop", "borta.txt": "broken-symlink", "rör.txt": "not-a-file",
                      "gles.txt": "too-large"}
    assert all(o.message for o in summary.failures)
