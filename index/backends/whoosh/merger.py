"""Index stage, the merge process: `python -m index.backends.whoosh.merger LIVE OUT SEGMENT_ID...`.

Started by index.backends.whoosh.store.BackgroundMerger as a fresh interpreter (not forked from the ingest, whose
memory it need not copy, and not multiprocessing's spawn, which would re-run the ingest's own
main script): merges the named segments of the index in LIVE into one segment of a new index
in OUT, then exits 0."""
from __future__ import annotations

import sys

from index.backends.whoosh import internals
from index.backends.whoosh.store import merge_segments
from ingest.pipeline import lifeline


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print("usage: python -m index.backends.whoosh.merger LIVE OUT SEGMENT_ID...", file=sys.stderr)
        return 2
    live, out, *segment_ids = argv
    lifeline.helper_start()  # dies with the ingest that started it
    internals.install()
    merge_segments(live, segment_ids, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
