"""Test helper: many distinct real documents from samples/ (a run that lasts long enough to be
stopped part-way), each the bytes of a sample text plus a line that makes it unique."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


def sample_texts() -> list[Path]:
    return sorted(p for p in SAMPLES.rglob("*") if p.suffix in (".md", ".txt") and p.is_file())


def text_files(folder: Path, count: int) -> list[Path]:
    """`count` files in `folder`, cycling through the sample texts."""
    folder.mkdir(parents=True, exist_ok=True)
    bases = sample_texts()
    out = []
    for i in range(count):
        base = bases[i % len(bases)]
        path = folder / f"{i:04d}-{base.name}"
        path.write_bytes(base.read_bytes() + f"\n\nLöpnummer {i} i provsamlingen.\n".encode())
        out.append(path)
    return out
