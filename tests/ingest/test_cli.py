"""The ingest command line (python -m ingest): exit codes, summary, and a killed or interrupted run."""
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_ingest(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "ingest", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def test_summary_and_exit_codes(tmp_path, corpus):
    src = tmp_path / "src"
    src.mkdir()
    (src / "trasig.pdf").write_bytes(b"%PDF-1.4\n1 0 obj broken")
    (src / "ok.txt").write_bytes((corpus / "seeds/000_c6a6d7e471c0821b.txt").read_bytes())
    data = tmp_path / "data"
    r = run_ingest("--data", data, "--quiet", src)
    assert r.returncode == 0, r.stderr
    assert "1 nya" in r.stdout and "1 misslyckade" in r.stdout
    assert "trasig.pdf" in r.stdout
    strict = run_ingest("--data", data, "--quiet", "--strict", src)
    assert strict.returncode == 1
    assert "1 oförändrade" in strict.stdout


def test_wrong_arguments_exit_2(tmp_path):
    assert run_ingest("--data", tmp_path / "d", tmp_path / "missing").returncode == 2
    assert run_ingest(tmp_path).returncode == 2  # no --data
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = run_ingest("--data", blocker / "sub", tmp_path)
    assert r.returncode == 2 and "datakatalog" in r.stderr


@pytest.mark.parametrize("jobs, how", [(1, signal.SIGKILL), (2, signal.SIGKILL), (2, signal.SIGINT)],
                         ids=["killed-serial", "killed-parallel", "ctrl-c-parallel"])
def test_stopped_ingest_resumes_without_duplicates(tmp_path, corpus, jobs, how):
    bulk = corpus / "bulk/regeringen/pressmeddelanden"
    files = sorted(p for p in bulk.rglob("*.md"))[:600]
    src = tmp_path / "src"
    src.mkdir()
    for i, p in enumerate(files):
        (src / f"{i:04d}-{p.name}").write_bytes(p.read_bytes())
    data = tmp_path / "data"
    # Its own process group, so that SIGINT reaches the workers too, as Ctrl-C in a terminal does.
    proc = subprocess.Popen([sys.executable, "-m", "ingest", "--data", str(data), "--quiet", "--jobs", str(jobs),
                             str(src)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.time() + 120
    catalogued = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.1)
        try:
            catalogued = sqlite3.connect(data / "catalog.sqlite", timeout=1).execute(
                "SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.Error:
            continue
        if catalogued >= 50:
            break
    assert proc.poll() is None, "the run finished before it could be stopped"
    os.killpg(proc.pid, how)
    assert proc.wait(timeout=60) != 0 or how == signal.SIGINT
    r = run_ingest("--data", data, "--quiet", src)
    assert r.returncode == 0, r.stdout + r.stderr
    db = sqlite3.connect(data / "catalog.sqlite")
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == len(files)
    assert db.execute("SELECT count(DISTINCT source) FROM documents").fetchone()[0] == len(files)
    assert db.execute("SELECT count(*) FROM documents WHERE indexed_version != version").fetchone()[0] == 0
    sys.path.insert(0, str(ROOT))
    from index.backends.whoosh.store import IndexStore
    from index.search.vocabulary import words_of
    from ingest.catalog.database import Catalog
    ix = IndexStore(data / "index").open()
    with ix.searcher() as s:
        assert s.doc_count() == len(files)
    catalog = Catalog(data / "catalog.sqlite", readonly=True)
    try:
        truth = Counter(w for d in catalog.iter_documents(catalog.iter_ids()) for w in words_of(d.meta.title, d.text))
        counted = Counter(dict(catalog.db.execute("SELECT word, documents FROM words")))
    finally:
        catalog.close()
    assert set(counted) == set(truth)
    if how == signal.SIGINT:  # stopped in order: every document counted once
        assert counted == truth


def test_organization_names_whose_documents_a_folder_holds(tmp_path, corpus):
    """--organization: for the documents that do not say who wrote them (Botkyrka's routines without
    a letterhead, whose organization is otherwise guessed from a folder or file name); a document
    whose own text says who wrote it keeps that."""
    from ingest.catalog.database import Catalog

    def organizations(data):
        c = Catalog(data / "catalog.sqlite")
        try:
            return dict(c.db.execute("SELECT source, organization FROM documents").fetchall())
        finally:
            c.close()

    files = [corpus / "real/botkyrka-bobot-converted", *sorted((ROOT / "tests/fixtures/cases").glob("*.txt"))]
    plain = tmp_path / "plain"
    assert run_ingest("--data", plain, "--quiet", "--jobs", "1", *files).returncode == 0
    guessed = organizations(plain)
    data = tmp_path / "data"
    r = run_ingest("--data", data, "--quiet", "--jobs", "1", "--organization", "huddinge kommun", *files)
    assert r.returncode == 0, r.stderr
    hinted = organizations(data)
    named = {name for name, o in hinted.items() if o == "Huddinge kommun"}  # the directory's official name
    assert named and len(named) < len(hinted)
    assert {name: o for name, o in hinted.items() if name not in named} == {
        name: o for name, o in guessed.items() if name not in named}  # they said who wrote them

    again = run_ingest("--data", data, "--quiet", *files)  # no hint given: nothing to change
    assert f"{len(hinted)} oförändrade" in again.stdout
    moved = run_ingest("--data", data, "--quiet", "--organization", "Botkyrka kommun", *files)
    assert "0 nya" in moved.stdout and f"{len(hinted)} uppdaterade" in moved.stdout  # extracted again
    assert run_ingest("--data", data, "--quiet", "--reextract").returncode == 0  # the hint is kept
    assert {organizations(data)[name] for name in named} == {"Botkyrka kommun"}


def test_two_ingests_started_at_once_one_refuses_and_nothing_corrupts(tmp_path):
    """Two runs into one data directory (two cron jobs, a clerk and the nightly run): the one
    that finds the writer lock held exits 2 with a Swedish message at once, writing nothing;
    the other archives everything."""
    from tests.ingest.many import text_files
    from tests.ingest.pipeline.crashes import LOCKED, check_archive, expected_sources, ingest_command

    files = text_files(tmp_path / "src", 200)  # a run long enough to hold the lock while the other starts
    data = tmp_path / "data"
    command = ingest_command(data, tmp_path / "src", jobs=1, batch=50)
    procs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    ends = sorted((p.wait(timeout=300), *p.communicate()) for p in procs)
    (code, out, err), (refused_code, refused_out, refused_err) = ends
    assert code == 0 and out.startswith("Klart: 200 filer: 200 nya"), out + err
    assert refused_code == 2 and refused_out == "", refused_out + refused_err
    assert refused_err == f"fel: {LOCKED} till {data}; vänta tills den är klar\n"
    assert check_archive(data, expected_sources(tmp_path / "src", {p.name for p in files})) == []
