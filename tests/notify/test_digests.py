"""Watches end to end: documents ingested after a watch was made reach its webhook at once and its
address in the next digest, through a real SMTP server and a real HTTP receiver on 127.0.0.1."""
import re
import socket

import pytest

from ingest.catalog.watches import WatchStore
from notify import trigger
from notify.digests import send_digests
from notify.settings import NotifySettings
from notify.webhook import SIGNATURE_HEADER, verify

BASE = "https://diariet.example.se"


def settings(smtp=None, **changes) -> NotifySettings:
    return NotifySettings(smtp_host="127.0.0.1" if smtp else None, smtp_port=smtp.port if smtp else 25,
                          sender="Diariet <diariet@example.se>", base_url=BASE, webhook_backoff=0.01, **changes)


def make(data, *args, **kwargs):
    store = WatchStore(data.catalog_path)
    try:
        return store.add(*args, **kwargs)
    finally:
        store.close()


def parts(message) -> tuple[str, str]:
    return (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content())


def test_new_documents_reach_webhook_and_digest(growing_archive, smtp, receiver):
    data, later = growing_archive
    body = make(data, "body", "Valnämnden", "Valnämnden, Kungsbacka kommun", organization="Kungsbacka kommun",
                email="anna@example.se")
    search = make(data, "search", "q=valsedlar", "Sökning: ”valsedlar”", email="anna@example.se",
                  webhook=receiver.url)
    case = make(data, "dnr", "VN-2024-00029", "Ärende VN-2024-00029", email="bo@example.se", frequency="weekly")
    party = make(data, "party", "V", "Parti V", email="anna@example.se")  # the seeds have V; no new ones do
    assert trigger.run(data, settings()).matched == 0  # nothing new since the watches were made

    later()
    report = trigger.run(data, settings())
    # The case's watch: its protocol and the kallelse whose agenda table lists it (`VN-2024-<br>00029`).
    assert report.checked == 5 and report.matched == 2 + 2 + 2 and report.posted == 1 and not report.failures
    hook = receiver.json(0)
    assert hook["event"] == "watch.matched" and hook["watch"]["id"] == search.id
    assert {d["title"] for d in hook["documents"]} == {"Protokoll Valnämnden 2024-05-06", "Kallelse Valnämnden 2024-05-06"}
    assert all(d["url"].startswith(BASE + "/documents/") for d in hook["documents"])
    assert verify(search.secret, receiver.requests[0]["body"], receiver.requests[0]["headers"][SIGNATURE_HEADER])
    assert trigger.run(data, settings()).matched == 0 and len(receiver.requests) == 1  # once

    daily = send_digests(data, settings(smtp), "daily")
    assert daily.sent == 1 and daily.documents == 4 and not daily.failures
    smtp.wait(1)
    (message,) = smtp.messages
    assert message["To"] == "anna@example.se" and "4 nya handlingar" in message["Subject"]
    text, html = parts(message)
    for piece in ("Valnämnden, Kungsbacka kommun (2)", "Sökning: ”valsedlar” (2)", "Protokoll Valnämnden 2024-05-06",
                  "§ 13 Genomgång av rutiner", "/documents/"):
        assert piece in text, piece
    assert "Parti V" not in text
    assert '<a href="https://diariet.example.se/documents/' in html and "&lt;" not in html.split("<body")[0]
    unsubscribe = re.findall(r"Avsluta den här bevakningen: (\S+)", text)
    assert len(unsubscribe) == 2 and all(u.startswith(BASE + "/bevakningar/") and "nyckel=" in u for u in unsubscribe)
    assert re.search(r"Dina bevakningar: https://diariet\.example\.se/bevakningar\?nyckel=\S+", text)

    assert send_digests(data, settings(smtp), "daily").sent == 0  # nothing new twice
    weekly = send_digests(data, settings(smtp), "weekly")
    assert weekly.sent == 1
    smtp.wait(2)
    assert smtp.messages[1]["To"] == "bo@example.se" and "veckans" in smtp.messages[1]["Subject"]
    assert "Ärende VN-2024-00029 (2)" in parts(smtp.messages[1])[0]
    assert len(smtp.messages[1]["List-Unsubscribe"]) > 20  # one watch: one-click unsubscribe header
    del body, case, party


def test_failures_are_reported_and_kept_for_the_next_run(growing_archive, receiver):
    data, later = growing_archive
    w = make(data, "organization", "Kungsbacka kommun", "Kungsbacka kommun", email="c@example.se",
             webhook=receiver.url)
    later()
    receiver.plan = [500, 500, 500, 500]
    report = trigger.run(data, settings())
    assert report.matched == 5 and report.posted == 0
    assert len(report.failures) == 1 and "HTTP 500" in report.failures[0] and "4 försök" in report.failures[0]
    assert len(receiver.requests) == 4
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    broken = NotifySettings(smtp_host="127.0.0.1", smtp_port=closed, base_url=BASE)
    digest = send_digests(data, broken, "daily")  # its trigger retries the webhook: the receiver is back
    assert digest.trigger.posted == 1 and len(receiver.json(4)["documents"]) == 5
    assert digest.sent == 0 and "c@example.se" in digest.failures[0]
    store = WatchStore(data.catalog_path)
    assert len(store.pending("email", w.id)) == 5 and "kunde inte skicka" in store.get(w.id).last_error
    store.close()


def test_unconfirmed_addresses_get_nothing(growing_archive, smtp):
    data, later = growing_archive
    make(data, "body", "Valnämnden", "Valnämnden", email="d@example.se", confirmed=False)
    later()
    assert send_digests(data, settings(smtp), "daily").sent == 0


def test_the_commands(growing_archive, smtp, receiver, monkeypatch, capsys):
    from ingest.__main__ import main as ingest_main
    from notify.__main__ import main as notify_main
    from tests.notify.conftest import LATER

    data, _ = growing_archive
    make(data, "body", "Byggnadsnämnden", "Byggnadsnämnden", email="e@example.se", webhook=receiver.url)
    monkeypatch.setenv("DIARIET_BASE_URL", BASE)
    monkeypatch.setenv("DIARIET_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DIARIET_SMTP_PORT", str(smtp.port))
    import time
    time.sleep(1.1)
    assert ingest_main(["--data", str(data.root), "--quiet", "--jobs", "1", *map(str, LATER)]) == 0
    assert "Bevakningar: 1 nya träffar, 1 webhooks skickade." in capsys.readouterr().out
    assert len(receiver.requests) == 1  # the ingest itself sent it
    assert notify_main(["--data", str(data.root), "digest"]) == 0
    assert "1 e-brev med 1 handlingar skickade" in capsys.readouterr().out
    smtp.wait(1)
    assert smtp.messages[0]["To"] == "e@example.se"
    with pytest.raises(SystemExit) as stopped:
        notify_main(["--data", str(data.root), "digest", "--frequency", "monthly"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.startswith("fel: --frequency måste vara 'daily', 'weekly', inte 'monthly'")
