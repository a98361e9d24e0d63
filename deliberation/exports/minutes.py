"""会议纪要 (meeting minutes) as DOCX, PDF and Markdown, laid out as offices file them: title,
时间 from start to end, 地点, 主持人, 记录人, who was due and who came, the quorum, each item with
its decision and who does what by when (责任主体, 责任人, 完成时限), page numbers, and the
signatures with the branch's name, the date and room for its seal kept on the page of the last
item.

All three share the text built here, so they cannot drift apart. The public version never prints
a person's name, even if the view carries one by mistake.
"""

from __future__ import annotations

import html
import re
from collections import Counter

from . import docx_layout as dl
from . import pdf_layout as pl
from .dates import blank_date, cn_date, cn_time_span
from .photo_layout import add_photos_docx, add_photos_pdf, photos_pdf_height
from .views import AgendaLine, MinutesView

DASH = "—"
PRESENT = ("出席", "委托出席")
SIGNATURES = ("主持人（签字）", "记录人（签字）")
ACTION_HEADERS = ("责任主体", "责任人", "任务", "完成时限", "状态")
PUBLIC_ACTION_HEADERS = ("责任主体", "完成时限", "状态")
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
    return [("时间", cn_time_span(view.starts_at, view.ends_at)), ("地点", view.place),
            ("主持人", person(view, view.chair)), ("记录人", person(view, view.recorder))]


def notes(view: MinutesView) -> list[str]:
    out = []
    if view.demo:
        out.append("示例数据（演示用，非真实记录）")
    if view.public:
        out.append("公开版（已隐去个人信息）")
    if view.draft:
        out.append("草稿（纪要尚未审定）")
    return out + list(view.amendments)      # an approved record corrected later says so on its face


def attendance_table(view: MinutesView) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    if view.public:
        return ("协商主体", "出席情况"), [(a.seat, a.status) for a in view.attendance]
    return (("协商主体", "参会人员", "出席情况"),
            [(a.seat, a.name or DASH, a.status) for a in view.attendance])


def attendance_summary(view: MinutesView) -> str:
    """应到10人，实到9人（出席8，委托出席1，缺席1）: one person per line of the roll."""
    counts = Counter(a.status for a in view.attendance)
    present = sum(counts[s] for s in PRESENT)
    detail = "，".join(f"{status}{n}" for status, n in counts.items())
    return f"应到{len(view.attendance)}人，实到{present}人（{detail or '无'}）"


def _who(view: MinutesView, status: str) -> str:
    found = [a.seat if view.public or not a.name else f"{a.seat} {a.name}"
             for a in view.attendance if a.status == status]
    return "、".join(found) or "无"


def attendance_lines(view: MinutesView) -> list[tuple[str, str]]:
    """应到 / 实到 / 委托出席 / 请假 / 缺席 / 列席, each with who (seats only in the public version)."""
    proxies = sum(a.status == "委托出席" for a in view.attendance)
    present = sum(a.status in PRESENT for a in view.attendance)
    return [("应到", f"{len(view.attendance)}人"),
            ("实到", f"{present}人" + (f"（含委托出席{proxies}人）" if proxies else "")),
            ("委托出席", _who(view, "委托出席")), ("请假", _who(view, "请假")), ("缺席", _who(view, "缺席")),
            ("列席", "、".join(view.observers) or DASH)]


def quorum_text(view: MinutesView) -> str:
    """The quorum statement: the rule, the count by seat, and whether it was met."""
    q = view.quorum
    if q is None:
        return DASH
    rule = f"议事规则要求至少{q.min_seats}个协商主体出席" + (f"，其中{'、'.join(q.required)}须出席" if q.required else "")
    head = f"出席（含委托出席）的协商主体{q.seats_present}个，共{q.seats_total}个；{rule}。"
    if q.met:
        return head + "已达到法定人数。"
    missing = f"（{'、'.join(q.missing_required)}未出席）" if q.missing_required else ""
    return head + f"未达到法定人数{missing}。"


def vote_text(item: AgendaLine) -> str:
    if not item.votes:
        return "未表决"
    tally = Counter(vote for _, vote in item.votes)
    each = "；".join(f"{seat}：{vote}" for seat, vote in item.votes)
    total = "，".join(f"{v}{tally[v]}" for v in ("赞成", "反对", "弃权"))
    return f"{total}。{each}"


def action_rows(item: AgendaLine) -> list[tuple[str, ...]]:
    """(责任主体, 任务, 期限, 状态) of each task as the meeting console lists them (ISO dates)."""
    return [(a.seat, a.task, a.due_on, a.status) for a in item.actions]


def item_texts(view: MinutesView, item: AgendaLine) -> list[tuple[str, str]]:
    """The labelled texts of an item. The public version prints only the summary the secretary
    wrote for residents, never the 讨论情况 or 决议 typed at the meeting."""
    if view.public:
        return [("公开说明", item.public_summary), ("处理结果", item.outcome)]
    return [("讨论情况", item.discussion), ("决议", item.decision), ("处理结果", item.outcome)]


def action_table(view: MinutesView, item: AgendaLine) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """Who does what by when; the public version leaves out the typed task and the person."""
    if view.public:
        return PUBLIC_ACTION_HEADERS, [(a.seat, cn_date(a.due_on), a.status) for a in item.actions]
    return ACTION_HEADERS, [(a.seat, a.owner or DASH, a.task, cn_date(a.due_on), a.status) for a in item.actions]


def actions_label(item: AgendaLine) -> str:
    return f"共{len(item.actions)}项" if item.actions else "无"


def issuer(view: MinutesView) -> str:
    return view.branch or f"{view.compound}党支部"


def seal_date(view: MinutesView) -> str:
    """The day the minutes were approved; a blank to fill in by hand on a draft."""
    return cn_date(view.approved_on) if view.approved_on else blank_date()


def signatures(view: MinutesView) -> tuple[str, ...]:
    return () if view.public else SIGNATURES


# ------------------------------------------------------------------ DOCX

def _docx_item(doc, view: MinutesView, item: AgendaLine) -> None:
    doc.add_heading(item_heading(item), level=2)
    for label, text in item_texts(view, item):
        dl.add_labelled(doc, label, text)
    label = dl.add_labelled(doc, "责任分工", actions_label(item))
    if item.actions:
        dl.keep_with_next([label])                     # the label on the page of its table
        dl.add_table(doc, *action_table(view, item))
    dl.add_labelled(doc, "表决情况", vote_text(item))
    add_photos_docx(doc, item.photos, PHOTOS)


def minutes_docx(view: MinutesView) -> bytes:
    doc = dl.new_document(body_size=12)
    dl.add_paper_frame(doc, view.title)
    dl.add_title(doc, view.title)
    for line in notes(view):
        dl.add_note(doc, line)
    for label, text in header_lines(view):
        dl.add_labelled(doc, label, text)
    doc.add_heading("一、出席情况", level=1)
    for label, text in attendance_lines(view):
        dl.add_labelled(doc, label, text)
    dl.add_labelled(doc, "法定人数", quorum_text(view))
    dl.add_table(doc, *attendance_table(view))
    doc.add_heading("二、议定事项", level=1)
    for item in view.items[:-1]:
        _docx_item(doc, view, item)
    # The last item and the signatures: Word keeps them on one page (keep with next).
    paragraphs, tables = len(doc.paragraphs), len(doc.tables)
    if view.items:
        _docx_item(doc, view, view.items[-1])
    else:
        doc.add_paragraph("本次会议无议题。")
    dl.keep_with_next(doc.paragraphs[paragraphs:])
    for table in doc.tables[tables:]:
        dl.keep_table_with_next(table)
    dl.add_seal_block(doc, issuer(view), seal_date(view), signatures(view))
    return dl.to_bytes(doc)


# ------------------------------------------------------------------ PDF

def _pdf_item(pdf, view: MinutesView, item: AgendaLine) -> None:
    """The item but its last block (votes, or photos when it has some): see `_pdf_item_end`."""
    pl.heading(pdf, item_heading(item), size=13)
    for label, text in item_texts(view, item):
        pl.labelled(pdf, label, text)
    if item.actions and pdf.will_page_break(30):       # the label with the table's first rows
        pdf.add_page()
    pl.labelled(pdf, "责任分工", actions_label(item))
    if item.actions:
        headers, rows = action_table(view, item)
        pl.table(pdf, headers, rows, col_widths=(3, 2, 1.5) if view.public else (28, 18, 56, 34, 16))
    if item.photos:
        pl.labelled(pdf, "表决情况", vote_text(item))


def _pdf_item_end(view: MinutesView, item: AgendaLine | None):
    """(draw, height) of what ends the minutes' text: kept on the page of the signatures."""
    if item is None:
        return (lambda pdf: pl.paragraph(pdf, "本次会议无议题。"),
                lambda pdf: pl.text_height(pdf, "本次会议无议题。"))
    if item.photos:
        return (lambda pdf: add_photos_pdf(pdf, item.photos, PHOTOS),
                lambda pdf: photos_pdf_height(pdf, item.photos))
    text = vote_text(item)
    return (lambda pdf: pl.labelled(pdf, "表决情况", text),
            lambda pdf: pl.text_height(pdf, f"表决情况：{text}"))


def minutes_pdf(view: MinutesView) -> bytes:
    pdf = pl.start(view.title, paper=True)
    for line in notes(view):
        pl.note(pdf, line)
    for label, text in header_lines(view):
        pl.labelled(pdf, label, text)
    pl.heading(pdf, "一、出席情况", size=14)
    for label, text in attendance_lines(view):
        pl.labelled(pdf, label, text)
    pl.labelled(pdf, "法定人数", quorum_text(view))
    pdf.ln(1)
    headers, rows = attendance_table(view)
    pl.table(pdf, headers, rows, col_widths=(3, 2) if view.public else (3, 2, 1.4))
    pl.heading(pdf, "二、议定事项", size=14)
    for item in view.items[:-1]:
        _pdf_item(pdf, view, item)
        _pdf_item_end(view, item)[0](pdf)
    last = view.items[-1] if view.items else None
    if last is not None:
        _pdf_item(pdf, view, last)
    draw_end, end_height = _pdf_item_end(view, last)
    name, day, signed = issuer(view), seal_date(view), signatures(view)
    pl.keep_with_end(pdf, draw_end, end_height(pdf),
                     lambda p: pl.seal_block(p, name, day, signed), pl.seal_height(pdf, name, day, signed))
    return pl.to_bytes(pdf)


# ------------------------------------------------------------------ Markdown

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
    out += ["## 一、出席情况", ""]
    out += [f"- **{label}**：{_md_line(text)}" for label, text in attendance_lines(view)]
    out += [f"- **法定人数**：{_md_line(quorum_text(view))}", ""]
    out += _md_table(*attendance_table(view))
    out += ["## 二、议定事项", ""]
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
    out += [f"{label}：____________________  " for label in signatures(view)]
    out += ["", f"{_md_text(issuer(view))}（盖章）  ", seal_date(view)]
    return "\n".join(out) + "\n"
