"""Benchmark of issue 7: ingest, memory, index size and query latency beside tantivy and FTS5.

    python -m benchmarks.perf [--sizes 10000,100000] [--quick] [--jobs 2] [--json PATH]

One run, on the same documents for every figure:
  * the corpus: ../shared/corpus/bulk/regeringen (10,445 Markdown pages); a size above that is
    made of the originals plus variants (paragraphs shuffled, a numbered line added, so the bytes,
    the sha256 and the id differ) written to a temporary folder, never committed;
  * ingest through the real pipeline (ingest_paths, in a child process, its process tree's
    memory sampled from /proc), index, catalog and originals sizes on disk;
  * each stage's cost measured on the pipeline's own code (benchmarks/perf/ingest.py: the
    workers' parse, extract, analysis and original as a worker runs them; a real Ingester's
    writer with its catalog, file store, index writer and decisions index clocked by part), and
    PDF pages/s on ../shared/corpus/real (parse only and ingest_paths);
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
