"""公示 notice (A4) for the notice board: results, objection window, where to object, QR code,
and the branch's full name, date and room for its seal, with page numbers.

Residents read it on paper and scan the QR code to reach the public board,
where they can object during the window (公示监督, stage four of "3+4"), or tell the branch
in person at its office.
"""

from __future__ import annotations

import io

import segno
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from . import docx_layout as dl
from . import pdf_layout as pl
from .address_warning import docx_address_warning, pdf_address_warning
from .dates import cn_date
from .photo_layout import add_photos_docx, add_photos_pdf
from .views import NoticeView

HEADERS = ("序号", "事项", "类别", "处理结果", "解决层级")
QR_SIZE_CM = 4.0


def intro(view: NoticeView) -> str:
    return f"经{view.compound}“1+8”协商议事会议协商，现将以下议事结果予以公示："


def window_text(view: NoticeView) -> str:
    return f"公示期：{cn_date(view.window_opens)}至{cn_date(view.window_closes)}。"


def objection_text(view: NoticeView) -> str:
    """Where a resident objects: the board (QR code), or in person to the branch at its office."""
    where = f"到{view.office}" if view.office else ""
    return f"公示期内如有异议，请扫描下方二维码在线反馈，或{where}向{issuer(view)}当面反映。"


def issuer(view: NoticeView) -> str:
    return view.branch or f"{view.compound}党支部"


def rows(view: NoticeView) -> list[tuple[str, ...]]:
    return [(str(i), item.title, item.category, item.summary, item.resolved_level)
            for i, item in enumerate(view.items, start=1)]


def qr_png(url: str) -> io.BytesIO:
    """PNG of a QR code for url, in memory. Error level M survives a little
    wear on a printed notice without making the code too dense."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=10, border=2)
    buffer.seek(0)
    return buffer


def photo_headings(view: NoticeView) -> list[tuple[str, tuple]]:
    """(heading, photos) of each item with photos marked public, numbered as in the table."""
    return [(f"{i}. {item.title} 照片", item.photos) for i, item in enumerate(view.items, start=1) if item.photos]


def signature(view: NoticeView) -> tuple[str, str]:
    """The publisher's full name and the day the notice goes up."""
    return issuer(view), cn_date(view.window_opens)


def notice_docx(view: NoticeView) -> bytes:
    doc = dl.new_document(body_size=12)
    dl.add_paper_frame(doc, view.title)
    dl.add_title(doc, view.title)
    if view.demo:
        dl.add_note(doc, "示例数据（演示用，非真实记录）")
    docx_address_warning(doc, view.address_warning)
    doc.add_paragraph(intro(view)).paragraph_format.first_line_indent = Pt(24)
    if view.items:
        dl.add_table(doc, HEADERS, rows(view))
    else:
        doc.add_paragraph("本期无公示事项。")
    doc.add_paragraph()
    for heading, photos in photo_headings(view):
        add_photos_docx(doc, photos, heading)
    # From the window to the seal: one page (Word keeps these paragraphs with the next).
    first = len(doc.paragraphs)
    doc.add_paragraph().add_run(window_text(view)).bold = True
    doc.add_paragraph(objection_text(view)).paragraph_format.first_line_indent = Pt(24)
    doc.add_picture(qr_png(view.board_url), width=Cm(QR_SIZE_CM))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in ("扫码查看公示并反馈意见", view.board_url):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
    docx_address_warning(doc, view.address_warning)          # again beside the code it concerns
    dl.keep_with_next(doc.paragraphs[first:])
    dl.add_seal_block(doc, *signature(view))
    return dl.to_bytes(doc)


def notice_pdf(view: NoticeView) -> bytes:
    pdf = pl.start(view.title, paper=True)
    if view.demo:
        pl.note(pdf, "示例数据（演示用，非真实记录）")
    pdf_address_warning(pdf, view.address_warning)
    pl.paragraph(pdf, "　　" + intro(view))
    pdf.ln(2)
    if view.items:
        pl.table(pdf, HEADERS, rows(view), col_widths=(0.9, 2.4, 1.8, 4.6, 1.5))
    else:
        pl.paragraph(pdf, "本期无公示事项。")
    pdf.ln(3)
    for heading, photos in photo_headings(view):
        add_photos_pdf(pdf, photos, heading)
    # The window, where to object, the QR code and the seal: kept on one page.
    name, day = signature(view)
    warning = 10 if view.address_warning else 0
    closing = (pl.text_height(pdf, window_text(view)) + pl.text_height(pdf, "　　" + objection_text(view))
               + 3 + QR_SIZE_CM * 10 + 2 * pl.PAPER_LINE + warning)
    pl.keep_with_end(pdf, lambda p: _closing(p, view), closing,
                     lambda p: pl.seal_block(p, name, day), pl.seal_height(pdf, name, day))
    return pl.to_bytes(pdf)


def _closing(pdf, view: NoticeView) -> None:
    with pl.bold(pdf, pdf.font_size_pt):
        pl.paragraph(pdf, window_text(view))
    pl.paragraph(pdf, "　　" + objection_text(view))
    pdf.ln(3)
    size = QR_SIZE_CM * 10
    pdf.image(qr_png(view.board_url), x=(pdf.w - size) / 2, w=size, h=size)
    pl.paragraph(pdf, "扫码查看公示并反馈意见", align="C")
    pl.paragraph(pdf, view.board_url, align="C")
    pdf_address_warning(pdf, view.address_warning)           # again beside the code it concerns
