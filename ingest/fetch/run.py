"""Crawl stage 7b: run the sources' crawls in this process, one after the other, into one archive.

Scrapy's reactor runs once per process, so `crawl()` is called once per process (the CLI).
Scrapy's own log of the run goes to DIR/crawl.log; the terminal shows a progress bar per source
and the closing summary.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from dataclasses import dataclass, field

from tqdm import tqdm

from ingest.catalog.database import open_catalog
from ingest.catalog.datadir import DataDir
from ingest.fetch.archive import Writer
from ingest.fetch.report import SourceReport
from ingest.fetch.settings import scrapy_settings
from ingest.fetch.sources import Source
from ingest.fetch.spider import CrawlContext, SourceSpider
from ingest.fetch.state import CrawlState
from ingest.pipeline.runner import Ingester
from ingest.pipeline.settings import Settings


@dataclass
class CrawlSummary:
    reports: list[SourceReport] = field(default_factory=list)
    reindexed: int = 0
    interrupted: bool = False

    @property
    def failed(self) -> bool:
        return any(r.failures for r in self.reports)


class Progress:
    """A tqdm bar for one source: URLs handled of those known so far, and the counts that matter."""

    def __init__(self, report: SourceReport, state: CrawlState, quiet: bool):
        self.state = state
        self.bar = tqdm(desc=report.name, unit=" URL", file=sys.stderr, disable=True if quiet else None,
                        dynamic_ncols=True)

    def __call__(self, report: SourceReport) -> None:
        c = report.counts
        done, known = self.state.progress(report.name)
        self.bar.total = known
        self.bar.set_postfix_str(f"{c['new']} nya, {c['updated']} uppd., {c['failed']} fel", refresh=False)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        self.bar.close()


def _log_to(path) -> None:
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    handler.setLevel(logging.INFO)
    logging.getLogger().addHandler(handler)


def crawl(data: DataDir, sources: list[Source], quiet: bool = False,
          settings: Settings | None = None) -> CrawlSummary:
    """Crawl each source into the archive; returns what happened per source."""
    # Imported here: installing the reactor is a process-wide effect, for crawls only.
    from scrapy.crawler import AsyncCrawlerProcess, Crawler

    summary = CrawlSummary()
    ingester = Ingester(data, settings)
    summary.reindexed = ingester.reconcile()
    writer = Writer(ingester)
    state = CrawlState(data.root / "crawl.sqlite")
    reader = open_catalog(data.catalog, readonly=True)

    def archived_sha256(url: str) -> str | None:
        known = reader.state_of(url)
        return known[1] if known else None

    process = AsyncCrawlerProcess(
        {"LOG_INSTALL_ROOT_HANDLER": False, "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False})
    from twisted.internet import reactor  # the asyncio reactor the process just installed

    _log_to(data.root / "crawl.log")  # after Scrapy's logging set-up, which resets handlers

    async def crawl_all() -> None:
        try:
            for source in sources:
                report = SourceReport(source.name, source.kind)
                summary.reports.append(report)
                progress = Progress(report, state, quiet)
                report.on_change = progress
                context = CrawlContext(source, state, writer, report, archived_sha256)
                try:
                    await process.crawl(Crawler(SourceSpider, scrapy_settings(source)), context=context)
                    await asyncio.wrap_future(writer.run(ingester.flush))  # searchable source by source
                finally:
                    progress.close()
                if context.close_reason != "finished":
                    summary.interrupted = True
                    break
        finally:
            with contextlib.suppress(Exception):
                reactor.stop()  # type: ignore[misc]  # twisted's reactor module is typed as the interface

    task = asyncio.get_event_loop().create_task(crawl_all())
    try:
        process.start(stop_after_crawl=False)  # until crawl_all stops the reactor (or Ctrl-C twice)
    finally:
        writer.close()
        ingester.close()
        state.close()
        reader.close()
    if not task.done():
        summary.interrupted = True
    elif not task.cancelled() and (error := task.exception()) is not None:
        raise error
    return summary
