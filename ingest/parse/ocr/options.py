"""Parse stage, OCR options of the command line: `--ocr auto|off|force` and `--ocr-languages`.

Kept here so that `python -m ingest` (ingest/__main__.py) only adds them, checks them and builds
the run's OcrSettings from them. The languages are checked against `tesseract --list-langs`
before anything is read; without Tesseract the default (nothing asked for) turns OCR off with a
warning, while `--ocr auto|force` or `--ocr-languages` asked for explicitly is an error.
"""
from __future__ import annotations

import argparse
import sys

from ingest.parse.ocr.decide import AUTO, MODES, OFF
from ingest.parse.ocr.engine import OcrUnavailable, check_languages
from ingest.parse.ocr.read import OcrSettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ocr", choices=MODES, default=None,
                        help="OCR av skannade sidor: auto (sidor utan användbart textlager; standard), "
                             "force (alla sidor) eller off")
    parser.add_argument("--ocr-languages", metavar="SPRÅK", default=None,
                        help=f"Tesseracts språk, t.ex. swe+eng (standard: {OcrSettings.languages})")


def ocr_settings(args: argparse.Namespace) -> OcrSettings:
    """The run's OCR settings from its (checked) arguments.

    >>> ocr_settings(argparse.Namespace(ocr=None, ocr_languages=None))
    OcrSettings(mode='auto', languages='swe', dpi=300, page_timeout=60.0, max_pages=500, max_pixels=36000000, deskew=True)
    >>> ocr_settings(argparse.Namespace(ocr="off", ocr_languages="swe+eng")).languages
    'swe+eng'
    """
    return OcrSettings(mode=getattr(args, "ocr", None) or AUTO,
                       languages=getattr(args, "ocr_languages", None) or OcrSettings.languages)


def check(args: argparse.Namespace) -> str | None:
    """Why the OCR arguments cannot be used (None: they can; `args.ocr` may be turned off)."""
    try:
        settings = ocr_settings(args)
        if settings.mode != OFF:
            check_languages(settings.languages)
    except ValueError as e:
        return str(e)
    except OcrUnavailable as e:
        if args.ocr is None and args.ocr_languages is None:
            print(f"varning: {e}; skannade sidor läses inte (--ocr off)", file=sys.stderr)
            args.ocr = OFF
            return None
        return str(e)
    return None
