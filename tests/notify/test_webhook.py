"""Webhooks (notify/webhook.py) against a real HTTP receiver on 127.0.0.1."""
import socket

from notify.webhook import SIGNATURE_HEADER, post, sign, verify

SECRET = "hemlig"


def test_signed_json_post(receiver):
    outcome = post(receiver.url, SECRET, {"event": "watch.matched", "documents": [{"title": "Protokoll"}]})
    assert outcome.ok and outcome.attempts == 1
    request = receiver.requests[0]
    assert request["headers"]["Content-Type"].startswith("application/json")
    assert verify(SECRET, request["body"], request["headers"][SIGNATURE_HEADER])
    assert not verify("annan", request["body"], request["headers"][SIGNATURE_HEADER])
    assert receiver.json(0)["documents"][0]["title"] == "Protokoll"


def test_retries_with_back_off_then_succeeds(receiver):
    receiver.plan = [500, 503]
    waits = []
    outcome = post(receiver.url, SECRET, {"event": "x"}, attempts=4, backoff=0.5, sleep=waits.append)
    assert outcome.ok and outcome.attempts == 3
    assert waits == [0.5, 1.0]  # doubled each time
    assert len(receiver.requests) == 3
    deliveries = {r["headers"]["X-Diariet-Delivery"] for r in receiver.requests}
    assert len(deliveries) == 1  # one delivery, retried: the receiver can drop duplicates


def test_a_client_error_is_not_retried(receiver):
    receiver.plan = [410]
    outcome = post(receiver.url, SECRET, {"event": "x"}, sleep=lambda s: None)
    assert not outcome.ok and outcome.attempts == 1 and "HTTP 410" in outcome.detail


def test_an_unreachable_receiver_fails_after_every_attempt():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    waits = []
    outcome = post(f"http://127.0.0.1:{port}/", SECRET, {"event": "x"}, attempts=3, backoff=0.1, sleep=waits.append)
    assert not outcome.ok and outcome.attempts == 3 and waits == [0.1, 0.2]
    assert "kunde inte nå mottagaren" in outcome.detail and "3 försök" in outcome.detail


def test_signature_is_hmac_sha256():
    import hashlib
    import hmac

    assert sign("k", b"{}") == "sha256=" + hmac.new(b"k", b"{}", hashlib.sha256).hexdigest()
