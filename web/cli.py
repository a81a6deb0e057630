"""The `diariet` command: `diariet ingest …` (python -m ingest) and `diariet serve …` (python -m web)."""
from __future__ import annotations

import sys

USAGE = """användning: diariet KOMMANDO [ARGUMENT ...]

  ingest   läs in filer, kataloger och källor i ett arkiv (som python -m ingest)
  serve    servera webbgränssnittet och API:t (som python -m web)
  notify   skicka bevakningarnas e-post och webhooks (som python -m notify)

"diariet KOMMANDO --help" visar kommandots argument."""


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command == "ingest":
        from ingest.__main__ import main as ingest_main
        return ingest_main(rest)
    if command == "serve":
        from web.__main__ import main as serve_main
        return serve_main(rest)
    if command == "notify":
        from notify.__main__ import main as notify_main
        return notify_main(rest)
    print(f"fel: okänt kommando {command!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
