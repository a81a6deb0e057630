"""Fixtures for the notify tests: a real SMTP server (aiosmtpd) and a real HTTP receiver on 127.0.0.1,
and an archive that grows by a second ingest after the watches are made."""
import email
import email.policy
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ingest.catalog.datadir import DataDir
from ingest.pipeline.runner import ingest_paths

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
FIRST = [SAMPLES / "seeds"]
LATER = [SAMPLES / "real/kungsbacka-kommunhandlingar"]


class Mailbox:
    """What the SMTP server received, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 OK"

    def wait(self, count: int, timeout: float = 10) -> None:
        end = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < end:
            time.sleep(0.05)


@pytest.fixture()
def smtp():
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as s:  # aiosmtpd checks its own port after starting: it must be known
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.port = port
    yield box
    controller.stop()


class Receiver:
    """An HTTP server that records each POST and answers with the next planned status (then 200)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.plan: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body, "path": self.path})
                status = receiver.plan.pop(0) if receiver.plan else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def json(self, n: int) -> dict:
        return json.loads(self.requests[n]["body"])


@pytest.fixture()
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()
    r.server.server_close()


@pytest.fixture()
def growing_archive(tmp_path):
    """(data dir, ingest_later): the seeds ingested now; the Kungsbacka documents when called."""
    data = DataDir.create(tmp_path / "archive")
    summary = ingest_paths(data, FIRST, jobs=1)
    assert not summary.failures
    time.sleep(1.1)  # watches made from now on are younger than the first documents (second resolution)

    def later():
        time.sleep(1.1)
        result = ingest_paths(data, LATER, jobs=1)
        assert not result.failures and result.count("new") == 5

    return data, later


@pytest.fixture(scope="session")
def archive_dir(tmp_path_factory) -> Path:
    """The seeds and the Kungsbacka documents, ingested once (read only)."""
    root = tmp_path_factory.mktemp("notify-archive")
    summary = ingest_paths(DataDir.create(root), FIRST + LATER, jobs=1)
    assert not summary.failures
    return root
