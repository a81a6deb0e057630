"""The page viewer's costs on a real protocol: first and cached opening, page images plain and marked.

    .venv/bin/python benchmarks/viewer.py [--data DIR]

Without --data it ingests the SPn protocol (samples/, 44 pages) into a temporary folder. Each
figure is the median of --runs requests through the Flask test client; the first opening is
measured on an empty cache each run (its page words are read from the PDF).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.catalog.datadir import DataDir  # noqa: E402
from ingest.pipeline.runner import ingest_paths  # noqa: E402
from web.app import create_app  # noqa: E402

SPN = ROOT / "samples" / "real" / "simrishamn-lundgren9" / "Protokoll  SPn april 2024_Bortredigerad.pdf"


def timed(client, url: str) -> tuple[float, bytes]:
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - start) * 1000, response.data


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, help="an archive holding the SPn protocol (default: ingest it)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        data = args.data
        if data is None:
            data = Path(scratch) / "archive"
            ingest_paths(DataDir.create(data), [SPN], jobs=1)
        client = create_app(data, {"TESTING": True}).test_client()
        hits = client.get("/api/search", query_string={"q": "budget", "body": "Samhällsplaneringsnämnden"}).get_json()
        doc = hits["hits"][0]["id"]
        pages = client.get(f"/api/documents/{doc}").get_json()["page_count"]
        cache = Path(data) / "pages"
        figures: dict[str, list[float]] = {}
        size = {}
        for _ in range(args.runs):
            shutil.rmtree(cache, ignore_errors=True)
            for name, url in (("first opening (words read from the PDF)", f"/documents/{doc}/sidor/3?q=budget"),
                              ("opening again (words cached)", f"/documents/{doc}/sidor/3?q=budget"),
                              ("page image, rendered", f"/documents/{doc}/pages/3.png"),
                              ("page image, cached", f"/documents/{doc}/pages/3.png"),
                              ("page image with the marks drawn", f"/documents/{doc}/pages/3.png?q=budget&markera=1")):
                ms, body = timed(client, url)
                figures.setdefault(name, []).append(ms)
                size[name] = len(body)
    print(f"SPn protocol, {pages} pages, 'budget', median of {args.runs} runs:")
    for name, values in figures.items():
        kb = f", {size[name] // 1024} KB" if "image" in name else ""
        print(f"  {name:42} {statistics.median(values):7.0f} ms{kb}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
