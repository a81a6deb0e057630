"""Index stage, storage: the on-disk Whoosh index, its single writer, and atomic rebuilds.

Layout under DIR/index/:
    CURRENT          name of the live generation (replaced atomically)
    gen-000001/      a complete Whoosh index
Updates go through one writer into the live generation (Whoosh's own TOC commit makes
each batch visible at once or not at all). A rebuild fills a new generation aside from the
catalog, then swaps CURRENT; readers move over on their next refresh.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

from whoosh import index as whoosh_index

from index import whoosh_files
from index.merging import tiered, to_merge
from index.schema import build_schema, to_fields
from ingest.model import Document

whoosh_files.install()  # compound segments read without a private copy per reader

INDEX_NAME = "MAIN"
# Whoosh's estimate of its posting pool before it spills a sorted run to disk (its Python
# objects take several times that): for a batch of new documents, and smaller for merges,
# which pass every posting of up to FANOUT segments through the pool.
WRITER_MB = 128
MERGE_MB = 24


class IndexStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    # -- generations ---------------------------------------------------------

    def current_dir(self) -> Path | None:
        pointer = self.root / "CURRENT"
        if not pointer.is_file():
            return None
        name = pointer.read_text().strip()
        path = self.root / name
        return path if name.startswith("gen-") and path.is_dir() else None

    def _new_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.name[4:]) for p in self.root.glob("gen-*") if p.name[4:].isdigit()]
        path = self.root / f"gen-{max(numbers, default=0) + 1:06d}"
        path.mkdir()
        whoosh_index.create_in(path, build_schema(), indexname=INDEX_NAME)
        return path

    def _point_to(self, path: Path) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".CURRENT-")
        with os.fdopen(fd, "w") as f:
            f.write(path.name + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.root / "CURRENT")

    def _drop_old_generations(self, keep: Path) -> None:
        for path in self.root.glob("gen-*"):
            if path != keep:
                shutil.rmtree(path, ignore_errors=True)

    def exists(self) -> bool:
        return self.current_dir() is not None

    def open(self):
        """The live Whoosh index, creating an empty one on first use."""
        path = self.current_dir()
        if path is None:
            path = self._new_generation()
            self._point_to(path)
        return whoosh_index.open_dir(path, indexname=INDEX_NAME)

    def is_healthy(self) -> tuple[bool, str]:
        """(usable, why not): readable, and built with the schema this version writes."""
        try:
            ix = self.open()
            with ix.searcher() as s:
                s.doc_count()
            if _shape(ix.schema) != _shape(build_schema()):
                return False, "sökindexet byggdes av en äldre version av Diariet"
        except Exception as e:  # a damaged segment shows up as any of Whoosh's errors
            return False, f"{type(e).__name__}: {e}"
        return True, ""

    # -- writes --------------------------------------------------------------

    def batch(self, floor: int = 500) -> "IndexBatch":
        """A writer kept open for many documents, committed at once (IndexBatch.commit)."""
        ix = self.open()
        return IndexBatch(ix, ix.writer(limitmb=WRITER_MB), floor)

    def write(self, docs: Iterable[Document], delete_ids: Iterable[str] = (),
              analyzed: dict[str, dict] | None = None) -> list[Document]:
        """Add or replace documents (by id) in one commit; returns the documents written.

        `analyzed` maps a document id to its schema.analyzed_fields(), computed ahead."""
        analyzed = analyzed or {}
        batch = self.batch()
        written = []
        try:
            for document_id in delete_ids:
                batch.delete(document_id)
            for doc in docs:
                batch.add(doc, analyzed.get(doc.id))
                written.append(doc)
        except BaseException:
            batch.cancel()
            raise
        batch.commit()
        return written

    def rebuild(self, docs: Iterable[Document], batch: int = 2000, procs: int = 1) -> int:
        """Build a fresh generation from `docs` aside, then swap it in atomically."""
        path = self._new_generation()
        ix = whoosh_index.open_dir(path, indexname=INDEX_NAME)
        count = 0
        try:
            writer = ix.writer(limitmb=256, procs=procs)
            for doc in docs:
                writer.add_document(**to_fields(doc))
                count += 1
            writer.commit()
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        self._point_to(path)
        self._drop_old_generations(keep=path)
        return count


def _shape(schema) -> dict[str, str]:
    """Field names and their classes: an index written by another version differs here."""
    return {name: f"{type(schema[name]).__module__}.{type(schema[name]).__qualname__}"
            for name in schema.names()}


class IndexBatch:
    """One Whoosh writer: documents go into its pool as they come (bounded memory, nothing
    buffered here) and become visible together at commit(), merged by the tiered policy."""

    def __init__(self, ix, writer, floor: int):
        self.ix = ix
        self.writer = writer
        self.floor = floor
        self.count = 0

    def add(self, doc: Document, analyzed: dict | None = None) -> None:
        """Add or replace (by id) a document; `analyzed` is schema.analyzed_fields(doc)."""
        self.writer.update_document(**(to_fields(doc) | (analyzed or {})))
        self.count += 1

    def delete(self, document_id: str) -> None:
        self.writer.delete_by_term("id", document_id)

    def commit(self) -> None:
        """Commit the documents as one new segment, then merge full tiers (index.merging) with
        a writer of its own, whose small pool bounds the memory a large merge takes."""
        ix = self.ix
        self.writer.commit(merge=False)
        segments = ix._segments()
        if to_merge([seg.doc_count() for seg in segments], self.floor):
            ix.writer(limitmb=MERGE_MB).commit(mergetype=tiered(self.floor))

    def cancel(self) -> None:
        self.writer.cancel()
