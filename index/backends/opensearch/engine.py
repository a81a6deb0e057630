"""Index stage, OpenSearch backend: index.engine's SearchEngine over an OpenSearch cluster.

The archive's index is behind an alias (settings.opensearch_index): the writer writes to it,
readers search it, and a rebuild fills a new index aside and moves the alias in one atomic
_aliases call, so searches never see a half-built index. Searches are dfs_query_then_fetch
(global term statistics: a small index spread over shards scores as one), totals exact,
facets `terms` aggregations over keyword fields.
"""
from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterable
from datetime import date

from opensearchpy import OpenSearch
from opensearchpy.exceptions import NotFoundError

from index.backends.opensearch import bulk
from index.backends.opensearch.mapping import index_body, prepared_source, signature
from index.backends.opensearch.translate import to_dsl
from index.engine import EngineSettings, Prepare, Results
from index.fields import FACETS
from index.query import ir
from ingest.model import Document

RECENCY_WEIGHT = 0.3  # as the Whoosh backend: a document of today scores up to 30 % more ...
RECENCY_HALF_LIFE_DAYS = round(5.0 * 365.25)  # ... one five years old half as much more
WINDOW = 10000  # hits per request (index.max_result_window); more are read by search_after
FACET_SIZE = 10000  # values per facet: above every facet's number of values, so counts are exact
REBUILD_BATCH = 2000
GREEN_SECONDS = 120
GREEN_WAIT = f"{GREEN_SECONDS}s"


def _client(settings: EngineSettings) -> OpenSearch:
    hosts = [u.strip() for u in settings.opensearch_url.split(",") if u.strip()]
    return OpenSearch(hosts=hosts, timeout=60, max_retries=5, retry_on_timeout=True,
                      retry_on_status=(502, 503, 504))


class OpenSearchWriter:
    """index.engine.IndexWriter: the batch's last write of each id, sent at commit()."""

    def __init__(self, engine: OpenSearchEngine):
        self.engine = engine
        self.pool: dict[str, bulk.Action] = {}

    def add(self, doc: Document, prepared: object | None = None, new: bool = False) -> None:
        source = prepared if isinstance(prepared, dict) else prepared_source(doc)[0]
        self.pool.pop(doc.id, None)
        self.pool[doc.id] = ("index", doc.id, source)

    def delete(self, document_id: str) -> None:
        self.pool.pop(document_id, None)
        self.pool[document_id] = ("delete", document_id, None)

    def commit(self) -> None:
        actions, self.pool = list(self.pool.values()), {}
        self.engine.ensure_index()
        if actions:
            bulk.send(self.engine.client, self.engine.alias, actions)
        self.engine.client.indices.refresh(index=self.engine.alias)

    def cancel(self) -> None:
        self.pool = {}


class OpenSearchEngine:
    """index.engine.SearchEngine for an OpenSearch cluster."""

    def __init__(self, settings: EngineSettings):
        self.settings = settings
        self.alias = settings.opensearch_index
        self.client = _client(settings)
        self._generation = re.compile(re.escape(self.alias) + r"-\d{14}-[0-9a-f]{6}")

    # -- indexes behind the alias ------------------------------------------------------------

    def _new_name(self) -> str:
        return f"{self.alias}-{time.strftime('%Y%m%d%H%M%S', time.gmtime())}-{secrets.token_hex(3)}"

    def live(self) -> list[str]:
        """The index (indexes) behind the alias; [] when there is none."""
        try:
            return sorted(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def ensure_index(self) -> None:
        """An empty index behind the alias, unless it has one."""
        if self.live():
            return
        body = index_body(self.settings.shards, self.settings.replicas)
        body["aliases"] = {self.alias: {}}
        self.client.indices.create(index=self._new_name(), body=body)
        self.wait_for(self.alias, "yellow")

    def wait_for(self, index: str, status: str) -> None:
        """Until the index's shards are `status` (the cluster's own bounded wait)."""
        answer = self.client.cluster.health(index=index, params={
            "wait_for_status": status, "timeout": GREEN_WAIT, "request_timeout": GREEN_SECONDS + 10})
        if answer.get("timed_out"):
            raise RuntimeError(f"OpenSearch: {index} not {status} in {GREEN_WAIT}: {answer.get('status')}")

    def recover(self) -> None:
        """Remove this archive's indexes no alias points to (what a killed rebuild left)."""
        live = set(self.live())
        names = self.client.indices.get(index=f"{self.alias}-*", ignore_unavailable=True, allow_no_indices=True)
        for name in names:
            if self._generation.fullmatch(name) and name not in live:
                self.client.indices.delete(index=name)

    # -- writing -----------------------------------------------------------------------------

    def prepare_function(self) -> Prepare:
        return prepared_source

    def writer(self) -> OpenSearchWriter:
        return OpenSearchWriter(self)

    def rebuild(self, docs: Iterable[Document]) -> int:
        """Fill a new index (no replicas while it fills), give it its replicas and wait for
        them, then move the alias to it at once and delete the old index."""
        name = self._new_name()
        body = index_body(self.settings.shards, 0)
        self.client.indices.create(index=name, body=body)
        count = 0
        try:
            batch: list[bulk.Action] = []
            for doc in docs:
                batch.append(("index", doc.id, prepared_source(doc)[0]))
                count += 1
                if len(batch) >= REBUILD_BATCH:
                    bulk.send(self.client, name, batch)
                    batch = []
            bulk.send(self.client, name, batch)
            self.client.indices.put_settings(index=name, body={"index": {
                "number_of_replicas": self.settings.replicas}})
            self.client.indices.refresh(index=name)
            self.wait_for(name, "green" if self.settings.replicas else "yellow")
            old = self.live()
            actions = [{"remove": {"index": o, "alias": self.alias}} for o in old]
            actions.append({"add": {"index": name, "alias": self.alias}})
            self.client.indices.update_aliases(body={"actions": actions})
        except BaseException:
            self.client.indices.delete(index=name, ignore_unavailable=True)
            raise
        for o in old:
            self.client.indices.delete(index=o, ignore_unavailable=True)
        return count

    def is_healthy(self) -> tuple[bool, str]:
        self.recover()
        live = self.live()
        if not live:
            return False, f"sökindexet {self.alias} finns inte i OpenSearch"
        mapping = self.client.indices.get_mapping(index=live[0])[live[0]]["mappings"]
        if mapping.get("_meta", {}).get("diariet") != signature():
            return False, "sökindexet byggdes med andra fält eller en annan analys"
        return True, ""

    def status(self) -> str:
        return "" if self.live() else "Sökindexet finns inte ännu."

    def reader(self) -> OpenSearchReader:
        return OpenSearchReader(self)

    def warm(self) -> None:
        pass

    def close(self, wait: bool = True) -> None:
        self.client.close()


class OpenSearchReader:
    """index.engine.IndexReader over the alias (the cluster's latest refreshed state)."""

    def __init__(self, engine: OpenSearchEngine):
        self.engine = engine
        self.client = engine.client
        self.alias = engine.alias
        self._frequencies: dict[tuple[str, str], int] = {}
        self._state: tuple | None = None

    @property
    def state(self):
        """The live index and its shards' refresh count: changes at every commit and rebuild."""
        if self._state is None:
            try:
                stats = self.client.indices.stats(index=self.alias, metric="refresh")
            except NotFoundError:
                self._state = ("",)
            else:
                self._state = tuple(sorted((name, s["primaries"]["refresh"]["total"])
                                           for name, s in stats["indices"].items()))
        return self._state

    def _search(self, body: dict) -> dict | None:
        try:
            return self.client.search(index=self.alias, body=body,
                                      params={"search_type": "dfs_query_then_fetch"})
        except NotFoundError:
            return None

    def doc_count(self) -> int:
        try:
            return int(self.client.count(index=self.alias)["count"])
        except NotFoundError:
            return 0

    def doc_frequency(self, field: str, text: str) -> int:
        key = (field, text)
        if key not in self._frequencies:
            try:
                found = self.client.count(index=self.alias, body={"query": to_dsl(ir.Term(field, text))})
                self._frequencies[key] = int(found["count"])
            except NotFoundError:
                self._frequencies[key] = 0
        return self._frequencies[key]

    def search(self, query: ir.Node, filter: ir.Node | None, limit: int, order: str = "relevance",
               count: bool = True) -> Results:
        q = to_dsl(query)
        if filter is not None:
            q = {"bool": {"must": [q], "filter": [to_dsl(filter)]}}
        if order == "recency":
            q = _recency(q)
        if order == "newest":
            sort: list = [{"date": "desc"}, {"ingested": "desc"}, {"id": "asc"}]
        else:
            sort = [{"_score": "desc"}, {"id": "asc"}]
        body: dict = {"query": q, "size": min(max(limit, 0), WINDOW), "_source": False,
                      "track_total_hits": bool(count), "sort": sort, "track_scores": order != "newest"}
        if count:
            body["aggs"] = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACETS}
        answer = self._search(body)
        results = Results([], [])
        if answer is None:
            if count:
                results.total, results.facets = 0, {name: {} for name in FACETS}
            return results
        if count:
            results.total = answer["hits"]["total"]["value"]
            results.facets = {name: _buckets(answer["aggregations"][name]) for name in FACETS}
        hits = answer["hits"]["hits"]
        while True:
            results.ids.extend(h["_id"] for h in hits)
            if order != "newest":
                results.scores.extend(float(h["_score"]) for h in hits)
            if len(results.ids) >= limit or len(hits) < body["size"] or not hits:
                break
            body = {"query": q, "size": min(limit - len(results.ids), WINDOW), "_source": False,
                    "track_total_hits": False, "sort": sort, "track_scores": order != "newest",
                    "search_after": hits[-1]["sort"]}
            page = self._search(body)
            hits = page["hits"]["hits"] if page else []
        del results.ids[limit:], results.scores[limit:]
        return results

    def similar(self, terms: dict[str, float], field: str, exclude: str, limit: int) -> list[str]:
        top = max(terms.values())
        q = ir.Or(tuple(ir.Term(field, t, boost=w / top) for t, w in terms.items()))
        body = {"query": {"bool": {"must": [to_dsl(q)], "must_not": [{"term": {"id": exclude}}]}},
                "size": limit, "_source": False}
        answer = self._search(body)
        return [h["_id"] for h in answer["hits"]["hits"]] if answer else []


def _buckets(aggregation: dict) -> dict[str, int]:
    if aggregation.get("sum_other_doc_count"):
        raise RuntimeError(f"a facet has more than {FACET_SIZE} values: counts would not be exact")
    counts = {b["key"]: b["doc_count"] for b in aggregation["buckets"] if b["key"] != ""}
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _recency(q: dict, today: date | None = None) -> dict:
    """score × (1 + w · 2^(−age/half-life)) for dated documents, as the Whoosh backend's
    RecencyBM25F (an exponential decay of the date; a future date decays as a past one)."""
    origin = (today or date.today()).isoformat()
    return {"function_score": {
        "query": q,
        "functions": [
            {"weight": 1.0},
            {"filter": {"exists": {"field": "date_value"}}, "weight": RECENCY_WEIGHT,
             "exp": {"date_value": {"origin": origin, "scale": f"{RECENCY_HALF_LIFE_DAYS}d", "decay": 0.5}}},
        ],
        "score_mode": "sum",
        "boost_mode": "multiply",
    }}
