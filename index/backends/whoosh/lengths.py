"""Index stage, Whoosh field lengths: each field's length column read once per segment write.

Writing a segment, Whoosh's FieldWriter.add_postings asks for the length of the field in the
document of every posting (for each block's shortest and longest document), and each answer
was a seek and a one-byte read through a StructFile: about a sixth of the writer's time, at
flushes and merges alike. `install()` makes W3PerDocReader.doc_field_length_reader read the
field's whole length column once and answer from memory, with the same values
(whoosh3 3.54.0, pinned; tests/index/backends/whoosh/test_lengths.py compares them)."""
from __future__ import annotations

from whoosh.codec import whoosh3
from whoosh.columns import NumericColumn
from whoosh.util.numeric import byte_to_length

# Length byte → length, as doc_field_length() answers it (None for a zero byte).
_LENGTHS = [None] + [byte_to_length(b) for b in range(1, 256)]


def doc_field_length_reader(self, fieldname, default=0):
    """W3PerDocReader.doc_field_length_reader over the column's bytes, read at once."""
    reader = self._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
    if reader is None:
        return lambda docnum, _default=default: _default
    if not isinstance(reader, NumericColumn.Reader) or reader._fixedlen != 1:
        return _original(self, fieldname, default)
    count = reader._count
    data = reader._dbfile.get(reader._basepos, count) if count else b""
    default_length = _LENGTHS[reader._defaultbytes[0]]

    def get(docnum, _data=data, _lengths=_LENGTHS, _count=count):
        return _lengths[_data[docnum]] if docnum < _count else default_length

    return get


_original = whoosh3.W3PerDocReader.doc_field_length_reader


def install() -> None:
    whoosh3.W3PerDocReader.doc_field_length_reader = doc_field_length_reader  # type: ignore[method-assign]  # the patch
