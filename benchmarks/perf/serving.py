"""Our engine answering the query mix: in-process and through the JSON API of `python -m web`."""
from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmarks.perf.corpus import ROOT
from benchmarks.perf.measure import _status_kib, latency, run_both
from benchmarks.perf.queries import QUERIES, api_path, request_of
from index.backends.whoosh.engine import WhooshEngine
from index.search.searcher import Searcher
from ingest.catalog.database import Catalog
from ingest.catalog.datadir import DataDir


class WithoutHitDocuments:
    """The catalog, except that it finds no document for a hit: Searcher.search then skips
    reading the hits' rows and their pages for snippets (everything else goes through)."""

    def __init__(self, catalog: Catalog):
        self._catalog = catalog

    def __getattr__(self, name):
        return getattr(self._catalog, name)

    def get_many(self, ids):
        return {}

    def get(self, document_id, *args, **kwargs):
        return None

    def pages(self, document_id):
        return []


def in_process(data: DataDir, repeat: int, max_seconds: float) -> dict:
    """Searcher.search, then the same without the hits' documents and snippets; a new Searcher
    for each, so the second does not start from what the first remembered."""
    catalog = Catalog(data.catalog_path, readonly=True)
    out = {}
    for name, source in (("full", catalog), ("no_catalog", WithoutHitDocuments(catalog))):
        searcher = Searcher(WhooshEngine(data.index_path))
        if name == "full":
            out["totals"] = {bq.label: searcher.search(request_of(bq), catalog).total for bq in QUERIES}
        out[name] = run_both(lambda bq, searcher=searcher, source=source: searcher.search(request_of(bq), source),
                             repeat, max_seconds)
        searcher.close()
    catalog.close()
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m web` (waitress) on 127.0.0.1, for as long as the `with` block lasts."""

    def __init__(self, data: DataDir, log: Path):
        self.data, self.log = data, log
        self.port = free_port()

    def __enter__(self) -> Server:
        self._log = open(self.log, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "web", "--data", str(self.data.root), "--host", "127.0.0.1",
             "--port", str(self.port)], cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the web server exited: see {self.log}")
            try:
                status, _ = self.get(self.connect(), "/api/search?q=&per_page=1")
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the web server did not answer within 60 s")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    @staticmethod
    def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()

    def peak_rss_mib(self) -> float:
        return _status_kib(self.proc.pid, "VmHWM") / 1024


def http_single(server: Server, repeat: int, max_seconds: float) -> dict:
    conn = server.connect()
    errors = []

    def run(bq):
        status, body = server.get(conn, api_path(bq))
        if status != 200:
            errors.append(status)

    out = run_both(run, repeat, max_seconds)
    status, body = server.get(conn, api_path(QUERIES[1]))
    out["response_bytes_example"] = len(body)
    out["errors"] = len(errors)
    conn.close()
    return out


def http_concurrent(server: Server, clients: int, max_requests: int, max_seconds: float) -> dict:
    paths = [api_path(bq) for bq in QUERIES]
    lock = threading.Lock()
    issued = [0]
    latencies: list[float] = []
    errors = [0]
    deadline = time.monotonic() + max_seconds

    def client():
        conn = server.connect()
        while True:
            with lock:
                number = issued[0]
                issued[0] += 1
            if number >= max_requests or time.monotonic() > deadline:
                break
            t = time.perf_counter()
            try:
                status, _ = server.get(conn, paths[number % len(paths)])
            except OSError:
                status = 0
                conn.close()
                conn = server.connect()
            ms = (time.perf_counter() - t) * 1000
            with lock:
                latencies.append(ms)
                errors[0] += status != 200
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    seconds = time.perf_counter() - t
    out = latency(latencies)
    out.update({"clients": clients, "requests": len(latencies), "seconds": seconds,
                "requests_per_s": len(latencies) / seconds, "errors": errors[0]})
    return out
