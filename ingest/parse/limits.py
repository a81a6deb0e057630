"""Parse stage, limits: what one file may unpack to, given to the parsers by the run's settings."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParseLimits:
    max_pages: int = 5000  # pages of one PDF
    max_unpacked: int = 256 * 2**20  # bytes the parts of a DOCX (a zip) may unpack to together
    max_depth: int = 2000  # nesting of HTML and XML elements
    max_pixels: int = 100_000_000  # pixels of one image (Pillow refuses more: decompression bombs)


def grouped(number: int) -> str:
    """A number as Swedish writes it, digits grouped by (no-break) spaces: 1 048 576."""
    return f"{number:,}".replace(",", "\u00a0")
