"""Crawl stage 5: the item pipeline. A fetched file goes to the one writer, then is remembered.

Stages, in order (ITEM_PIPELINES in settings.py), each taking a `Fetched` and returning it:

1. `Archive`: the writer thread checks the sha256 against the catalog (same bytes for the same
   URL: "unchanged", nothing parsed), else parses, extracts with the listing's hints and saves.
2. `Remember`: the URL's validators and sha256 go to crawl.sqlite and its frontier entry is
   done, only now, so a crawl killed in between fetches the file again (and finds it unchanged).
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from ingest.model import ParseError
from ingest.pipeline.runner import Ingester, Outcome, prepare


@dataclass
class Fetched:
    """A file fetched for a source, on its way into the archive."""

    url: str  # the URL it was linked as: the document's source and identity
    name: str  # a file name for the parser (from Content-Disposition or the URL's path)
    data: bytes = field(repr=False)
    sha256: str
    hints: dict
    etag: str | None = None
    last_modified: str | None = None
    outcome: Outcome | None = None


class Writer:
    """The one writer: a single thread owns the Ingester (catalog, file store, index), so the
    crawl's event loop never blocks on parsing and nothing else writes to the data directory."""

    def __init__(self, ingester: Ingester):
        self.ingester = ingester
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="diariet-writer")

    def run(self, fn: Callable, *args) -> Future:
        return self._thread.submit(fn, *args)

    def ingest(self, item: Fetched) -> Future:
        return self._thread.submit(self._ingest, item.url, item.name, item.data, item.sha256, item.hints)

    def _ingest(self, url: str, name: str, data: bytes, sha256: str, hints: dict) -> Outcome:
        known = self.ingester.is_unchanged(url, sha256, len(data))
        if known:
            return Outcome(url, "unchanged", known)
        try:
            doc = prepare(url, name, data, hints, ocr=self.ingester.settings.ocr)
        except ParseError as e:
            return Outcome(url, "failed", reason=e.reason, message=e.message)
        except Exception as e:  # a bug in a parser or extractor must not stop the crawl
            return Outcome(url, "failed", reason="error", message=f"{type(e).__name__}: {e}")
        try:
            return self.ingester.store(doc, data)
        except Exception as e:  # disk full, a broken catalog: reported by URL, retried next run
            return Outcome(url, "failed", reason="store-error", message=f"{type(e).__name__}: {e}")

    def close(self) -> None:
        self._thread.shutdown(wait=True)


class Archive:
    def __init__(self, writer: Writer):
        self.writer = writer

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.spider.context.writer)

    async def process_item(self, item: Fetched) -> Fetched:
        item.outcome = await asyncio.wrap_future(self.writer.ingest(item))
        return item


class Remember:
    def __init__(self, context):
        self.state = context.state
        self.report = context.report
        self.source = context.source.name

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.spider.context)

    def process_item(self, item: Fetched) -> Fetched:
        assert item.outcome is not None, "the ingest pipeline runs first"
        if item.outcome.status == "failed":
            self.state.done(self.source, item.url)
        else:
            self.state.archived(self.source, item.url, item.etag, item.last_modified, item.sha256)
        self.report.outcome(item.outcome)
        item.data = b""  # the bytes are in the file store now (or failed): free them
        return item
