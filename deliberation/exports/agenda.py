"""会议议程 (the agenda handed out before a meeting) as DOCX and PDF: when and where, who convenes
and chairs, the seats invited, then each item with its number, category, who raised it, when,
its background and the meetings that took it up before; page numbers and the short title on
every page after the first."""

from __future__ import annotations

from . import docx_layout as dl
from . import pdf_layout as pl
from .dates import DASH, cn_date, cn_day_and_time
from .minutes import chinese_number
from .views import AgendaView, PaperItem

PROCEDURE = ("每项议题依次进行：情况介绍，各协商主体发言协商，表决或形成决议，"
             "明确责任主体、责任人和完成时限。")


def header_lines(view: AgendaView) -> list[tuple[str, str]]:
    return [("时间", cn_day_and_time(view.scheduled_at)), ("地点", view.place or DASH), ("召集", view.branch or f"{view.compound}党支部"),
            ("主持人", view.chair or DASH),
            ("参会", f"{'、'.join(view.seats)}（共{len(view.seats)}个协商主体）" if view.seats else DASH)]


def facts(item: PaperItem) -> str:
    return (f"编号：#{item.number}　类别：{item.category}　提出方：{item.raised_by}"
            f"　提出日期：{cn_date(item.raised_on)}")


def item_lines(item: PaperItem) -> list[tuple[str, str]]:
    lines = [("背景", item.background or DASH)]
    if item.history:
        lines.append(("前次审议", "；".join(item.history)))
    return lines


def agenda_heading(view: AgendaView) -> str:
    return f"一、会议议题（共{len(view.items)}项）"


def item_heading(item: PaperItem) -> str:
    """议题一：… as the minutes name it, so the two papers match."""
    return f"议题{chinese_number(item.position)}：{item.title}"


def agenda_docx(view: AgendaView) -> bytes:
    doc = dl.new_document(body_size=12)
    dl.add_paper_frame(doc, view.title)
    dl.add_title(doc, view.title)
    if view.demo:
        dl.add_note(doc, "示例数据（演示用，非真实记录）")
    for label, text in header_lines(view):
        dl.add_labelled(doc, label, text)
    doc.add_heading(agenda_heading(view), level=1)
    for item in view.items:
        heading = doc.add_heading(item_heading(item), level=2)
        dl.keep_with_next([heading, doc.add_paragraph(facts(item))])
        for label, text in item_lines(item):
            dl.add_labelled(doc, label, text)
    if not view.items:
        doc.add_paragraph("议程尚未列入议题。")
    doc.add_heading("二、议事程序", level=1)
    doc.add_paragraph(PROCEDURE)
    return dl.to_bytes(doc)


def agenda_pdf(view: AgendaView) -> bytes:
    pdf = pl.start(view.title, paper=True)
    if view.demo:
        pl.note(pdf, "示例数据（演示用，非真实记录）")
    for label, text in header_lines(view):
        pl.labelled(pdf, label, text)
    pl.heading(pdf, agenda_heading(view), size=14)
    for item in view.items:
        pl.heading(pdf, item_heading(item), size=13)
        with pdf.local_context(text_color=(70, 70, 70)):
            pl.paragraph(pdf, facts(item))
        for label, text in item_lines(item):
            pl.labelled(pdf, label, text)
    if not view.items:
        pl.paragraph(pdf, "议程尚未列入议题。")
    pl.heading(pdf, "二、议事程序", size=14)
    pl.paragraph(pdf, PROCEDURE)
    return pl.to_bytes(pdf)
