"""Index stage, Whoosh backend: every private name of Whoosh this project reads, in one place.

whoosh3 3.54.0 is pinned. The array evaluator and the writer read a few of Whoosh's internals
for speed (a block of postings at once, a field's length column, an index's segments), and three
of its classes are patched (files.py: compound segments without a private copy per reader;
lengths.py: a segment write reads each field's lengths once; subwriters.py: a rebuild's
processes die with the run). Each private name is reached only
through this module, and tests/index/backends/whoosh/test_internals.py checks each one on a real
index: a Whoosh upgrade that renames or changes one fails that test, loudly, instead of making
search slower or wrong quietly.

Private names used (module or class: name):
    whoosh.codec.whoosh3: LENGTHS_COLUMN, _lenfield, W3PerDocReader.doc_field_length_reader (patched)
    W3PerDocReader: _cached_reader
    NumericColumn.Reader: _fixedlen, _count, _dbfile, _basepos, _defaultbytes
    W3LeafMatcher (block postings): _read_ids, _read_weights, _read_values, _next_block,
        _ids, _weights, _values
    SegmentReader: _perdoc
    FileIndex: _segments; Segment: segid
    MultiTerm (Prefix, TermRange): _btexts
    whoosh.filedb.compound: BufferFile (patched); BufferFile: _buf, file
"""
from __future__ import annotations

import threading

from whoosh.codec import whoosh3

_installed = False
_lock = threading.Lock()


def install() -> None:
    """Apply the three patches (idempotent): called when a backend is built, never on import."""
    global _installed
    with _lock:
        if _installed:
            return
        from index.backends.whoosh import files, lengths, subwriters

        files.install()
        lengths.install()
        subwriters.install()
        _installed = True


# -- postings, a block at a time -----------------------------------------------------------


def has_blocks(matcher, values: bool = False) -> bool:
    """Whether a term's matcher reads its postings in blocks (whoosh3's W3LeafMatcher)."""
    needed = ("_read_ids", "_next_block", "_read_values" if values else "_read_weights")
    return all(hasattr(matcher, name) for name in needed)


def blocks(matcher, what: str):
    """(document ids, weights or values) of each block of a block matcher, in order."""
    reader = "_read_weights" if what == "weights" else "_read_values"
    attribute = "_weights" if what == "weights" else "_values"
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if getattr(matcher, attribute) is None:
            getattr(matcher, reader)()
        yield matcher._ids, getattr(matcher, attribute)
        matcher._next_block()


# -- field lengths -------------------------------------------------------------------------


def length_column(reader, fieldname: str):
    """A segment's column of one field's length bytes, or None when the field has none."""
    return reader._perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)


# -- segments and terms --------------------------------------------------------------------


def segments(ix) -> list:
    """The segments of a Whoosh index, as its TOC lists them."""
    return ix._segments()


def segment_file_id(segment) -> str:
    """The id in a segment's file names (MAIN_<id>.seg)."""
    return segment.segid


def expanded_terms(q, reader) -> list:
    """The terms (bytes) a Prefix or TermRange stands for in a reader."""
    return list(q._btexts(reader))
