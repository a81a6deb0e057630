"""Crawl stage 1: the sources file (TOML) read and checked, each problem named by source and key."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

KINDS = ("site", "feed", "sitemap")
_REQUIRED = object()


@dataclass(frozen=True)
class Key:
    """One key of a source: its default (or required) and the help the README repeats."""

    help: str
    default: object = _REQUIRED
    in_defaults: bool = True  # may also be set once for every source in [defaults]


# Declared as data: the README documents each key, and a test fails when one is undocumented.
KEYS: dict[str, Key] = {
    "name": Key("unique name of the source, used by --only and in the summary", in_defaults=False),
    "kind": Key('"site" (follow links), "feed" (RSS 2.0/Atom) or "sitemap" (sitemap.xml or a sitemap index)',
                in_defaults=False),
    "start_urls": Key("where the crawl starts: pages, feeds or sitemaps (http/https)", in_defaults=False),
    "organization": Key("the organization behind the documents, a hint used when a document does not say", None),
    "hosts": Key("more hosts the source may fetch from (`host` for ports 80 and 443, `host:port` for "
                 "another); the hosts and ports of start_urls always may", ()),
    "allow": Key("regexes searched in a URL's path: only matching URLs are fetched (default: all)", ()),
    "deny": Key("regexes searched in a URL's path: matching URLs are never fetched", ()),
    "documents": Key('kind = "site": regexes on the path of HTML pages to archive as documents too '
                     "(files that are not HTML are always archived)", ()),
    "max_depth": Key('kind = "site": how many links away from a start URL the crawl goes', 3),
    "delay": Key("seconds between two requests to one host (robots.txt's Crawl-delay if larger)", 1.0),
    "timeout": Key("seconds before a request is abandoned (then retried)", 60.0),
    "max_size": Key("largest response in bytes; larger files are reported and skipped", 100 * 1024 * 1024),
    "retries": Key("retries of 5xx answers, 429 and timeouts", 3),
    "backoff": Key("seconds before the first retry, doubled for each next one (Retry-After wins)", 2.0),
    "user_agent": Key("the User-Agent sent and matched in robots.txt (default names Diariet)", None),
    "private": Key("may fetch from host names that resolve to private, loopback or link-local addresses "
                   "(an intranet); IP addresses and localhost named in start_urls or hosts always may", False),
}


class SourcesError(Exception):
    """A sources file that cannot be used; the message names the file, the source and the key."""


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    start_urls: tuple[str, ...]
    organization: str | None
    hosts: frozenset[str]
    allow: tuple[re.Pattern, ...]
    deny: tuple[re.Pattern, ...]
    documents: tuple[re.Pattern, ...]
    max_depth: int
    delay: float
    timeout: float
    max_size: int
    retries: int
    backoff: float
    user_agent: str | None
    private: bool = False


def host_key(host: str | None, port: int | None) -> str:
    """How a host is named in a source's hosts: `host` for the default ports (http and https
    alike), `host:port` for any other, so another port of an allowed host is another host.

    >>> host_key("Malmo.se", 443), host_key("malmo.se", 8080), host_key("::1", 8080)
    ('malmo.se', 'malmo.se:8080', '[::1]:8080')
    """
    host = (host or "").lower().rstrip(".")
    if port in (None, 80, 443):
        return host
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def url_host_key(url: str) -> str:
    """The host_key of a URL ("" when it has no host or an invalid port)."""
    parts = urlsplit(url)
    try:
        return host_key(parts.hostname, parts.port) if parts.hostname else ""
    except ValueError:  # a port that is no number, or out of range
        return ""


def load(path: str | Path) -> list[Source]:
    """The sources of a TOML file, or SourcesError."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise SourcesError(f"{path}: kan inte läsa källfilen: {e.strerror}") from None
    except UnicodeDecodeError:
        raise SourcesError(f"{path}: källfilen är inte UTF-8") from None
    except tomllib.TOMLDecodeError as e:
        raise SourcesError(f"{path}: ogiltig TOML: {e}") from None
    try:
        return parse(raw)
    except SourcesError as e:
        raise SourcesError(f"{path}: {e}") from None


def select(path: str | Path, only: list[str] | None = None) -> list[Source]:
    """The sources of a file, or only those named (--only), in the file's order."""
    sources = load(path)
    if not only:
        return sources
    names = [s.name for s in sources]
    unknown = [n for n in only if n not in names]
    if unknown:
        raise SourcesError(f'{path}: ingen källa heter {", ".join(map(repr, unknown))} (källor: {", ".join(names)})')
    return [s for s in sources if s.name in only]


def parse(raw: dict) -> list[Source]:
    """Sources from the decoded TOML document."""
    for key in raw:
        if key not in ("sources", "defaults"):
            hint = " (menade du [[sources]]?)" if key == "source" else ""
            raise SourcesError(f'okänd nyckel "{key}" på översta nivån{hint}')
    defaults = raw.get("defaults", {})
    if not isinstance(defaults, dict):
        raise SourcesError('"defaults" ska vara en tabell: [defaults]')
    for key, value in defaults.items():
        if key not in KEYS or not KEYS[key].in_defaults:
            raise SourcesError(f'[defaults], nyckel "{key}": okänd nyckel här')
        _check(key, value, "[defaults]")
    entries = raw.get("sources")
    if not isinstance(entries, list) or not entries:
        raise SourcesError("inga källor: lägg till minst en [[sources]]-tabell")
    sources: list[Source] = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise SourcesError(f"källa nr {number}: ska vara en tabell [[sources]]")
        source = _source(entry, defaults, number)
        if any(s.name == source.name for s in sources):
            raise SourcesError(f'källa "{source.name}", nyckel "name": namnet används redan av en annan källa')
        sources.append(source)
    return sources


def _source(entry: dict, defaults: dict, number: int) -> Source:
    name = entry.get("name")
    where = f'källa "{name}"' if isinstance(name, str) and name.strip() else f"källa nr {number}"
    for key in entry:
        if key not in KEYS:
            raise SourcesError(f'{where}, nyckel "{key}": okänd nyckel (kända: {", ".join(KEYS)})')
    values = {}
    for key, spec in KEYS.items():
        if key in entry:
            values[key] = _check(key, entry[key], where)
        elif key in defaults:
            values[key] = _check(key, defaults[key], "[defaults]")
        elif spec.default is _REQUIRED:
            raise SourcesError(f'{where}, nyckel "{key}": saknas')
        else:
            values[key] = spec.default
    kind = values["kind"]
    for key in ("documents", "max_depth"):
        if key in entry and kind != "site":
            raise SourcesError(f'{where}, nyckel "{key}": gäller bara kind = "site"')
    start_hosts = {url_host_key(u) for u in values["start_urls"]}
    return Source(
        name=values["name"],
        kind=kind,
        start_urls=tuple(values["start_urls"]),
        organization=values["organization"],
        hosts=frozenset(start_hosts | {url_host_key("//" + h.strip()) for h in values["hosts"]}),
        allow=values["allow"],
        deny=values["deny"],
        documents=values["documents"],
        max_depth=values["max_depth"],
        delay=float(values["delay"]),
        timeout=float(values["timeout"]),
        max_size=values["max_size"],
        retries=values["retries"],
        backoff=float(values["backoff"]),
        user_agent=values["user_agent"],
        private=values["private"],
    )


def _check(key: str, value, where: str):
    """The value converted for use, or SourcesError naming where and the key."""
    def fail(problem: str):
        raise SourcesError(f'{where}, nyckel "{key}": {problem}')

    if key in ("name", "organization", "user_agent"):
        if not isinstance(value, str) or not value.strip():
            fail("ska vara en icke-tom sträng")
        return value.strip()
    if key == "kind":
        if value not in KINDS:
            fail(f'okänd typ {value!r} (tillåtna: {", ".join(KINDS)})')
        return value
    if key in ("start_urls", "hosts", "allow", "deny", "documents"):
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            fail("ska vara en lista med strängar, t.ex. [\"...\"]")
        if key == "start_urls":
            if not value:
                fail("ange minst en adress")
            for url in value:
                parts = urlsplit(url)
                if parts.scheme not in ("http", "https") or not parts.hostname or not url_host_key(url):
                    fail(f"{url!r} är ingen http(s)-adress")
            return tuple(value)
        if key == "hosts":
            for host in value:
                if not url_host_key("//" + host.strip()) or "/" in host.strip():
                    fail(f"{host!r} är ingen värd (skriv värd eller värd:port)")
            return tuple(value)
        patterns = []
        for i, pattern in enumerate(value):
            try:
                patterns.append(re.compile(pattern))
            except re.error as e:
                fail(f"{key}[{i}] = {pattern!r} är inget giltigt reguljärt uttryck: {e}")
        return tuple(patterns)
    if key == "private":
        if not isinstance(value, bool):
            fail("ska vara true eller false")
        return value
    if key in ("max_depth", "max_size", "retries"):
        if isinstance(value, bool) or not isinstance(value, int) or value < (1 if key == "max_size" else 0):
            fail("ska vara ett heltal" + (" större än 0" if key == "max_size" else " (0 eller större)"))
        return value
    if key in ("delay", "timeout", "backoff"):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (key == "timeout" and value == 0):
            fail("ska vara ett antal sekunder" + (" större än 0" if key == "timeout" else " (0 eller större)"))
        return float(value)
    raise AssertionError(key)  # every key of KEYS is checked above
