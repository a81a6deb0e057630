"""Re-extraction (ingest/pipeline/reextract.py, `python -m ingest --reextract`): the extractor run
anew on stored documents; catalog rows, cases and the index follow; a stopped run goes on."""
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from index.engine import EngineSettings, open_engine
from index.query.parser import SearchRequest
from index.search.searcher import Searcher
from ingest.catalog.database import Catalog
from ingest.catalog.datadir import DataDir
from ingest.extract import dnr
from ingest.model import Metadata
from ingest.pipeline import reextract as reextract_module
from ingest.pipeline.runner import Ingester, ingest_paths

ROOT = Path(__file__).resolve().parents[3]
CASES = ROOT / "tests" / "fixtures" / "cases"
KUNGSBACKA = "real/kungsbacka-kommunhandlingar/data/kungsbacka/bygg-au/2024/2024-02-01"


def _archive(tmp_path, corpus) -> DataDir:
    """A small real archive whose rows are as an older extractor left them: no type, body or dnr."""
    data = DataDir.create(tmp_path / "data")
    summary = ingest_paths(data, [*sorted(CASES.glob("*.txt")), corpus / KUNGSBACKA])
    assert summary.count("new") == 5 and not summary.failures
    ingester = Ingester(data)
    try:
        stale = [replace(d, meta=Metadata(title=d.meta.title)) for d in ingester.catalog.iter_documents(ingester.catalog.iter_ids())]
        ingester.catalog.save_extraction([(d, {}) for d in stale])
        ingester.reconcile()  # the index holds the stale rows too
    finally:
        ingester.close()
    return data


def _search(data: DataDir, q: str):
    catalog = Catalog(data.catalog_path, readonly=True)
    engine = open_engine(data.index_path, EngineSettings())  # the engine-neutral interface
    try:
        return Searcher(engine).search(SearchRequest(q=q), catalog)
    finally:
        engine.close()
        catalog.close()


def test_reextract_restores_metadata_cases_and_index(tmp_path, corpus):
    data = _archive(tmp_path, corpus)
    catalog = Catalog(data.catalog_path)
    before = {r["id"]: (r["version"], r["ingested_at"]) for r in catalog.db.execute("SELECT * FROM documents")}
    assert catalog.cases_by_key(dnr.key("2025.446 KS")) == []
    catalog.close()
    assert not _search(data, "2025.446 KS").cases
    assert _search(data, "laddstationer").facets["doctype"] == {"annat": 3}

    r = subprocess.run([sys.executable, "-m", "ingest", "--data", str(data.root), "--reextract", "--quiet"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "Extraherade om 5 dokument: 5 ändrade." in r.stdout

    catalog = Catalog(data.catalog_path)
    (case,) = catalog.cases_by_key(dnr.key("2025.446 KS"))
    assert case["register"] == "KS" and len(case["documents"]) == 3
    (bygg,) = catalog.cases_by_key(dnr.key("2024-00013"))
    assert bygg["register"] == "BN" and {d["doctype"] for d in bygg["documents"]} == {"kallelse", "protokoll"}
    after = {r["id"]: (r["version"], r["ingested_at"]) for r in catalog.db.execute("SELECT * FROM documents")}
    assert after == before  # no new version, no new ingest time: watches are not told again
    assert catalog.count_indexed() == 5 and not catalog.iter_ids(only_unindexed=True)
    catalog.close()
    found = _search(data, "2025.446 KS")
    assert found.cases and found.total >= 3
    facets = _search(data, "laddstationer").facets
    assert "annat" not in facets["doctype"] and facets["organization"] == {"Alingsås kommun": 3}


def test_a_stopped_reextraction_goes_on_where_it_stopped(tmp_path, corpus, monkeypatch):
    data = _archive(tmp_path, corpus)
    monkeypatch.setattr(reextract_module, "CHUNK", 1)

    def stop_after_two(chunks, total):
        for i, chunk in enumerate(chunks):
            if i == 2:
                raise KeyboardInterrupt
            yield chunk

    ingester = Ingester(data)
    with pytest.raises(KeyboardInterrupt):
        reextract_module.reextract(ingester, stop_after_two)
    ingester.close(interrupted=True)
    catalog = Catalog(data.catalog_path)
    assert len(catalog.reextracted_ids()) == 2
    catalog.close()

    ingester = Ingester(data)
    ingester.reconcile()
    result = reextract_module.reextract(ingester)
    ingester.close()
    assert (result.skipped, result.documents, result.changed) == (2, 3, 3)
    catalog = Catalog(data.catalog_path)
    assert catalog.reextracted_ids() == set()
    assert len(catalog.cases_by_key(dnr.key("2025.446 KS"))[0]["documents"]) == 3
    catalog.close()


def test_a_document_the_extractor_fails_on_keeps_its_metadata(tmp_path, corpus, monkeypatch):
    data = _archive(tmp_path, corpus)
    real = reextract_module.reextract_one

    def broken_on_the_kallelse(doc, parsed):
        if doc.source.endswith("kallelse.md"):
            raise ValueError("a bug in an extractor")
        return real(doc, parsed)

    monkeypatch.setattr(reextract_module, "reextract_one", broken_on_the_kallelse)  # the workers are forked
    ingester = Ingester(data)
    result = reextract_module.reextract(ingester)
    ingester.close()
    assert (result.documents, result.changed, result.failed) == (4, 4, 1)
    catalog = Catalog(data.catalog_path)
    kallelse = next(d for d in catalog.iter_documents(catalog.iter_ids()) if d.source.endswith("kallelse.md"))
    assert kallelse.meta == Metadata(title=kallelse.meta.title)  # as it was
    catalog.close()
