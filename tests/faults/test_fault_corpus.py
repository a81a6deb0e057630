"""The fault corpus (tests/faults/corpus.py) ingests in one run: exit 0, every file that cannot be
read named in the summary with a reason it may have, every good file archived (once)."""
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.__main__ import printable
from tests.faults.corpus import build

ROOT = Path(__file__).resolve().parents[2]
FAILED = re.compile(r"^  MISSLYCKADES (?P<source>.+?): (?P<message>.*) \[(?P<reason>[a-z0-9-]+)\]$")


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    root = tmp_path_factory.mktemp("faults")
    expected = build(root / "in")
    r = subprocess.run([sys.executable, "-m", "ingest", "--data", str(root / "data"), "--quiet", "--jobs", "2",
                        str(root / "in")], cwd=ROOT, capture_output=True, text=True, timeout=900)
    return root, expected, r


def test_the_run_completes_with_exit_0(ingested):
    _, expected, r = ingested
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert "Traceback" not in r.stderr
    assert r.stdout.startswith(f"Klart: {len(expected)} filer: ")


def names_of(path: Path) -> set[str]:
    """How the summary may name a file: as found, or resolved (a read failure)."""
    out = {str(path)}
    try:
        out.add(str(path.resolve()))
    except (OSError, RuntimeError):  # a symlink loop
        pass
    return out


def test_every_file_has_its_expected_outcome(ingested):
    root, expected, r = ingested
    failures = {}
    for line in r.stdout.splitlines():
        m = FAILED.match(line)
        if m:
            failures[m["source"]] = m["reason"]
    db = sqlite3.connect(root / "data" / "catalog.sqlite")
    archived = {s for (s,) in db.execute("SELECT source FROM documents")}
    wrong, named = [], 0
    for name, outcome in expected.items():
        names = names_of(root / "in" / name)
        reasons = [failures[printable(n)] for n in names if printable(n) in failures]
        status = "failed" if reasons else "new" if names & archived else "missing"
        named += bool(reasons)
        if not outcome.accepts(status, reasons[0] if reasons else None):
            wrong.append(f"{name!r}: {status} {reasons}, expected {outcome}")
    assert wrong == []
    assert named == len(failures)  # and nothing else failed


def test_good_files_are_archived_once_with_their_text(ingested):
    root, _, _ = ingested
    db = sqlite3.connect(root / "data" / "catalog.sqlite")
    assert db.execute("SELECT count(*) - count(DISTINCT sha256 || source) FROM documents").fetchone()[0] == 0
    text = {Path(s).name: t for s, t in db.execute(
        "SELECT d.source, group_concat(p.text, ' ') FROM documents d JOIN pages p ON p.document_id = d.id GROUP BY d.id")}
    assert "Socialnämnden" in text["utf16-utan-bom.txt"]
    assert "Socialnämnden" in text["cp1252-som-utf8.html"]
    assert db.execute("SELECT count(*) FROM documents WHERE indexed_version != version").fetchone()[0] == 0
    assert not any("root:x:0" in t for t in text.values())  # nothing from outside the folder
