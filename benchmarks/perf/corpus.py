"""The corpus of a size: the bulk pages, and above their number variants of them in a temporary folder."""
from __future__ import annotations

import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared/corpus/bulk/regeringen"
PDF_CORPUS = ROOT.parent / "shared/corpus/real"


def variant(text: str, copy: int, number: int) -> str:
    """A different document with the same words: paragraphs after the first shuffled, and a
    numbered line, so its bytes, sha256 and (through its path) id are its own."""
    paragraphs = text.split("\n\n")
    rest = paragraphs[1:]
    random.Random(copy * 1_000_003 + number).shuffle(rest)
    return "\n\n".join(paragraphs[:1] + rest) + f"\n\nKopia {copy}:{number}\n"


def file_set(size: int, base: list[Path], tmp: Path) -> list[Path]:
    """`size` files: a fixed sample of the corpus, or all of it plus generated variants."""
    if size <= len(base):
        return sorted(random.Random(7).sample(base, size))
    files = list(base)
    scaled = tmp / "scaled"
    for number in range(len(base), size):
        copy, original = divmod(number, len(base))
        source = base[original]
        target = scaled / f"kopia-{copy:02d}" / source.relative_to(CORPUS)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            text = source.read_text(encoding="utf-8")
            target.write_text(variant(text, copy, number), encoding="utf-8")
        files.append(target)
    return files
