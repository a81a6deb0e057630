"""Crawl stage: harvest municipal sites, feeds and sitemaps into the archive (python -m ingest --sources).

The stages, in the order a URL meets them:

1. `sources.py`   the sources file (TOML) → validated `Source`s
2. `settings.py`  a `Source` → Scrapy settings (polite defaults, read once)
3. `spider.py`    the frontier → requests; responses → links to follow and files to archive
   (`links.py` + `hints.py` for listing pages, `feeds.py` for RSS/Atom, `sitemaps.py`)
4. `scope.py`, `politeness.py`   downloader middlewares: own hosts only, Crawl-delay,
   back-off and Retry-After
5. `archive.py`   item pipeline: the one writer ingests each file, then its URL is remembered
6. `state.py`     DIR/crawl.sqlite: validators per URL, links per page, the persisted frontier
7. `report.py`    per-source counts and the closing summary; `run.py` ties it together
"""
