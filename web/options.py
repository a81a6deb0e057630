"""Web command line, options: flags with defaults from DIARIET_* variables, and Swedish one-line errors."""
from __future__ import annotations

import argparse
import os
import re
import sys

from index import options as engine_flags
from ingest.catalog import options as catalog_flags

ENVIRONMENT = {  # flag → variable; the flag wins when both are given
    "data": "DIARIET_DATA",
    "host": "DIARIET_HOST",
    "port": "DIARIET_PORT",
    "cors_origin": "DIARIET_CORS_ORIGIN",
    "base_url": "DIARIET_BASE_URL",
}

# argparse's English messages → Swedish.
_MESSAGES = (
    (re.compile(r"unrecognized arguments: (.*)"), "okänt argument: {0}"),
    (re.compile(r"the following arguments are required: (.*)"), "argumentet {0} krävs"),
    (re.compile(r"argument (\S+): invalid int value: (.*)"), "{0} måste vara ett heltal, inte {1}"),
    (re.compile(r"argument (\S+): expected one argument"), "{0} behöver ett värde"),
    (re.compile(r"argument (\S+): ambiguous option: (.*)"), "{0} är tvetydigt: {1}"),
    (re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)"), "{0} måste vara {2}, inte {1}"),
)


def swedish(message: str) -> str:
    for pattern, text in _MESSAGES:
        found = pattern.fullmatch(message)
        if found:
            return text.format(*found.groups())
    return message


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one Swedish line and exit code 2."""

    def error(self, message: str):
        sys.stderr.write(f"fel: {swedish(message)} (se {self.prog} --help)\n")
        sys.exit(2)


def parse(argv: list[str] | None, environ=os.environ) -> argparse.Namespace:
    p = Parser(prog="python -m web", description="Servera Diariets webbgränssnitt och API.",
               epilog="Standardvärden kan också ges i miljövariablerna "
                      + ", ".join([*ENVIRONMENT.values(), *engine_flags.ENVIRONMENT.values(),
                                 *catalog_flags.ENVIRONMENT.values()]) + ".")
    p.add_argument("--data", metavar="DIR", default=environ.get(ENVIRONMENT["data"]),
                   help="arkivets datakatalog (DIARIET_DATA)")
    p.add_argument("--host", default=environ.get(ENVIRONMENT["host"], "127.0.0.1"),
                   help="adress att lyssna på (DIARIET_HOST, standard 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (DIARIET_PORT, standard 8000)")
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--cors-origin", metavar="URL", default=environ.get(ENVIRONMENT["cors_origin"]),
                   help="låt sidor från denna origin läsa JSON-API:t (DIARIET_CORS_ORIGIN)")
    p.add_argument("--base-url", metavar="URL", default=environ.get(ENVIRONMENT["base_url"]),
                   help="arkivets publika adress, för absoluta länkar i flöden och exporter "
                        "(DIARIET_BASE_URL; utan den är länkarna relativa, aldrig från Host-huvudet)")
    engine_flags.add_arguments(p, environ)
    catalog_flags.add_arguments(p, environ)
    args = p.parse_args(argv)
    if args.base_url and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", args.base_url):
        p.error(f"--base-url måste vara en http(s)-adress som https://arkiv.kommun.se, inte {args.base_url!r}")
    if args.port is None:
        raw = environ.get(ENVIRONMENT["port"], "8000")
        if not raw.isdigit():
            p.error(f"DIARIET_PORT måste vara ett heltal, inte {raw!r}")
        args.port = int(raw)
    if not 0 < args.port < 65536:
        p.error(f"--port måste vara mellan 1 och 65535, inte {args.port}")
    if not args.data:
        p.error("ange arkivets datakatalog med --data DIR (eller DIARIET_DATA)")
    return args
