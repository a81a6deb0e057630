"""Notify stage, sending digests: the trigger first, then one e-mail per confirmed address with the
new documents of its daily (or weekly) watches; what was sent is marked, a failure reported."""
from __future__ import annotations

from dataclasses import dataclass, field

from index.engine import EngineSettings
from ingest.catalog.database import open_catalog
from ingest.catalog.datadir import DataDir
from ingest.catalog.watches import WatchStore
from notify import digest, links, mail, trigger
from notify.settings import NotifySettings


@dataclass
class DigestReport:
    trigger: trigger.Report
    sent: int = 0  # e-mails
    documents: int = 0
    failures: list[str] = field(default_factory=list)


def send_digests(data: DataDir, settings: NotifySettings, frequency: str = "daily",
                 engine: EngineSettings | None = None, send=mail.send) -> DigestReport:
    report = DigestReport(trigger.run(data, settings, engine))
    catalog = open_catalog(data.catalog, readonly=True)
    store = WatchStore(data.catalog)
    try:
        by_address: dict[str, list] = {}
        for w in store.all():
            if w.email and w.confirmed and w.frequency == frequency:
                by_address.setdefault(w.email, []).append(w)
        for address, watches in by_address.items():
            key = store.subscriber(address, confirmed=True)["key"]
            sections, delivered = [], []
            for w in watches:
                pending = store.pending("email", w.id)
                documents = [digest.document_view(d, settings.base_url)
                             for d in (catalog.get(i) for i in pending) if d]
                if documents:
                    sections.append(digest.Section(w, documents, links.unsubscribe(settings.base_url, w, key),
                                                   links.watch_page(settings.base_url, w)))
                    delivered.append((w, pending))
            if not sections:
                continue
            message = digest.compose(address, sections, links.manage(settings.base_url, key),
                                     settings.sender, frequency)
            try:
                send([message], settings)
            except mail.MailError as e:
                for w, pending in delivered:
                    store.delivered("email", w.id, pending, False, 1, str(e))
                report.failures.append(f"e-post till {address}: {e}")
                continue
            for w, pending in delivered:
                store.delivered("email", w.id, pending, True, 1, f"skickat till {address}")
            report.sent += 1
            report.documents += sum(len(s.documents) for s in sections)
    finally:
        store.close()
        catalog.close()
    return report
