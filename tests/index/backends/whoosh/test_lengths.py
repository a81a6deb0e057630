"""Field lengths read once per column (index/backends/whoosh/lengths.py) equal Whoosh's own answers."""
from whoosh.codec import whoosh3
from whoosh.reading import SegmentReader

from index.backends.whoosh import lengths as whoosh_lengths
from index.backends.whoosh.schema import ANALYZED
from index.backends.whoosh.store import IndexStore
from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import ingest_paths


def test_lengths_read_at_once_equal_whooshs_per_document_reads(corpus, tmp_path):
    data = DataDir.create(tmp_path / "data")
    ingest_paths(data, [corpus / "seeds", corpus / "real/kungsbacka-kommunhandlingar"])
    ix = IndexStore(data.index_path).open()
    assert whoosh3.W3PerDocReader.doc_field_length_reader is whoosh_lengths.doc_field_length_reader
    (segment,) = ix._segments()
    reader = SegmentReader(ix.storage, ix.schema, segment)._perdoc
    count = segment.doc_count_all()
    compared = 0
    for field in (*ANALYZED, "dnr", "no_such_field"):
        fast = whoosh_lengths.doc_field_length_reader(reader, field)
        slow = whoosh_lengths._original(reader, field)
        for docnum in range(count + 1):  # and one past the last document
            assert fast(docnum) == slow(docnum) == reader.doc_field_length(docnum, field), (field, docnum)
            compared += fast(docnum) is not None
    assert compared > count  # real lengths, not only defaults
