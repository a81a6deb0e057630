"""Benchmark: the compound splitter (index/analysis/compounds.py) on hand-labelled real words.

    python benchmarks/compounds.py [--labels benchmarks/compounds_labelled.json] [-v]

Prints, with and without the protected-word list: compounds split into the labelled parts
(compared as index terms, so the bound form "skol" is the part "skola"), compounds left whole, words that must stay whole but were split, and the precision of
splitting (right splits / all splits made). The splitter's cost at ingest is measured by benchmarks/ingest_search.py. Figures, not assertions.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.analysis import compounds  # noqa: E402
from index.analysis.chain import stem  # noqa: E402


def as_terms(parts) -> list[str]:
    """Parts as the index holds them: "skol" (of "skola") and "skola" are the same term."""
    return [stem(p) for p in parts]


def evaluate(labels: dict, verbose: bool) -> dict[str, int]:
    compounds.split.cache_clear()
    right = unsplit = wrong_parts = false_splits = 0
    for word, parts in labels["compounds"].items():
        got = list(compounds.split(word).parts)
        if as_terms(got) == as_terms(parts):
            right += 1
        elif not got:
            unsplit += 1
        else:
            wrong_parts += 1
        if verbose and as_terms(got) != as_terms(parts):
            print(f"    compound {word}: {'+'.join(got) or '(whole)'} (expected {'+'.join(parts)})")
    for word in labels["whole"]:
        got = compounds.split(word).parts
        if got:
            false_splits += 1
            if verbose:
                print(f"    whole    {word}: split {'+'.join(got)}")
    splits = right + wrong_parts + false_splits
    return {"right": right, "unsplit": unsplit, "wrong_parts": wrong_parts,
            "false_splits": false_splits, "precision": right / splits if splits else 1.0}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=Path, default=ROOT / "benchmarks" / "compounds_labelled.json")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    labels = json.loads(args.labels.read_text(encoding="utf-8"))
    n, m = len(labels["compounds"]), len(labels["whole"])
    print(f"{n} labelled compounds, {m} words that must stay whole")
    protected = compounds.PROTECTED
    for label, words in (("with the protected list", protected), ("without it", frozenset())):
        compounds.PROTECTED = words
        print(f"  {label}:")
        r = evaluate(labels, args.verbose)
        print(f"    compounds split right {r['right']}/{n}, left whole {r['unsplit']}, "
              f"wrong parts {r['wrong_parts']}; whole words split {r['false_splits']}/{m}; "
              f"precision of splitting {r['precision']:.3f}")
    compounds.PROTECTED = protected
    compounds.split.cache_clear()
    return 0


if __name__ == "__main__":
    sys.exit(main())
