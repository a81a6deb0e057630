"""Index stage, the engine switch on a command line: the same flags for ingest and web, each
with its DIARIET_* variable as the default (the flag wins when both are given).

>>> import argparse
>>> p = argparse.ArgumentParser()
>>> add_arguments(p, environ={"DIARIET_ENGINE": "opensearch"})
>>> args = p.parse_args(["--opensearch-url", "http://10.0.0.5:9200,http://10.0.0.6:9200"])
>>> engine_options(args)["backend"], engine_options(args)["opensearch_url"]
('opensearch', 'http://10.0.0.5:9200,http://10.0.0.6:9200')
>>> engine_options(p.parse_args(["--engine", "whoosh"]))["backend"]
'whoosh'
>>> backend("solr")
Traceback (most recent call last):
argparse.ArgumentTypeError: sökmotorn måste vara whoosh eller opensearch, inte 'solr'
"""
from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from index.engine import EngineSettings

BACKENDS = ("whoosh", "opensearch")
ENVIRONMENT = {"engine": "DIARIET_ENGINE", "opensearch_url": "DIARIET_OPENSEARCH_URL",
               "opensearch_index": "DIARIET_OPENSEARCH_INDEX"}


def backend(value: str) -> str:
    """An engine's name; argparse checks a string default (DIARIET_ENGINE) with it too."""
    if value not in BACKENDS:
        raise argparse.ArgumentTypeError(f"sökmotorn måste vara {' eller '.join(BACKENDS)}, inte {value!r}")
    return value


def add_arguments(p: argparse.ArgumentParser, environ: Mapping[str, str] = os.environ) -> None:
    p.add_argument("--engine", type=backend, metavar="{" + ",".join(BACKENDS) + "}", default=environ.get(ENVIRONMENT["engine"], EngineSettings.backend),
                   help="sökmotor: whoosh (inbyggd, i datakatalogen) eller opensearch (ett kluster; "
                        f"{ENVIRONMENT['engine']}, standard {EngineSettings.backend})")
    p.add_argument("--opensearch-url", metavar="URL[,URL...]",
                   default=environ.get(ENVIRONMENT["opensearch_url"], EngineSettings.opensearch_url),
                   help="med --engine opensearch: klustrets noder, kommaseparerade "
                        f"({ENVIRONMENT['opensearch_url']}, standard {EngineSettings.opensearch_url})")
    p.add_argument("--opensearch-index", metavar="NAMN",
                   default=environ.get(ENVIRONMENT["opensearch_index"], EngineSettings.opensearch_index),
                   help="med --engine opensearch: aliaset arkivets index ligger bakom "
                        f"({ENVIRONMENT['opensearch_index']}, standard {EngineSettings.opensearch_index})")


def engine_options(args: argparse.Namespace) -> dict:
    """The EngineSettings fields the flags set (for EngineSettings(**...))."""
    return {"backend": args.engine, "opensearch_url": args.opensearch_url, "opensearch_index": args.opensearch_index}
