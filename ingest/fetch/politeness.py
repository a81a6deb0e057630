"""Crawl stage 4b: a well-behaved crawl: robots.txt's Crawl-delay, back-off, Retry-After.

Scrapy obeys robots.txt's Allow/Disallow (ROBOTSTXT_OBEY) and keeps a delay per host
(DOWNLOAD_DELAY), but it neither applies Crawl-delay nor waits between retries. These two
components add that:

* `CrawlDelay` (extension): when a host's robots.txt is parsed, its Crawl-delay for our user
  agent becomes that host's delay if it is longer than the source's.
* `Backoff` (replaces Scrapy's RetryMiddleware): a retry waits `backoff * 2**(n-1)` seconds; a
  429 or 503 with Retry-After pauses every request to that host for as long as it asks (up to
  `RETRY_AFTER_MAX`; a longer wait gives the URL up for this run).
"""
from __future__ import annotations

import asyncio
import logging
import time
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.response import response_status_message

logger = logging.getLogger(__name__)

RETRY_AFTER_MAX = 600.0  # seconds; a server asking for more is asked again on the next run
BACKOFF_MAX = 120.0


class CrawlDelay:
    """Applies robots.txt's Crawl-delay to the host's download slot."""

    def __init__(self, crawler, user_agent: str, delay: float):
        self.crawler = crawler
        self.user_agent = user_agent
        self.delay = delay
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(crawler, settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT"),
                   settings.getfloat("DOWNLOAD_DELAY"))

    def robots_parsed(self, robotparser, request):
        crawl_delay = robotparser.crawl_delay(self.user_agent)
        if not crawl_delay or crawl_delay <= self.delay:
            return
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        # New slots for this host start with the delay; an existing one is slowed down now.
        downloader.per_slot_settings.setdefault(key, {})["delay"] = crawl_delay
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay = max(slot.delay, crawl_delay)
        logger.info("robots.txt for %s asks for Crawl-delay %.2f s: applied", key, crawl_delay)


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date.

    >>> retry_after_seconds(b"120"), retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412400)
    (120.0, 80.0)
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


class Backoff(RetryMiddleware):
    """Scrapy's RetryMiddleware with waits: exponential back-off, and Retry-After per host."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff = settings.getfloat("DIARIET_BACKOFF")
        self.paused_until: dict[str, float] = {}  # host → monotonic time

    async def process_request(self, request):
        host = urlsplit(request.url).hostname or ""
        until = max(request.meta.get("diariet_not_before", 0.0), self.paused_until.get(host, 0.0))
        wait = until - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        return None

    def process_response(self, request, response):  # type: ignore[override]  # Scrapy 2.13+: no spider argument
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        wait = None
        if response.status in (429, 503):
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            if wait is not None and wait > RETRY_AFTER_MAX:
                logger.warning("%s asks to wait %.0f s (Retry-After): given up for this run", request.url, wait)
                return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        self._schedule(retry, wait)
        return retry

    def process_exception(self, request, exception):  # type: ignore[override]  # as above
        retry = super().process_exception(request, exception)
        if retry is not None:
            self._schedule(retry, None)
        return retry

    def _schedule(self, retry, retry_after: float | None) -> None:
        attempt = retry.meta.get("retry_times", 1)
        wait = min(BACKOFF_MAX, self.backoff * 2 ** (attempt - 1))
        now = time.monotonic()
        if retry_after is not None:
            wait = max(wait, retry_after)
            host = urlsplit(retry.url).hostname or ""
            self.paused_until[host] = max(self.paused_until.get(host, 0.0), now + retry_after)
        retry.meta["diariet_not_before"] = now + wait
