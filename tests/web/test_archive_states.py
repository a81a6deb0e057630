"""The web server serves any state of the archive: empty, half-built, damaged, and says so;
a missing data directory is one Swedish line and exit 2 (web/__main__.py, store.open_for_reading)."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import ingest_paths
from web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "samples" / "seeds"


def ingested(tmp_path, paths) -> Path:
    data = tmp_path / "data"
    ingest_paths(DataDir.create(data), paths)
    return data


def client_of(data: Path):
    app = create_app(data, {"TESTING": True})
    app.extensions["diariet.searcher"].warm()  # what python -m web does before serving
    return app.test_client()


def test_an_empty_archive_shows_a_friendly_empty_state(tmp_path):
    (tmp_path / "tom").mkdir()
    client = client_of(ingested(tmp_path, [tmp_path / "tom"]))
    page = client.get("/")
    assert page.status_code == 200
    assert "Arkivet är tomt" in page.get_data(as_text=True)
    assert client.get("/?q=socialnämnden").status_code == 200
    found = client.get("/api/search?q=socialnämnden")
    assert found.status_code == 200 and found.json["total"] == 0


def half_built(index: Path):
    """A new generation created and named, killed before its first commit."""
    (index / "gen-000777").mkdir()
    (index / "CURRENT").write_text("gen-000777\n")


def garbage_current(index: Path):
    (index / "CURRENT").write_bytes(b"\xff\xfe trasig")


def no_current(index: Path):
    (index / "CURRENT").unlink()


@pytest.mark.parametrize("damage", [half_built, garbage_current, no_current], ids=lambda f: f.__name__)
def test_a_damaged_index_serves_the_last_good_generation_and_says_so(tmp_path, damage):
    data = ingested(tmp_path, [SEEDS])
    damage(data / "index")
    client = client_of(data)
    page = client.get("/?q=socialnämnden")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Sökindexet byggs om" in text
    assert client.get("/api/search?q=socialnämnden").json["total"] > 0


def test_a_missing_index_serves_no_hits_and_says_so(tmp_path):
    data = ingested(tmp_path, [SEEDS])
    shutil.rmtree(data / "index")
    client = client_of(data)
    page = client.get("/?q=socialnämnden")
    assert page.status_code == 200
    assert "Sökindexet saknas eller är skadat" in page.get_data(as_text=True)
    assert client.get("/api/search?q=socialnämnden").json["total"] == 0
    assert client.get("/").status_code == 200  # browsing the catalog still works


def test_a_missing_data_directory_is_one_swedish_line_and_exit_2(tmp_path):
    r = subprocess.run([sys.executable, "-m", "web", "--data", str(tmp_path / "finns-inte")],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert r.stderr.strip().startswith("fel: datakatalogen") and "finns inte" in r.stderr
    assert "Traceback" not in r.stderr
