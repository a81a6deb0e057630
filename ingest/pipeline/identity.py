"""Ingest stage, identity: the key a file's document id is derived from, independent of where
the ingesting machine keeps the folder.

A file's key is its collection and its path inside the folder given: `protokoll/2024/ks.pdf`
read from `/srv/arkiv/protokoll` (or from `D:/kopia/protokoll` on another machine) is
`protokoll/2024/ks.pdf`, so the same folder ingested from anywhere gives the same ids. The
collection is the folder's name unless `--collection NAME` names it; a file given by itself
belongs to its parent folder's. A URL's key is the URL. Documents catalogued before keys
existed (their id derived from the absolute path) keep their ids: the run finds them by path.

>>> file_key(Path("/srv/arkiv/protokoll/2024/ks.pdf"), [Path("/srv/arkiv/protokoll")])
'protokoll/2024/ks.pdf'
>>> file_key(Path("/srv/arkiv/protokoll/2024/ks.pdf"), [Path("/srv/arkiv")], collection="kommunen")
'kommunen/protokoll/2024/ks.pdf'
>>> file_key(Path("/tmp/ks.pdf"), [Path("/tmp/ks.pdf")])
'tmp/ks.pdf'
"""
from __future__ import annotations

import os
from pathlib import Path, PurePosixPath


def file_key(path: Path, given: list[Path], collection: str | None = None) -> str:
    """The identity key of a file found under (or given as) one of the `given` paths."""
    absolute = os.path.abspath(path)
    best: tuple[str, str] | None = None  # (folder given, path inside it), the innermost folder
    for root in given:
        folder = os.path.abspath(root)
        if absolute == folder:
            continue
        relative = os.path.relpath(absolute, folder)
        if not relative.startswith(os.pardir) and (best is None or len(folder) > len(best[0])):
            best = (folder, relative)
    if best is None:  # a file given by itself
        folder, relative = os.path.dirname(absolute), os.path.basename(absolute)
    else:
        folder, relative = best
    name = collection or Path(folder).name or "arkiv"
    return str(PurePosixPath(name, *Path(relative).parts))
