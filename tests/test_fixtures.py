"""The committed test corpus (tests/fixtures/corpus/): every file listed with its sha256, nothing unlisted."""
import hashlib
import json

import pytest

from tests.corpus import CORPUS

MANIFESTS = sorted(CORPUS.rglob("manifest.json"))
METADATA = {"SOURCES.md", "manifest.json", "LINKED_DNR.md"}


def test_every_folder_has_a_manifest_and_the_corpus_its_sources():
    assert {m.parent.relative_to(CORPUS).as_posix() for m in MANIFESTS} == {"seeds", "real", "bulk/regeringen"}
    assert (CORPUS / "SOURCES.md").is_file() and (CORPUS / "real" / "SOURCES.md").is_file()


@pytest.mark.parametrize("manifest", MANIFESTS, ids=[m.parent.name for m in MANIFESTS])
def test_files_match_their_manifest(manifest):
    rows = json.loads(manifest.read_text(encoding="utf-8"))
    listed = {row["file"]: row["sha256"] for row in rows}
    assert len(listed) == len(rows), "a file listed twice"
    present = {p.relative_to(manifest.parent).as_posix() for p in manifest.parent.rglob("*")
               if p.is_file() and p.name not in METADATA}
    assert present == set(listed), f"unlisted: {sorted(present - set(listed))}, missing: {sorted(set(listed) - present)}"
    for name, digest in listed.items():
        assert hashlib.sha256((manifest.parent / name).read_bytes()).hexdigest() == digest, name


def test_every_file_of_real_is_in_its_sources():
    """real/SOURCES.md names each file (its origin and licence are in that row and its section)."""
    sources = (CORPUS / "real" / "SOURCES.md").read_text(encoding="utf-8")
    rows = json.loads((CORPUS / "real" / "manifest.json").read_text(encoding="utf-8"))
    missing = [row["file"] for row in rows if f"`{row['file'].split('/', 1)[1]}`" not in sources
               and f"`{row['file']}`" not in sources]
    assert not missing
