"""Notify stage, webhooks: a JSON POST signed with HMAC-SHA256, retried with back-off, the outcome returned."""
from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

SIGNATURE_HEADER = "X-Diariet-Signature-256"
USER_AGENT = "Diariet-webhook/1"


@dataclass(frozen=True)
class Outcome:
    ok: bool
    attempts: int
    detail: str  # "200" or why it failed (Swedish)


def sign(secret: str, body: bytes) -> str:
    """`sha256=<hex>` of the body under the watch's secret (what a receiver recomputes)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, body), signature)


def _retryable(status: int) -> bool:
    return status >= 500 or status in (408, 425, 429)


def post(url: str, secret: str, payload: dict, attempts: int = 4, backoff: float = 2.0,
         timeout: float = 10.0, sleep=time.sleep) -> Outcome:
    """POST `payload` to `url`; a connection error, a timeout or a 5xx/429 is retried after
    backoff, 2·backoff, 4·backoff ... seconds; another 4xx is final."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
               SIGNATURE_HEADER: sign(secret, body), "X-Diariet-Event": payload.get("event", ""),
               "X-Diariet-Delivery": str(uuid.uuid4())}
    detail = ""
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return Outcome(True, attempt, str(response.status))
        except urllib.error.HTTPError as e:
            detail = f"svaret var HTTP {e.code}"
            if not _retryable(e.code):
                return Outcome(False, attempt, detail)
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            detail = f"kunde inte nå mottagaren: {reason}"
        if attempt < attempts:
            sleep(backoff * 2 ** (attempt - 1))
    return Outcome(False, attempts, f"{detail} (efter {attempts} försök)")
