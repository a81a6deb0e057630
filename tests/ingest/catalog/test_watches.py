"""The watch tables (ingest/catalog/watches.py): stored in the catalog, added to an old one by migration."""
import sqlite3

import pytest

from ingest.catalog.database import SCHEMA_VERSION, Catalog, open_catalog
from ingest.catalog.watches import WatchStore


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """The watch tables of a new catalog on each backend (a PostgreSQL catalog: shared by web servers)."""
    location = request.getfixturevalue("postgres_catalog") if request.param == "postgresql" else tmp_path / "catalog.sqlite"
    open_catalog(location).close()
    s = WatchStore(location)
    yield s
    s.close()


def test_add_list_delete(store):
    a = store.add("dnr", "KS 2019/562", "Ärende KS 2019/562", organization="Region Halland")
    b = store.add("party", "V", "Parti V", email="Anna@Example.se", frequency="weekly", webhook="http://127.0.0.1:9/x")
    assert [w.id for w in store.all()] == [a.id, b.id]
    assert b.email == "anna@example.se" and b.frequency == "weekly" and len(b.secret) == 64
    assert "secret" not in b.to_dict() and b.to_dict(with_secret=True)["secret"] == b.secret
    assert store.all("anna@example.se") == [b]
    assert store.delete(a.id) and not store.delete(a.id)
    assert store.get(a.id) is None
    with pytest.raises(ValueError):
        store.add("kommun", "x", "x")


def test_subscriber_key_and_confirmation(store):
    w = store.add("body", "Valnämnden", "Valnämnden", email="a@b.se", confirmed=False)
    assert not w.confirmed
    key = store.subscriber("a@b.se", confirmed=True)["key"]  # an existing address keeps its state
    assert not store.get(w.id).confirmed
    assert store.confirm(key)["confirmed"] == 1 and store.get(w.id).confirmed
    assert store.by_key("fel") is None


def test_matches_are_recorded_once_and_delivered_per_channel(store):
    w = store.add("dnr", "VN-2024-00029", "x", email="a@b.se", webhook="http://127.0.0.1:9/")
    assert store.record_matches([(w.id, "d1"), (w.id, "d2")]) == [(w.id, "d1"), (w.id, "d2")]
    assert store.record_matches([(w.id, "d1"), (w.id, "d3")]) == [(w.id, "d3")]
    store.delivered("webhook", w.id, ["d1", "d2", "d3"], False, 4, "svaret var HTTP 500")
    assert store.pending("webhook", w.id) == ["d1", "d2", "d3"]
    assert "HTTP 500" in store.get(w.id).last_error
    store.delivered("webhook", w.id, ["d1", "d2"], True, 1, "200")
    assert store.pending("webhook", w.id) == ["d3"] and store.get(w.id).last_error is None
    assert store.pending("email", w.id) == ["d1", "d2", "d3"]
    assert [d["ok"] for d in store.deliveries(w.id)] == [0, 1]


def test_an_old_catalog_gets_the_tables(tmp_path):
    path = tmp_path / "catalog.sqlite"
    Catalog(path).close()
    db = sqlite3.connect(path)
    for table in ("watch_matches", "deliveries", "watch_state", "watches", "subscribers"):
        db.execute(f"DROP TABLE {table}")
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()
    catalog = Catalog(path)  # the writer's open migrates
    tables = {r[0] for r in catalog.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"watches", "subscribers", "watch_matches", "deliveries", "watch_state"} <= tables
    assert catalog.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
    catalog.close()


def test_deleting_a_watch_deletes_its_matches(store):
    w = store.add("party", "S", "Parti S")
    store.record_matches([(w.id, "d1")])
    store.delete(w.id)
    assert store.db.execute("SELECT count(*) FROM watch_matches").fetchone()[0] == 0


def test_watches_of_an_older_catalog_keep_the_order_they_were_added_in(tmp_path):
    from ingest.catalog import watches

    path = tmp_path / "catalog.sqlite"
    Catalog(path).close()
    db = sqlite3.connect(path)
    db.execute("DROP TABLE watch_matches")
    db.execute("DROP TABLE watches")
    old = watches.SCHEMA[watches.SCHEMA.index("CREATE TABLE IF NOT EXISTS watches"):]
    old = old[:old.index(");") + 2].replace(",                   -- the last failed", " -- the last failed")
    old = "\n".join(line for line in old.splitlines() if not line.strip().startswith("seq "))
    db.execute(old)  # as before the seq column: rowid was the order
    added = ["b2", "a1", "c3"]
    db.executemany("INSERT INTO watches(id, kind, value, label, created_at) VALUES (?, 'party', 'V', 'Parti V', "
                   "'2026-12-04T10:00:00+00:00')", [(i,) for i in added])
    db.commit()
    db.close()
    store = WatchStore(path)  # migrates: the order is the rows' order
    later = store.add("party", "C", "Parti C").id
    assert [w.id for w in store.all()] == [*added, later]
    store.close()
