"""The catalog on SQLite and on PostgreSQL, side by side: the same real documents ingested into
each (one process, Whoosh index), then the catalog reads the web makes, timed per call, and two
ingests at once on one PostgreSQL catalog (two data directories, as two machines).

    nice -n 10 .venv/bin/python benchmarks/catalog_backends.py [FOLDER ...]

Default folder: tests/fixtures/corpus/bulk (620 real documents). The PostgreSQL server is a
local one (tools/postgres.py) in a temporary directory, with fsync off: the figures compare the
SQL and the round trips, not the disks."""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.catalog.database import open_catalog  # noqa: E402
from ingest.catalog.datadir import DataDir  # noqa: E402
from ingest.pipeline.runner import ingest_paths  # noqa: E402
from ingest.pipeline.settings import Settings  # noqa: E402
from tools import postgres  # noqa: E402


def reads(location, rounds: int = 3) -> dict[str, float]:
    """Median milliseconds per call of the catalog reads a page makes."""
    c = open_catalog(location, readonly=True)
    try:
        ids = c.iter_ids()[:200]
        timings: dict[str, list[float]] = {"open (a request's connection)": [], "get (with pages)": [],
                                           "newest_ids (front page)": [], "organizations (browse)": []}
        for _ in range(rounds):
            for i in ids:
                t = time.perf_counter()
                c.get(i)
                timings["get (with pages)"].append(time.perf_counter() - t)
            for _ in range(20):
                t = time.perf_counter()
                c.newest_ids(0, 20)
                timings["newest_ids (front page)"].append(time.perf_counter() - t)
                t = time.perf_counter()
                c.organizations()
                timings["organizations (browse)"].append(time.perf_counter() - t)
                t = time.perf_counter()
                open_catalog(location, readonly=True).close()
                timings["open (a request's connection)"].append(time.perf_counter() - t)
        return {k: statistics.median(v) * 1000 for k, v in timings.items()}
    finally:
        c.close()


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or [ROOT / "tests/fixtures/corpus/bulk"]
    tmp = Path(tempfile.mkdtemp(prefix="diariet-catalogs-"))
    tmp.chmod(0o755)
    server = postgres.start(tmp / "server")
    try:
        results = {}
        for name, url in (("sqlite", None), ("postgresql", postgres.create_database(server, "bench"))):
            data = DataDir.create(tmp / name, catalog_url=url)
            start = time.perf_counter()
            summary = ingest_paths(data, folders, settings=Settings(jobs=1))
            seconds = time.perf_counter() - start
            new = summary.count("new")
            results[name] = (new, seconds, reads(data.catalog))
        print(f"{'':34}{'sqlite':>12}{'postgresql':>12}")
        print(f"{'ingest, 1 job: documents/s':34}" + "".join(f"{n / s:12.1f}" for n, s, _ in results.values()))
        for key in results["sqlite"][2]:
            print(f"{key + ', ms':34}" + "".join(f"{r[key]:12.3f}" for _, _, r in results.values()))
        url = postgres.create_database(server, "two")
        start = time.perf_counter()
        runs = [subprocess.Popen([sys.executable, "-m", "ingest", "--data", str(tmp / f"two-{i}"), "--quiet",
                                  "--jobs", "1", "--catalog", url, *map(str, order)], cwd=ROOT,
                                 stdout=subprocess.PIPE, text=True)
                for i, order in enumerate((folders, folders[::-1]))]
        outputs = [r.communicate()[0].strip() for r in runs]
        seconds = time.perf_counter() - start
        print(f"two ingests at once on one PostgreSQL catalog (1 job each): {seconds:.1f} s for "
              f"{results['postgresql'][0]} documents ({results['postgresql'][0] / seconds:.1f}/s); one alone "
              f"{results['postgresql'][1]:.1f} s")
        for out in outputs:
            print("  " + out.splitlines()[0])
    finally:
        postgres.stop(tmp / "server")
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
