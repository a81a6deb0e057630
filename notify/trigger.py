"""Notify stage, trigger: documents ingested since the last look matched against every watch; the
matches stored for the digests, and sent at once to the watches' webhooks."""
from __future__ import annotations

from dataclasses import dataclass, field

from index.engine import EngineSettings, open_engine
from index.search.searcher import Searcher
from ingest.catalog.database import Catalog, open_catalog
from ingest.catalog.datadir import DataDir
from ingest.catalog.watches import Watch, WatchStore
from notify import links, match, webhook
from notify.digest import document_view
from notify.settings import NotifySettings

CHECKED_FROM = "checked_from"  # watch_state: documents ingested at or after this are looked at


@dataclass
class Report:
    checked: int = 0  # documents looked at
    matched: int = 0  # new (watch, document) matches
    posted: int = 0  # webhook deliveries that succeeded
    failures: list[str] = field(default_factory=list)  # Swedish lines, one per failed delivery


def run(data: DataDir, settings: NotifySettings, engine: EngineSettings | None = None, post=webhook.post) -> Report:
    report = Report()
    catalog = open_catalog(data.catalog, readonly=True)
    store = WatchStore(data.catalog)
    try:
        watches = store.all()
        if not watches:
            return report
        since = store.state(CHECKED_FROM) or min(w.created_at for w in watches)
        ids = catalog.ingested_since(since)
        report.checked = len(ids)
        if ids:
            docs = catalog.get_many(ids)
            pairs = _matches(data, catalog, watches, docs, engine)
            report.matched = len(store.record_matches(pairs))
            store.set_state(CHECKED_FROM, max(d.ingested_at for d in docs.values()))
        _post_webhooks(store, catalog, watches, settings, report, post)
    finally:
        store.close()
        catalog.close()
    return report


def _matches(data: DataDir, catalog: Catalog, watches: list[Watch], docs: dict, engine) -> list[tuple[str, str]]:
    pairs = []
    searches = [w for w in watches if w.kind == "search"]
    for w in watches:
        if w.kind != "search":
            pairs += [(w.id, d.id) for d in docs.values() if d.ingested_at >= w.created_at and match.matches(w, d)]
    if searches:
        searcher = Searcher(open_engine(data.index_path, engine or EngineSettings()))
        try:
            for w in searches:
                found, _, _ = searcher.matching(match.search_of(w), catalog)
                fresh = {d.id for d in docs.values() if d.ingested_at >= w.created_at}
                pairs += [(w.id, i) for i in found if i in fresh]
        finally:
            searcher.close()
    return pairs


def payload(watch: Watch, documents: list[dict], base: str) -> dict:
    """The webhook's JSON: the event, the watch and its new documents."""
    return {"event": "watch.matched",
            "watch": {"id": watch.id, "kind": watch.kind, "value": watch.value, "label": watch.label,
                      "url": links.watch_page(base, watch)},
            "documents": documents}


def _post_webhooks(store: WatchStore, catalog: Catalog, watches: list[Watch], settings: NotifySettings,
                   report: Report, post) -> None:
    for w in watches:
        if not w.webhook:
            continue
        pending = store.pending("webhook", w.id)
        if not pending:
            continue
        documents = [document_view(d, settings.base_url) for d in (catalog.get(i) for i in pending) if d]
        outcome = post(w.webhook, w.secret or "", payload(w, documents, settings.base_url),
                       attempts=settings.webhook_attempts, backoff=settings.webhook_backoff,
                       timeout=settings.webhook_timeout)
        store.delivered("webhook", w.id, pending, outcome.ok, outcome.attempts, outcome.detail)
        if outcome.ok:
            report.posted += 1
        else:
            report.failures.append(f"webhook för bevakningen {w.label!r} ({w.webhook}): {outcome.detail}")
