"""Parse stage, PDF page geometry: positioned characters → text lines in reading order."""
from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from pdfplumber.utils import extract_words

# A space narrower than 0.15 em is kerning, not a word break (pdfplumber's fixed 3 pt
# default glues "§ 76" set in 12 pt Times into "§76").
_WORD_GAP_EM = 0.15
_GUTTER_PAD = 4.0  # half the narrowest gutter we accept, in points
_MIN_COLUMN_LINES = 4
_MAX_GUTTER = 40.0  # wider gaps separate table cells or header fields, not text columns


@dataclass(frozen=True)
class Line:
    """One line of text with its vertical position on the page (points from the top)."""

    text: str
    top: float
    bottom: float
    rotated: bool = False  # set at 90° (usually a margin note or a signature stamp)


Rule = tuple[float, float, float]  # a horizontal line or rectangle edge: x0, x1, y
PageLines = tuple[list[Line], float]  # a page's lines and the page height


def page_lines(chars: list[dict], page_width: float, rules: Sequence[Rule] = ()) -> list[Line]:
    """The page's text lines in reading order: columns left to right, rotated text last.

    `rules` are the page's horizontal edges (table borders, row backgrounds, separators):
    text on both sides of a rule is never read as one column pair.
    """
    rows, rotated = upright_rows(chars)
    return reading_order(rows, page_width, rules) + rotated_lines(rotated)


def upright_rows(chars: list[dict]) -> tuple[list[list[dict]], list[dict]]:
    """The horizontal text as rows of words (see group_rows), and the characters set at 90°."""
    upright: list[dict] = []
    rotated: list[dict] = []
    for c in chars:
        (upright if _is_upright(c) else rotated).append(c)
    return group_rows(extract_words(upright, x_tolerance_ratio=_WORD_GAP_EM)), rotated


def _is_upright(char: dict) -> bool:
    """Horizontal text, judged from the character's matrix.

    pdfminer's own `upright` flag ignores the graphics state on some files (a signature
    stamp set at 90° comes out "upright" and reads one letter per line).
    """
    a, b = char["matrix"][0], char["matrix"][1]
    return abs(a) >= abs(b)


def group_rows(words: list[dict]) -> list[list[dict]]:
    """Words sharing a baseline, top to bottom, each row sorted left to right.

    A word joins the row when it overlaps the row's first word vertically by half the
    smaller height, so superscripts stay on their line and offset columns do not chain.
    """
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if rows and _same_row(rows[-1][0], word):
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w["x0"]) for row in rows]


def _same_row(a: dict, b: dict) -> bool:
    overlap = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    smaller = min(a["bottom"] - a["top"], b["bottom"] - b["top"])
    return overlap >= 0.5 * max(smaller, 1.0)


def reading_order(rows: list[list[dict]], page_width: float, rules: Sequence[Rule] = ()) -> list[Line]:
    """Rows as lines; where a gutter splits a run of rows, the left column comes first."""
    return column_lines(rows, find_gutter(rows, page_width, rules), rules)


def column_lines(rows: list[list[dict]], gutter: float | None, rules: Sequence[Rule] = ()) -> list[Line]:
    """Rows as lines, each run of rows that `gutter` splits read left column first."""
    segments = _column_segments(rows, gutter, rules) if gutter is not None else []
    lines: list[Line] = []
    i = 0
    for start, end in segments + [(len(rows), len(rows))]:
        lines.extend(_line(row) for row in rows[i:start])
        for side in (lambda w: w["x1"] <= gutter, lambda w: w["x0"] >= gutter):
            lines.extend(_line(part) for row in rows[start:end] if (part := [w for w in row if side(w)]))
        i = end
    return lines


def find_gutter(rows: list[list[dict]], page_width: float, rules: Sequence[Rule] = ()) -> float | None:
    """The x of a vertical gap in the middle of the page that separates two real columns.

    Candidates lie between 30 % and 70 % of the page width. Where the number of rows left
    free by words stays the same over a band of x, only the band's middle is tried; it
    scores the rows in runs where nothing crosses it and both sides look like columns (see
    _is_column_pair). The best score wins, then the widest band.
    """
    if len(rows) < _MIN_COLUMN_LINES:
        return None
    lo, hi = int(page_width * 0.3), int(page_width * 0.7)
    free = _free_rows(rows, lo, hi)
    best: tuple[int, int, float | None] = (0, 0, None)
    start = lo
    while start <= hi:
        end = start
        while end < hi and free[end + 1 - lo] == free[start - lo]:
            end += 1
        if free[start - lo] >= _MIN_COLUMN_LINES:  # enough free rows for a column pair
            middle = (start + end) / 2
            covered = sum(e - s for s, e in _column_segments(rows, middle, rules))
            if covered and (covered, end - start) > best[:2]:
                best = (covered, end - start, middle)
        start = end + 1
    return best[2]


def _free_rows(rows: list[list[dict]], lo: int, hi: int) -> list[int]:
    """For each x in [lo, hi]: how many rows have no word within _GUTTER_PAD of x."""
    blocked = [0] * (hi - lo + 2)
    for row in rows:
        spans: list[list[int]] = []
        for w in row:  # sorted by x0: merge overlapping word spans, then count each x once
            a = max(lo, math.floor(w["x0"] - _GUTTER_PAD) + 1)
            b = min(hi, math.ceil(w["x1"] + _GUTTER_PAD) - 1)
            if a > b:
                continue
            if spans and a <= spans[-1][1] + 1:
                spans[-1][1] = max(spans[-1][1], b)
            else:
                spans.append([a, b])
        for a, b in spans:
            blocked[a - lo] += 1
            blocked[b - lo + 1] -= 1
    free, running = [], 0
    for delta in blocked[:-1]:
        running += delta
        free.append(len(rows) - running)
    return free


def _column_segments(rows: list[list[dict]], x: float, rules: Sequence[Rule] = ()) -> list[tuple[int, int]]:
    """Runs [start, end) of rows that no word or rule crosses at x and that form two columns."""
    rule_ys = sorted(y for x0, x1, y in rules if x0 < x < x1)
    segments = []
    start = None
    for i, row in enumerate(rows + [None]):
        crosses = (
            row is None
            or any(w["x0"] < x + _GUTTER_PAD and w["x1"] > x - _GUTTER_PAD for w in row)
            or (i > 0 and _rule_between(rule_ys, rows[i - 1][0]["top"], row[0]["top"]))
        )
        if not crosses and start is None:
            start = i
        elif crosses and start is not None:
            if _is_column_pair(rows[start:i], x):
                segments.append((start, i))
            start = None
    return segments


def _rule_between(ys: list[float], top: float, bottom: float) -> bool:
    """A rule lies between two rows' tops (so: after the first row's text begins)."""
    i = bisect_right(ys, top)
    return i < len(ys) and ys[i] < bottom


def _is_column_pair(rows: list[list[dict]], x: float) -> bool:
    """Two blocks of running text side by side, not a table.

    Both sides need several lines, similar widths, a narrow gap between them and lines
    that start at the block's left edge and mostly fill it. This tells newspaper-style
    columns (read left, then right) from a label/value table, a table of contents with
    page numbers or a header with fields at both ends (read row by row).
    """
    if len(rows) < _MIN_COLUMN_LINES:
        return False
    left = [p for row in rows if (p := [w for w in row if w["x1"] <= x])]
    right = [p for row in rows if (p := [w for w in row if w["x0"] >= x])]
    if min(len(left), len(right)) < max(_MIN_COLUMN_LINES, 0.4 * max(len(left), len(right))):
        return False
    (l0, l1), (r0, r1) = _extent(left), _extent(right)
    if r0 - l1 > _MAX_GUTTER or min(l1 - l0, r1 - r0) < 0.5 * max(l1 - l0, r1 - r0):
        return False
    return _is_text_block(left) and _is_text_block(right)


def _extent(parts: list[list[dict]]) -> tuple[float, float]:
    """The block's left and right edges: quartiles, so one margin note does not count."""
    starts = sorted(p[0]["x0"] for p in parts)
    ends = sorted(p[-1]["x1"] for p in parts)
    return starts[len(starts) // 4], ends[(3 * len(ends)) // 4]


def _is_text_block(parts: list[list[dict]]) -> bool:
    """Most lines start at the block's left edge (indents allowed) and fill most of its width."""
    x0, x1 = _extent(parts)
    starts_at_edge = sum(1 for p in parts if abs(p[0]["x0"] - x0) <= 2.0)
    filled = sum(1 for p in parts if p[-1]["x1"] - x0 >= 0.7 * (x1 - x0))
    return starts_at_edge >= 0.5 * len(parts) and filled >= 0.5 * len(parts)


def _line(words: list[dict], rotated: bool = False) -> Line:
    return Line(
        " ".join(w["text"] for w in words),
        min(w["top"] for w in words),
        max(w["bottom"] for w in words),
        rotated,
    )


def rotated_lines(chars: list[dict]) -> list[Line]:
    """Text set at 90° (margin notes, signature stamps), read in its own direction.

    A character matrix with b > 0 reads bottom-to-top, lines advancing to the right;
    b < 0 reads top-to-bottom, lines advancing to the left.
    """
    lines = []
    for upward in (True, False):
        group = [dict(c, upright=False) for c in chars if (c["matrix"][1] > 0) == upward]
        if not group:
            continue
        words = extract_words(
            group,
            char_dir_rotated="btt" if upward else "ttb",
            line_dir_rotated="ltr" if upward else "rtl",
        )
        columns: list[list[dict]] = []
        for word in sorted(words, key=lambda w: w["x0"], reverse=not upward):
            if columns and abs(median(w["x0"] for w in columns[-1]) - word["x0"]) <= 3:
                columns[-1].append(word)
            else:
                columns.append([word])
        for col in columns:
            col.sort(key=lambda w: -w["bottom"] if upward else w["top"])
            lines.append(_line(col, rotated=True))
    return lines
