"""Learn the archive's related words: python -m index.related --data DIR (after an ingest)."""
from __future__ import annotations

import argparse
import sys
import time

from index.related.learn import CatalogTexts, learn
from index.related.settings import RelatedSettings
from index.related.table import save
from ingest.catalog.database import open_catalog
from ingest.catalog.datadir import DataDir, DataDirError


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Lär arkivets närliggande ord ur dess egna texter.")
    p.add_argument("--data", required=True, help="datakatalogen")
    p.add_argument("--catalog-url", help="en delad katalog i PostgreSQL")
    args = p.parse_args(argv)
    try:
        data = DataDir.existing(args.data, args.catalog_url)
    except DataDirError as e:
        print(e, file=sys.stderr)
        return 1
    settings = RelatedSettings()
    started = time.monotonic()
    catalog = open_catalog(data.catalog, readonly=True)
    try:
        learned = learn(CatalogTexts(catalog), settings)
    finally:
        catalog.close()
    save(learned, data.root / settings.file)
    print(f"{len(learned)} ord med närliggande ord, {time.monotonic() - started:.0f} s: {data.root / settings.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
