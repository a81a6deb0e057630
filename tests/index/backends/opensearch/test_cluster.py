"""The spike's findings, kept as tests on the real cluster: three nodes form one green cluster,
and Diariet's pre-analysed tokens keep their stop-word gaps as positions, so a phrase across
a dropped stop word matches exactly as in the Whoosh index."""
import json
import urllib.error

import pytest

from index.analysis.chain import analyze
from tools.cluster import http_json

PLACEHOLDER = "_"  # never a term: the tokenizer's words are [^\W_]+

SETTINGS = {
    "number_of_shards": 3,
    "number_of_replicas": 1,
    "analysis": {
        "filter": {"gap": {"type": "stop", "stopwords": [PLACEHOLDER]}},
        "analyzer": {"pre": {"type": "custom", "tokenizer": "whitespace", "filter": ["gap"]}},
    },
}


def pre_analysed(text: str) -> str:
    """Diariet's tokens as one whitespace-separated string, each dropped word a placeholder."""
    out, next_pos = [], 0
    for token in analyze(text, "sv"):
        out += [PLACEHOLDER] * (token.pos - next_pos) + [token.text]
        next_pos = token.pos + 1
    return " ".join(out)


@pytest.fixture(scope="module")
def spike_index(opensearch_cluster):
    url = opensearch_cluster.url
    try:
        http_json(f"{url}/spike", "DELETE")
    except urllib.error.HTTPError:
        pass
    http_json(f"{url}/spike", "PUT", {
        "settings": SETTINGS,
        "mappings": {"properties": {"text": {"type": "text", "analyzer": "pre"}}}})
    docs = {
        "1": "Ärendet gäller mutor och jäv i kommunen.",
        "2": "Mutor, jäv och korruption.",
    }
    for doc_id, text in docs.items():
        http_json(f"{url}/spike/_doc/{doc_id}", "PUT", {"text": pre_analysed(text)})
    http_json(f"{url}/spike/_refresh", "POST")
    opensearch_cluster.wait_for("green")
    yield url
    http_json(f"{url}/spike", "DELETE")


def test_three_nodes_green(opensearch_cluster):
    health = opensearch_cluster.health()
    assert health["number_of_nodes"] == 3
    assert health["status"] == "green"
    nodes = http_json(f"{opensearch_cluster.url}/_cat/nodes?format=json&h=name,ip")
    assert sorted(n["name"] for n in nodes) == ["node-0", "node-1", "node-2"]
    assert {n["ip"] for n in nodes} == {"127.0.0.1"}


def test_analyze_keeps_stop_word_positions(spike_index):
    text = pre_analysed("Mutor och jäv i kommunen")
    assert text == "mut _ jäv _ kommun"
    tokens = http_json(f"{spike_index}/spike/_analyze", "POST", {"analyzer": "pre", "text": text})
    ours = [(t.text, t.pos) for t in analyze("Mutor och jäv i kommunen", "sv")]
    assert [(t["token"], t["position"]) for t in tokens["tokens"]] == ours


def _phrase(url: str, words: str) -> list[str]:
    body = {"query": {"match_phrase": {"text": pre_analysed(words)}}}
    hits = http_json(f"{url}/spike/_search?search_type=dfs_query_then_fetch", "POST", body)
    return sorted(h["_id"] for h in hits["hits"]["hits"])


def test_phrase_across_stop_word_gap(spike_index):
    # "mutor och jäv": only document 1 has the words with one word between them.
    assert _phrase(spike_index, "mutor och jäv") == ["1"]
    # Without the gap, the phrase is the other document's "Mutor, jäv".
    assert _phrase(spike_index, "mutor jäv") == ["2"]
    # A stop word other than the indexed one fills the same gap (as in Whoosh: stop words are
    # positions, not terms).
    assert _phrase(spike_index, "mutor i jäv") == ["1"]


def test_shards_spread_over_nodes(spike_index):
    shards = http_json(f"{spike_index}/_cat/shards/spike?format=json")
    assert len(shards) == 6
    assert {s["state"] for s in shards} == {"STARTED"}
    primaries = {s["shard"]: s["node"] for s in shards if s["prirep"] == "p"}
    replicas = {s["shard"]: s["node"] for s in shards if s["prirep"] == "r"}
    assert all(primaries[k] != replicas[k] for k in primaries), json.dumps(shards)
