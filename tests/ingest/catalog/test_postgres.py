"""The catalog on PostgreSQL (ingest/catalog/postgres.py) against a real server (the
postgres_server fixture): the same answers as SQLite for the same real documents, claims that
give each file to one ingest, and two ingests at once on one shared catalog."""
import re
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from ingest.catalog.database import Catalog, open_catalog
from ingest.catalog.datadir import DataDir
from ingest.catalog.postgres import PostgresCatalog
from ingest.extract import dnr
from ingest.pipeline.runner import ingest_paths
from ingest.pipeline.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
FOLDERS = ("seeds", "real/kungsbacka-kommunhandlingar", "real/botkyrka-bobot-converted")


def answers(c: Catalog) -> dict:
    """What the archive's pages ask of a catalog, for the same documents on both backends."""
    ids = c.iter_ids()
    docs = [c.get(i) for i in ids]
    words = sorted({w for d in docs for w in re.findall(r"\w+", d.meta.title.lower())})
    return {
        "count": c.count(),
        "indexed": c.count_indexed(),
        "ids": ids,
        "documents": [(d.to_dict(), d.pages, d.version) for d in docs],
        "newest": c.newest_ids(0, 100),
        "organizations": c.organizations(),
        "latest": c.latest(("protokoll", "protokollsutdrag", "kallelse"), 50),
        "cases": [c.cases_by_key(dnr.key(d)) for doc in docs for d in doc.meta.dnr],
        "words": {w: c.word_frequency(w) for w in words},
        "next_word": [c.next_word(w[:2]) for w in words],
        "versions": c.versions_of(("protokoll", "kallelse")),
        "parsed": [c.parsed(d.sha256) for d in docs],
    }


def test_the_same_documents_give_the_same_catalog_on_postgresql(tmp_path, corpus, postgres_catalog):
    paths = [corpus / f for f in FOLDERS]
    settings = Settings(jobs=1)
    sqlite_data = DataDir.create(tmp_path / "sqlite")
    shared_data = DataDir.create(tmp_path / "pg", catalog_url=postgres_catalog)
    lite = ingest_paths(sqlite_data, paths, settings=settings)
    shared = ingest_paths(shared_data, paths, settings=settings)
    assert [(o.source, o.status) for o in shared.outcomes] == [(o.source, o.status) for o in lite.outcomes]
    assert shared.count("new") >= 15 and not shared.failures
    assert not (shared_data.root / "catalog.sqlite").exists()  # the catalog is the server's
    for data in (sqlite_data, shared_data):  # one ingest time in both: the orders by time tie alike
        writer = open_catalog(data.catalog)
        with writer.sql.transaction():
            writer.sql.execute("UPDATE documents SET ingested_at = ?", ("2026-12-04T12:00:00+00:00",))
        writer.close()
    lite_catalog = open_catalog(sqlite_data.catalog, readonly=True)
    shared_catalog = open_catalog(shared_data.catalog, readonly=True)
    try:
        assert isinstance(shared_catalog, PostgresCatalog)
        assert answers(shared_catalog) == answers(lite_catalog)
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):  # the web's connection writes nothing
            shared_catalog.mark_all_unindexed()
    finally:
        lite_catalog.close()
        shared_catalog.close()
    again = ingest_paths(shared_data, paths, settings=settings)  # a second run: nothing changed
    assert {o.status for o in again.outcomes} == {"unchanged"}


def test_a_changed_file_is_a_new_version_and_a_removed_one_leaves_the_vocabulary(tmp_path, corpus, postgres_catalog):
    from ingest.pipeline.remove import remove
    from ingest.pipeline.runner import Ingester

    folder = tmp_path / "in"
    folder.mkdir()
    text = (corpus / "seeds/000_c6a6d7e471c0821b.txt").read_text()
    (folder / "a.txt").write_text(text)
    data = DataDir.create(tmp_path / "data", catalog_url=postgres_catalog)
    (first,) = ingest_paths(data, [folder]).outcomes
    (folder / "a.txt").write_text(text + "\nTillägg: beslutet justerades.\n")
    (second,) = ingest_paths(data, [folder]).outcomes
    assert (first.status, second.status) == ("new", "updated")
    c = open_catalog(data.catalog)
    try:
        assert c.get(second.document_id).version == 2
        assert c.sql.execute("SELECT count(*) FROM versions WHERE document_id = ?",
                             (second.document_id,)).fetchone()[0] == 2
        assert c.word_frequency("tillägg") == 1
    finally:
        c.close()
    ingester = Ingester(data)
    try:
        assert remove(ingester, [second.document_id]).removed
    finally:
        ingester.close()
    c = open_catalog(data.catalog, readonly=True)
    try:
        assert c.count() == 0 and c.word_frequency("tillägg") == 0
    finally:
        c.close()


def test_a_file_is_claimed_by_one_ingest_until_that_one_ends(postgres_catalog):
    files = [(f"/arkiv/{n:02}.pdf", f"{n:064x}") for n in range(6)]
    first, second = PostgresCatalog(postgres_catalog), PostgresCatalog(postgres_catalog)
    try:
        mine = first.claim(files[:4])
        assert mine == {s for s, _ in files[:4]}
        assert second.claim(files) == {s for s, _ in files[4:]}  # what the first holds is skipped
        first.release(["/arkiv/00.pdf"])  # catalogued: not again by a run that started before
        assert second.claim(files[:1]) == set()
        assert second.claim([("/arkiv/00.pdf", "f" * 64)]) == {"/arkiv/00.pdf"}  # other bytes since
    finally:
        first.close()  # its session ends (a killed ingest's too): its claims are left
    third = PostgresCatalog(postgres_catalog)
    try:
        assert second.claim(files[1:4]) == {s for s, _ in files[1:4]}
        assert third.claim(files) == set()  # all held by the second
        second.release(s for s, _ in files[1:])
        assert third.claim(files[1:]) == set()  # catalogued after the third started
    finally:
        second.close()
        third.close()
    fourth = PostgresCatalog(postgres_catalog)  # a run started after: it finds what changed itself
    try:
        assert fourth.claim(files) == {s for s, _ in files}
    finally:
        fourth.close()


def _waiting(gate, where: str) -> int:
    """Sessions of ingests waiting for a lock, in statements that match `where` (SQL LIKE)."""
    return gate.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND application_name = 'diariet' AND wait_event_type = 'Lock' AND query LIKE %s",
                        (where,)).fetchone()[0]


def test_two_ingests_at_once_on_one_shared_catalog_take_each_file_once(tmp_path, corpus, postgres_catalog):
    """Two ingest processes (two data directories, as on two machines) given the same folders at
    the same moment. Two locks make it deterministic: one on the work table holds both at their
    first claim until both wait there, then lets them claim together; one on the pages table keeps
    either from cataloguing anything until both have claimed all they will (a few files: all
    before the first save). So only the claims keep them apart: each file is claimed once,
    whatever the order in which the two sessions' statements run."""
    folders = [corpus / f for f in FOLDERS]
    total = sum(1 for f in folders for p in f.rglob("*") if p.is_file() and p.suffix != ".json")
    PostgresCatalog(postgres_catalog).close()  # the schema, so the gates can lock its tables
    # Two gates and a watcher (outside any transaction: a transaction sees pg_stat_activity as it was).
    claims, saves, watch = (psycopg.connect(postgres_catalog, autocommit=True) for _ in range(3))
    runs: list[subprocess.Popen] = []

    def wait_for(condition, what: str) -> None:
        deadline = time.monotonic() + 240
        while not condition():
            assert time.monotonic() < deadline, what
            if any(r.poll() is not None for r in runs):  # one ended early: say how, stop the other
                for r in runs:
                    r.kill()
                pytest.fail(f"an ingest ended before the gates opened: {[r.communicate() for r in runs]}")
            time.sleep(0.1)

    try:
        saves.execute("BEGIN")
        saves.execute("LOCK TABLE pages IN EXCLUSIVE MODE")
        claims.execute("BEGIN")
        claims.execute("LOCK TABLE work IN EXCLUSIVE MODE")
        # The second gets the folders in the other order: their first claims overlap in part only,
        # so each certainly gets files (what the first to claim locks, the other skips).
        runs = [subprocess.Popen([sys.executable, "-m", "ingest", "--data", str(tmp_path / name), "--quiet",
                                  "--jobs", "1", "--catalog", postgres_catalog, *map(str, order)],
                                 cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for name, order in (("maskin-a", folders), ("maskin-b", folders[::-1]))]
        wait_for(lambda: _waiting(watch, "%work%") == 2, "the ingests never reached their first claim")
        claims.execute("COMMIT")
        wait_for(lambda: _waiting(watch, "%") == 2 and _waiting(watch, "%work%") == 0,
                 "the ingests never reached their first save")
        owners = dict(watch.execute("SELECT owner, count(*) FROM work GROUP BY owner").fetchall())
        assert sum(owners.values()) == total and None not in owners  # each file claimed, by one owner
        saves.execute("COMMIT")
        outputs = [r.communicate(timeout=600) for r in runs]
    finally:
        for r in runs:
            if r.poll() is None:
                r.kill()
        for gate in (claims, saves, watch):
            gate.close()
    assert [r.returncode for r in runs] == [0, 0], outputs

    def counted(out: str, label: str) -> int:
        found = re.search(rf"(\d+) {label}", out)
        return int(found.group(1)) if found else 0

    new = [counted(out, "nya") for out, _ in outputs]
    elsewhere = [counted(out, "inlästa av en annan samtidig inläsning") for out, _ in outputs]
    assert sorted(new) == sorted(owners.values()) and sum(new) == total, outputs  # none twice
    assert all(new), outputs  # both worked
    assert elsewhere == [new[1], new[0]], outputs  # what one took, the other left
    c = open_catalog(postgres_catalog, readonly=True)
    try:
        assert c.count() == total
        assert c.sql.execute("SELECT count(*) FROM versions").fetchone()[0] == total
        assert c.sql.execute("SELECT count(*) FROM work WHERE owner IS NOT NULL").fetchone()[0] == 0  # all released
    finally:
        c.close()


def test_the_files_of_a_killed_ingest_are_claimed_by_the_next(tmp_path, corpus, postgres_catalog):
    """kill -9 of an ingest holding claims (a lock on the pages table holds it after its claims,
    before its first save): its session ends with it, and so does its claims' advisory lock, so
    the next run, on another data directory, claims and catalogues every file."""
    folder = corpus / "real/kungsbacka-kommunhandlingar"
    files = sum(1 for p in folder.rglob("*") if p.is_file() and p.suffix != ".json")
    PostgresCatalog(postgres_catalog).close()
    gate, watch = (psycopg.connect(postgres_catalog, autocommit=True) for _ in range(2))

    def ingest(name: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "ingest", "--data", str(tmp_path / name), "--quiet",
                                 "--jobs", "1", "--catalog", postgres_catalog, str(folder)],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def sessions() -> int:
        return watch.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                             "AND application_name = 'diariet'").fetchone()[0]

    try:
        gate.execute("BEGIN")
        gate.execute("LOCK TABLE pages IN EXCLUSIVE MODE")
        killed = ingest("maskin-a")
        deadline = time.monotonic() + 240
        while _waiting(watch, "%") == 0:
            assert time.monotonic() < deadline and killed.poll() is None, "the ingest never reached its save"
            time.sleep(0.1)
        held = watch.execute("SELECT owner, count(*) FROM work WHERE owner IS NOT NULL GROUP BY owner").fetchall()
        assert [n for _, n in held] == [files]
        killed.kill()  # SIGKILL
        killed.communicate(timeout=60)
        gate.execute("COMMIT")  # its server session wakes, finds its client gone, and ends
        while sessions():
            assert time.monotonic() < deadline, "the killed ingest's session stayed"
            time.sleep(0.1)
        after = ingest("maskin-b")
        out, err = after.communicate(timeout=600)
    finally:
        gate.close()
        watch.close()
    assert after.returncode == 0, err
    assert f"{files} nya" in out and "annan samtidig" not in out, out
    c = open_catalog(postgres_catalog, readonly=True)
    try:
        assert c.count() == files
        assert c.sql.execute("SELECT count(*) FROM work WHERE owner IS NOT NULL").fetchone()[0] == 0
    finally:
        c.close()


def test_the_web_serves_a_shared_catalog_and_its_watches(tmp_path, corpus, postgres_catalog):
    from web.app import create_app

    data = DataDir.create(tmp_path / "web", catalog_url=postgres_catalog)
    summary = ingest_paths(data, [corpus / "real/kungsbacka-kommunhandlingar"])
    doc_id = summary.outcomes[0].document_id
    client = create_app(data.root, catalog_url=postgres_catalog).test_client()
    assert client.get(f"/api/documents/{doc_id}").get_json()["id"] == doc_id
    page = client.get("/?q=byggnadsnämnden")
    assert page.status_code == 200 and doc_id in page.get_data(as_text=True)
    for q in ("byggnadsnämden", "kommunstyrelsen"):  # a misspelling: the suggestions walk the vocabulary
        assert client.get(f"/api/search?q={q}").status_code == 200
    # A watch made on one web server is in the shared catalog: another server lists it, notify sees it.
    made = client.post("/api/watches", json={"kind": "search", "value": {"q": "valsedlar"}}).get_json()
    other = create_app(data.root, catalog_url=postgres_catalog).test_client()
    assert [w["id"] for w in other.get("/api/watches").get_json()["watches"]] == [made["id"]]
    assert not (data.root / "catalog.sqlite").exists()
    c = open_catalog(postgres_catalog, readonly=True)
    try:
        assert c.sql.execute("SELECT id FROM watches").fetchall() == [(made["id"],)]
    finally:
        c.close()
