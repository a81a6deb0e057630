"""Index stage, related words: the learned table in the data directory, and its look-up.

One line a term: the term, then each neighbour's word and score, tab-separated, best first.
"""
from __future__ import annotations

from pathlib import Path

from index.analysis.chain import normalize
from index.related.learn import Learned
from index.related.settings import RelatedSettings


def save(learned: Learned, path: Path) -> None:
    lines = ["\t".join([term] + [f"{word}\t{score}" for word, score in pairs])
             for term, pairs in sorted(learned.items())]
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)


def load(path: Path) -> Learned:
    out: Learned = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) >= 3:
            out[cells[0]] = [(w, float(s)) for w, s in zip(cells[1::2], cells[2::2])]
    return out


class Related:
    """A data directory's related words, as the settings say to use them."""

    def __init__(self, learned: Learned, settings: RelatedSettings | None = None):
        self.learned = learned
        self.settings = settings or RelatedSettings()

    @classmethod
    def of(cls, root: Path, settings: RelatedSettings | None = None) -> Related | None:
        """The data directory's table, or None when none was learned."""
        settings = settings or RelatedSettings()
        path = Path(root) / settings.file
        return cls(load(path), settings) if path.is_file() else None

    def neighbours(self, word: str) -> list[str]:
        """The words a query word also searches: its term's strongest neighbours."""
        return [w for w, _ in self.learned.get(normalize(word.lower(), "sv"), ())[:self.settings.per_word]]
