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
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from whoosh import index as whoosh_index

from index.backends.whoosh import internals
from index.backends.whoosh.merging import tiered, to_merge
from index.backends.whoosh.schema import build_schema, to_fields
from ingest.model import Document
from ingest.pipeline import lifeline

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
        try:
            name = (self.root / "CURRENT").read_bytes().decode("ascii").strip()
        except (OSError, UnicodeDecodeError):  # missing, unreadable, garbage
            return None
        path = self.root / name
        return path if re.fullmatch(r"gen-\d{6,}", name) and path.is_dir() else None

    def _new_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.name[4:]) for p in self.root.glob("gen-*") if p.name[4:].isdigit()]
        path = self.root / f"gen-{max(numbers, default=0) + 1:06d}"
        path.mkdir()
        whoosh_index.create_in(str(path), build_schema(), indexname=INDEX_NAME)
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
        """The live Whoosh index, creating an empty one on first use (the writer's view)."""
        path = self.current_dir()
        if path is None:
            path = self._new_generation()
            self._point_to(path)
        return whoosh_index.open_dir(str(path), indexname=INDEX_NAME)

    def open_for_reading(self) -> tuple[whoosh_index.Index | None, Path | None, str]:
        """(index, its folder, note) for a reader, which never creates or repairs anything: the
        live generation; if it is missing or damaged, the newest other generation that opens,
        with a note saying the index is being rebuilt; (None, None, note) if none opens."""
        current = self.current_dir()
        if current is not None:
            try:
                return whoosh_index.open_dir(str(current), indexname=INDEX_NAME), current, ""
            except Exception:  # a damaged or half-made generation: any of Whoosh's errors
                pass
        note = "Sökindexet byggs om; sökningen visar det senaste fungerande indexet under tiden."
        older = sorted((p for p in self.root.glob("gen-*") if p != current), reverse=True)
        for path in older:
            try:
                return whoosh_index.open_dir(str(path), indexname=INDEX_NAME), path, note
            except Exception:
                continue
        return None, None, "Sökindexet saknas eller är skadat och byggs om vid nästa inläsning."

    def is_healthy(self) -> tuple[bool, str]:
        """(usable, why not): the live generation is named, readable, and built with the schema
        this version writes. A missing or unreadable CURRENT is not healthy, even where nothing
        was indexed yet (a fresh archive gets its first generation from the rebuild)."""
        if self.current_dir() is None:
            if (self.root / "CURRENT").exists():
                return False, "DIR/index/CURRENT namnger ingen generation av sökindexet"
            return False, "sökindexet saknas"
        try:
            ix = self.open()
            with ix.searcher() as s:
                s.doc_count()
            if _shape(ix.schema) != _shape(build_schema()):
                return False, "sökindexet byggdes av en äldre version av Diariet"
        except Exception as e:  # a damaged segment shows up as any of Whoosh's errors
            return False, f"{type(e).__name__}: {e}"
        return True, ""

    def recover(self) -> None:
        """Remove what a killed writer left: the output of a background merge, generations other
        than the live one (a rebuild killed half-way) and unfinished CURRENT replacements. The
        writer's, at the start of a run (also of one that will commit nothing: a killed run's
        merge output stayed until a later run committed, found by benchmarks/crash_trials.py)."""
        for stale in self.root.glob(MERGE_PREFIX + "*"):
            shutil.rmtree(stale, ignore_errors=True)
        current = self.current_dir()
        if current is None:
            return  # no live generation: keep every folder for readers until a rebuild
        self._drop_old_generations(keep=current)
        for tmp in self.root.glob(".CURRENT-*"):
            tmp.unlink(missing_ok=True)

    # -- writes --------------------------------------------------------------

    def batch(self, floor: int = 500) -> IndexBatch:
        """A writer kept open for many documents, committed at once (IndexBatch.commit)."""
        ix = self.open()
        return IndexBatch(ix, ix.writer(limitmb=WRITER_MB), floor)

    def rebuild(self, docs: Iterable[Document], procs: int = 1) -> int:
        """Build a fresh generation from `docs` aside, then swap it in atomically."""
        path = self._new_generation()
        ix = whoosh_index.open_dir(str(path), indexname=INDEX_NAME)
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
    """Field names, their classes and their analyzers' versions (analysis.ANALYSIS_VERSION):
    an index written by another version differs here."""
    return {name: f"{type(schema[name]).__module__}.{type(schema[name]).__qualname__}"
                  f"/{getattr(getattr(schema[name], 'analyzer', None), 'version', 0)}"
            for name in schema.names()}


class IndexBatch:
    """One Whoosh writer: documents go into its pool as they come (bounded memory, nothing
    buffered here) and become visible together at commit(), merged by the tiered policy."""

    def __init__(self, ix, writer, floor: int):
        self.ix = ix
        self.writer = writer
        self.floor = floor
        self._pooled: set[str] = set()  # ids added to this writer's pool, not yet committed

    def add(self, doc: Document, analyzed: dict | None = None, new: bool = False) -> None:
        """Add or replace (by id) a document; `analyzed` is schema.analyzed_fields(doc).

        `new=True`: the caller knows the index cannot hold the id (the catalog, of which the
        index holds a subset, did not), so no segment is searched for it."""
        self._settle(doc.id)
        fields = to_fields(doc) | (analyzed or {})
        if new:
            self.writer.add_document(**fields)
        else:
            self.writer.update_document(**fields)
        self._pooled.add(doc.id)

    def delete(self, document_id: str) -> None:
        self._settle(document_id)
        self.writer.delete_by_term("id", document_id)

    def _settle(self, document_id: str) -> None:
        """Whoosh deletes by term only in committed segments, never in its writer's pool: before a
        second write of an id already pooled in this batch, commit the batch (rare: the same
        file given twice, a URL crawled twice in one run) so the replace or delete finds it."""
        if document_id in self._pooled:
            self.writer.commit(merge=False)
            self.writer = self.ix.writer(limitmb=WRITER_MB)
            self._pooled.clear()

    def commit(self, merge: bool = True) -> None:
        """Commit the documents as one new segment. `merge`: then merge full tiers
        (index.backends.whoosh.merging) here, with a writer of its own whose small pool bounds the memory a
        large merge takes; the ingest leaves merging to a BackgroundMerger instead."""
        ix = self.ix
        self.writer.commit(merge=False)
        segments = internals.segments(ix)
        if merge and to_merge([seg.doc_count() for seg in segments], self.floor):
            ix.writer(limitmb=MERGE_MB).commit(mergetype=tiered(self.floor))

    def cancel(self) -> None:
        self.writer.cancel()


MERGE_PREFIX = ".merge-"  # DIR/index/.merge-*: a background merge's output before it is swapped in


def merge_segments(live: str, segment_ids: list[str], out: str) -> None:
    """Runs in the merge process: the named segments of the index in `live`, merged into one
    segment of a new index in `out` (segments are never changed once written: reading them
    while the ingest commits new ones is safe)."""
    ix = whoosh_index.open_dir(live, indexname=INDEX_NAME)
    from whoosh.reading import SegmentReader

    sources = [seg for seg in internals.segments(ix) if seg.segment_id() in set(segment_ids)]
    merged = whoosh_index.create_in(out, ix.schema, indexname=INDEX_NAME)
    writer = merged.writer(limitmb=MERGE_MB)
    try:
        for seg in sources:
            reader = SegmentReader(ix.storage, ix.schema, seg)
            try:
                writer.add_reader(reader)  # copies everything of the segment out now
            finally:
                reader.close()  # unmaps it: a merge holds one source segment's pages, not all
    except BaseException:
        writer.cancel()
        raise
    writer.commit(merge=False)


class BackgroundMerger:
    """Merges full tiers of the live index (index.backends.whoosh.merging) in a process of its own while the
    ingest goes on, and swaps the merged segment in between the ingest's commits.

    Merging in Whoosh decodes and re-encodes every posting, about as costly as indexing the
    documents again; done by the single writer it halved the ingest rate at 100,000 documents.
    A merge is discarded if a source segment lost documents meanwhile (a document replaced),
    and merged again later; an interrupted run stops the merge process, and a killed one leaves
    only a DIR/index/.merge-* folder, removed at the next start (IndexStore.recover), and the
    index as it was."""

    def __init__(self, store: IndexStore, floor: int):
        self.store = store
        self.floor = floor
        # (process, live generation, {segment id: live documents}, out dir)
        self._running: tuple[subprocess.Popen, Path, dict, Path] | None = None
        # The merge runs in `python -m index.backends.whoosh.merger`, a fresh interpreter: not forked (it needs
        # none of the ingest's memory), not multiprocessing's spawn (which re-runs the main
        # script of whatever program ingests). What a killed run's merge left, recover() removed.

    def step(self) -> None:
        """Call between commits: swap in a finished merge; start one when a tier is full."""
        if self._running is not None and self._running[0].poll() is not None:
            self._finish()
        if self._running is None:
            self._start()

    def close(self, wait: bool = True) -> None:
        """Finish the merge under way (wait=True), or stop it and drop its output."""
        if self._running is None:
            return
        process = self._running[0]
        if wait:
            process.wait()
            self._finish()
        else:
            process.kill()  # it ignores SIGTERM (lifeline.helper_start)
            process.wait()
            shutil.rmtree(self._running[3], ignore_errors=True)
            self._running = None

    def _start(self) -> None:
        live = self.store.current_dir()
        if live is None:
            return
        segments = internals.segments(self.store.open())
        chosen = to_merge([seg.doc_count() for seg in segments], self.floor)
        if len(chosen) < 2:
            return
        sources = {segments[i].segment_id(): segments[i].doc_count() for i in chosen}
        out = Path(tempfile.mkdtemp(prefix=MERGE_PREFIX, dir=self.store.root))
        root = str(Path(__file__).resolve().parents[3])
        env = lifeline.helper_env(
            dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))))
        process = subprocess.Popen([sys.executable, "-m", "index.backends.whoosh.merger", str(live), str(out), *sources],
                                   env=env, stdin=subprocess.DEVNULL)
        self._running = (process, live, sources, out)

    def _finish(self) -> None:
        assert self._running is not None
        process, live, sources, out = self._running
        self._running = None
        try:
            if process.returncode != 0 or self.store.current_dir() != live:
                return  # failed, or a rebuild replaced the generation: nothing to swap
            ix = self.store.open()
            current = {seg.segment_id(): seg.doc_count() for seg in internals.segments(ix)}
            if any(current.get(sid) != count for sid, count in sources.items()):
                return  # a source segment changed meanwhile: merge again later
            (merged,) = internals.segments(whoosh_index.open_dir(str(out), indexname=INDEX_NAME))
            writer = ix.writer()
            try:
                for path in out.glob(f"{INDEX_NAME}_{internals.segment_file_id(merged)}*"):
                    os.replace(path, live / path.name)  # unreferenced until the commit below
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=lambda w, segments: [
                seg for seg in segments if seg.segment_id() not in sources] + [merged])
        finally:
            shutil.rmtree(out, ignore_errors=True)
