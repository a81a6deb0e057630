"""Parse stage, OCR decision: which pages of a parsed PDF have no usable text layer, page by page.

A page is read by OCR when (mode `auto`):

* it has no text layer at all (parse_pdf found no characters, or only a stamp on a scan);
* its text layer is unusable: glyphs without a Unicode mapping (pdfminer's "(cid:12)",
  U+FFFD) or characters that are not writing (a font whose map to Unicode is wrong), more
  than a tenth of what is there;
* it carries few characters (under 200) while an image covers most of it: a scan with a
  stamped diarienummer, a page number or a signature block on top. A line of prose (eight
  words or more) in that text says the page was typeset: a screenshot or a chart with its
  caption, whose image is a figure, not the page (the text of a screenshot's menus, read,
  would name bodies and dates the document is not about).

`force` reads every page, `off` none. Pages already read by OCR (a cached parse) are not read
again.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from ingest.model import Page

AUTO, OFF, FORCE = "auto", "off", "force"
MODES = (AUTO, OFF, FORCE)

NO_TEXT, UNMAPPED, STAMP_ONLY, FORCED = "no text layer", "unusable text layer", "little text on an image", "forced"

_FEW_CHARS = 200  # fewer characters than this on a page mostly covered by an image: a scan
_IMAGE_COVER = 0.5  # share of the page an image covers for the page to count as a scan
_BAD_SHARE = 0.1  # share of unusable characters above which the text layer is not kept
_CID = re.compile(r"\(cid:\d+\)")
_PROSE_WORDS = 8  # words on one line of a text layer that make it typeset prose, not a stamp


def pages_to_read(pages: tuple[Page, ...], mode: str, image_cover: Callable[[int], float]) -> dict[int, str]:
    """Page number → why it is read by OCR. `image_cover(number)` is the share (0-1) of that page
    covered by its largest image; it is asked only for pages with little text."""
    if mode == OFF:
        return {}
    todo: dict[int, str] = {}
    for page in pages:
        if page.ocr:
            continue
        if mode == FORCE:
            todo[page.number] = FORCED
        elif not page.has_text_layer or not page.text.strip():
            todo[page.number] = NO_TEXT
        elif unusable_share(page.text) > _BAD_SHARE:
            todo[page.number] = UNMAPPED
        elif (len(page.text.strip()) < _FEW_CHARS and not _has_prose_line(page.text)
              and image_cover(page.number) >= _IMAGE_COVER):
            todo[page.number] = STAMP_ONLY
    return todo


def _has_prose_line(text: str) -> bool:
    """
    >>> _has_prose_line("Hamenhögsbadet (objekt 30402): utfall 2025, och utfall 2026 (till och med 26-03-30).")
    True
    >>> _has_prose_line("Simrishamns kommun\\nKommunstyrelsen\\n2024-03-02 Dnr KS 2024/123")
    False
    """
    return any(len(line.split()) >= _PROSE_WORDS for line in text.splitlines())


def unusable_share(text: str) -> float:
    """The share of a text layer's characters that are not writing.

    Counted as unusable: each "(cid:N)" (one glyph pdfminer could not map), U+FFFD, control,
    private-use and unassigned characters. (Text in another script is writing: a leaflet in
    Arabic has a usable text layer.)

    >>> unusable_share("Kommunstyrelsen beslutar att godkänna förslaget.")
    0.0
    >>> round(unusable_share("(cid:12)(cid:7)(cid:44) Dnr"), 2)
    0.5
    """
    glyphs = len(_CID.findall(text))
    rest = _CID.sub("", text)
    bad = glyphs
    total = glyphs
    for ch in rest:
        if ch.isspace():
            continue
        total += 1
        if not _is_writing(ch):
            bad += 1
    return bad / total if total else 0.0


def _is_writing(ch: str) -> bool:
    if ch.isascii():
        return ch.isprintable()
    return ch != "\ufffd" and unicodedata.category(ch) not in ("Cc", "Co", "Cn", "Cs")
