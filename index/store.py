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

from index.schema import build_schema, to_fields
from ingest.model import Document

INDEX_NAME = "MAIN"


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
            if set(ix.schema.names()) != set(build_schema().names()):
                return False, "sökindexet byggdes av en äldre version av Diariet"
        except Exception as e:  # a damaged segment shows up as any of Whoosh's errors
            return False, f"{type(e).__name__}: {e}"
        return True, ""

    # -- writes --------------------------------------------------------------

    def write(self, docs: Iterable[Document], delete_ids: Iterable[str] = (),
              analyzed: dict[str, dict] | None = None) -> list[Document]:
        """Add or replace documents (by id) in one commit; returns the documents written.

        `analyzed` maps a document id to its schema.analyzed_fields(), computed ahead."""
        analyzed = analyzed or {}
        ix = self.open()
        written = []
        writer = ix.writer(limitmb=256)
        try:
            for document_id in delete_ids:
                writer.delete_by_term("id", document_id)
            for doc in docs:
                writer.update_document(**(to_fields(doc) | analyzed.get(doc.id, {})))
                written.append(doc)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
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
