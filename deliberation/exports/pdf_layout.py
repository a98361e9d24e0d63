"""Shared fpdf2 helpers: headings, wrapped Chinese paragraphs, tables.

The bundled CJK font has no bold face, so headings use a stroked "faux bold".
Chinese has no spaces between words, so text wraps per character (CHAR).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from fpdf import FPDF
from fpdf.enums import TextMode, WrapMode
from fpdf.fonts import FontFace

from .fonts import new_pdf

BODY_SIZE = 11
LINE_HEIGHT = 7
_HEADINGS = FontFace(emphasis="", fill_color=(235, 235, 235))


@contextmanager
def bold(pdf: FPDF, size: float):
    """Faux bold: the glyph outline is stroked as well as filled. local_context
    wraps it in q/Q so the stroke mode cannot leak into the following text."""
    with pdf.local_context(font_size_pt=size, text_mode=TextMode.FILL_STROKE,
                           line_width=size * 0.006):
        yield


def start(title: str) -> FPDF:
    """New A4 document with its first page and the title centred on it."""
    pdf = new_pdf()
    pdf.set_title(title)
    pdf.set_creator("小区协商议事")
    pdf.add_page()
    with bold(pdf, 18):
        pdf.multi_cell(0, 10, title, align="C", new_x="LMARGIN", new_y="NEXT",
                       wrapmode=WrapMode.CHAR)
    pdf.ln(2)
    return pdf


def note(pdf: FPDF, text: str) -> None:
    """A centred red line such as 示例数据 or 公开版 under the title."""
    pdf.set_text_color(192, 0, 0)
    paragraph(pdf, text, align="C")
    pdf.set_text_color(0, 0, 0)


def heading(pdf: FPDF, text: str, size: int = 13) -> None:
    if pdf.will_page_break(30):   # keep a heading with the text under it
        pdf.add_page()
    pdf.ln(3)
    with bold(pdf, size):
        pdf.multi_cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT",
                       wrapmode=WrapMode.CHAR)
    pdf.ln(1)


def paragraph(pdf: FPDF, text: str, align: str = "L") -> None:
    pdf.multi_cell(0, LINE_HEIGHT, text, align=align, new_x="LMARGIN", new_y="NEXT",
                   wrapmode=WrapMode.CHAR)


def labelled(pdf: FPDF, label: str, text: str) -> None:
    paragraph(pdf, f"{label}：{text or '—'}")


def table(pdf: FPDF, headers: Sequence[str], rows: Iterable[Sequence[object]],
          col_widths: Sequence[float] | None = None) -> None:
    pdf.set_font(size=BODY_SIZE - 1)
    with pdf.table(col_widths=col_widths, text_align="LEFT", wrapmode=WrapMode.CHAR,
                   headings_style=_HEADINGS, line_height=LINE_HEIGHT - 1,
                   padding=1.2) as grid:
        grid.row([str(h) for h in headers])
        for row in rows:
            grid.row(["" if value is None else str(value) for value in row])
    pdf.set_font(size=BODY_SIZE)
    pdf.ln(2)


def to_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())
