"""Shared python-docx scaffolding: Chinese fonts on styles, labelled lines, tables, and the frame
of a filed paper (running title, page numbers, signature and seal block kept with the text)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

BODY_EAST_ASIAN = "宋体"           # the serif face offices print in
TITLE_EAST_ASIAN = "宋体"          # bold, as a 小标宋 title
HEADING_EAST_ASIAN = "黑体"        # 一级标题 in 黑体, as 公文 set them
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


def new_document(*, body_size: float = 11) -> DocxDocument:
    """A4 document whose Normal, Title and Heading styles render Chinese."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.6), Cm(2.4)
    section.top_margin = section.bottom_margin = Cm(2.4)

    normal = doc.styles["Normal"]
    set_style_fonts(normal, BODY_EAST_ASIAN)
    normal.font.size = Pt(body_size)
    for name, size, face in (("Title", 20, TITLE_EAST_ASIAN), ("Heading 1", 14, HEADING_EAST_ASIAN),
                             ("Heading 2", 13, BODY_EAST_ASIAN), ("Heading 3", 12, BODY_EAST_ASIAN)):
        style = doc.styles[name]
        set_style_fonts(style, face)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)   # official documents are black, not theme blue
    _plain_title(doc.styles["Title"])
    return doc


def _plain_title(style) -> None:
    """The template's Title has a blue rule under it and wide spacing: a 公文 title has neither."""
    p_pr = style.element.get_or_add_pPr()
    for border in p_pr.findall(qn("w:pBdr")):
        p_pr.remove(border)
    style.font.all_caps = False
    style.paragraph_format.space_after = Pt(12)


def add_title(doc: DocxDocument, text: str) -> None:
    doc.add_heading(text, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER


def add_note(doc: DocxDocument, text: str) -> None:
    """A centred, red line such as 示例数据 or 公开版 under the title."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.color.rgb = RGBColor(0xC0, 0, 0)


def add_labelled(doc: DocxDocument, label: str, text: str):
    """'label：text' with the label in bold; empty text shows as —."""
    paragraph = doc.add_paragraph()
    paragraph.add_run(f"{label}：").bold = True
    paragraph.add_run(text or "—")
    return paragraph


def add_table(doc: DocxDocument, headers: Sequence[str],
              rows: Iterable[Sequence[object]], *, row_height_cm: float | None = None):
    """A grid whose heading row repeats on every page it runs onto; no row splits across pages."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    for cell, header in zip(table.rows[0].cells, headers):
        cell.paragraphs[0].add_run(header).bold = True
    _row_flag(table.rows[0], "w:tblHeader")
    for row in rows:
        added = table.add_row()
        for cell, value in zip(added.cells, row):
            cell.text = "" if value is None else str(value)
        _row_flag(added, "w:cantSplit")
        if row_height_cm:
            added.height = Cm(row_height_cm)
    return table


def _row_flag(row, flag: str) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement(flag))


# ------------------------------------------------------------------ the frame of a filed paper

def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) with the text shown until the reader updates it."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _page_number(paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("第 ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" 页  共 ")
    _field(paragraph, "NUMPAGES", "1")
    paragraph.add_run(" 页")
    for run in paragraph.runs:
        run.font.size = Pt(9)


def add_paper_frame(doc: DocxDocument, running_title: str) -> None:
    """Page numbers under every page; the short title over every page but the first."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    for footer in (section.footer, section.first_page_footer):
        _page_number(footer.paragraphs[0])
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run(" ".join(running_title.split()))
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(90, 90, 90)


def keep_with_next(paragraphs) -> None:
    """Word and WPS then move these paragraphs to the next page together with the one after."""
    for paragraph in paragraphs:
        paragraph.paragraph_format.keep_with_next = True


def keep_table_with_next(table) -> None:
    for row in table.rows:
        for cell in row.cells:
            keep_with_next(cell.paragraphs)


def add_seal_block(doc: DocxDocument, issuer: str, date_text: str, signatures: Sequence[str] = ()) -> list:
    """Signature lines, then the issuer's full name and the date at the right with room above
    for the seal. Returns its paragraphs (the caller keeps the text before it with them)."""
    added = [doc.add_paragraph()]
    if signatures:
        added.append(doc.add_paragraph("　　".join(f"{label}：________________" for label in signatures)))
    added += [doc.add_paragraph(), doc.add_paragraph()]            # the seal's upper half
    hint = doc.add_paragraph()
    hint_run = hint.add_run("（盖章）")
    hint_run.font.size = Pt(9)
    hint_run.font.color.rgb = RGBColor(120, 120, 120)
    added.append(hint)
    added += [doc.add_paragraph(issuer), doc.add_paragraph(date_text)]
    for paragraph in added[-3:]:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Cm(1.5)
    keep_with_next(added[:-1])
    return added


def to_bytes(doc: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
