"""Shared python-docx scaffolding: Chinese fonts on styles, labelled lines, tables."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

BODY_EAST_ASIAN = "宋体"
HEADING_EAST_ASIAN = "黑体"
LATIN = "Times New Roman"
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_style_fonts(style, east_asian: str, latin: str = LATIN) -> None:
    """Word picks the East-Asian face from w:eastAsia, not from font.name, and a
    theme attribute beats an explicit name, so drop the theme ones first."""
    style.font.name = latin
    r_fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in _THEME_ATTRS:
        r_fonts.attrib.pop(qn(attr), None)
    r_fonts.set(qn("w:eastAsia"), east_asian)


def new_document() -> DocxDocument:
    """A4 document whose Normal, Title and Heading styles render Chinese."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.2)

    normal = doc.styles["Normal"]
    set_style_fonts(normal, BODY_EAST_ASIAN)
    normal.font.size = Pt(11)
    for name, size in (("Title", 18), ("Heading 1", 14), ("Heading 2", 13), ("Heading 3", 12)):
        style = doc.styles[name]
        set_style_fonts(style, HEADING_EAST_ASIAN)
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)   # official documents are black, not theme blue
    return doc


def add_title(doc: DocxDocument, text: str) -> None:
    doc.add_heading(text, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER


def add_note(doc: DocxDocument, text: str) -> None:
    """A centred, red line such as 示例数据 or 公开版 under the title."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.color.rgb = RGBColor(0xC0, 0, 0)


def add_labelled(doc: DocxDocument, label: str, text: str) -> None:
    """'label：text' with the label in bold; empty text shows as —."""
    paragraph = doc.add_paragraph()
    paragraph.add_run(f"{label}：").bold = True
    paragraph.add_run(text or "—")


def add_table(doc: DocxDocument, headers: Sequence[str],
              rows: Iterable[Sequence[object]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    for cell, header in zip(table.rows[0].cells, headers):
        cell.paragraphs[0].add_run(header).bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = "" if value is None else str(value)


def to_bytes(doc: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
