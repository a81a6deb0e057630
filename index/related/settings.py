"""Index stage, related words: how they are learned and how much a query uses them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RelatedSettings:
    """Learning (co-occurrence within a window, scored by local mutual information) and use."""

    file: str = "related.tsv"  # in the data directory
    window: int = 8  # words this close together (stop words out) co-occur
    min_documents: int = 2  # a word of fewer documents has no neighbours and is none
    max_share: float = 0.03  # ... nor a word in more than this share of the documents
    min_together: int = 2  # documents where the two stand together, at least
    min_pmi: float = 3.0  # log of how much more often together than by chance, at least
    kept: int = 5  # neighbours kept per word
    per_word: int = 2  # neighbours a query word also searches
    boost: float = 0.2  # their weight (the word as typed: 1)
    relaxed: bool = True  # also in a relaxed query (index/query/relax.py): its documents come last
