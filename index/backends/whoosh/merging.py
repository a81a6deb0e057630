"""Index stage, segment merging: a tiered policy for Whoosh commits.

Every commit of the ingest writes one new segment. Whoosh's default policy (MERGE_SMALL) merges
small segments again and again as the index grows, so each document is rewritten many times and
merging becomes most of the writer's work. Here segments are grouped in tiers by their number of
live documents, each tier `FANOUT` times larger than the one below, and a tier is merged into one
segment only when it holds `FANOUT` segments: a document is rewritten about log_FANOUT(N / batch)
times, and the index never holds more than (FANOUT - 1) segments per tier.
"""
from __future__ import annotations

import math

FANOUT = 8


def tier_of(live_documents: int, floor: int) -> int:
    """The tier of a segment: 0 below floor * FANOUT documents, 1 below floor * FANOUT², ..."""
    if live_documents <= floor:
        return 0
    return int(math.log(live_documents / floor, FANOUT) + 1e-9)


def to_merge(counts: list[int], floor: int, fanout: int = FANOUT) -> list[int]:
    """Indices into `counts` (live documents per segment) of the segments to merge now: the
    segments of every tier that is full. Empty segments (all documents deleted) always go."""
    tiers: dict[int, list[int]] = {}
    chosen = [i for i, count in enumerate(counts) if count == 0]
    for i, count in enumerate(counts):
        if count:
            tiers.setdefault(tier_of(count, floor), []).append(i)
    for members in tiers.values():
        if len(members) >= fanout:
            chosen.extend(members)
    return sorted(chosen)


def tiered(floor: int):
    """A Whoosh merge policy (writer.commit(mergetype=...)) over to_merge()."""

    def policy(writer, segments):
        from whoosh.reading import SegmentReader

        merge = set(to_merge([s.doc_count() for s in segments], floor))
        kept = []
        for i, segment in enumerate(segments):
            if i in merge:
                writer.add_reader(SegmentReader(writer.storage, writer.schema, segment))
            else:
                kept.append(segment)
        return kept

    return policy
