"""Crawl stage 7: what happened per source, counted as it happens and summarised at the end."""
from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.pipeline.runner import Outcome

# Label of each count in the summary line, in order.
LABELS = {
    "fetched": "hämtade",
    "not_modified": "ej ändrade (304)",
    "new": "nya",
    "updated": "uppdaterade",
    "unchanged": "oförändrade",
    "failed": "misslyckade",
    "robots": "stoppade av robots.txt",
}
_LISTED_ROBOTS = 10


@dataclass
class Failure:
    url: str
    reason: str  # short and machine-readable: http-404, too-large, timeout, corrupt, ...
    message: str


@dataclass
class SourceReport:
    name: str
    kind: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABELS, 0))
    failures: list[Failure] = field(default_factory=list)
    robots: list[str] = field(default_factory=list)
    resumed: bool = False
    finished: bool = False
    on_change: Callable[[SourceReport], None] = field(default=lambda report: None, repr=False)

    def _count(self, key: str) -> None:
        self.counts[key] += 1
        self.on_change(self)

    def fetched(self) -> None:
        self._count("fetched")

    def not_modified(self) -> None:
        self._count("not_modified")

    def outcome(self, outcome: Outcome) -> None:
        if outcome.status == "failed":
            self.failed(outcome.source, outcome.reason or "error", outcome.message or "")
        else:
            self._count(outcome.status)

    def failed(self, url: str, reason: str, message: str) -> None:
        self.failures.append(Failure(url, reason, message))
        self._count("failed")

    def robots_skipped(self, url: str) -> None:
        self.robots.append(url)
        self._count("robots")

    def line(self) -> str:
        counts = ", ".join(f"{self.counts[k]} {label}" for k, label in LABELS.items())
        note = "" if self.finished else " (avbruten: fortsätter där den slutade vid nästa körning)"
        resumed = " (fortsatte en avbruten körning)" if self.resumed else ""
        return f"{self.name} [{self.kind}]{resumed}: {counts}.{note}"


def print_reports(reports: list[SourceReport], reindexed: int = 0, out=sys.stdout) -> None:
    """The closing summary: one line per source, then its failures and robots.txt skips by URL."""
    for report in reports:
        print(report.line(), file=out)
        for f in report.failures:
            print(f"  MISSLYCKADES {f.url}: {f.message} [{f.reason}]", file=out)
        for url in report.robots[:_LISTED_ROBOTS]:
            print(f"  ROBOTS.TXT {url}", file=out)
        if len(report.robots) > _LISTED_ROBOTS:
            print(f"  ROBOTS.TXT ... och {len(report.robots) - _LISTED_ROBOTS} till", file=out)
    totals = {k: sum(r.counts[k] for r in reports) for k in LABELS}
    print(f"Klart: {len(reports)} källor: " + ", ".join(f"{totals[k]} {LABELS[k]}" for k in LABELS) + ".", file=out)
    if reindexed:
        print(f"Indexerade {reindexed} dokument som saknades i sökindexet.", file=out)
