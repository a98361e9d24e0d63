"""会议纪要 (meeting minutes) as DOCX, PDF and Markdown.

All three share the text built here, so they cannot drift apart. The public
version never prints a person's name, even if the view carries one by mistake.
"""

from __future__ import annotations

import html
import re
from collections import Counter

from . import docx_layout as dl
from . import pdf_layout as pl
from .photo_layout import add_photos_docx, add_photos_pdf
from .views import AgendaLine, MinutesView

DASH = "—"
PRESENT = ("出席", "委托出席")
SIGNATURES = ("主持人签字", "记录人签字", "日期")
ACTION_HEADERS = ("责任主体", "任务", "期限", "状态")
PHOTOS = "照片"
_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (agenda items are numbered 议题一, 议题二 …)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def item_heading(item: AgendaLine) -> str:
    return f"议题{chinese_number(item.position)}：{item.title}"


def person(view: MinutesView, name: str | None) -> str:
    return DASH if view.public or not name else name


def header_lines(view: MinutesView) -> list[tuple[str, str]]:
    return [("时间", view.starts_at), ("地点", view.place),
            ("主持人", person(view, view.chair)), ("记录人", person(view, view.recorder))]


def notes(view: MinutesView) -> list[str]:
    out = []
    if view.demo:
        out.append("示例数据（演示用，非真实记录）")
    if view.public:
        out.append("公开版（已隐去个人信息）")
    return out


def attendance_table(view: MinutesView) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    if view.public:
        return ("协商主体", "出席情况"), [(a.seat, a.status) for a in view.attendance]
    return (("协商主体", "参会人员", "出席情况"),
            [(a.seat, a.name or DASH, a.status) for a in view.attendance])


def attendance_summary(view: MinutesView) -> str:
    counts = Counter(a.status for a in view.attendance)
    present = sum(counts[s] for s in PRESENT)
    detail = "，".join(f"{status}{n}" for status, n in counts.items())
    return f"应到{len(view.attendance)}席，实到{present}席（{detail or '无'}）"


def vote_text(item: AgendaLine) -> str:
    if not item.votes:
        return "未表决"
    tally = Counter(vote for _, vote in item.votes)
    each = "；".join(f"{seat}：{vote}" for seat, vote in item.votes)
    total = "，".join(f"{v}{tally[v]}" for v in ("赞成", "反对", "弃权"))
    return f"{total}。{each}"


def action_rows(item: AgendaLine) -> list[tuple[str, ...]]:
    return [(a.seat, a.task, a.due_on, a.status) for a in item.actions]


def item_texts(view: MinutesView, item: AgendaLine) -> list[tuple[str, str]]:
    """The labelled texts of an item. The public version prints only the summary the secretary
    wrote for residents, never the 讨论情况 or 决议 typed at the meeting."""
    if view.public:
        return [("公开说明", item.public_summary), ("处理结果", item.outcome)]
    return [("讨论情况", item.discussion), ("决议", item.decision), ("处理结果", item.outcome)]


def action_table(view: MinutesView, item: AgendaLine) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """Who does what by when; the public version leaves out the typed task text."""
    if view.public:
        return ("责任主体", "期限", "状态"), [(a.seat, a.due_on, a.status) for a in item.actions]
    return ACTION_HEADERS, action_rows(item)


def minutes_docx(view: MinutesView) -> bytes:
    doc = dl.new_document()
    dl.add_title(doc, view.title)
    for line in notes(view):
        dl.add_note(doc, line)
    for label, text in header_lines(view):
        dl.add_labelled(doc, label, text)
    doc.add_heading("出席情况", level=1)
    doc.add_paragraph(attendance_summary(view))
    dl.add_table(doc, *attendance_table(view))
    doc.add_heading("议题及决议", level=1)
    for item in view.items:
        doc.add_heading(item_heading(item), level=2)
        for label, text in item_texts(view, item):
            dl.add_labelled(doc, label, text)
        if item.actions:
            dl.add_labelled(doc, "责任分工", f"共{len(item.actions)}项")
            dl.add_table(doc, *action_table(view, item))
        else:
            dl.add_labelled(doc, "责任分工", "无")
        dl.add_labelled(doc, "表决情况", vote_text(item))
        add_photos_docx(doc, item.photos, PHOTOS)
    if not view.items:
        doc.add_paragraph("本次会议无议题。")
    doc.add_paragraph()
    for label in SIGNATURES:
        doc.add_paragraph(f"{label}：____________________")
    return dl.to_bytes(doc)


def minutes_pdf(view: MinutesView) -> bytes:
    pdf = pl.start(view.title)
    for line in notes(view):
        pl.note(pdf, line)
    for label, text in header_lines(view):
        pl.labelled(pdf, label, text)
    pl.heading(pdf, "出席情况", size=14)
    pl.paragraph(pdf, attendance_summary(view))
    headers, rows = attendance_table(view)
    pl.table(pdf, headers, rows, col_widths=(3, 2) if view.public else (3, 2, 1.4))
    pl.heading(pdf, "议题及决议", size=14)
    for item in view.items:
        pl.heading(pdf, item_heading(item))
        for label, text in item_texts(view, item):
            pl.labelled(pdf, label, text)
        if item.actions:
            pl.labelled(pdf, "责任分工", f"共{len(item.actions)}项")
            pl.table(pdf, *action_table(view, item),
                     col_widths=(3, 2, 1.5) if view.public else (2.2, 4, 1.5, 1.2))
        else:
            pl.labelled(pdf, "责任分工", "无")
        pl.labelled(pdf, "表决情况", vote_text(item))
        add_photos_pdf(pdf, item.photos, PHOTOS)
    if not view.items:
        pl.paragraph(pdf, "本次会议无议题。")
    pdf.ln(10)
    for label in SIGNATURES:
        pl.paragraph(pdf, f"{label}：____________________")
        pdf.ln(3)
    return pl.to_bytes(pdf)


# Text typed by people goes into the .md file as text: HTML is entity-escaped (a raw `<img onerror>`
# would run in a viewer that renders HTML), Markdown marks are backslash-escaped (no link, image or
# emphasis they did not mean), and bare URLs/e-mails get a word joiner so a GFM viewer does not link them.
_MD_MARKS = re.compile(r"([\\`*_\[\]#|~$!{}])")
_MD_AUTOLINK = re.compile(r"(?i)(https?(?=:)|www(?=\.)|@)")


def _md_text(value) -> str:
    text = _MD_AUTOLINK.sub(lambda m: m.group(1) + "\u2060", html.escape("" if value is None else str(value),
                                                                          quote=False))
    return _MD_MARKS.sub(r"\\\1", text)


def _md_line(value) -> str:
    # A line break inside a list item continues the item instead of ending it.
    return _md_text(value).replace("\n", "  \n  ")


def _md_cell(value: str) -> str:
    # A newline would break the Markdown table row (a pipe is escaped by _md_text).
    return _md_text(value).replace("\n", "<br>")


def _md_table(headers, rows) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_md_cell(str(v)) for v in row) + " |" for row in rows]
    return lines + [""]


def minutes_markdown(view: MinutesView) -> str:
    out = [f"# {_md_text(view.title).replace(chr(10), ' ')}", ""]
    out += [f"> {line}  " for line in notes(view)] + ([""] if notes(view) else [])
    out += [f"- **{label}**：{_md_line(text)}" for label, text in header_lines(view)] + [""]
    out += ["## 出席情况", "", attendance_summary(view), ""]
    out += _md_table(*attendance_table(view))
    out += ["## 议题及决议", ""]
    for item in view.items:
        out += [f"### {_md_text(item_heading(item)).replace(chr(10), ' ')}", ""]
        out += [f"- **{label}**：{_md_line(text or DASH)}" for label, text in item_texts(view, item)]
        if item.actions:
            out += ["- **责任分工**：", ""] + _md_table(*action_table(view, item))
        else:
            out += ["- **责任分工**：无"]
        out += [f"- **表决情况**：{_md_line(vote_text(item))}"]
        if item.photos:   # images are printed in the DOCX and PDF versions
            out += [f"- **{PHOTOS}**：{len(item.photos)} 张（见 DOCX/PDF 版）"]
        out += [""]
    if not view.items:
        out += ["本次会议无议题。", ""]
    out += [f"{label}：____________________  " for label in SIGNATURES]
    return "\n".join(out) + "\n"
