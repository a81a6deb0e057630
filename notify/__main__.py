"""Notify command line: python -m notify --data DIR digest [--frequency daily|weekly] | trigger (cron-able)."""
from __future__ import annotations

import sys

from ingest.catalog import options as catalog_flags
from ingest.catalog.datadir import DataDir, DataDirError
from notify.settings import NotifySettings, SettingsError
from web.options import Parser


def main(argv: list[str] | None = None) -> int:
    p = Parser(prog="python -m notify", description="Skicka bevakningarnas sammanfattningar och webhooks.",
               epilog="SMTP-servern och webbplatsens adress ges i DIARIET_SMTP_HOST, DIARIET_SMTP_PORT, "
                      "DIARIET_SMTP_USER, DIARIET_SMTP_PASSWORD, DIARIET_SMTP_STARTTLS, DIARIET_MAIL_FROM "
                      "och DIARIET_BASE_URL.")
    p.add_argument("--data", required=True, metavar="DIR", help="arkivets datakatalog")
    catalog_flags.add_arguments(p)
    commands = p.add_subparsers(dest="command", required=True, parser_class=Parser)
    d = commands.add_parser("digest", help="skicka e-post med nya handlingar (kör dagligen eller veckovis från cron)")
    d.add_argument("--frequency", choices=("daily", "weekly"), default="daily")
    commands.add_parser("trigger", help="matcha nyinlästa dokument mot bevakningarna och skicka webhooks")
    args = p.parse_args(argv)
    try:
        settings = NotifySettings.from_environ()
        data = DataDir.existing(args.data, args.catalog)
    except (SettingsError, DataDirError) as e:
        print(f"fel: {e}", file=sys.stderr)
        return 2
    if args.command == "trigger":
        from notify.trigger import run

        report = run(data, settings)
        print(f"Bevakningar: {report.checked} dokument kontrollerade, {report.matched} nya träffar, "
              f"{report.posted} webhooks skickade.")
        failures = report.failures
    else:
        from notify.digests import send_digests

        digest = send_digests(data, settings, args.frequency)
        print(f"Bevakningar: {digest.trigger.matched} nya träffar; {digest.sent} e-brev med "
              f"{digest.documents} handlingar skickade.")
        failures = digest.trigger.failures + digest.failures
    for line in failures:
        print(f"  MISSLYCKADES {line}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
