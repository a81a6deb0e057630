"""Web command line: python -m web --data DIR [--host 127.0.0.1] [--port 8000], served by waitress."""
from __future__ import annotations

import argparse
import gc
import sys

from ingest.catalog.datadir import DataDirError


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m web", description="Servera Diariets webbgränssnitt och API.")
    p.add_argument("--data", required=True, metavar="DIR", help="arkivets datakatalog")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--threads", type=int, default=8)
    args = p.parse_args(argv)
    from waitress import serve

    from web.app import create_app

    try:
        app = create_app(args.data)
    except DataDirError as e:
        print(f"fel: {e}", file=sys.stderr)
        return 2
    app.extensions["diariet.searcher"].warm()
    # What startup loaded (lexicon, language profiles, the index's arrays) lives as long as the
    # server: out of the garbage collector's sight, collections stay short under load.
    gc.freeze()
    print(f"Diariet på http://{args.host}:{args.port}/ (avsluta med Ctrl-C)", flush=True)
    serve(app, host=args.host, port=args.port, threads=args.threads, ident="Diariet")
    return 0


if __name__ == "__main__":
    sys.exit(main())
