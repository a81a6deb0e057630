"""Parse stage: how a table row is written as text, the same for HTML, DOCX and Markdown.

Rows keep their outer bars and their empty cells, so that columns stay aligned and a column
headed "Beteckning" or "Dnr" can be read as one (ingest/extract/dnr.py):

>>> row_line(["1.", "Förändring av ärendelista", "2024-00001", ""])
'| 1. | Förändring av ärendelista | 2024-00001 |  |'
>>> row_line(["Bilaga 1"])
'Bilaga 1'
>>> row_line(["", " "]) is None
True
"""
from __future__ import annotations


def row_line(cells: list[str]) -> str | None:
    """One table row as a Markdown-style line; a one-cell row is plain text; an empty row None."""
    cells = [" ".join(c.split()) for c in cells]
    if not any(cells):
        return None
    if len(cells) == 1:
        return cells[0]
    return "| " + " | ".join(cells) + " |"
