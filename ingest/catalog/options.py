"""Catalog stage, the catalog switch on a command line: `--catalog URL` (or DIARIET_CATALOG) for
ingest, web and notify; without it the catalog is the data directory's SQLite file.

>>> import argparse
>>> p = argparse.ArgumentParser()
>>> add_arguments(p, environ={"DIARIET_CATALOG": "postgresql://diariet@db.example/diariet"})
>>> p.parse_args([]).catalog
'postgresql://diariet@db.example/diariet'
>>> p.parse_args(["--catalog", "postgresql://diariet@10.0.0.7/arkiv"]).catalog
'postgresql://diariet@10.0.0.7/arkiv'
>>> catalog_url("/srv/arkiv/catalog.sqlite")
Traceback (most recent call last):
argparse.ArgumentTypeError: --catalog måste vara en postgresql://-adress, inte '/srv/arkiv/catalog.sqlite' (utan --catalog: datakatalogens SQLite-fil)
"""
from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from ingest.catalog.postgres import SCHEMES

ENVIRONMENT = {"catalog": "DIARIET_CATALOG"}


def catalog_url(value: str) -> str:
    if not value.startswith(SCHEMES):
        raise argparse.ArgumentTypeError(
            f"--catalog måste vara en postgresql://-adress, inte {value!r} (utan --catalog: datakatalogens SQLite-fil)")
    return value


def add_arguments(p: argparse.ArgumentParser, environ: Mapping[str, str] = os.environ) -> None:
    p.add_argument("--catalog", type=catalog_url, metavar="postgresql://...",
                   default=environ.get(ENVIRONMENT["catalog"]) or None,
                   help="en katalog i PostgreSQL som flera datorers inläsningar och webbservrar delar "
                        f"({ENVIRONMENT['catalog']}; standard: datakatalogens catalog.sqlite)")
