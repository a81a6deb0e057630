"""Parse stage, OCR engine: one page image → text, mean confidence and the turn it needed (Tesseract).

Tesseract runs through pytesseract, one `tesseract` process per page: the process is killed
when the page's time is up (a hard limit no in-process binding gives), its memory is returned
when it exits, and a crash in it fails one page, not the worker. Each process is limited to
one thread (OMP_THREAD_LIMIT=1): the pipeline's worker processes are the parallelism, and
OpenMP threads on top of them only contend for the same cores.

The image is written as an uncompressed PGM (a memory copy; pytesseract would encode a PNG)
and read back by Tesseract with its resolution given (`--dpi`), since PGM carries none.
"""
from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytesseract
from PIL import Image

# Automatic page segmentation without OSD: blocks and columns found, read in reading order.
_PSM = 3
# A first reading this poor (mean confidence, 0-100) may be of a page set sideways or upside
# down: orientation detection (OSD) is then asked, and the page read again if it says turn.
_DOUBTFUL_CONFIDENCE = 60.0
_OSD_MIN_CONFIDENCE = 2.0
# Marks without letters or digits read with less confidence than this are noise Tesseract sees
# in the wide gaps of justified text ("myndighet = eller"); "§" always counts.
_MARK_MIN_CONFIDENCE = 70.0  # Tesseract's orientation confidence below which its answer is noise
# "§" read as "8", "S" or "$" before a paragraph number that opens a line: "8 620 Årsredovisning".
_PARAGRAPH_SIGN = re.compile(r"^(?:8|S|\$|&)\s?(?=\d{1,4}(?:\s+[A-ZÅÄÖ]|$))", re.MULTILINE)


class OcrFailure(Exception):
    """Tesseract could not read a page; the message (Swedish) names why, for the page's warning."""


class OcrUnavailable(OcrFailure):
    """Tesseract, or the language data asked for, is not installed."""


@dataclass(frozen=True)
class Reading:
    """What Tesseract read on one page."""

    text: str  # lines in reading order, "\n" between lines
    confidence: float | None  # mean word confidence, 0-1, weighted by word length; None: no words
    turned: int = 0  # degrees the page was turned (clockwise) before the reading that was kept
    words: int = 0


def read_image(image: Image.Image, languages: str, dpi: int, timeout: float,
               prepare: Callable[[Image.Image], Image.Image] = lambda im: im) -> Reading:
    """The text of a grayscale page image, in reading order, with its mean confidence.

    `prepare` (deskewing) is applied to the page as given and, when a doubtful first reading
    makes orientation detection turn it, to the turned page: a page set sideways or upside
    down is read again upright, and the better reading kept. Raises OcrFailure (timeout, a
    Tesseract error) and OcrUnavailable (not installed).
    """
    os.environ["OMP_THREAD_LIMIT"] = "1"  # inherited by the tesseract process (pytesseract passes os.environ)
    with tempfile.TemporaryDirectory(prefix="diariet-ocr-") as folder:
        path = Path(folder) / "page.pgm"
        prepare(image).save(path)
        first = _read(path, languages, dpi, timeout)
        if first.confidence is not None and first.confidence * 100 >= _DOUBTFUL_CONFIDENCE:
            return first
        image.save(path)  # orientation is judged on the page as it came
        turn = _orientation(path, dpi, timeout)
        if not turn:
            return first
        prepare(image.rotate(-turn, expand=True)).save(path)  # PIL turns counter-clockwise
        second = _read(path, languages, dpi, timeout)
    second = Reading(second.text, second.confidence, turn, second.words)
    return second if _score(second) > _score(first) else first


def word_boxes(image: Image.Image, languages: str, dpi: int, timeout: float) -> list[tuple[str, int, int, int, int]]:
    """Each word Tesseract reads on an image as it is (no turning): (word, left, top, width, height)
    in the image's pixels, for drawing on that image. Raises OcrFailure and OcrUnavailable."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    with tempfile.TemporaryDirectory(prefix="diariet-ocr-") as folder:
        path = Path(folder) / "page.pgm"
        image.convert("L").save(path)
        data = _run(pytesseract.image_to_data, str(path), lang=languages,
                    config=f"--psm {_PSM} --dpi {dpi}", timeout=timeout, output_type=pytesseract.Output.DICT)
    out = []
    for i, word in enumerate(data["text"]):
        word = (word or "").strip()
        if word and float(data["conf"][i]) >= 0 and not _is_mark(word):
            out.append((word, int(data["left"][i]), int(data["top"][i]), int(data["width"][i]), int(data["height"][i])))
    return out


def installed_languages() -> list[str]:
    """Tesseract's installed language data (`tesseract --list-langs`); OcrUnavailable without it."""
    try:
        return sorted(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError) as e:
        raise OcrUnavailable("Tesseract är inte installerat (Debian: apt-get install tesseract-ocr)") from e


def check_languages(languages: str) -> None:
    """OcrUnavailable, naming what to install, unless Tesseract and the data of each of
    `languages` ("swe+eng") are installed.
    """
    installed = installed_languages()
    missing = [code for code in languages.split("+") if code not in installed]
    if missing:
        raise OcrUnavailable(f"Tesseracts språkdata saknas för {'+'.join(missing)} (installerade: "
                             f"{', '.join(installed)}; Debian: apt-get install "
                             f"{' '.join('tesseract-ocr-' + code for code in missing)})")


def _score(reading: Reading) -> float:
    return (reading.confidence or 0.0) * reading.words


def _read(path: Path, languages: str, dpi: int, timeout: float) -> Reading:
    data = _run(pytesseract.image_to_data, str(path), lang=languages,
                config=f"--psm {_PSM} --dpi {dpi}", timeout=timeout, output_type=pytesseract.Output.DICT)
    return reading_from_data(data)


def _orientation(path: Path, dpi: int, timeout: float) -> int:
    """Degrees to turn the page clockwise to make it upright, per Tesseract's OSD (0 if unsure)."""
    try:
        osd = _run(pytesseract.image_to_osd, str(path), config=f"--psm 0 --dpi {dpi}", timeout=timeout,
                   output_type=pytesseract.Output.DICT)
    except OcrUnavailable:
        raise
    except OcrFailure:  # too little text to tell: keep the page as it is
        return 0
    if float(osd.get("orientation_conf", 0)) < _OSD_MIN_CONFIDENCE:
        return 0
    return int(osd.get("rotate", 0)) % 360


def _run(function, *args, timeout: float, **kwargs):
    try:
        return function(*args, timeout=timeout, **kwargs)
    except pytesseract.TesseractNotFoundError as e:
        raise OcrUnavailable("Tesseract är inte installerat (Debian: apt-get install tesseract-ocr)") from e
    except pytesseract.TesseractError as e:
        message = str(e.message or e)
        if "Failed loading language" in message or "Error opening data file" in message:
            raise OcrUnavailable(f"Tesseracts språkdata saknas: {message}") from e
        raise OcrFailure(f"Tesseract: {message}") from e
    except RuntimeError as e:  # pytesseract's "Tesseract process timeout" (the process is killed)
        if "timeout" in str(e).lower():
            raise OcrFailure(f"OCR avbröts efter {timeout:g} s (tidsgräns per sida)") from e
        raise


def reading_from_data(data: dict) -> Reading:
    """Tesseract's TSV (as pytesseract's dict) → lines in its reading order and the mean confidence.

    >>> row = dict(block_num=1, par_num=1, line_num=1)
    >>> data = {k: [v, v] for k, v in row.items()}
    >>> data.update(text=["Beslut", "fattas"], conf=[96, 80])
    >>> r = reading_from_data(data)
    >>> r.text, round(r.confidence, 3), r.words
    ('Beslut fattas', 0.88, 2)
    """
    lines: dict[tuple[int, int, int], list[str]] = {}
    weighted = length = 0.0
    for i, word in enumerate(data["text"]):
        word = (word or "").strip()
        conf = float(data["conf"][i])
        if not word or conf < 0 or (conf < _MARK_MIN_CONFIDENCE and _is_mark(word)):
            continue
        lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(word)
        weighted += conf * len(word)
        length += len(word)
    text = "\n".join(" ".join(words) for words in lines.values())
    words = sum(len(w) for w in lines.values())
    return Reading(clean_text(text), weighted / length / 100 if length else None, 0, words)


def _is_mark(word: str) -> bool:
    return "§" not in word and not any(ch.isalnum() for ch in word)


def clean_text(text: str) -> str:
    """Tesseract's usual misreadings of what Swedish records print, put right.

    >>> clean_text("8 620 Årsredovisning 2025")
    '§ 620 Årsredovisning 2025'
    >>> clean_text("S 12\\nBeslut")
    '§ 12\\nBeslut'
    >>> clean_text("8 000 kronor")
    '8 000 kronor'
    """
    return _PARAGRAPH_SIGN.sub("§ ", text)
