"""Index stage, related words: learned from the catalog's own texts.

Two analysis terms (stems, index.analysis.chain) are related when the archive's documents hold
them within `window` words of each other far more often than chance: local mutual information,
the number of documents where they stand together times the log of how much more often that is
than their document frequencies predict (PMI), for pairs in at least `min_together` documents
with a PMI of at least `min_pmi`. Words of a single document, and words of more than `max_share`
of the documents (the archive's everyday words), have no neighbours and are none. Each term keeps
its `kept` strongest neighbours, each as the archive's most frequent word form of it, so the
query stage can search it as a word.

>>> texts = ["Utbrott av calicivirus (vinterkräksjuka) på boendet: basala hygienrutiner.",
...          "Checklista vid calicivirus, vinterkräksjuka: isolera, hygienrutiner och städning.",
...          "Budget för gator och parker."] + [f"Protokoll nummer {n} om skolan." for n in range(40)]
>>> learned = learn(texts, RelatedSettings(max_share=0.5, min_pmi=1.0))
>>> [word for word, _ in learned["vinterkräksjuk"]][:2]
['calicivirus', 'hygienrutiner']
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

import numpy as np

from index.analysis.chain import analyze, supported
from index.related.settings import RelatedSettings

Learned = dict[str, list[tuple[str, float]]]


def _content(text: str) -> list[tuple[str, str]]:
    """(term, word as written, lower case) of a Swedish text's content words: whole words of
    letters, three or more, stop words out."""
    return [(t.text, text[t.start:t.end].lower()) for t in analyze(text, "sv")
            if not t.part and len(t.text) >= 3 and t.text.isalpha()]


def learn(texts: Iterable[str], settings: RelatedSettings | None = None) -> Learned:
    """Each term's strongest neighbours, (word, score) best first, over `texts` (read twice:
    give a list or a re-iterable)."""
    settings = settings or RelatedSettings()
    documents = 0
    frequency: Counter[str] = Counter()
    for text in texts:
        documents += 1
        frequency.update({term for term, _ in _content(text)})
    most = settings.max_share * documents
    vocabulary = sorted(t for t, n in frequency.items() if settings.min_documents <= n <= most)
    ids = {t: i for i, t in enumerate(vocabulary)}
    size = len(vocabulary)
    forms: dict[int, Counter[str]] = defaultdict(Counter)
    chunks: list[np.ndarray] = []
    for text in texts:
        kept = [(ids[term], word) for term, word in _content(text) if term in ids]
        for i, word in kept:
            forms[i][word] += 1
        if len(kept) < 2:
            continue
        row = np.fromiter((i for i, _ in kept), dtype=np.int64, count=len(kept))
        pairs = []
        for k in range(1, min(settings.window, len(row) - 1) + 1):
            a, b = row[:-k], row[k:]
            lo, hi = np.minimum(a, b), np.maximum(a, b)
            pairs.append((lo * size + hi)[lo != hi])
        chunks.append(np.unique(np.concatenate(pairs)))  # once per document
    if not chunks:
        return {}
    codes, together = np.unique(np.concatenate(chunks), return_counts=True)
    strong = together >= settings.min_together
    codes, together = codes[strong], together[strong]
    df = np.array([frequency[t] for t in vocabulary], dtype=np.float64)
    a, b = codes // size, codes % size
    pmi = np.log(documents * together / (df[a] * df[b]))
    good = pmi >= settings.min_pmi
    a, b, scores = a[good], b[good], (together * pmi)[good]
    found: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for x, y, s in zip(a.tolist(), b.tolist(), scores.tolist()):
        found[x].append((s, y))
        found[y].append((s, x))
    out: Learned = {}
    for x, scored in found.items():
        scored.sort(key=lambda p: (-p[0], vocabulary[p[1]]))
        out[vocabulary[x]] = [(forms[y].most_common(1)[0][0], round(s, 2)) for s, y in scored[:settings.kept]]
    return out


def catalog_texts(catalog) -> Iterator[str]:
    """The title and text of each Swedish document of a catalog."""
    for doc in catalog.iter_documents(catalog.iter_ids()):
        if supported(doc.meta.language) == "sv":
            yield f"{doc.meta.title or ''}\n{doc.text}"


class CatalogTexts:
    """The catalog's texts, iterable more than once (learn reads them twice)."""

    def __init__(self, catalog):
        self.catalog = catalog

    def __iter__(self) -> Iterator[str]:
        return catalog_texts(self.catalog)
