"""签到表 (the sign-in sheet laid out on the table at the door) as DOCX and PDF: the standing
roster seat by seat with a column to sign and one for a proxy, blank lines for 列席 (people
attending who are not members), the quorum rule, and a line for the recorder who checks it."""

from __future__ import annotations

from . import docx_layout as dl
from . import pdf_layout as pl
from .dates import DASH, cn_day_and_time
from .views import SignInView

MEMBER_HEADERS = ("序号", "协商主体", "姓名", "职务", "本人签到", "委托出席（受托人签字）")
OBSERVER_HEADERS = ("序号", "单位或身份", "姓名", "签到")
ROW_HEIGHT_MM = 9                 # room for a signature by hand
CHECKED_BY = ("记录人（核对）",)


def header_line(view: SignInView) -> str:
    """时间 and 地点 on one line: the sheet should fit on one page at the door."""
    return f"时间：{cn_day_and_time(view.scheduled_at)}　　地点：{view.place or DASH}"


def member_rows(view: SignInView) -> list[tuple[str, ...]]:
    return [(str(i), row.seat, row.name, row.title, "", "") for i, row in enumerate(view.rows, start=1)]


def observer_rows(view: SignInView) -> list[tuple[str, ...]]:
    return [(str(i), "", "", "") for i in range(1, view.observer_rows + 1)]


def rule_text(view: SignInView) -> str:
    required = f"，其中{'、'.join(view.required)}须出席" if view.required else ""
    seats = len({row.seat for row in view.rows})
    return (f"应到{len(view.rows)}人（{seats}个协商主体）。法定人数：至少{view.min_seats}个协商主体出席（含委托出席）"
            f"{required}。委托他人出席的，由受托人在“委托出席”栏签字并注明委托人。")


def sign_in_docx(view: SignInView) -> bytes:
    doc = dl.new_document(body_size=12)
    dl.add_paper_frame(doc, view.title)
    dl.add_title(doc, view.title)
    if view.demo:
        dl.add_note(doc, "示例数据（演示用，非真实记录）")
    doc.add_paragraph(header_line(view))
    doc.add_heading("一、协商成员", level=1)
    dl.add_table(doc, MEMBER_HEADERS, member_rows(view), row_height_cm=ROW_HEIGHT_MM / 10)
    doc.add_paragraph(rule_text(view))
    doc.add_heading("二、列席人员", level=1)
    dl.add_table(doc, OBSERVER_HEADERS, observer_rows(view), row_height_cm=ROW_HEIGHT_MM / 10)
    doc.add_paragraph()
    doc.add_paragraph("　　".join(f"{label}：________________" for label in CHECKED_BY))
    return dl.to_bytes(doc)


def sign_in_pdf(view: SignInView) -> bytes:
    pdf = pl.start(view.title, paper=True)
    if view.demo:
        pl.note(pdf, "示例数据（演示用，非真实记录）")
    pl.paragraph(pdf, header_line(view))
    pl.heading(pdf, "一、协商成员", size=14)
    pl.table(pdf, MEMBER_HEADERS, member_rows(view), col_widths=(12, 38, 20, 34, 26, 30),
             min_row_height=ROW_HEIGHT_MM)
    with pdf.local_context(font_size_pt=10):
        pl.paragraph(pdf, rule_text(view))
    # The 列席 lines and the recorder's line as one block: a heading with a single line under it,
    # or a signature line alone on a page, helps nobody.
    if pdf.will_page_break(32 + ROW_HEIGHT_MM * (view.observer_rows + 1)):   # heading, header row, lines
        pdf.add_page()
    pl.heading(pdf, "二、列席人员", size=14)
    pl.table(pdf, OBSERVER_HEADERS, observer_rows(view), col_widths=(12, 68, 40, 40), min_row_height=ROW_HEIGHT_MM)
    pdf.ln(2)
    for label in CHECKED_BY:
        pl.paragraph(pdf, f"{label}：________________")
    return pl.to_bytes(pdf)
