"""Ingest command line: python -m ingest --data DIR PATH..., python -m ingest remove --data DIR
ID|PATH... (see README)."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import unicodedata
from pathlib import Path

from tqdm import tqdm

from index import options as engine_flags
from index.engine import EngineSettings
from ingest.catalog import options as catalog_flags
from ingest.catalog.datadir import DataDir, DataDirError, WriterLock
from ingest.parse.ocr import options as ocr_options
from ingest.pipeline.runner import Ingester, Summary, ingest_paths
from ingest.pipeline.settings import Settings

STATUS_LABELS = {"new": "nya", "updated": "uppdaterade", "unchanged": "oförändrade", "failed": "misslyckade"}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Läs in offentliga handlingar (PDF, HTML, DOCX, text) i ett Diariet-arkiv.",
    )
    p.add_argument("--data", required=True, metavar="DIR", help="arkivets datakatalog (skapas vid behov)")
    p.add_argument("paths", nargs="*", metavar="PATH", type=Path, help="filer och kataloger att läsa in")
    p.add_argument("--strict", action="store_true", help="avsluta med kod 1 om någon fil misslyckades")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="processer för tolkning och extraktion (standard: antal kärnor)")
    p.add_argument("--reindex", action="store_true",
                   help="bygg om sökindexet från katalogen (atomiskt) innan inläsningen")
    p.add_argument("--reextract", action="store_true",
                   help="extrahera om metadata (typ, organisation, organ, datum, diarienummer) för varje "
                        "lagrat dokument ur den sparade texten, utan att läsa filerna igen; ärenden och "
                        "sökindex följer med (kan avbrytas och köras igen)")
    p.add_argument("--batch", type=int, default=EngineSettings.batch, metavar="N",
                   help=f"dokument per indexskrivning (standard: {EngineSettings.batch})")
    p.add_argument("--quiet", action="store_true", help="ingen förloppsindikator")
    p.add_argument("--sources", type=Path, metavar="FILE",
                   help="hämta från webbplatser, flöden och sitemaps i en TOML-fil (se README, Crawling)")
    p.add_argument("--only", action="append", metavar="NAME",
                   help="med --sources: bara källan med detta namn (kan upprepas)")
    ocr_options.add_arguments(p)
    engine_flags.add_arguments(p)
    catalog_flags.add_arguments(p)
    p.add_argument("--collection", metavar="NAMN",
                   help="samlingens namn, som filernas id utgår från (standard: katalogens namn)")
    p.add_argument("--organization", metavar="NAMN",
                   help="vems handlingar filerna är (t.ex. \"Ale kommun\"): används för dokument som inte "
                        "själva namnger någon organisation")
    p.add_argument("--exclude", action="append", default=[], metavar="MÖNSTER",
                   help="läs inte in filer vars sökväg i katalogen (eller en del av den) matchar mönstret "
                        "(t.ex. 'utkast' eller '*.docx'; kan upprepas), och ta bort sådana som redan är inlästa")
    return p


def build_remove_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m ingest remove",
        description="Ta bort dokument ur arkivet: katalogen, sökindexet och ordförrådet.",
    )
    p.add_argument("--data", required=True, metavar="DIR", help="arkivets datakatalog")
    p.add_argument("targets", nargs="+", metavar="ID|SÖKVÄG",
                   help="dokumentets id, filen det lästes in från, en katalog (allt inläst därifrån) eller en URL")
    p.add_argument("--batch", type=int, default=EngineSettings.batch, help=argparse.SUPPRESS)
    p.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    engine_flags.add_arguments(p)
    catalog_flags.add_arguments(p)
    return p


def remove_main(argv: list[str]) -> int:
    """python -m ingest remove: exit 0 when every target named a document, 1 when one did not."""
    from ingest.pipeline.remove import remove

    args = build_remove_parser().parse_args(argv)
    try:
        data = DataDir.existing(args.data, args.catalog)
        with WriterLock(data):
            ingester = Ingester(data, settings_of(args))
            try:
                ingester.reconcile()
                result = remove(ingester, args.targets)
            finally:
                ingester.close()
    except DataDirError as e:
        print(f"fel: {e}", file=sys.stderr)
        return 2
    print(f"Borttagna: {len(result.removed)} dokument.")
    for target in result.not_found:
        print(f"  HITTADES INTE {target}")
    return 1 if result.not_found else 0


def printable(text: str) -> str:
    r"""One line whatever a file name holds: control characters (a newline) as escapes.

    >>> printable("rad\nbrytning\t.txt")
    'rad\\nbrytning\\t.txt'
    """
    return "".join(c.encode("unicode_escape").decode() if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
                   for c in text)


def print_summary(summary: Summary, out=sys.stdout) -> None:
    counts = ", ".join(f"{summary.count(k)} {label}" for k, label in STATUS_LABELS.items())
    if elsewhere := summary.count("elsewhere"):  # a shared catalog: another ingest took them
        counts += f", {elsewhere} inlästa av en annan samtidig inläsning"
    print(f"Klart: {len(summary.outcomes)} filer: {counts}.", file=out)
    if summary.rebuilt and summary.reindexed:
        print(f"Sökindexet byggdes om från katalogen ({summary.rebuilt}): {summary.reindexed} dokument.", file=out)
    elif summary.reindexed:
        print(f"Indexerade {summary.reindexed} dokument som saknades i sökindexet.", file=out)
    if summary.removed:
        print(f"Borttagna ur arkivet (--exclude): {len(summary.removed)} dokument.", file=out)
    for o in summary.failures:
        print(f"  MISSLYCKADES {printable(o.source)}: {printable(o.message or '')} [{o.reason}]", file=out)
    if summary.interrupted:
        print("Avbruten: det som hann läsas in är sparat; kör samma kommando igen för resten.", file=out)


def crawl_sources(data: DataDir, sources: list, args: argparse.Namespace) -> int:
    """The crawl (issue 5): runs Scrapy in this process, so once per process."""
    from ingest.fetch.report import print_reports
    from ingest.fetch.run import crawl

    summary = crawl(data, sources, quiet=args.quiet, settings=settings_of(args))
    print_reports(summary.reports, summary.reindexed)
    if summary.interrupted:
        print("Avbruten: det som hann hämtas är sparat; kör samma kommando igen för att fortsätta.")
        return 130
    return 1 if args.strict and summary.failed else 0


def settings_of(args: argparse.Namespace) -> Settings:
    """The one settings object of a run, from its arguments."""
    jobs = max(1, args.jobs)
    return Settings(jobs=jobs, engine=EngineSettings(batch=max(1, args.batch), jobs=jobs,
                                                      **engine_flags.engine_options(args)),
                    exclude=tuple(getattr(args, "exclude", ())), collection=getattr(args, "collection", None),
                    ocr=ocr_options.ocr_settings(args))


def _stop_on_sigterm() -> None:
    """SIGTERM (systemd's stop, RuntimeMaxSec, kill) ends a run as Ctrl-C does: what is done is
    kept, the summary is printed, the exit code is 130. A crawl's Scrapy installs its own."""
    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def main(argv: list[str] | None = None) -> int:
    """The command; a SIGTERM or Ctrl-C that comes where a run has no summary to print (while it
    starts, while the watches are notified) ends it as one that has: exit 130, no traceback."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("Avbruten: det som hann läsas in är sparat; kör samma kommando igen för resten.")
        return 130


def _main(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["remove"]:
        return remove_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.only and not args.sources:
        parser.error("--only gäller bara tillsammans med --sources")
    if args.sources and args.paths:
        parser.error("ange antingen filer och kataloger eller --sources, inte båda")
    if not args.paths and not args.reindex and not args.sources and not args.reextract:
        parser.error("ange minst en fil eller katalog (eller --sources, --reindex eller --reextract)")
    if args.organization is not None and not args.organization.strip():
        parser.error("--organization behöver ett namn")
    if args.organization and not args.paths:
        parser.error("--organization gäller filer och kataloger (en källfil anger sin organisation med organization = ...)")
    if problem := ocr_options.check(args):
        parser.error(problem)
    sources = None
    if args.sources:
        from ingest.fetch.sources import SourcesError, select

        try:
            sources = select(args.sources, args.only)
        except SourcesError as e:
            print(f"fel: {e}", file=sys.stderr)
            return 2
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        parser.error("finns inte: " + ", ".join(missing))
    _stop_on_sigterm()
    try:
        data = DataDir.create(args.data, args.catalog)
        with WriterLock(data):
            if args.reindex:
                ingester = Ingester(data, settings_of(args))
                try:
                    count = ingester.rebuild_index()  # a new generation aside, removed if stopped
                except KeyboardInterrupt:
                    ingester.close(interrupted=True)
                    print("Avbruten: sökindexet är som före ombyggnaden.")
                    return 130
                ingester.close()
                print(f"Sökindexet ombyggt: {count} dokument.")
            if args.reextract and (code := reextract_archive(data, args)) != 0:
                return code
            if sources:
                code = crawl_sources(data, sources, args)
                if code != 130:
                    notify_watches(data)
                return code
            if not args.paths:
                return 0

            with tqdm(total=0, unit="sida", disable=True if args.quiet else None, file=sys.stderr,
                      desc="Läser in") as bar:
                summary = ingest_paths(data, args.paths, progress=Bar(bar), settings=settings_of(args),
                                       hints=organization_hint(args.organization))
    except DataDirError as e:
        print(f"fel: {e}", file=sys.stderr)
        return 2
    print_summary(summary)
    if summary.interrupted:
        return 130
    if summary.count("new") or summary.count("updated"):
        notify_watches(data)
    return 1 if args.strict and summary.failures else 0


def organization_hint(name: str | None) -> dict | None:
    """--organization as extraction's hint: the directory's official name for a form it knows
    ("ale kommun" → "Ale kommun"), else the name as written (a kommunalförbund, a company).

    >>> organization_hint("göteborgs stad"), organization_hint("Tolkförmedling Väst")
    ({'organization': 'Göteborgs Stad'}, {'organization': 'Tolkförmedling Väst'})
    """
    if not name:
        return None
    from ingest.extract.directory import official_name

    name = " ".join(name.split())
    return {"organization": official_name(name) or name}


def reextract_archive(data: DataDir, args: argparse.Namespace) -> int:
    """--reextract: every stored document's metadata extracted anew (ingest/pipeline/reextract.py)."""
    from ingest.pipeline.reextract import reextract

    ingester = Ingester(data, settings_of(args))
    try:
        ingester.reconcile()  # what a stopped run saved but did not index

        def progress(it, total):
            return tqdm(it, total=total, unit="×50 dok.", disable=True if args.quiet else None,
                        file=sys.stderr, desc="Extraherar om")

        result = reextract(ingester, progress)
    except KeyboardInterrupt:
        ingester.close(interrupted=True)
        print("Avbruten: det som hann extraheras om är sparat; kör samma kommando igen för resten.")
        return 130
    ingester.close()
    print(f"Extraherade om {result.documents} dokument: {result.changed} ändrade"
          + (f", {result.skipped} klara sedan förra körningen" if result.skipped else "")
          + (f", {result.failed} misslyckades (behåller sin gamla metadata)" if result.failed else "") + ".")
    return 0


class Bar:
    """The run's progress (ingest/pipeline/progress.py) on a tqdm bar: pages, the total as it becomes known."""

    def __init__(self, bar: tqdm):
        self.bar = bar

    def expect(self, pages: int) -> None:  # shown at the next update (tqdm's own pace, not each file's)
        self.bar.total = (self.bar.total or 0) + pages

    def advance(self, pages: int) -> None:
        self.bar.update(pages)


def notify_watches(data: DataDir) -> None:
    """The run's last step: new documents meet the watches (notify/trigger.py): matches kept for
    the digests, webhooks sent now. A failed delivery is reported, never fails the ingest."""
    from notify.settings import NotifySettings, SettingsError
    from notify.trigger import run

    try:
        report = run(data, NotifySettings.from_environ())
    except SettingsError as e:
        print(f"Bevakningar: {e}", file=sys.stderr)
        return
    if report.matched or report.failures:
        print(f"Bevakningar: {report.matched} nya träffar, {report.posted} webhooks skickade.")
    for line in report.failures:
        print(f"  MISSLYCKADES {line}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
