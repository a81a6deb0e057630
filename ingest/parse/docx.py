"""Parse stage, DOCX: bytes → ParsedDocument with paragraphs and tables in body order (python-docx)."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from ingest.model import Page, ParsedDocument, ParseError
from ingest.parse.doc_meta import iso_date, meaningful_title
from ingest.parse.limits import ParseLimits, grouped
from ingest.parse.mediatype import DOCX
from ingest.parse.table_text import row_line

_HEADING_NAME = re.compile(r"^(?:heading|rubrik)\s*([1-9])$", re.IGNORECASE)
_TITLE_NAMES = {"title", "rubrik"}
_MAX_TABLE_CELL_PARAGRAPHS = 5  # a cell with more is page layout: read it as running text
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Inline elements whose text is not part of the visible text.
_SKIP = {qn("w:delText"), qn("w:instrText"), qn("w:del"), qn("w:moveFrom"), _MC_FALLBACK}


@dataclass
class _Out:
    lines: list[str] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)  # (level, text); 0 = Title


def parse_docx(data: bytes, limits: ParseLimits | None = None) -> ParsedDocument:
    """Body text in order; tables as 'a | b' rows; headings from Heading/Rubrik styles. A DOCX
    whose parts unpack to more than `limits.max_unpacked` bytes is refused (a zip bomb)."""
    _check_unpacked(data, (limits or ParseLimits()).max_unpacked)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # BadZipFile, KeyError for a missing part, XML errors ...
        raise ParseError("corrupt", f"DOCX-filen är trasig: {type(e).__name__}: {e}") from e
    levels = heading_levels(document)
    out = _Out()
    _blocks(document.element.body, levels, out)
    text = "\n".join(out.lines).strip()
    if not text:
        raise ParseError("empty", "DOCX-filen innehåller ingen text")
    props = document.core_properties
    titled = [t for level, t in out.headings if level == 0]
    headed = [t for level, t in out.headings if level >= 1]
    title = meaningful_title(props.title) or next(iter(titled or headed), None)
    return ParsedDocument(
        DOCX,
        (Page(1, text),),
        title=title,
        date=iso_date(props.created),
        headings=tuple(t for level, t in out.headings if level <= 3),
    )


def _check_unpacked(data: bytes, limit: int) -> None:
    """The sizes the zip declares (zipfile never unpacks a member past its declared size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            total = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise ParseError("corrupt", f"DOCX-filen är trasig: {type(e).__name__}: {e}") from e
    if total > limit:
        raise ParseError("too-large-unpacked", f"DOCX-filen packas upp till {grouped(total)} byte, mer än "
                         f"gränsen {grouped(limit)} byte")


def heading_levels(document) -> dict[str, int]:
    """Paragraph style id → heading level (0 for Title), following basedOn chains."""
    by_id = {s.style_id: s for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}

    def level(style, depth: int = 0) -> int | None:
        name = (style.name or "").strip()
        if m := _HEADING_NAME.match(name):
            return int(m.group(1))
        if name.lower() in _TITLE_NAMES:
            return 0
        outline = style.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        if outline is not None and (val := outline.get(qn("w:val"), "")).isdigit() and int(val) < 9:
            return int(val) + 1
        base = style.base_style
        return level(base, depth + 1) if base is not None and depth < 10 else None

    return {sid: lvl for sid, style in by_id.items() if (lvl := level(style)) is not None}


def _blocks(container, levels: dict[str, int], out: _Out) -> None:
    """Paragraphs and tables of a body, cell, content control or text box, in order."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == qn("w:p"):
            _paragraph(child, levels, out)
        elif tag == qn("w:tbl"):
            _table(child, levels, out)
        elif tag in (qn("w:sdt"), qn("w:customXml"), qn("w:sdtContent")):
            _blocks(child.find(qn("w:sdtContent")) if tag == qn("w:sdt") else child, levels, out)


def _paragraph(p, levels: dict[str, int], out: _Out) -> None:
    boxes: list = []
    text = _clean(_inline_text(p, boxes))
    if text:
        out.lines.extend(text.split("\n"))
        level = _paragraph_level(p, levels)
        if level is not None:
            out.headings.append((level, text.replace("\n", " ")))
    for box in boxes:  # text boxes anchored in the paragraph come after it
        if box.tag == qn("w:p"):
            _paragraph(box, levels, out)
        else:
            _blocks(box, levels, out)


def _paragraph_level(p, levels: dict[str, int]) -> int | None:
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        return None
    outline = ppr.find(qn("w:outlineLvl"))
    if outline is not None and (val := outline.get(qn("w:val"), "")).isdigit() and int(val) < 9:
        return int(val) + 1
    style = ppr.find(qn("w:pStyle"))
    return levels.get(style.get(qn("w:val"))) if style is not None else None


def _inline_text(element, boxes: list) -> str:
    """Visible text of a paragraph; text boxes are collected in `boxes`, not inlined."""
    parts: list[str] = []
    for child in element.iterchildren():
        tag = child.tag
        if tag in _SKIP:
            continue
        if tag == qn("w:t"):
            parts.append(child.text or "")
        elif tag in (qn("w:tab"), qn("w:ptab")):
            parts.append(" ")
        elif tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
        elif tag == qn("w:noBreakHyphen"):
            parts.append("-")
        elif tag == qn("w:txbxContent"):
            boxes.append(child)
        elif tag == qn("w:p"):  # a paragraph nested inline (e.g. in a content control)
            boxes.append(child)
        else:
            parts.append(_inline_text(child, boxes))
    return "".join(parts)


def _table(tbl, levels: dict[str, int], out: _Out) -> None:
    """Each row one line, cells joined by " | "; a layout table is read cell by cell."""
    for tr in tbl.iterchildren(qn("w:tr")):
        cells = [tc for tc in tr.iterchildren(qn("w:tc")) if not _continues_merge(tc)]
        if any(_is_layout_cell(tc) for tc in cells):
            for tc in cells:
                _blocks(tc, levels, out)
            continue
        texts = []
        for tc in cells:
            cell = _Out()
            _blocks(tc, levels, cell)
            out.headings.extend(cell.headings)
            texts.append(" ".join(cell.lines))
        line = row_line(texts)
        if line:
            out.lines.append(line)


def _continues_merge(tc) -> bool:
    """A cell that continues a vertical merge repeats the text above: skip it."""
    merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    return merge is not None and merge.get(qn("w:val"), "continue") == "continue"


def _is_layout_cell(tc) -> bool:
    paragraphs = [p for p in tc.iter(qn("w:p")) if "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()]
    return len(paragraphs) > _MAX_TABLE_CELL_PARAGRAPHS or tc.find(f".//{qn('w:tbl')}") is not None


def _clean(text: str) -> str:
    """Collapse spaces (not line breaks) and trim every line."""
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)
