"""Rows of photo thumbnails with their labels, in DOCX and PDF (the 公示 notice, the minutes).

The thumbnails are already clean JPEGs (no EXIF); each keeps its proportions inside a fixed box,
four to a row, the label under it."""
from __future__ import annotations

import io
from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from fpdf import FPDF

from .views import PhotoThumb

PER_ROW = 4
BOX_W_CM, BOX_H_CM = 3.8, 2.9          # a 4:3 box; a portrait photo is as tall, narrower
_GAP_MM = 4


def _fit(photo: PhotoThumb, box_w: float, box_h: float) -> tuple[float, float]:
    """(w, h) of the photo inside the box, proportions kept."""
    scale = min(box_w / max(1, photo.width), box_h / max(1, photo.height))
    return photo.width * scale, photo.height * scale


def add_photos_docx(doc: DocxDocument, photos: Sequence[PhotoThumb], heading: str) -> None:
    """`heading：` then a borderless table of thumbnails with their labels."""
    if not photos:
        return
    doc.add_paragraph().add_run(f"{heading}：").bold = True
    for start in range(0, len(photos), PER_ROW):
        chunk = photos[start:start + PER_ROW]
        table = doc.add_table(rows=1, cols=PER_ROW)      # "Normal Table": no borders
        for cell, photo in zip(table.rows[0].cells, chunk):
            w, h = _fit(photo, BOX_W_CM, BOX_H_CM)
            picture = cell.paragraphs[0]
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.add_run().add_picture(io.BytesIO(photo.jpeg), width=Cm(w), height=Cm(h))
            caption = cell.add_paragraph()
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption.add_run(photo.label).font.size = Pt(9)
    doc.add_paragraph()


def _box(pdf: FPDF) -> tuple[float, float]:
    box_w = (pdf.w - pdf.l_margin - pdf.r_margin - _GAP_MM * (PER_ROW - 1)) / PER_ROW
    return box_w, box_w * BOX_H_CM / BOX_W_CM


def photos_pdf_height(pdf: FPDF, photos: Sequence[PhotoThumb]) -> float:
    """The room `add_photos_pdf` takes on one page: its heading line, the rows, the gap after."""
    if not photos:
        return 0
    rows = -(-len(photos) // PER_ROW)
    return 7 + rows * (_box(pdf)[1] + 7) + 1


def add_photos_pdf(pdf: FPDF, photos: Sequence[PhotoThumb], heading: str) -> None:
    """`heading：` then rows of thumbnails, each row kept on one page with its labels."""
    if not photos:
        return
    box_w, box_h = _box(pdf)
    pdf.multi_cell(0, 7, f"{heading}：", new_x="LMARGIN", new_y="NEXT")
    for start in range(0, len(photos), PER_ROW):
        if pdf.will_page_break(box_h + 8):
            pdf.add_page()
        top = pdf.get_y()
        for n, photo in enumerate(photos[start:start + PER_ROW]):
            left = pdf.l_margin + n * (box_w + _GAP_MM)
            w, h = _fit(photo, box_w, box_h)
            pdf.image(io.BytesIO(photo.jpeg), x=left + (box_w - w) / 2, y=top + (box_h - h), w=w, h=h)
            pdf.set_xy(left, top + box_h + 1)
            with pdf.local_context(font_size_pt=9):
                pdf.cell(box_w, 5, photo.label, align="C")
        pdf.set_xy(pdf.l_margin, top + box_h + 7)
    pdf.ln(1)
