"""Benchmark of issue 7: ingest, memory, index size and query latency beside tantivy and FTS5.

    python benchmarks/perf.py [--sizes 10000,100000] [--quick] [--jobs 2] [--json PATH]

One run, on the same documents for every figure:
  * the corpus: ../shared/corpus/bulk/regeringen (10,445 Markdown pages); a size above that is
    made of the originals plus variants (paragraphs shuffled, a numbered line added, so the bytes,
    the sha256 and the id differ) written to a temporary folder, never committed;
  * ingest through the real pipeline (ingest_paths, in a child process, its process tree's
    memory sampled from /proc), index, catalog and originals sizes on disk;
  * each stage's cost timed by calling the stage functions on a sample (parse, extract, the
    analysis of every indexed field, the Whoosh write of prepared documents, the catalog and
    original-file writes), and PDF pages/s on ../shared/corpus/real (parse only and ingest_paths);
  * query latency p50/p95/p99 for a fixed query mix (repeated: what an engine remembers of a
    query helps) and for fresh queries of the same kinds (other words each round): in-process
    (Searcher.search, and again without the hits' catalog rows and snippets), through the JSON
    API of `python -m web` (waitress) with one sequential keep-alive client, and with 8
    concurrent clients (requests/s; bounded in count and time);
  * peers: tantivy and SQLite FTS5 index the token streams of our own analyzer (joined by spaces,
    whitespace/unicode61 tokenizers), so engines are compared, not analyzers, and answer the
    same queries translated to their syntax (top 10 by relevance or date, exact count).
Figures, not assertions; the table at the end compares sizes (growth) and engines (ratios), and
warns when other processes took CPU or the production code changed during the run.
`--quick` runs only a 2,000-document subset, for development.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.analysis.chain import analyze  # noqa: E402
from index.backends.whoosh.analysis import DiarietAnalyzer  # noqa: E402
from index.backends.whoosh.engine import WhooshEngine  # noqa: E402
from index.backends.whoosh.schema import analyzed_fields, build_schema, to_fields  # noqa: E402
from index.backends.whoosh.store import IndexStore  # noqa: E402
from index.engine import EngineSettings  # noqa: E402
from index.query.parser import SearchRequest  # noqa: E402
from index.search.searcher import Searcher  # noqa: E402
from ingest.catalog.database import Catalog  # noqa: E402
from ingest.catalog.datadir import DataDir  # noqa: E402
from ingest.catalog.filestore import FileStore  # noqa: E402
from ingest.extract import dnr as dnr_module  # noqa: E402
from ingest.extract.metadata import extract  # noqa: E402
from ingest.parse.registry import parse  # noqa: E402
from ingest.pipeline.runner import CHUNK_FILES, collect, dnr_keys, ingest_paths, prepare  # noqa: E402

CORPUS = ROOT.parent / "shared/corpus/bulk/regeringen"
PDF_CORPUS = ROOT.parent / "shared/corpus/real"
MIB = 2**20


# -- the query mix -------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchQuery:
    """One query of the mix, as our engine takes it and as a peer expresses it.

    `peer`: ("all", words) every word | ("any", words) | ("phrase", words) | ("prefix", start) |
    ("not", word, word) | ("dnr", surface form) | ("browse",) no words (filters, newest first)."""

    kind: str
    q: str
    peer: tuple
    filters: dict = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1

    @property
    def label(self) -> str:
        extra = " ".join(f"{k}={v}" for k, v in self.filters.items())
        extra += " sort=date" if self.sort == "date" else ""
        extra += f" page={self.page}" if self.page > 1 else ""
        return f"{self.q or '(tom)'} {extra}".strip()


QUERIES = [
    BenchQuery("word", "skogsprogrammet", ("all", "skogsprogrammet")),
    BenchQuery("word", "kommuner", ("all", "kommuner")),
    BenchQuery("word", "regeringen", ("all", "regeringen")),
    BenchQuery("typo", "skogsprogramet", ("all", "skogsprogramet")),
    BenchQuery("and", "medicinsk kompetens", ("all", "medicinsk kompetens")),
    BenchQuery("and", "kommunal hälso- och sjukvård", ("all", "kommunal hälso- och sjukvård")),
    BenchQuery("or", "skola OR förskola", ("any", "skola förskola")),
    BenchQuery("phrase", '"nationella skogsprogrammet"', ("phrase", "nationella skogsprogrammet")),
    BenchQuery("phrase", '"särskild utredare"', ("phrase", "särskild utredare")),
    BenchQuery("prefix", "utbetalnings*", ("prefix", "utbetalnings")),
    BenchQuery("not", "budget NOT försvar", ("not", "budget", "försvar")),
    BenchQuery("facet", "klimat", ("all", "klimat"), {"doctype": "pressmeddelande"}),
    BenchQuery("facet", "", ("browse",), {"year": "2023"}),
    BenchQuery("dnr", "N2018/03142/SK", ("dnr", "N2018/03142/SK")),
    BenchQuery("dnr", "n2018 03142 sk", ("dnr", "n2018 03142 sk")),
    BenchQuery("browse", "", ("browse",)),
    BenchQuery("sorted", "energi", ("all", "energi"), sort="date"),
]


# Fresh queries: the same kinds, other words in every round, so that nothing a searcher
# remembers of an earlier query (counts, facets) answers them.
FRESH_WORDS = [
    "vård", "miljö", "forskning", "utbildning", "hälsa", "barn", "äldre", "infrastruktur",
    "energi", "klimat", "brottslighet", "arbetsmarknaden", "jämställdhet", "näringslivet",
    "försvaret", "skola", "bostäder", "polisen", "integration", "skatt", "kultur", "digitalisering",
    "vaccin", "elektrifiering", "export", "trafik", "idrott", "migration", "landsbygden", "kommuner",
    "sjukvård", "tandvård", "psykiatri", "narkotika", "vapen", "fängelse", "asyl", "pension",
    "bistånd", "demokrati",
]
FRESH_PHRASES = [
    "särskild utredare", "psykisk hälsa", "europeiska unionen", "sveriges kommuner",
    "högre utbildning", "statens energimyndighet", "svenska myndigheter", "fossilfria transporter",
    "nationella skogsprogrammet", "regeringen beslutade", "ökad tillgänglighet", "hållbar utveckling",
]
FRESH_DNR = [
    "N2015/04489/FJR", "n2019 03241 jl", "U2012/4420/GV", "S2016/01612/FS", "n2017 07504 jm",
    "I2019/01967/D", "A2020/00949/IAS", "s2010 9220 fs", "N2018/03939/TS", "U2017/02404/F",
]


def fresh_round(r: int) -> list[BenchQuery]:
    """Round r of the fresh queries: each kind of the mix once, with words of its own."""
    def w(i: int) -> str:
        return FRESH_WORDS[(4 * r + i) % len(FRESH_WORDS)]  # 4 words of its own a round

    phrase = FRESH_PHRASES[r % len(FRESH_PHRASES)]
    dnr = FRESH_DNR[r % len(FRESH_DNR)]
    return [
        BenchQuery("word", w(0), ("all", w(0))),
        BenchQuery("and", f"{w(1)} {w(2)}", ("all", f"{w(1)} {w(2)}")),
        BenchQuery("or", f"{w(0)} OR {w(2)}", ("any", f"{w(0)} {w(2)}")),
        BenchQuery("phrase", f'"{phrase}"', ("phrase", phrase)),
        BenchQuery("prefix", f"{w(1)[:5]}*", ("prefix", w(1)[:5])),
        BenchQuery("not", f"{w(0)} NOT {w(1)}", ("not", w(0), w(1))),
        BenchQuery("facet", w(2), ("all", w(2)), {"doctype": "pressmeddelande"}),
        BenchQuery("facet", "", ("browse",), {"year": str(2023 - r % 15)}),
        BenchQuery("dnr", dnr, ("dnr", dnr)),
        BenchQuery("browse", "", ("browse",), page=2 + r),
        BenchQuery("sorted", w(3), ("all", w(3)), sort="date"),
    ]


def request_of(bq: BenchQuery) -> SearchRequest:
    return SearchRequest(q=bq.q, filters=dict(bq.filters), sort=bq.sort, page=bq.page)


def api_path(bq: BenchQuery) -> str:
    args = {"q": bq.q, **bq.filters}
    if bq.sort != "relevance":
        args["sort"] = bq.sort
    if bq.page > 1:
        args["page"] = bq.page
    return "/api/search?" + urlencode(args)


def query_terms(text: str) -> list[str]:
    """A query's words as the index holds them (our analyzer, Swedish)."""
    return [t.text for t in analyze(text, "sv")]


# -- small helpers ---------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def latency(values: list[float]) -> dict:
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "p99": percentile(values, 99)}


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def catalog_size(data: DataDir) -> int:
    return sum(size_of(p) for p in data.root.glob("catalog.sqlite*"))


def code_stamp() -> dict[str, float]:
    """Modification times of the production code: the ingest child and the web server import
    it afresh, so a change during a run would mix versions in one table (then reported)."""
    return {str(p.relative_to(ROOT)): p.stat().st_mtime
            for package in ("index", "ingest", "web") for p in (ROOT / package).rglob("*.py")}


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, idle, iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_seconds() -> float:
    """CPU seconds of this process and of its children that ended (ingest, web server, pools)."""
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                   resource.getrusage(resource.RUSAGE_CHILDREN)))


def timed(fn: Callable, *args, **kwargs) -> float:
    """Milliseconds one call takes."""
    t = time.perf_counter()
    fn(*args, **kwargs)
    return (time.perf_counter() - t) * 1000


def run_rounds(run: Callable[[BenchQuery], object], rounds: list[list[BenchQuery]],
               max_seconds: float) -> dict:
    """Latency of the rounds of queries (fewer when time runs out); medians by query and kind."""
    per_query: dict[str, list[float]] = {}
    per_kind: dict[str, list[float]] = {}
    everything: list[float] = []
    deadline = time.monotonic() + max_seconds
    for queries in rounds:
        for bq in queries:
            ms = timed(run, bq)
            per_query.setdefault(bq.label, []).append(ms)
            per_kind.setdefault(bq.kind, []).append(ms)
            everything.append(ms)
        if time.monotonic() > deadline:
            break
    out = latency(everything)
    out["median_by_query"] = {k: percentile(v, 50) for k, v in per_query.items()}
    out["median_by_kind"] = {k: percentile(v, 50) for k, v in per_kind.items()}
    return out


def run_both(run: Callable[[BenchQuery], object], repeat: int, max_seconds: float) -> dict:
    """The fixed mix (each query once to warm, then `repeat` rounds: repeats of a query may be
    answered from what the engine remembers), then `repeat` rounds of fresh queries."""
    for bq in QUERIES:
        run(bq)
    out = run_rounds(run, [QUERIES] * repeat, max_seconds)
    out["fresh"] = run_rounds(run, [fresh_round(r) for r in range(repeat)], max_seconds)
    return out


# -- the corpus ------------------------------------------------------------------------------


def variant(text: str, copy: int, number: int) -> str:
    """A different document with the same words: paragraphs after the first shuffled, and a
    numbered line, so its bytes, sha256 and (through its path) id are its own."""
    paragraphs = text.split("\n\n")
    rest = paragraphs[1:]
    random.Random(copy * 1_000_003 + number).shuffle(rest)
    return "\n\n".join(paragraphs[:1] + rest) + f"\n\nKopia {copy}:{number}\n"


def file_set(size: int, base: list[Path], tmp: Path) -> list[Path]:
    """`size` files: a fixed sample of the corpus, or all of it plus generated variants."""
    if size <= len(base):
        return sorted(random.Random(7).sample(base, size))
    files = list(base)
    scaled = tmp / "scaled"
    for number in range(len(base), size):
        copy, original = divmod(number, len(base))
        source = base[original]
        target = scaled / f"kopia-{copy:02d}" / source.relative_to(CORPUS)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            text = source.read_text(encoding="utf-8")
            target.write_text(variant(text, copy, number), encoding="utf-8")
        files.append(target)
    return files


# -- memory of a process tree ----------------------------------------------------------------


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


def _status_kib(pid: int, key: str, file: str = "status") -> int:
    """A kB figure of /proc/<pid>/status (VmRSS, VmHWM) or smaps_rollup (Pss); 0 if gone."""
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the memory of a process and its descendants; keeps the peaks. PSS shares pages
    that forked workers have in common with the writer among them (the real footprint); the
    sum of RSS counts them in every process (an upper bound)."""

    def __init__(self, pid: int, interval: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss_kib = self.peak_pss_kib = 0
        self.peak_processes = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.wait(self.interval):
            children = _children_map()
            tree, todo = [], [self.pid]
            while todo:
                pid = todo.pop()
                tree.append(pid)
                todo.extend(children.get(pid, []))
            rss = sum(_status_kib(pid, "VmRSS") for pid in tree)
            pss = sum(_status_kib(pid, "Pss", "smaps_rollup") for pid in tree)
            self.peak_rss_kib = max(self.peak_rss_kib, rss)
            if pss > self.peak_pss_kib:
                self.peak_pss_kib, self.peak_processes = pss, len(tree)

    def stop(self) -> None:
        self._halt.set()
        self.join()


# -- ingest ----------------------------------------------------------------------------------


def ingest_child(data_dir: Path, list_file: Path, jobs: int) -> int:
    """Runs in a child process (--ingest-child): ingest_paths on the listed files; prints JSON."""
    files = [Path(line) for line in list_file.read_text(encoding="utf-8").splitlines() if line]
    data = DataDir.create(data_dir)
    t = time.perf_counter()
    summary = ingest_paths(data, files, jobs=jobs)
    seconds = time.perf_counter() - t
    me, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    ok = [o for o in summary.outcomes if o.status in ("new", "updated")]
    catalog = Catalog(data.catalog_path, readonly=True)  # a fresh data directory: all new
    pages = catalog.db.execute("SELECT coalesce(sum(page_count), 0) FROM documents").fetchone()[0]
    catalog.close()
    print(json.dumps({
        "files": len(files), "documents": len(ok), "failed": len(summary.failures),
        "failures": [f"{o.source}: {o.reason}" for o in summary.failures[:5]],
        "pages": pages, "seconds": seconds,
        "writer_cpu_s": me.ru_utime + me.ru_stime, "workers_cpu_s": workers.ru_utime + workers.ru_stime,
        "writer_maxrss_mib": me.ru_maxrss / 1024, "worker_maxrss_mib": workers.ru_maxrss / 1024,
    }))
    return 0


def run_ingest(data_dir: Path, files: list[Path], jobs: int, tmp: Path) -> dict:
    """ingest_paths in a fresh process (clean memory figures), its process tree sampled."""
    list_file = tmp / f"{data_dir.name}.files"
    list_file.write_text("\n".join(str(p) for p in files), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, __file__, "--ingest-child", str(data_dir), str(list_file), "--jobs", str(jobs)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    sampler = TreeMemory(proc.pid)
    sampler.start()
    out, _ = proc.communicate()
    sampler.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"ingest child failed with {proc.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result["docs_per_s"] = result["documents"] / result["seconds"]
    result["pages_per_s"] = result["pages"] / result["seconds"]
    result["peak_tree_rss_mib"] = sampler.peak_rss_kib / 1024
    result["peak_tree_pss_mib"] = sampler.peak_pss_kib / 1024
    cpu = result["writer_cpu_s"] + result["workers_cpu_s"]
    result["cpu_utilisation"] = cpu / (result["seconds"] * (os.cpu_count() or 1))
    result["peak_tree_processes"] = sampler.peak_processes
    return result


# -- stage costs -----------------------------------------------------------------------------


# field name → the analyzer the schema gives it
ANALYZERS = {name: getattr(build_schema()[name], "analyzer", None) for name in build_schema().names()}


def analyse_fields(doc) -> int:
    """Runs index.analysis.chain.analyze over every field the schema analyses, as the schema's
    analyzers call it; returns the number of tokens."""
    count = 0
    for name, value in to_fields(doc).items():
        analyzer = ANALYZERS.get(name)
        if isinstance(analyzer, DiarietAnalyzer) and value:
            count += sum(1 for _ in analyze(value, analyzer.language, stemming=analyzer.stemming,
                                            parts=analyzer.parts))
    return count


def stage_costs(files: list[Path], warm: list[Path], tmp: Path) -> dict:
    """Milliseconds per document of each ingest stage, calling the stage functions directly."""
    for path in warm:  # steady state: the analysis caches hold the common words
        analyse_fields(prepare(str(path.resolve()), path.name, path.read_bytes()))
    ms = {"parse": 0.0, "extract": 0.0, "analyse": 0.0, "original": 0.0, "catalog": 0.0, "index_write": 0.0}
    items = []
    for path in files:
        data = path.read_bytes()
        source = str(path.resolve())
        t0 = time.perf_counter()
        parsed = parse(data, path.name)
        t1 = time.perf_counter()
        extract(parsed, source)
        ms["parse"] += (t1 - t0) * 1000
        ms["extract"] += (time.perf_counter() - t1) * 1000
        items.append((data, prepare(source, path.name, data, parsed=parsed)))
    tokens = 0
    analyzed = {}
    for _, doc in items:
        tokens += analyse_fields(doc)
        t = time.perf_counter()
        analyzed[doc.id] = analyzed_fields(doc)  # what a worker hands the writer
        ms["analyse"] += (time.perf_counter() - t) * 1000
    work = tmp / "stages"
    work.mkdir()
    catalog, store = Catalog(work / "catalog.sqlite"), FileStore(work / "files")
    saved = []
    for data, doc in items:  # as the workers store originals: no fsync each ...
        ms["original"] += timed(store.put, data, doc.sha256, sync=False)
    ms["original"] += timed(store.sync)  # ... one sync of the file system (per index commit)
    for start in range(0, len(items), CHUNK_FILES):  # the writer: one transaction per chunk
        chunk = [(doc, dnr_keys(doc)) for _, doc in items[start:start + CHUNK_FILES]]
        t = time.perf_counter()
        saved += catalog.save_many(chunk)
        ms["catalog"] += (time.perf_counter() - t) * 1000
    catalog.close()
    engine = WhooshEngine(work / "index", EngineSettings(merge="commit"))
    batch = engine.settings.batch

    def write(docs):  # the one write path: the engine's writer, a commit per batch
        writer = engine.writer()
        for doc in docs:
            writer.add(doc, analyzed.get(doc.id))
        writer.commit()

    for start in range(0, len(saved), batch):
        ms["index_write"] += timed(write, saved[start:start + batch])
    engine.close()
    shutil.rmtree(work, ignore_errors=True)
    n = len(items)
    per_doc = {k: v / n for k, v in ms.items()}
    # The writer's Whoosh work: the postings of fields analysed and encoded in the workers.
    per_doc["index"] = per_doc["index_write"]
    shown = ("parse", "extract", "analyse", "original", "index", "catalog")
    total = sum(per_doc[k] for k in shown)
    return {"documents": n, "tokens_per_doc": tokens / n, "ms_per_doc": per_doc,
            "share": {k: per_doc[k] / total for k in shown}, "total_ms_per_doc": total}


# -- PDFs ------------------------------------------------------------------------------------


def pdf_figures(pdfs: list[Path], jobs: int, tmp: Path) -> dict:
    pages, seconds, failed = 0, 0.0, 0
    for path in pdfs:
        data = path.read_bytes()
        t = time.perf_counter()
        try:
            pages += len(parse(data, path.name).pages)
        except Exception:
            failed += 1
        seconds += time.perf_counter() - t
    through = run_ingest(tmp / "data-pdf", pdfs, jobs, tmp)
    shutil.rmtree(tmp / "data-pdf", ignore_errors=True)
    return {"files": len(pdfs), "pages": pages, "failed": failed, "parse_seconds": seconds,
            "parse_pages_per_s": pages / seconds if seconds else 0.0,
            "ingest_pages_per_s": through["pages_per_s"], "ingest_seconds": through["seconds"],
            "ingest_pages": through["pages"], "ingest_peak_tree_pss_mib": through["peak_tree_pss_mib"]}


# -- our engine: in-process and HTTP -----------------------------------------------------------


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


# -- peers: the same token streams in tantivy and SQLite FTS5 ---------------------------------


def _peer_row(doc) -> dict:
    """A document as pre-analysed, space-joined terms: title, text (headings and body), the
    parts of Swedish compounds, dnr keys, and the filter columns."""
    f = to_fields(doc)
    language = "en" if "text_en" in f else "sv"
    title = f.get("title_en" if language == "en" else "title") or ""
    body = f"{f['headings']}\n{f.get('text_en' if language == 'en' else 'text') or ''}"
    tokens = list(analyze(body, language, parts=language == "sv"))
    digits = "".join(ch for ch in f["date"] if ch.isdigit())[:8]
    return {
        "id": doc.id,
        "title": " ".join(t.text for t in analyze(title, language)),
        "text": " ".join(t.text for t in tokens if not t.part),
        "parts": " ".join(t.text for t in tokens if t.part),
        "dnr": " ".join(k for k in f["dnr"].split(",") if k),
        "doctype": f["doctype"] or "",
        "year": f.get("year", ""),
        "date": int(digits.ljust(8, "0")) if digits else 0,
    }


def _peer_rows_of(args: tuple[str, list[str]]) -> list[dict]:
    catalog = Catalog(Path(args[0]), readonly=True)
    try:
        return [_peer_row(doc) for doc in catalog.iter_documents(args[1])]
    finally:
        catalog.close()


def peer_rows(data: DataDir, jobs: int) -> tuple[list[dict], float]:
    """Every catalogued document's token streams (computed in `jobs` processes) and seconds."""
    catalog = Catalog(data.catalog_path, readonly=True)
    ids = catalog.iter_ids()
    catalog.close()
    chunks = [(str(data.catalog_path), ids[i:i + 500]) for i in range(0, len(ids), 500)]
    t = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        rows = [row for chunk in pool.map(_peer_rows_of, chunks) for row in chunk]
    return rows, time.perf_counter() - t


class TantivyPeer:
    name = "tantivy"

    def __init__(self, path: Path):
        import tantivy

        self.t = tantivy
        b = tantivy.SchemaBuilder()
        b.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
        for name in ("title", "text"):
            b.add_text_field(name, tokenizer_name="whitespace")
        b.add_text_field("parts", tokenizer_name="whitespace", index_option="freq")
        for name in ("dnr", "doctype", "year"):
            b.add_text_field(name, tokenizer_name="whitespace", index_option="basic")
        b.add_integer_field("date", fast=True, indexed=False)
        self.schema = b.build()
        path.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.index = tantivy.Index(self.schema, path=str(path))
        self.searcher = None

    def add(self, rows: list[dict]) -> None:
        writer = self.index.writer(heap_size=256 * MIB)
        for row in rows:
            writer.add_document(self.t.Document(**row))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def _word(self, term: str):
        Q, O = self.t.Query, self.t.Occur
        return Q.boolean_query([
            (O.Should, Q.boost_query(Q.term_query(self.schema, "title", term), 3.0)),
            (O.Should, Q.term_query(self.schema, "text", term)),
            (O.Should, Q.boost_query(Q.term_query(self.schema, "parts", term), 0.3)),
        ])

    def query(self, bq: BenchQuery):
        Q, O, s = self.t.Query, self.t.Occur, self.schema
        kind = bq.peer[0]
        if kind == "all":
            clauses = [(O.Must, self._word(t)) for t in query_terms(bq.peer[1])]
        elif kind == "any":
            clauses = [(O.Must, Q.boolean_query([(O.Should, self._word(t)) for t in query_terms(bq.peer[1])]))]
        elif kind == "phrase":
            words = query_terms(bq.peer[1])
            clauses = [(O.Must, Q.boolean_query([(O.Should, Q.phrase_query(s, f, words)) for f in ("title", "text")]))]
        elif kind == "prefix":
            pattern = re.escape(query_terms(bq.peer[1])[0]) + ".*"
            fields = ("title", "text", "parts")
            clauses = [(O.Must, Q.boolean_query([(O.Should, Q.regex_query(s, f, pattern)) for f in fields]))]
        elif kind == "not":
            clauses = [(O.Must, self._word(query_terms(bq.peer[1])[0])),
                       (O.MustNot, self._word(query_terms(bq.peer[2])[0]))]
        elif kind == "dnr":
            clauses = [(O.Must, Q.term_query(s, "dnr", dnr_module.query_key(bq.peer[1])))]
        else:
            clauses = []
        clauses += [(O.Must, Q.term_query(s, name, value)) for name, value in bq.filters.items()]
        return Q.boolean_query(clauses) if clauses else Q.all_query()

    def search(self, bq: BenchQuery) -> tuple[int, list[str]]:
        by_date = bq.sort == "date" or bq.peer[0] == "browse"
        result = self.searcher.search(self.query(bq), limit=10, count=True, offset=10 * (bq.page - 1),
                                      **({"order_by_field": "date"} if by_date else {}))
        ids = [self.searcher.doc(address)["id"][0] for _, address in result.hits]
        return result.count, ids

    def size(self) -> int:
        return size_of(self.path)

    def close(self) -> None:
        self.searcher = None


class Fts5Peer:
    name = "fts5"
    COLUMNS = "{title text parts}"

    def __init__(self, path: Path):
        self.path = path
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.executescript("""
            CREATE VIRTUAL TABLE fts USING fts5(title, text, parts, dnr,
                tokenize = "unicode61 remove_diacritics 0");
            CREATE TABLE meta(rowid INTEGER PRIMARY KEY, id TEXT, doctype TEXT, year TEXT, date INTEGER);
        """)

    def add(self, rows: list[dict]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT INTO fts(rowid, title, text, parts, dnr) VALUES (?,?,?,?,?)",
                [(i, r["title"], r["text"], r["parts"], r["dnr"]) for i, r in enumerate(rows, 1)])
            self.db.executemany(
                "INSERT INTO meta(rowid, id, doctype, year, date) VALUES (?,?,?,?,?)",
                [(i, r["id"], r["doctype"], r["year"], r["date"]) for i, r in enumerate(rows, 1)])
            self.db.executescript("""
                CREATE INDEX meta_doctype ON meta(doctype, date);
                CREATE INDEX meta_year ON meta(year, date);
                CREATE INDEX meta_date ON meta(date);
            """)

    @staticmethod
    def _quoted(term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    def match(self, bq: BenchQuery) -> str | None:
        kind, q = bq.peer[0], self._quoted
        if kind == "all":
            return f"{self.COLUMNS}: ({' AND '.join(q(t) for t in query_terms(bq.peer[1]))})"
        if kind == "any":
            return f"{self.COLUMNS}: ({' OR '.join(q(t) for t in query_terms(bq.peer[1]))})"
        if kind == "phrase":
            return "{title text}: " + q(" ".join(query_terms(bq.peer[1])))
        if kind == "prefix":
            return f"{self.COLUMNS}: " + q(query_terms(bq.peer[1])[0]) + " *"
        if kind == "not":
            return f"{self.COLUMNS}: ({q(query_terms(bq.peer[1])[0])} NOT {q(query_terms(bq.peer[2])[0])})"
        if kind == "dnr":
            return "{dnr}: " + q(dnr_module.query_key(bq.peer[1]))
        return None

    def search(self, bq: BenchQuery) -> tuple[int, list[str]]:
        match = self.match(bq)
        where = [f"m.{name} = ?" for name in bq.filters]
        params = list(bq.filters.values())
        by_date = bq.sort == "date" or match is None
        if match is None:
            sql = "FROM meta m" + (" WHERE " + " AND ".join(where) if where else "")
        else:
            # CROSS JOIN keeps the full-text match as the outer loop: with a plain JOIN SQLite
            # may walk a filter column's index and run the match once per row (seconds at 100k).
            sql = "FROM fts CROSS JOIN meta m ON m.rowid = fts.rowid WHERE fts MATCH ?" + "".join(
                " AND " + w for w in where)
            params = [match, *params]
        order = "m.date DESC" if by_date else "bm25(fts, 3.0, 1.0, 0.3, 5.0)"
        ids = [r[0] for r in self.db.execute(f"SELECT m.id {sql} ORDER BY {order} LIMIT 10 OFFSET ?",
                                             [*params, 10 * (bq.page - 1)])]
        total = self.db.execute(f"SELECT count(*) {sql}", params).fetchone()[0]
        return total, ids

    def size(self) -> int:
        return sum(size_of(p) for p in self.path.parent.glob(self.path.name + "*"))

    def close(self) -> None:
        self.db.close()


def run_peer(peer, rows: list[dict], repeat: int, max_seconds: float) -> dict:
    t = time.perf_counter()
    peer.add(rows)
    seconds = time.perf_counter() - t
    totals = {bq.label: peer.search(bq)[0] for bq in QUERIES}
    out = run_both(peer.search, repeat, max_seconds)
    out.update({"index_seconds": seconds, "index_docs_per_s": len(rows) / seconds,
                "index_mib": peer.size() / MIB, "totals": totals})
    return out


# -- one size ---------------------------------------------------------------------------------


def measure(size: int, base: list[Path], tmp: Path, args) -> dict:
    files = file_set(size, base, tmp)
    data = DataDir(tmp / f"data-{size}")
    log(f"[{size}] ingest of {len(files)} files through ingest_paths (jobs={args.jobs}) ...")
    out: dict = {"size": size, "ingest": run_ingest(data.root, files, args.jobs, tmp)}
    ing = out["ingest"]
    log(f"[{size}]   {ing['documents']} documents in {ing['seconds']:.0f} s = {ing['docs_per_s']:.0f}/s, "
        f"peak tree PSS {ing['peak_tree_pss_mib']:.0f} MiB")
    t = time.perf_counter()
    os.sync()  # the ingest's dirty pages written back now, not while queries are timed
    out["sync_seconds"] = time.perf_counter() - t
    out["disk_mib"] = {"index": size_of(data.index_path) / MIB, "catalog": catalog_size(data) / MIB,
                       "originals": size_of(data.files_path) / MIB}
    out["index_segments"] = len(list(IndexStore(data.index_path).current_dir().glob("*.seg")))
    log(f"[{size}] in-process queries ...")
    out["in_process"] = in_process(data, args.repeat, args.phase_seconds)
    log(f"[{size}]   p50 {out['in_process']['full']['p50']:.1f} ms, p95 {out['in_process']['full']['p95']:.1f} ms")
    log(f"[{size}] HTTP (python -m web) ...")
    with Server(data, tmp / f"web-{size}.log") as server:
        out["http_1"] = http_single(server, args.repeat, args.phase_seconds)
        out[f"http_{args.clients}"] = http_concurrent(server, args.clients, args.requests, args.phase_seconds)
        out["server_peak_rss_mib"] = server.peak_rss_mib()
    log(f"[{size}]   1 client p50 {out['http_1']['p50']:.1f} ms; {args.clients} clients "
        f"{out[f'http_{args.clients}']['requests_per_s']:.1f} req/s")
    log(f"[{size}] peers: analysing the catalogued documents for them ...")
    rows, seconds = peer_rows(data, args.jobs)
    out["peer_analysis"] = {"documents": len(rows), "seconds": seconds, "docs_per_s": len(rows) / seconds}
    peers = (TantivyPeer(tmp / f"tantivy-{size}"), Fts5Peer(tmp / f"fts5-{size}.sqlite"))
    for peer in peers:
        log(f"[{size}]   {peer.name} ...")
        out[peer.name] = run_peer(peer, rows, args.repeat, args.phase_seconds)
        peer.close()
    log(f"[{size}]   tantivy p50 {out['tantivy']['p50']:.2f} ms, fts5 p50 {out['fts5']['p50']:.2f} ms")
    del rows
    if not args.keep:  # free the disk before the next size
        shutil.rmtree(data.root, ignore_errors=True)
        shutil.rmtree(peers[0].path, ignore_errors=True)
        for path in tmp.glob(f"fts5-{size}.sqlite*"):
            path.unlink()
    return out


# -- report -----------------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _ratio(a: float, b: float) -> str:
    if not a or not b or a != a or b != b:
        return "-"
    r = a / b
    return f"{r:.1f}×" if r < 100 else f"{r:.0f}×"


def report(results: dict, args) -> str:
    sizes = results["sizes"]
    c = args.clients
    head = "".join(f"{s['size']:>14,}" for s in sizes) + ("      growth" if len(sizes) > 1 else "")
    lines = [f"Diariet performance — {os.cpu_count()} cores, jobs={args.jobs}, "
             f"corpus {CORPUS.name} ({results['corpus_files']} files; larger sizes add shuffled variants)",
             "", f"{'documents':42s}{head}"]

    def row(label: str, get: Callable[[dict], float], fmt: str = "{:.1f}", lower_better=True):
        values = [get(s) for s in sizes]
        cells = "".join(f"{fmt.format(v):>14}" for v in values)
        growth = f"{_ratio(values[-1], values[0]):>12}" if len(values) > 1 else ""
        lines.append(f"{label:42s}{cells}{growth}")

    row("ingest documents/s (ingest_paths)", lambda s: s["ingest"]["docs_per_s"], "{:.0f}")
    row("  ingest wall s", lambda s: s["ingest"]["seconds"], "{:.0f}")
    row("  writer CPU ms/doc", lambda s: 1000 * s["ingest"]["writer_cpu_s"] / s["ingest"]["documents"])
    row("  other processes' CPU ms/doc", lambda s: 1000 * s["ingest"]["workers_cpu_s"] / s["ingest"]["documents"])
    row("  CPU use (all processes / wall × cores)", lambda s: 100 * s["ingest"]["cpu_utilisation"], "{:.0f}%")
    row("peak memory, ingest tree PSS MiB", lambda s: s["ingest"]["peak_tree_pss_mib"], "{:.0f}")
    row("  same, summed RSS MiB", lambda s: s["ingest"]["peak_tree_rss_mib"], "{:.0f}")
    row("  writer max RSS MiB", lambda s: s["ingest"]["writer_maxrss_mib"], "{:.0f}")
    row("  largest worker max RSS MiB", lambda s: s["ingest"]["worker_maxrss_mib"], "{:.0f}")
    row("index MiB (Whoosh)", lambda s: s["disk_mib"]["index"])
    row("  index segments", lambda s: s["index_segments"], "{:.0f}")
    row("catalog MiB (SQLite)", lambda s: s["disk_mib"]["catalog"])
    row("originals MiB", lambda s: s["disk_mib"]["originals"])
    for key, label in (("full", "in-process Searcher.search"), ("no_catalog", "  without hit rows/snippets")):
        for p in ("p50", "p95", "p99"):
            row(f"{label} {p} ms", lambda s, k=key, p=p: s["in_process"][k][p])
        for p in ("p50", "p95", "p99"):
            row(f"  fresh queries {p} ms", lambda s, k=key, p=p: s["in_process"][k]["fresh"][p])
    for p in ("p50", "p95", "p99"):
        row(f"HTTP /api/search, 1 client {p} ms", lambda s, p=p: s["http_1"][p])
    for p in ("p50", "p95", "p99"):
        row(f"  fresh queries {p} ms", lambda s, p=p: s["http_1"]["fresh"][p])
    row(f"HTTP, {c} clients requests/s", lambda s: s[f"http_{c}"]["requests_per_s"])
    for p in ("p50", "p95", "p99"):
        row(f"HTTP, {c} clients {p} ms", lambda s, p=p: s[f"http_{c}"][p])
    row(f"  {c} clients: requests made", lambda s: s[f"http_{c}"]["requests"], "{:.0f}")
    row(f"  {c} clients: errors", lambda s: s[f"http_{c}"]["errors"], "{:.0f}")
    row("web server peak RSS MiB", lambda s: s["server_peak_rss_mib"], "{:.0f}")
    row("analysis for the peers documents/s", lambda s: s["peer_analysis"]["docs_per_s"], "{:.0f}")
    for name in ("tantivy", "fts5"):
        row(f"{name} index documents/s (pre-analysed)", lambda s, n=name: s[n]["index_docs_per_s"], "{:.0f}")
        row(f"{name} index MiB", lambda s, n=name: s[n]["index_mib"])
        for p in ("p50", "p95", "p99"):
            row(f"{name} {p} ms", lambda s, n=name, p=p: s[n][p], "{:.2f}")
        for p in ("p50", "p95"):
            row(f"  fresh queries {p} ms", lambda s, n=name, p=p: s[n]["fresh"][p], "{:.2f}")

    stages = results["stages"]
    whoosh_docs_per_s = 1000 / stages["ms_per_doc"]["index"] if stages["ms_per_doc"]["index"] else 0
    lines += ["", "Peers vs ours (same documents and token streams, same queries; latency against "
                  "Searcher.search, fixed mix / fresh queries):"]
    for s in sizes:
        ours = s["in_process"]["full"]
        for name in ("tantivy", "fts5"):
            peer = s[name]
            lines.append(
                f"  {s['size']:>7,} {name:8s} indexes {_ratio(peer['index_docs_per_s'], s['ingest']['docs_per_s'])} "
                f"faster than our pipeline, {_ratio(peer['index_docs_per_s'], whoosh_docs_per_s)} than our "
                f"Whoosh write alone; p50 {_ratio(ours['p50'], peer['p50'])} / "
                f"{_ratio(ours['fresh']['p50'], peer['fresh']['p50'])} lower, p95 "
                f"{_ratio(ours['p95'], peer['p95'])} / {_ratio(ours['fresh']['p95'], peer['fresh']['p95'])} lower")
    lines.append("  Not compared: ours also computes 7 facet counts, spelling suggestions and snippets per "
                 "query; the peers return top 10 + exact count. All query kinds were expressed in both.")

    ms = stages["ms_per_doc"]
    lines += ["", f"Ingest stages (stage functions timed on {stages['documents']} documents, "
                  f"{stages['tokens_per_doc']:.0f} tokens/doc; ms per document and share):"]
    where = {"parse": "workers", "extract": "workers", "analyse": "workers", "original": "workers",
             "index": "writer", "catalog": "writer"}
    for k, share in stages["share"].items():
        lines.append(f"  {k:8s} {ms[k]:7.2f} ms  {share:6.1%}   ({where[k]})")
    lines.append("  (analyse = our analysis and Whoosh's encoding of the text fields, done in the workers; "
                 "original = the original file, synced once per batch; index = the writer's Whoosh "
                 "add and commit of those postings; catalog = the catalog rows, a transaction per chunk)")
    writer = ms["index"] + ms["catalog"]
    workers = ms["parse"] + ms["extract"] + ms["analyse"] + ms["original"]
    lines.append(f"  ceilings from these costs: one writer ≤ {1000 / writer:.0f} documents/s; parse+extract+analyse "
                 f"+original in {args.jobs} workers ≤ {1000 * args.jobs / workers:.0f} documents/s; all on "
                 f"{os.cpu_count()} cores ≤ {1000 * (os.cpu_count() or 1) / (writer + workers):.0f} documents/s")
    pdf = results.get("pdf")
    if pdf:
        lines += ["", f"PDF ({pdf['files']} files, {pdf['pages']} pages in {PDF_CORPUS.name}/): "
                      f"parse only {pdf['parse_pages_per_s']:.1f} pages/s (1 process); "
                      f"ingest_paths {pdf['ingest_pages_per_s']:.1f} pages/s (jobs={args.jobs}), "
                      f"peak tree PSS {pdf['ingest_peak_tree_pss_mib']:.0f} MiB"]
    last = sizes[-1]
    lines += ["", f"Per query at {last['size']:,} (hits ours/tantivy/fts5; median ms in-process, "
                  f"HTTP, tantivy, fts5):"]
    for bq in QUERIES:
        lab = bq.label
        lines.append(
            f"  {bq.kind:7s}{lab[:38]:38s} {last['in_process']['totals'][lab]:>7}/{last['tantivy']['totals'][lab]:>7}"
            f"/{last['fts5']['totals'][lab]:>7}  {last['in_process']['full']['median_by_query'][lab]:8.1f}"
            f"{last['http_1']['median_by_query'][lab]:8.1f}{last['tantivy']['median_by_query'][lab]:8.2f}"
            f"{last['fts5']['median_by_query'][lab]:8.2f}")
    lines += ["", f"Fresh queries at {last['size']:,}, median ms by kind (in-process, without hit "
                  f"rows/snippets, HTTP, tantivy, fts5):"]
    for kind, ms_kind in last["in_process"]["full"]["fresh"]["median_by_kind"].items():
        cells = [last["in_process"]["no_catalog"], last["http_1"], last["tantivy"], last["fts5"]]
        lines.append(f"  {kind:8s}{ms_kind:8.1f}" + "".join(
            f"{c['fresh']['median_by_kind'].get(kind, float('nan')):8.1f}" for c in cells[:2]) + "".join(
            f"{c['fresh']['median_by_kind'].get(kind, float('nan')):8.2f}" for c in cells[2:]))
    return "\n".join(lines)


# -- entry ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", help="document counts, comma-separated (default 10000,100000; "
                                    "--quick: 2000)")
    ap.add_argument("--quick", action="store_true", help="a 2,000-document subset, fewer repeats")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="ingest processes")
    ap.add_argument("--repeat", type=int, help="rounds of the query mix per measurement")
    ap.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    ap.add_argument("--requests", type=int, help="requests of the concurrent run (at most)")
    ap.add_argument("--phase-seconds", type=float, default=90.0,
                    help="time bound of each latency measurement (at least one round runs)")
    ap.add_argument("--stage-sample", type=int, help="documents of the stage timing")
    ap.add_argument("--no-pdf", action="store_true", help="skip the PDF figures")
    ap.add_argument("--json", type=Path, help="also write the figures here as JSON")
    ap.add_argument("--tmp", type=Path, help="work folder (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep data directories and peer indexes")
    ap.add_argument("--ingest-child", nargs=2, metavar=("DATA", "LIST"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.ingest_child:
        return ingest_child(Path(args.ingest_child[0]), Path(args.ingest_child[1]), args.jobs)
    sizes = [int(s.replace("_", "")) for s in (args.sizes or ("2000" if args.quick else "10000,100000")).split(",")]
    args.repeat = args.repeat or (3 if args.quick else 10)
    args.requests = args.requests or (400 if args.quick else 2000)
    args.stage_sample = args.stage_sample or (100 if args.quick else 400)
    if not CORPUS.is_dir():
        print(f"corpus not found: {CORPUS}", file=sys.stderr)
        return 1
    base = list(collect([CORPUS]))
    pdfs = sorted(PDF_CORPUS.rglob("*.pdf"), key=lambda p: p.stat().st_size)
    if args.quick:
        pdfs = pdfs[: len(pdfs) // 2]
    tmp = Path(tempfile.mkdtemp(prefix="diariet-perf-", dir=args.tmp))
    started = time.perf_counter()
    stamp = code_stamp()
    busy, own = busy_seconds(), own_seconds()
    try:
        results: dict = {"corpus_files": len(base), "jobs": args.jobs, "cores": os.cpu_count(),
                         "sizes_requested": sizes, "sizes": []}
        sample = random.Random(11).sample(base, args.stage_sample + 200)
        log(f"stage costs on {args.stage_sample} documents ...")
        results["stages"] = stage_costs(sample[200:], sample[:200], tmp)
        if not args.no_pdf and pdfs:
            log(f"PDF: {len(pdfs)} files ...")
            results["pdf"] = pdf_figures(pdfs, args.jobs, tmp)
        for size in sizes:
            results["sizes"].append(measure(size, base, tmp, args))
        results["seconds"] = time.perf_counter() - started
        foreign = max(busy_seconds() - busy - (own_seconds() - own), 0.0)
        results["other_cpu_share"] = foreign / (results["seconds"] * (os.cpu_count() or 1))
        text = report(results, args)
        print(text)
        print(f"\n(whole run {results['seconds'] / 60:.1f} min; sizes {', '.join(f'{s:,}' for s in sizes)})")
        if results["other_cpu_share"] > 0.05:
            print(f"WARNING: other processes used {results['other_cpu_share']:.0%} of this machine's CPU "
                  f"during the run: the figures are slower than on an idle machine.")
        changed = sorted(k for k, v in code_stamp().items() if stamp.get(k) != v)
        results["code_changed_during_run"] = changed
        if changed:
            print(f"WARNING: production code changed during this run ({', '.join(changed)}): the "
                  f"processes started later (ingest, web server) ran newer code than this one.")
        if args.json:
            args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
