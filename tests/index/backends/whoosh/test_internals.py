"""Each private Whoosh name index/backends/whoosh/internals.py relies on, checked on a real index:
a Whoosh upgrade that changes one fails here, by name."""
from pathlib import Path

import pytest
from whoosh import query as wq
from whoosh.codec import whoosh3
from whoosh.columns import NumericColumn
from whoosh.filedb import compound

from index.backends.whoosh import files, internals, lengths
from index.backends.whoosh.engine import WhooshEngine
from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import ingest_paths

SAMPLES = Path(__file__).resolve().parents[4] / "samples"


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    data = DataDir.create(tmp_path_factory.mktemp("internals"))
    ingest_paths(data, [SAMPLES])
    engine = WhooshEngine(data.index_path)
    yield engine.store.open()
    engine.close()


def _segment_reader(ix):
    with ix.searcher() as s:
        return s.leaf_searchers()[0][0].reader()


@pytest.mark.parametrize("name", ["_read_ids", "_read_weights", "_read_values", "_next_block",
                                  "_ids", "_weights", "_values"])
def test_block_matcher_names(ix, name):
    with ix.searcher() as s:
        term = max(s.reader().iter_field("text"), key=lambda t: t[1].doc_frequency())[0]
        m = s.reader().postings("text", term)
        m = getattr(m, "child", m)
        assert hasattr(m, name)
        assert internals.has_blocks(m) and internals.has_blocks(m, values=True)
        ids = [i for block, _ in internals.blocks(m, "weights") for i in block]
        assert ids == sorted(ids) and len(ids) == s.doc_frequency("text", term)


@pytest.mark.parametrize("name", ["LENGTHS_COLUMN", "_lenfield"])
def test_codec_names(name):
    assert hasattr(whoosh3, name)


def test_perdoc_cached_reader_and_length_column(ix):
    with ix.searcher() as s:
        reader = s.leaf_searchers()[0][0].reader()
        assert hasattr(reader, "_perdoc") and hasattr(reader._perdoc, "_cached_reader")
        column = internals.length_column(reader, "text")
        assert column is not None
        assert [reader.doc_field_length(d, "text") for d in range(3)] == [
            reader.doc_field_length(d, "text") for d in range(3)]


@pytest.mark.parametrize("name", ["_fixedlen", "_count", "_dbfile", "_basepos", "_defaultbytes"])
def test_numeric_column_reader_names(ix, name):
    with ix.searcher() as s:
        reader = s.leaf_searchers()[0][0].reader()
        column = internals.length_column(reader, "text")
        assert isinstance(column, NumericColumn.Reader) and hasattr(column, name)


def test_segments_and_segid(ix):
    segments = internals.segments(ix)
    assert segments and all(internals.segment_file_id(seg) in seg.segment_id() for seg in segments)


def test_btexts_of_prefix(ix):
    with ix.searcher() as s:
        terms = internals.expanded_terms(wq.Prefix("text", "kommun"), s.reader())
        assert terms and all(t.startswith(b"kommun") for t in terms)


def test_patched_names_exist_and_are_installed():
    internals.install()
    assert compound.BufferFile is files.SharedBufferFile
    assert whoosh3.W3PerDocReader.doc_field_length_reader is lengths.doc_field_length_reader
    shared = files.SharedBufferFile(b"abc")
    assert hasattr(shared, "_buf") and hasattr(shared, "file")
