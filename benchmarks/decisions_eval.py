"""Benchmark: the decision records of §§ against hand labels (benchmarks/decisions_expected.json).

Runs extraction on the parsed pages in tests/fixtures/decisions/ (built from the originals by
tools/decision_fixtures.py) and prints: outcome accuracy, as_proposed accuracy, vote totals exact,
motion (party, position) micro F1, statement (kind, party) micro F1, appeal deadline exact.
Scanned documents (no text layer) are scored on their OCR text (the fixtures hold the pages as
the ingest reads them) and also counted apart.

    python benchmarks/decisions_eval.py            # the figures
    python benchmarks/decisions_eval.py --misses   # and every miss
    python benchmarks/decisions_eval.py --expected benchmarks/decisions_heldout.json   # the held-out set
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.extract.metadata import extract  # noqa: E402
from ingest.model import Page, ParsedDocument  # noqa: E402

EXPECTED = ROOT / "benchmarks" / "decisions_expected.json"
FIXTURES = ROOT / "tests" / "fixtures" / "decisions"


def fixtures() -> dict[str, dict]:
    """The parsed pages of each labelled document, by its path in the labels."""
    out = {}
    for f in sorted(FIXTURES.glob("*.pages.json.gz")):
        d = json.loads(gzip.decompress(f.read_bytes()))
        out[d["path"]] = d
    return out


def source_name(path: str) -> str:
    return path.split("/", 2)[2] if path.startswith("mirror:") else path


def extracted(doc: dict, fixture: dict):
    pages = tuple(Page(p["number"], p["text"], p["has_text_layer"]) for p in fixture["pages"])
    return extract(ParsedDocument(fixture["media_type"], pages), source_name(doc["path"]))


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(misses: bool = False, expected: Path = EXPECTED) -> dict:
    fx = fixtures()
    tally = Counter()
    scanned = Counter()
    lines: list[str] = []
    for doc in json.loads(Path(expected).read_text())["documents"]:
        meta = extracted(doc, fx[doc["path"]])
        if doc.get("scanned"):
            got = {p.number: p for p in meta.paragraphs}
            scanned["paragraphs"] += len(doc["paragraphs"])
            scanned["outcome"] += sum(1 for e in doc["paragraphs"] if e["number"] in got and got[e["number"]].outcome == e["outcome"])
        tally["documents"] += 1
        ok = meta.appeal_deadline == doc["appeal_deadline"]
        tally["deadline_ok"] += ok
        tally["deadline_stated"] += doc["appeal_deadline"] is not None
        tally["deadline_stated_ok"] += ok and doc["appeal_deadline"] is not None
        if not ok:
            lines.append(f"{doc['path']}: deadline {meta.appeal_deadline} != {doc['appeal_deadline']} (posted {meta.posted_on})")
        got = {p.number: p for p in meta.paragraphs}
        statements = Counter()
        for s in meta.statements:
            for party in s.parties or (None,):
                statements[(s.paragraph, s.kind, party)] += 1
        for e in doc["paragraphs"]:
            tally["paragraphs"] += 1
            p = got.get(e["number"])
            where = f"{doc['path']} § {e['number']}"
            if p is None:
                tally["missing"] += 1
                lines.append(f"{where}: § not found")
            if p is not None and p.outcome == e["outcome"]:
                tally["outcome_ok"] += 1
            elif p is not None:
                lines.append(f"{where}: outcome {p.outcome} != {e['outcome']}  [{p.decision[:70]!r}]")
            if p is not None and p.as_proposed == e["as_proposed"]:
                tally["as_proposed_ok"] += 1
            elif p is not None:
                lines.append(f"{where}: as_proposed {p.as_proposed} != {e['as_proposed']}")
            if e.get("vote"):
                tally["votes"] += 1
                v = p.vote if p else None
                if v and (v.yes, v.no, v.abstain) == (e["vote"]["yes"], e["vote"]["no"], e["vote"].get("abstain", 0)):
                    tally["votes_ok"] += 1
                    if e["vote"].get("by_party"):
                        tally["by_party"] += 1
                        want = {k: (c["yes"], c["no"]) for k, c in e["vote"]["by_party"].items()}
                        have = {k: (c["yes"], c["no"]) for k, c in v.by_party.items()}
                        tally["by_party_ok"] += want == have
                else:
                    lines.append(f"{where}: vote {v and (v.yes, v.no, v.abstain)} != {e['vote']}")
            elif p is not None and p.vote is not None:
                tally["votes_spurious"] += 1
                lines.append(f"{where}: vote found where none is stated: {p.vote.yes}-{p.vote.no}")
            want_m = Counter((m["party"], m["position"]) for m in e["motions"])
            have_m = Counter((m.party, m.position) for m in (p.motions if p else ()))
            tally["motion_tp"] += sum((want_m & have_m).values())
            tally["motion_fp"] += sum((have_m - want_m).values())
            tally["motion_fn"] += sum((want_m - have_m).values())
            if want_m != have_m:
                lines.append(f"{where}: motions {sorted(have_m.elements(), key=str)} != {sorted(want_m.elements(), key=str)}")
            want_s = Counter((e["number"], s["kind"], party) for s in e["statements"] for party in (s["parties"] or [None]))
            have_s = Counter({k: n for k, n in statements.items() if k[0] == e["number"]})
            tally["statement_tp"] += sum((want_s & have_s).values())
            tally["statement_fp"] += sum((have_s - want_s).values())
            tally["statement_fn"] += sum((want_s - have_s).values())
            if want_s != have_s:
                lines.append(f"{where}: statements {sorted(have_s.elements(), key=str)} != {sorted(want_s.elements(), key=str)}")
        # statements attributed to §§ that are not labelled
        labelled = {e["number"] for e in doc["paragraphs"]}
        tally["statement_fp"] += sum(n for k, n in statements.items() if k[0] not in labelled)
    n = tally["paragraphs"]
    result = {
        "documents": tally["documents"],
        "paragraphs": n,
        "paragraphs_found": n - tally["missing"],
        "outcome": tally["outcome_ok"] / n,
        "as_proposed": tally["as_proposed_ok"] / n,
        "votes_exact": f"{tally['votes_ok']}/{tally['votes']}",
        "votes_by_party_exact": f"{tally['by_party_ok']}/{tally['by_party']}",
        "votes_spurious": tally["votes_spurious"],
        "motions_prf": _f1(tally["motion_tp"], tally["motion_fp"], tally["motion_fn"]),
        "motions_labelled": tally["motion_tp"] + tally["motion_fn"],
        "statements_prf": _f1(tally["statement_tp"], tally["statement_fp"], tally["statement_fn"]),
        "statements_labelled": tally["statement_tp"] + tally["statement_fn"],
        "deadline_exact": f"{tally['deadline_ok']}/{tally['documents']}",
        "deadline_stated_exact": f"{tally['deadline_stated_ok']}/{tally['deadline_stated']}",
        "scanned_paragraphs": scanned["paragraphs"],
        "scanned_outcome_ok": scanned["outcome"],
    }
    if misses:
        result["misses"] = lines
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", action="store_true", help="list every miss")
    ap.add_argument("--expected", type=Path, default=EXPECTED,
                    help="the labels (default decisions_expected.json; the held-out set: benchmarks/decisions_heldout.json)")
    args = ap.parse_args()
    r = score(args.misses, args.expected)
    print(f"{r['documents']} documents, {r['paragraphs']} §§ ({r['paragraphs_found']} found)")
    print(f"outcome accuracy      {r['outcome']:.3f}")
    print(f"as_proposed accuracy  {r['as_proposed']:.3f}")
    print(f"vote totals exact     {r['votes_exact']}  (by party {r['votes_by_party_exact']}, spurious {r['votes_spurious']})")
    p, rec, f = r["motions_prf"]
    print(f"motions (party, position)  P {p:.3f}  R {rec:.3f}  F1 {f:.3f}  ({r['motions_labelled']} labelled)")
    p, rec, f = r["statements_prf"]
    print(f"statements (kind, party)   P {p:.3f}  R {rec:.3f}  F1 {f:.3f}  ({r['statements_labelled']} labelled)")
    print(f"appeal deadline exact {r['deadline_exact']}  (where a posting date is printed: {r['deadline_stated_exact']})")
    print(f"of these read by OCR (scans): {r['scanned_paragraphs']} §, outcome right {r['scanned_outcome_ok']}")
    for line in r.get("misses", []):
        print("  " + line)


if __name__ == "__main__":
    main()
