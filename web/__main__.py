"""Web command line: python -m web --data DIR [--host 127.0.0.1] [--port 8000], served by waitress."""
from __future__ import annotations

import errno
import gc
import os
import socket
import sys
from pathlib import Path

from ingest.catalog.datadir import DataDirError
from web.options import parse


def check_data_dir(path: str) -> str | None:
    """Why the data directory cannot be served, in Swedish, or None."""
    root = Path(path)
    if not root.exists():
        return f"datakatalogen {root} finns inte (skapa ett arkiv med python -m ingest --data {root} ...)"
    if not root.is_dir():
        return f"{root} är ingen katalog"
    if not os.access(root, os.W_OK | os.X_OK):
        return f"datakatalogen {root} är inte skrivbar (webben sparar bevakningar och sidbilder där)"
    return None


def bind_error(e: OSError, host: str, port: int) -> str:
    if e.errno == errno.EADDRINUSE:
        return f"port {port} på {host} används redan av ett annat program; välj en annan med --port"
    if e.errno == errno.EACCES:
        return f"ingen behörighet att lyssna på port {port} (portar under 1024 kräver root); välj en annan med --port"
    if e.errno == errno.EADDRNOTAVAIL:
        return f"adressen {host} finns inte på den här datorn; välj en annan med --host"
    return f"kan inte lyssna på {host}:{port}: {e.strerror or e}"


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    problem = check_data_dir(args.data)
    if problem and Path(args.data).is_dir() and os.access(args.data, os.R_OK | os.X_OK) \
            and not os.access(args.data, os.W_OK):  # a read-only archive is served, read-only
        print(f"varning: {problem}; arkivet serveras skrivskyddat", file=sys.stderr)
        problem = None
    if problem:
        print(f"fel: {problem}", file=sys.stderr)
        return 2
    from waitress.server import create_server

    from index.engine import EngineSettings
    from index.options import engine_options
    from notify.settings import NotifySettings, SettingsError
    from web.app import create_app

    try:
        app = create_app(args.data, {"CORS_ORIGIN": args.cors_origin, "BASE_URL": args.base_url,
                                     "NOTIFY": NotifySettings.from_environ()},
                         engine=EngineSettings(**engine_options(args)), catalog_url=args.catalog)
    except (DataDirError, SettingsError) as e:
        print(f"fel: {e}", file=sys.stderr)
        return 2
    try:
        server = create_server(app, host=args.host, port=args.port, threads=args.threads, ident="Diariet")
    except socket.gaierror:
        print(f"fel: okänd värd {args.host!r}; ange en adress som 127.0.0.1 eller 0.0.0.0 med --host", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"fel: {bind_error(e, args.host, args.port)}", file=sys.stderr)
        return 2
    try:
        app.extensions["diariet.searcher"].warm()
    except Exception as e:  # a damaged index: served as well as it can be, warmed on use
        print(f"varning: sökindexet kunde inte läsas in i förväg ({type(e).__name__}: {e})", file=sys.stderr)
    # What startup loaded (lexicon, language profiles, the index's arrays) lives as long as the
    # server: out of the garbage collector's sight, collections stay short under load.
    gc.freeze()
    print(f"Diariet på http://{args.host}:{args.port}/ (avsluta med Ctrl-C)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
