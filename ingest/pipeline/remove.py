"""Ingest stage, removal: documents taken out of the archive (catalog, index and vocabulary).

A target is a document id, a file's path (the source it was ingested from), a folder (every
document ingested from inside it) or a URL. The catalog rows go first, in one transaction with
the vocabulary's counts and a tombstone per id; the index deletes the ids and commits; then the
tombstones go. A run stopped in between leaves tombstones, and the next ingest or removal
deletes those ids from the index first (Ingester.reconcile), so the index never keeps a document
the catalog lost.
"""
from __future__ import annotations

import fnmatch
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from index.search.vocabulary import words_of
from ingest.catalog.database import Catalog
from ingest.model import Document


@dataclass
class Removal:
    """What a removal did: the ids removed, and the targets that named no document."""

    removed: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)


def ids_of(catalog: Catalog, target: str) -> list[str]:
    """The documents a target names (see the module's docstring); [] when none."""
    if catalog.get(target, with_pages=False) is not None:
        return [target]
    if "://" in target:
        found = catalog.id_of(target)
        return [found] if found else []
    path = Path(target)
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        resolved = path.absolute()
    found = catalog.id_of(str(resolved))
    if found:
        return [found]
    return catalog.ids_under(str(resolved).rstrip("/") + "/")


def excluded(relative: str, patterns: tuple[str, ...] | list[str]) -> bool:
    """A path relative to the folder given matches an --exclude pattern: a glob on the whole
    relative path, or on any one of its parts ("utkast", "*.docx", "arkiv/2019/*").

    >>> excluded("utkast/plan.pdf", ["utkast"]), excluded("2019/plan.docx", ["*.docx"])
    (True, True)
    >>> excluded("arkiv/2019/a.pdf", ["arkiv/2019/*"]), excluded("beslut/plan.pdf", ["utkast", "*.docx"])
    (True, False)
    """
    parts = PurePosixPath(relative).parts
    return any(fnmatch.fnmatchcase(relative, p) or any(fnmatch.fnmatchcase(part, p) for part in parts)
               for p in patterns)


def remove_documents(ingester, ids: list[str]) -> list[str]:
    """Remove these documents from the ingester's catalog, index and vocabulary; the ids removed."""
    catalog: Catalog = ingester.catalog
    documents: list[Document] = [d for d in catalog.iter_documents(dict.fromkeys(ids))]
    if not documents:
        return []
    words: Counter[str] = Counter()
    for doc in documents:
        words.update(words_of(doc.meta.title, doc.text))
    catalog.remove(documents, words)
    delete_removed(ingester)
    return [d.id for d in documents]


def delete_removed(ingester) -> int:
    """Delete the tombstoned ids from the index and commit; how many there were."""
    ids = ingester.catalog.removed_ids()
    if not ids:
        return 0
    ingester.flush()
    writer = ingester.engine.writer()
    try:
        for document_id in ids:
            writer.delete(document_id)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    ingester.catalog.forget_removed(ids)
    return len(ids)


def remove(ingester, targets: list[str]) -> Removal:
    """Remove what the targets name (ids, paths, folders, URLs)."""
    result = Removal()
    ids: list[str] = []
    for target in targets:
        found = ids_of(ingester.catalog, target)
        if found:
            ids += found
        else:
            result.not_found.append(target)
    result.removed = remove_documents(ingester, list(dict.fromkeys(ids)))
    return result


def apply_exclusions(ingester, paths: list[Path], files: list, patterns: tuple[str, ...]) -> tuple[list, list[str]]:
    """The files of a run without those an --exclude pattern matches (relative to the folder
    given; a file given by name by its name), and the ids removed: documents catalogued from
    inside the folders given that the patterns match now."""
    if not patterns:
        return files, []
    roots = []
    for path in paths:
        try:
            if path.is_dir():
                roots.append((str(path).rstrip("/") + "/", str(path.resolve()).rstrip("/") + "/"))
        except OSError:
            continue

    def relative(file) -> str:
        text = str(file)
        for given, _ in roots:
            if text.startswith(given):
                return text[len(given):]
        return Path(text).name

    kept = [f for f in files if not isinstance(f, Path) or not excluded(relative(f), patterns)]
    gone = []
    for _, resolved in roots:
        for document_id in ingester.catalog.ids_under(resolved):
            source = ingester.catalog.stored_file(document_id)[2]
            if excluded(source[len(resolved):], patterns):
                gone.append(document_id)
    return kept, remove_documents(ingester, gone)
