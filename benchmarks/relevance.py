"""Benchmark: search quality on judged queries, the engine against a plain Whoosh baseline.

    python benchmarks/relevance.py [--corpus ../shared/corpus] [--queries benchmarks/relevance_queries.json] [-v]
    python benchmarks/relevance.py --queries benchmarks/relevance_judged2.json --folders seeds,real,municipal

Ingests ../shared/corpus/seeds and real/ (without the corpus's own SOURCES.md and LINKED_DNR.md)
into a temporary archive with the real pipeline, builds beside it a baseline index of the same
documents with Whoosh's default StandardAnalyzer (no stemming, no compound splitting, no dnr
handling; title and text, the same facet fields and field names), then runs every judged query
on both (the engine twice: over numpy arrays as served, and through Whoosh's own evaluation)
and prints recall@10, MRR and nDCG@10 (binary gains), for the queries tuned on and,
separately, for the held-out ones. A query judged to find nothing counts 1 when it finds
nothing, else 0. Figures, not assertions.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from whoosh import fields, qparser  # noqa: E402
from whoosh import index as whoosh_index  # noqa: E402
from whoosh.analysis import StandardAnalyzer  # noqa: E402

from index.backends.whoosh.engine import WhooshEngine  # noqa: E402
from index.query.parser import FIELD_ALIASES, SearchRequest  # noqa: E402
from index.related.learn import CatalogTexts, learn  # noqa: E402
from index.related.settings import RelatedSettings  # noqa: E402
from index.related.table import Related  # noqa: E402
from index.search.searcher import Searcher  # noqa: E402
from ingest.catalog.database import Catalog  # noqa: E402
from ingest.catalog.datadir import DataDir  # noqa: E402
from ingest.pipeline.runner import collect, ingest_paths  # noqa: E402

K = 10
LEFT_OUT = {"SOURCES.md", "LINKED_DNR.md", "README.md", "manifest.json"}


def corpus_files(corpus: Path, folders: list[str]) -> list[Path]:
    return [p for p in collect([corpus / name for name in folders]) if p.name not in LEFT_OUT]


def relative(source: str, corpus: Path) -> str:
    return str(Path(source).relative_to(corpus.resolve()))


# -- the baseline --------------------------------------------------------------


def build_baseline(catalog: Catalog, path: Path):
    analyzer = StandardAnalyzer()
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=analyzer),
        text=fields.TEXT(analyzer=analyzer),
        doctype=fields.ID, organization=fields.ID, body=fields.ID, year=fields.ID,
        party=fields.KEYWORD(commas=True), language=fields.ID, date=fields.ID,
    )
    ix = whoosh_index.create_in(path, schema)
    writer = ix.writer()
    for doc in catalog.iter_documents(catalog.iter_ids()):
        meta = doc.meta
        writer.add_document(
            id=doc.id, title=meta.title, text=doc.text, doctype=meta.doctype,
            organization=meta.organization or "", body=meta.body or "",
            year=(meta.date or "")[:4], party=",".join(meta.parties), language=meta.language,
            date=meta.date or "",
        )
    writer.commit()
    return ix


def baseline_search(ix, q: str) -> list[str]:
    parser = qparser.MultifieldParser(["title", "text"], ix.schema, group=qparser.AndGroup)
    parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
    parser.add_plugin(qparser.PlusMinusPlugin())
    with ix.searcher() as s:
        try:
            parsed = parser.parse(q)
        except Exception:
            return []
        return [hit["id"] for hit in s.search(parsed, limit=K)]


# -- metrics -------------------------------------------------------------------


def scores(ranked: list[str], relevant: set[str]) -> dict[str, float]:
    if not relevant:  # must find nothing
        ok = float(not ranked)
        return {"recall": ok, "mrr": ok, "ndcg": ok}
    top = ranked[:K]
    hits = [1.0 if r in relevant else 0.0 for r in top]
    first = next((i for i, h in enumerate(hits) if h), None)
    dcg = sum(h / math.log2(i + 2) for i, h in enumerate(hits))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), K)))
    return {
        "recall": sum(hits) / min(len(relevant), K),
        "mrr": 0.0 if first is None else 1 / (first + 1),
        "ndcg": dcg / ideal,
    }


def mean(rows: list[dict[str, float]], key: str) -> float:
    return sum(r[key] for r in rows) / len(rows) if rows else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--queries", type=Path, default=ROOT / "benchmarks" / "relevance_queries.json")
    ap.add_argument("--folders", default="seeds,real",
                    help="corpus folders to ingest, comma-separated (relevance_judged2.json: seeds,real,municipal)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every query's figures")
    ap.add_argument("--data", type=Path, help="keep the archive in this folder and reuse it next time "
                    "(unchanged files are not ingested again; an index of an older schema is rebuilt)")
    ap.add_argument("--no-related", action="store_true", help="search without the archive's related words "
                    "(index/related/; else learned from the archive after the ingest)")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 1
    queries = json.loads(args.queries.read_text(encoding="utf-8"))["queries"]
    with tempfile.TemporaryDirectory() as tmp:
        data = DataDir.create(args.data or Path(tmp) / "data")
        summary = ingest_paths(data, corpus_files(args.corpus, args.folders.split(",")), jobs=2)
        catalog = Catalog(data.catalog_path, readonly=True)
        path_of = {d.id: relative(d.source, args.corpus)
                   for d in catalog.iter_documents(catalog.iter_ids())}
        (Path(tmp) / "baseline").mkdir()
        baseline = build_baseline(catalog, Path(tmp) / "baseline")
        related = None
        if not args.no_related:
            settings = RelatedSettings()
            related = Related(learn(CatalogTexts(catalog), settings), settings)
        searcher = Searcher(WhooshEngine(data.index_path), related)
        # The same engine answering through Whoosh's own evaluation (index.backends.whoosh.arrays off): the
        # array evaluation should rank as well.
        whoosh_only = Searcher(WhooshEngine(data.index_path, use_arrays=False), related)
        print(f"{len(path_of)} documents ({len(summary.failures)} failed), {len(queries)} judged "
              f"queries ({sum(1 for q in queries if q.get('held_out'))} held out)")
        results: dict[tuple[str, bool], list[dict]] = defaultdict(list)
        by_kind: dict[tuple[str, str], list[dict]] = defaultdict(list)
        by_held: dict[tuple[str, bool], list[dict]] = defaultdict(list)
        for item in queries:
            relevant = set(item["relevant"])
            missing = relevant - set(path_of.values())
            if missing:
                print(f"  {item['id']}: not in the corpus: {sorted(missing)}", file=sys.stderr)
            result = searcher.search(SearchRequest(q=item["q"], per_page=K), catalog)
            engine = [path_of[h["id"]] for h in result.hits]
            base = [path_of[i] for i in baseline_search(baseline, item["q"])]
            plain = [path_of[h["id"]] for h in whoosh_only.search(SearchRequest(q=item["q"], per_page=K),
                                                                 catalog).hits]
            held = bool(item.get("held_out"))
            for system, ranked in (("engine", engine), ("engine/whoosh", plain), ("baseline", base)):
                row = scores(ranked, relevant)
                results[(system, held)].append(row)
                by_kind[(system, item["kind"])].append(row)
                if system == "engine":
                    by_held[(item["kind"], held)].append(row)
                if args.verbose and system == "engine":
                    flag = "HELD " if held else ""
                    print(f"  {flag}{item['id']:32s} R={row['recall']:.2f} MRR={row['mrr']:.2f} "
                          f"nDCG={row['ndcg']:.2f}  {item['q']!r}"
                          + ("" if row["recall"] == 1 else f"  top: {ranked[:3]}"))
        print()
        print(f"{'':26s}{'recall@10':>10s}{'MRR':>8s}{'nDCG@10':>9s}  queries")
        for label, held in (("tuned on", False), ("held out", True), ("all", None)):
            for system in ("engine", "engine/whoosh", "baseline"):
                rows = (results[(system, held)] if held is not None
                        else results[(system, False)] + results[(system, True)])
                print(f"{system + ', ' + label:26s}{mean(rows, 'recall'):10.3f}"
                      f"{mean(rows, 'mrr'):8.3f}{mean(rows, 'ndcg'):9.3f}  {len(rows)}")
        print()
        print("by kind (all queries), nDCG@10 engine / baseline:")
        for kind in dict.fromkeys(q["kind"] for q in queries):
            e, b = by_kind[("engine", kind)], by_kind[("baseline", kind)]
            print(f"  {kind:16s} {mean(e, 'ndcg'):.3f} / {mean(b, 'ndcg'):.3f}  ({len(e)})")
        print()
        print("by kind, engine, recall@10 / nDCG@10: tuned on | held out")
        for kind in dict.fromkeys(q["kind"] for q in queries):
            t, h = by_held[(kind, False)], by_held[(kind, True)]
            print(f"  {kind:16s} {mean(t, 'recall'):.3f} / {mean(t, 'ndcg'):.3f} ({len(t)})"
                  f" | {mean(h, 'recall'):.3f} / {mean(h, 'ndcg'):.3f} ({len(h)})")
        searcher.close()
        whoosh_only.close()
        catalog.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
