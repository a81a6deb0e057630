"""Index stage, OpenSearch backend: bulk writes with retries and back-pressure.

A chunk is sent whole; what the cluster refuses for a while (429: its queues are full, the
back-pressure; 5xx: a shard without a primary while a replica is promoted, a node gone) is
sent again after a growing pause, until a deadline; any other refusal is an error at once.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import ConnectionTimeout, TransportError

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
CHUNK_DOCS = 500
CHUNK_BYTES = 8 * 1024 * 1024
DEADLINE = 300.0  # seconds a chunk may be retried before the commit fails
FIRST_PAUSE, MAX_PAUSE = 0.5, 15.0

Action = tuple[str, str, dict | None]  # ("index" | "delete", id, source)


class BulkError(RuntimeError):
    pass


def _lines(index: str, actions: list[Action]) -> list[str]:
    out = []
    for op, doc_id, source in actions:
        out.append(json.dumps({op: {"_index": index, "_id": doc_id}}))
        if op == "index":
            out.append(json.dumps(source, ensure_ascii=False))
    return out


def chunks(index: str, actions: list[Action]) -> list[list[Action]]:
    """Actions in chunks of at most CHUNK_DOCS documents and about CHUNK_BYTES."""
    out: list[list[Action]] = [[]]
    size = 0
    for action in actions:
        length = sum(len(line) for line in _lines(index, [action]))
        if out[-1] and (len(out[-1]) >= CHUNK_DOCS or size + length > CHUNK_BYTES):
            out.append([])
            size = 0
        out[-1].append(action)
        size += length
    return [c for c in out if c]


def send(client: OpenSearch, index: str, actions: list[Action], deadline: float = DEADLINE,
         sleep: Callable[[float], None] = time.sleep) -> int:
    """Write every action (by chunks), retrying what the cluster refuses for a while; the
    number of retried chunk sends. Raises BulkError when an action fails for good."""
    retries = 0
    for chunk in chunks(index, actions):
        pending, pause, end = chunk, FIRST_PAUSE, time.monotonic() + deadline
        while pending:
            failed: list[Action] = []
            try:
                body = "\n".join(_lines(index, pending)) + "\n"
                # request_timeout: the client's wait; timeout: the cluster's for its shards (without request_timeout
                # the client would take "timeout" as its own)
                answer = client.bulk(body=body, params={"timeout": "60s", "request_timeout": 90})
            except (OSConnectionError, ConnectionTimeout) as e:
                failed, why = pending, f"{type(e).__name__}: {e}"
            except TransportError as e:
                if e.status_code not in RETRY_STATUS:
                    raise BulkError(f"bulk refused: {e}") from e
                failed, why = pending, f"HTTP {e.status_code}"
            else:
                why = ""
                for action, item in zip(pending, answer["items"]):
                    result = next(iter(item.values()))
                    status = result.get("status", 500)
                    if status < 300 or (action[0] == "delete" and status == 404):
                        continue
                    if status in RETRY_STATUS:
                        failed.append(action)
                        why = f"{status} {result.get('error')}"
                    else:
                        raise BulkError(f"document {action[1]}: {status} {result.get('error')}")
            if failed:
                if time.monotonic() + pause > end:
                    raise BulkError(f"{len(failed)} documents not written in {deadline:.0f} s: {why}")
                retries += 1
                sleep(pause)
                pause = min(MAX_PAUSE, pause * 2)
            pending = failed
    return retries
