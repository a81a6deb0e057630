"""Compound segments read through views of the shared mmap (index/backends/whoosh/files.py)."""
import os

from whoosh import query as wq
from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile

from index.backends.whoosh.files import SharedBufferFile
from index.backends.whoosh.store import IndexStore
from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import ingest_paths


def test_segment_files_read_the_same_bytes_without_a_copy(corpus, tmp_path):
    data = DataDir.create(tmp_path / "data")
    ingest_paths(data, [corpus / "seeds", corpus / "real/kungsbacka-kommunhandlingar"])
    ix = IndexStore(data.index_path).open()
    assert compound.BufferFile is SharedBufferFile
    segment = ix._segments()[0]
    storage = segment.open_compound_file(ix.storage)
    names = storage.list()
    assert names
    for name in names:
        offset, length = storage.range(name)
        view = memoryview(storage._source)[offset:offset + length]
        shared, copied = SharedBufferFile(view), BufferFile(bytes(view))
        assert shared.read() == copied.read() and len(view) == length
        for position in (0, length // 3, max(length - 5, 0)):
            shared.seek(position)
            copied.seek(position)
            assert shared.tell() == copied.tell() == position
            assert shared.read(7) == copied.read(7)
            assert shared.get(position, 5) == copied.get(position, 5)
        shared.seek(-1, os.SEEK_END)
        copied.seek(-1, os.SEEK_END)
        assert shared.read() == copied.read()
    with ix.searcher() as s:  # and Whoosh reads its index through it
        assert s.doc_count() >= 5
        assert len(s.search(wq.Term("text", "protokoll"), limit=None)) > 0


def test_pickles_and_lines_read_through_a_view_as_through_a_copy():
    import pickle

    objects = [(128, 4711, 1.5, 3, b"x" * 300), list(range(500)), "hemtjänst\n", {"a": [1, 2]}]
    data = b"".join(pickle.dumps(o, 2) for o in objects) + b"en rad\n" + b"y" * 700 + b"\nslut"
    shared, copied = SharedBufferFile(memoryview(data)), BufferFile(data)
    # pickle.load() reads ahead with peek() and then consumes exactly one pickle
    assert [shared.read_pickle() for _ in objects] == objects == [copied.read_pickle() for _ in objects]
    assert shared.tell() == copied.tell()
    for size in (-1, 3, 2000):
        position = shared.tell()
        assert shared.file.readline(size) == copied.file.readline(size)
        assert shared.tell() == copied.tell() > position
    assert shared.read() == copied.read()
