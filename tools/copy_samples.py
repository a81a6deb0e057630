"""Copy the demo's sample corpus from ../shared/corpus into samples/, with SOURCES.md rows.

Run from the repository root: python tools/copy_samples.py. The list below is the demo set:
real municipal, regional and national records of every format the archive reads.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLES = ROOT / "samples"

SEEDS = ["000_c6a6d7e471c0821b.txt", "001_e51f5a689c1ba08a.txt", "002_6473ea12f96f77f2.txt",
         "003_b7aafb99961ad059.txt", "004_32a3c4eaa92b937e.txt"]
REAL = [
    "simrishamn-lundgren9/Protokoll  SPn april 2024_Bortredigerad.pdf",
    "simrishamn-lundgren9/Sammanstallning_granskningsyttranden_Borrby.pdf",
    "simrishamn-lundgren9/Sammanstallning_granskningsyttranden_Borrby.docx",
    "simrishamn-lundgren9/260330_badanalys.pdf",
    "simrishamn-lundgren9/budgetanvisningar.pdf",
    "kungsbacka-kommunhandlingar/data/kungsbacka/bygg-au/2024/2024-02-01/kallelse.md",
    "kungsbacka-kommunhandlingar/data/kungsbacka/bygg-au/2024/2024-02-01/protokoll.md",
    "kungsbacka-kommunhandlingar/data/kungsbacka/bygg/2024/2024-02-22/protokoll-byggnadsnamndens-protokoll-2024-02-22-31-33.md",
    "kungsbacka-kommunhandlingar/data/kungsbacka/val/2024/2024-05-06/handlingar.md",
    "kungsbacka-kommunhandlingar/data/kungsbacka/val/2024/2024-05-06/protokoll.md",
    "botkyrka-seniorbot/Avgifter inom vård och omsorg i Botkyrka kommun - riktlinje 2025-06-16.md",
    "botkyrka-seniorbot/Riktlinje för anhörigstöd, antagen 2025-06-16.md",
    "botkyrka-seniorbot/Äldreomsorg - Botkyrka kommun.html",
    "botkyrka-bobot-converted/Hemtjänst/Riktlinjer-Mot_mutor_och_jäv-20131213.md",
    "botkyrka-bobot-converted/Vård- och omsorgsboende/Kontakt med legitimerad personal- rutin.md",
    "botkyrka-bobot-converted/Hälso- och sjukvård/6.1 Rapportering mellan sjuksköterskor.md",
    "botkyrka-bobot-converted/Vård- och omsorgsboende/Handlingsprogram för calicivirus.md",
    "gotland-figotland/vegetabilisk_kost_som_grund_i_skolbespisningen.pdf",
    "gotland-figotland/2017-02-21-vego-i-skolan-ar-logiskt.markdown",
    "riksdagen-gco/bill_2022_23_126.html",
    "riksdagen-gco/amendment_2022_23_2403.html",
    "riksdagen-gco/bill_text_prop_202223__105.pdf",
    "ferenda/dirregeringen/downloaded/2016/15/index.html",
    "ferenda/dirregeringen/downloaded/2016/15/dir.-201615-dataskyddsforordningen.pdf",
    "ferenda/dv/downloaded/ADO/2013-63.docx",
]
REGERINGEN_PREFIXES = ["regeringen-g0vse/regeringsuppdrag/", "regeringen-g0vse/pressmeddelanden/",
                       "regeringen-g0vse/remisser/", "regeringen-g0vse/tal/"]


def source_rows() -> dict[str, str]:
    """SOURCES.md table rows of the corpus, by file path."""
    rows = {}
    for line in (CORPUS / "real" / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            rows[line.split("`")[1]] = line
    return rows


def main() -> int:
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}", file=sys.stderr)
        return 1
    rows = source_rows()
    real = list(REAL)
    for prefix in REGERINGEN_PREFIXES:
        sub = prefix.split("/", 1)[1]
        real += [f"regeringen-g0vse/{p}" for p in sorted(rows) if p.startswith(sub)]
    shutil.rmtree(SAMPLES, ignore_errors=True)
    lines = ["# Sample corpus for the demo and the UI tests", "",
             "Real public records copied verbatim from `../shared/corpus/` by `tools/copy_samples.py`.",
             "Nothing here was written for this project. Each row: file | source repository | path there",
             "| commit | bytes | what it is (from the corpus's SOURCES.md, which also gives the licences).", "",
             "## seeds/ (from the corpus's seeds/; annotations in its gold.json)", ""]
    for name in SEEDS:
        target = SAMPLES / "seeds" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(CORPUS / "seeds" / name, target)
        lines.append(f"- `seeds/{name}`")
    lines += ["", "## real/", "", "| file | repo | path | commit | bytes | description |", "|---|---|---|---|---|---|"]
    for rel in real:
        target = SAMPLES / "real" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(CORPUS / "real" / rel, target)
        inner = rel.split("/", 1)[1]
        row = rows.get(inner) or rows.get(rel)
        lines.append(row.replace(f"`{inner}`", f"`real/{rel}`", 1) if row else f"| `real/{rel}` | | | | | |")
    (SAMPLES / "SOURCES.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"copied {len(SEEDS) + len(real)} files into {SAMPLES.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
