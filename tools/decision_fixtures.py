"""Tools: build tests/fixtures/decisions/ (the parsed pages of the labelled protocols) from the originals.

The decision golden tests run extraction on the pages our parser makes of each protocol labelled in
benchmarks/decisions_expected.json. The originals (1-2.5 MB PDFs) stay where they came from; the
fixtures hold their pages as gzipped JSON, named by the original's sha256 prefix, with a line in
SOURCES.md each. Pages without a usable text layer are read by OCR as the ingest reads them (`--ocr auto`), so a
scanned protocol's §§ are scored like the others. Run again after a parser change (`--only` rebuilds
the fixtures of the labelled paths that contain a given text):

    python tools/decision_fixtures.py --corpus ../shared/corpus --mirror /path/to/Knarrbyn+Kommundata/repo
    python tools/decision_fixtures.py --only kommunfullmaktige_2026-06-10_ss-620
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.parse.ocr.read import OcrSettings, ocr_document  # noqa: E402
from ingest.parse.registry import parse  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "decisions"
EXPECTED = (ROOT / "benchmarks" / "decisions_expected.json", ROOT / "benchmarks" / "decisions_heldout.json")
MIRROR_COMMIT = "0549f58b31acf2815a60b8a56682b2c7007ff14b"


def original(path: str, corpus: Path, mirror: Path | None) -> bytes:
    if path.startswith("mirror:"):
        if mirror is None:
            raise SystemExit(f"{path}: give --mirror")
        inner = path.split("/", 2)[2]
        return subprocess.run(["git", "-C", str(mirror), "show", f"{MIRROR_COMMIT}:{inner}"],
                              check=True, capture_output=True).stdout
    return (corpus / path).read_bytes()


def fixture_name(path: str) -> str:
    return Path(path.split("/", 2)[2] if path.startswith("mirror:") else path).name


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--mirror", type=Path)
    ap.add_argument("--only", help="rebuild only the labelled paths containing this text (SOURCES.md keeps the other rows)")
    args = ap.parse_args()
    FIXTURES.mkdir(parents=True, exist_ok=True)
    rows = []
    for doc in (d for path in EXPECTED for d in json.loads(path.read_text())["documents"]):
        if args.only and args.only not in doc["path"]:
            continue
        data = original(doc["path"], args.corpus, args.mirror)
        sha = hashlib.sha256(data).hexdigest()
        parsed = ocr_document(parse(data, fixture_name(doc["path"])), data, OcrSettings())
        pages = [{"number": p.number, "text": p.text, "has_text_layer": p.has_text_layer,
                  **({"ocr": True, "confidence": p.confidence} if p.ocr else {})} for p in parsed.pages]
        out = FIXTURES / f"{sha[:16]}.pages.json.gz"
        body = json.dumps({"path": doc["path"], "sha256": sha, "media_type": parsed.media_type, "pages": pages},
                          ensure_ascii=False, indent=0, sort_keys=True).encode()
        out.write_bytes(gzip.compress(body, mtime=0))
        rows.append((out.name, doc["path"], sha, len(data)))
        print(out.name, doc["path"])
    lines = [
        "# Sources of tests/fixtures/decisions",
        "",
        "Each file is the text our parser (ingest/parse) makes of one real protocol or protokollsutdrag",
        "labelled in benchmarks/decisions_expected.json and decisions_heldout.json: `{path, sha256, media_type, pages}` as gzipped",
        "JSON, built by `tools/decision_fixtures.py`. The originals are public records (allmänna",
        "handlingar) of the organizations named in the labels; their provenance and licence notes are in",
        "../shared/corpus/{real,municipal}/SOURCES.md and seeds/. Paths `mirror:Knarrbyn/Kommundata/...`",
        f"are files of the public repository Knarrbyn/Kommundata at commit {MIRROR_COMMIT} (no LICENSE",
        "file; its README describes downloading Alingsås kommun's public meeting documents), the same",
        "source as ../shared/corpus/municipal/alingsas-knarrbyn.",
        "",
        "| fixture | original | sha256 of the original | bytes |",
        "| --- | --- | --- | --- |",
    ]
    kept = _rows(FIXTURES / "SOURCES.md") if args.only else {}
    kept.update({p: f"| `{n}` | `{p}` | {s} | {b} |" for n, p, s, b in rows})
    labelled = [d["path"] for path in EXPECTED for d in json.loads(path.read_text())["documents"]]
    lines += [kept[p] for p in labelled if p in kept]
    (FIXTURES / "SOURCES.md").write_text("\n".join(lines) + "\n")


def _rows(sources: Path) -> dict[str, str]:
    """The table rows of an existing SOURCES.md, by the original's path."""
    if not sources.exists():
        return {}
    rows = {}
    for line in sources.read_text().splitlines():
        cells = line.split(" | ")
        if line.startswith("| `") and len(cells) >= 2:
            rows[cells[1].strip("`")] = line
    return rows


if __name__ == "__main__":
    main()
