"""Crawl stage 2: the Scrapy settings for one source, read once from it and passed to Scrapy."""
from __future__ import annotations

from ingest.fetch.sources import Source

USER_AGENT = "Diariet/0.1 (+https://github.com/diariet; open archive of Swedish public records)"
ROBOTS_AGENT = "Diariet"  # the product token robots.txt groups are matched against

_PACKAGE = "ingest.fetch"


def robots_agent(user_agent: str) -> str:
    """The product token of a User-Agent: "Diariet/0.1 (+...)" → "Diariet"."""
    return user_agent.split("/")[0].split()[0] if user_agent.strip() else ROBOTS_AGENT


def scrapy_settings(source: Source) -> dict:
    """Polite defaults: robots.txt, one request at a time per host, a fixed delay (robots.txt's
    Crawl-delay if longer), bounded size and time, retries with back-off."""
    user_agent = source.user_agent or USER_AGENT
    return {
        "USER_AGENT": user_agent,
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_USER_AGENT": robots_agent(user_agent),
        "DOWNLOAD_DELAY": source.delay,
        "DOWNLOAD_DELAY_JITTER": 0,  # the delay is a minimum, never shortened at random
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "CONCURRENT_REQUESTS": 4,
        "DOWNLOAD_TIMEOUT": source.timeout,
        "DOWNLOAD_MAXSIZE": source.max_size,
        "RETRY_TIMES": source.retries,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "REDIRECT_MAX_TIMES": 10,
        "COOKIES_ENABLED": False,  # public records need no session
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,  # Scrapy 2.19's code-execution server: never on an archive host
        "LOG_LEVEL": "INFO",
        "DIARIET_HOSTS": sorted(source.hosts),
        "DIARIET_PRIVATE": source.private,
        "DIARIET_BACKOFF": source.backoff,
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,  # by domain; we want hosts
            f"{_PACKAGE}.scope.HostGuard": 50,  # before robots.txt: no other host is ever asked
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            f"{_PACKAGE}.politeness.Backoff": 550,
        },
        "EXTENSIONS": {f"{_PACKAGE}.politeness.CrawlDelay": 500},
        "ITEM_PIPELINES": {
            f"{_PACKAGE}.archive.Archive": 100,
            f"{_PACKAGE}.archive.Remember": 200,
        },
    }
