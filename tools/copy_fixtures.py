"""Copy the tests' corpus from ../shared/corpus into tests/fixtures/corpus/, with a sha256 per file.

Run from the repository root: python tools/copy_fixtures.py (python tools/copy_fixtures.py --check
only compares). The tests read real documents from tests/fixtures/corpus/, which mirrors the shared
corpus's layout (paths in the tests and the golden parser files are relative to it), so a fresh
clone with nothing beside it runs every test. What is copied:

* seeds/: the five seed documents and their annotations (gold.json), whole;
* real/: the 94 real documents, whole, with the corpus's SOURCES.md (origin and licence of every
  file), manifest.json (sha256 per file) and LINKED_DNR.md;
* bulk/regeringen/: the first 600 press releases (the interrupted-ingest and crawl-resume tests)
  and the 19 pages the national-extraction tests read, of the 10,445 the benchmarks use.

seeds/ and bulk/ get a manifest.json in the format of real/'s; tests/test_fixtures.py checks every
file against its manifest.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
FIXTURES = ROOT / "tests" / "fixtures" / "corpus"

WHOLE = ["seeds", "real"]
PRESS_RELEASES = 600  # the first ones, in path order
NATIONAL = [
    "pressmeddelanden/2023/06/diskrimineringsombudsmannen-far-i-uppdrag-att-genomfora-sarskilda-utbildningsinsatser-om-diskriminering.md",
    "pressmeddelanden/2023/08/lars-loow-blir-vikarierande-generaldirektor-och-chef-for-arbetsformedlingen.md",
    "pressmeddelanden/2023/10/landsbygdsminister-peter-kullgren-deltar-i-jordbruks--och-fiskeradet-i-luxemburg.md",
    "regeringsuppdrag/2009/08/ij20091452disk.md",
    "regeringsuppdrag/2012/03/uppdrag-att-utvardera-satsning-pa-skolor-i-utanforskapsomraden.md",
    "regeringsuppdrag/2014/02/u20141281uc.md",
    "regeringsuppdrag/2016/02/andring-av-uppdrag-om-riktade-insatser-inom-landsbygdsprogrammet-20142020.md",
    "regeringsuppdrag/2016/06/uppdrag-till-skydd-for-barn-mot-manniskohandel-exploatering-och-sexuella-overgrepp.md",
    "regeringsuppdrag/2017/02/uppdrag-till-statskontoret-att-gora-en-analys-av-riksteatern.md",
    "regeringsuppdrag/2017/12/regleringsbrev-for-budgetaret-2018-avseende-bolagsverket-inom-utgiftsomrade-24-naringsliv.md",
    "regeringsuppdrag/2022/10/andring-av-uppdraget-att-ta-fram-ett-handlingsprogram-for-laddinfrastruktur-och-"
    "tankinfrastruktur-for-vatgas.md",
    "regeringsuppdrag/2025/06/uppdrag-till-socialstyrelsen-att-stotta-arbetet-med-att-starka-kompetensen-och-"
    "kvaliteten-pa-hvb-och-stodboende.md",
    "regeringsuppdrag/2025/09/uppdrag-till-havs--och-vattenmyndigheten-att-utreda-forutsattningarna-for-att-varna-"
    "havsoringsbestandets-fortlevnad-i-dalalven.md",
    "regeringsuppdrag/2025/12/uppdrag-till-trafikanalys-att-forbereda-overforing-av-uppgifter-till-myndigheten-for-"
    "tillvaxtpolitiska-utvarderingar-och-analyser-samt-forbereda-avveckling-av-trafikanalys.md",
    "remisser/2017/07/remiss-n201704696rs.md",
    "remisser/2017/11/remiss-av-promemorian-kompletterande-bestammelser-till-eus-forordning-om-penningmarknadsfonder.md",
    "remisser/2018/03/remiss-sou-2017104-etikprovning--en-oversyn-av-reglerna-om-forskning-och-halso--och-sjukvard.md",
    "remisser/2020/06/promemoria-utbetalning-av-garantipension-inom-ees-och-i-schweiz-samt-i-forenade-kungariket.md",
    "remisser/2024/02/remiss-av-eus-klimatmal-2040-och-industriell-koldioxidforvaltning.md",
]
BULK = "bulk/regeringen"
METADATA = {"SOURCES.md", "manifest.json", "LINKED_DNR.md"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def bulk_files(corpus: Path) -> list[str]:
    """The bulk pages the tests read, relative to bulk/regeringen/."""
    root = corpus / BULK
    press = sorted(p.relative_to(root).as_posix() for p in (root / "pressmeddelanden").rglob("*.md"))
    return sorted(set(press[:PRESS_RELEASES]) | set(NATIONAL))


def manifest(folder: Path) -> list[dict]:
    """One row per file of folder (its metadata files aside), in the format of real/manifest.json."""
    return [{"file": path.relative_to(folder).as_posix(), "bytes": path.stat().st_size, "sha256": sha256(path)}
            for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in METADATA)]


def copy(corpus: Path) -> None:
    shutil.rmtree(FIXTURES / "seeds", ignore_errors=True)
    shutil.rmtree(FIXTURES / "real", ignore_errors=True)
    shutil.rmtree(FIXTURES / "bulk", ignore_errors=True)
    for name in WHOLE:
        shutil.copytree(corpus / name, FIXTURES / name)
    for rel in bulk_files(corpus):
        target = FIXTURES / BULK / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(corpus / BULK / rel, target)
    write_manifest(FIXTURES / "seeds", manifest(FIXTURES / "seeds"))
    write_manifest(FIXTURES / BULK, manifest(FIXTURES / BULK))


def write_manifest(folder: Path, rows: list[dict]) -> None:
    lines = ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    (folder / "manifest.json").write_text(f"[\n{lines}\n]\n", encoding="utf-8")


def check(corpus: Path) -> list[str]:
    """Differences between tests/fixtures/corpus and the shared corpus (empty when they agree)."""
    problems = []
    wanted = [f"{name}/{p.relative_to(corpus / name).as_posix()}" for name in WHOLE
              for p in (corpus / name).rglob("*") if p.is_file()]
    wanted += [f"{BULK}/{rel}" for rel in bulk_files(corpus)]
    for rel in wanted:
        mine = FIXTURES / rel
        if not mine.is_file():
            problems.append(f"missing: {rel}")
        elif mine.name != "manifest.json" and sha256(mine) != sha256(corpus / rel):
            problems.append(f"differs: {rel}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="only compare with the shared corpus")
    parser.add_argument("--corpus", type=Path, default=SHARED, help=f"the shared corpus (default {SHARED})")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found at {args.corpus}", file=sys.stderr)
        return 1
    if not args.check:
        copy(args.corpus)
    problems = check(args.corpus)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
