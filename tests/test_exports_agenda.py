"""The papers for the room, read back as the people at the meeting would see them: the 议程 (each
item with its background and who raised it) and the 签到表 (the roster by seat with room to sign,
for a proxy and for 列席), as DOCX and PDF; a long agenda and a long roster paginate with the
title over every page and numbered pages."""

import io

import docx
import pytest
from docx.oxml.ns import qn

from deliberation.exports.agenda import agenda_docx, agenda_pdf
from deliberation.exports.sign_in_sheet import sign_in_docx, sign_in_pdf
from deliberation.exports.views import AgendaView, PaperItem, SignInRow, SignInView
from tests.document_pages import pdf_fonts, save_pages
from tests.document_text import docx_text, pdf_page_texts, pdf_text

SEATS = ("党支部", "业主委员会", "物业服务企业", "社区警务室")
ITEMS = (
    PaperItem(1, 16, "地库入口积水", "环境", "业主委员会", "2026-11-03", "雨后地库入口积水，车辆难以通行。",
              ("第12次会议：暂缓/下次再议", "第13次会议：暂缓/下次再议")),
    PaperItem(2, 17, "夜间装修噪音", "噪音", "热线", "2026-11-20", ""),
)
ROWS = (SignInRow("党支部", "李明华", "支部书记"), SignInRow("党支部", "陈建国", "支部委员"),
        SignInRow("业主委员会", "张志强", "业委会主任"), SignInRow("社区警务室", ""))


def make_agenda(items=ITEMS, **changes) -> AgendaView:
    values = {"compound": "鸿翔花园", "number": 14, "scheduled_at": "2026-12-08 19:00", "place": "小区党群服务站",
              "branch": "鸿翔花园联合党支部", "chair": None, "seats": SEATS, "items": items}
    values.update(changes)
    return AgendaView(**values)


def make_sheet(rows=ROWS, **changes) -> SignInView:
    values = {"compound": "鸿翔花园", "number": 14, "scheduled_at": "2026-12-08 19:00", "place": "小区党群服务站",
              "branch": "鸿翔花园联合党支部", "rows": rows, "min_seats": 5, "required": ("党支部", "业主委员会")}
    values.update(changes)
    return SignInView(**values)


# ------------------------------------------------------------------ the agenda

AGENDA_LINES = ("鸿翔花园第14次“1+8”协商议事会议议程", "时间：2026年12月8日（星期二）19:00", "地点：小区党群服务站",
                "召集：鸿翔花园联合党支部", "主持人：—",
                "参会：党支部、业主委员会、物业服务企业、社区警务室（共4个协商主体）", "一、会议议题（共2项）",
                "议题一：地库入口积水", "编号：#16　类别：环境　提出方：业主委员会　提出日期：2026年11月3日",
                "背景：雨后地库入口积水，车辆难以通行。", "前次审议：第12次会议：暂缓/下次再议；第13次会议：暂缓/下次再议",
                "议题二：夜间装修噪音", "编号：#17　类别：噪音　提出方：热线　提出日期：2026年11月20日", "背景：—",
                "二、议事程序")


@pytest.mark.parametrize("render, read", [(agenda_docx, docx_text), (agenda_pdf, pdf_text)], ids=["docx", "pdf"])
def test_the_agenda_says_when_where_who_convenes_and_each_item_with_its_background_and_raiser(render, read):
    text = read(render(make_agenda()))
    flat = "".join(text.split())
    for line in AGENDA_LINES:
        assert "".join(line.split()) in flat, line
    assert "前次审议" not in flat.split("议题二")[1]          # only the item that had earlier meetings


def test_the_agenda_names_the_chair_once_one_is_chosen_and_says_when_nothing_is_on_it_yet():
    text = docx_text(agenda_docx(make_agenda(items=(), chair="李明华")))
    assert "主持人：李明华" in text and "议程尚未列入议题。" in text and "一、会议议题（共0项）" in text


def test_a_thirty_item_agenda_paginates_with_the_title_over_every_page_and_numbered_pages():
    items = tuple(PaperItem(i, 100 + i, f"议题标题{i}", "停车", "业主委员会", "2026-11-01",
                            "背景说明。" * 12) for i in range(1, 31))
    data = agenda_pdf(make_agenda(items=items))
    pages = pdf_page_texts(data)
    assert len(pages) >= 3
    title = "鸿翔花园第14次“1+8”协商议事会议议程"
    for number, text in enumerate(pages, start=1):
        assert text.startswith(title) and text.endswith(f"第{number}页共{len(pages)}页")
    everything = "".join(pages)
    assert all(f"#{100 + i}" in everything for i in range(1, 31))
    assert "议题三十：议题标题30" in everything
    save_pages(data, "agenda-30-items", dpi=60)
    section = docx.Document(io.BytesIO(agenda_docx(make_agenda(items=items)))).sections[0]
    assert section.different_first_page_header_footer and section.header.paragraphs[0].text == title


def test_markup_in_agenda_titles_and_backgrounds_is_printed_as_typed():
    hostile = PaperItem(1, 1, "<b>积水</b> **{nb}**", "环境", "<i>业委会</i>", "2026-11-03", "[链接](http://x.cn)")
    view = make_agenda(items=(hostile,))
    for text in (pdf_text(agenda_pdf(view)), "".join(docx_text(agenda_docx(view)).split())):
        assert "议题一：<b>积水</b>**{nb}**" in text and "提出方：<i>业委会</i>" in text
        assert "背景：[链接](http://x.cn)" in text


def test_the_agenda_pdf_embeds_the_serif_face_and_is_rendered_for_looking_at():
    data = agenda_pdf(make_agenda())
    assert {f["name"].split("+")[1] for f in pdf_fonts(data)} == {"NotoSerifCJKSC", "NotoSerifCJKSCBold"}
    assert all(f["emb"] == "yes" and f["sub"] == "yes" for f in pdf_fonts(data))
    assert save_pages(data, "agenda-sample")


# ------------------------------------------------------------------ the sign-in sheet

def test_the_sign_in_sheet_lists_the_roster_by_seat_with_columns_to_sign_and_for_a_proxy():
    document = docx.Document(io.BytesIO(sign_in_docx(make_sheet())))
    members = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert members == [["序号", "协商主体", "姓名", "职务", "本人签到", "委托出席（受托人签字）"],
                       ["1", "党支部", "李明华", "支部书记", "", ""], ["2", "党支部", "陈建国", "支部委员", "", ""],
                       ["3", "业主委员会", "张志强", "业委会主任", "", ""], ["4", "社区警务室", "", "", "", ""]]
    observers = [[cell.text for cell in row.cells] for row in document.tables[1].rows]
    assert observers[0] == ["序号", "单位或身份", "姓名", "签到"] and len(observers) == 1 + 4
    text = docx_text(sign_in_docx(make_sheet()))
    assert "时间：2026年12月8日（星期二）19:00　　地点：小区党群服务站" in text
    assert ("应到4人（3个协商主体）。法定人数：至少5个协商主体出席（含委托出席），其中党支部、业主委员会须出席。"
            in text)
    assert "二、列席人员" in text and "记录人（核对）：" in text


def test_the_sign_in_rows_leave_room_for_a_hand_and_do_not_split_across_pages():
    table = docx.Document(io.BytesIO(sign_in_docx(make_sheet()))).tables[0]
    for row in table.rows[1:]:
        assert row.height is not None and row.height.mm >= 8.9
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_the_sign_in_pdf_fits_a_roster_of_ten_on_one_page_with_its_observer_lines():
    rows = tuple(SignInRow(f"主体{i}", f"成员{i}", "代表") for i in range(10))
    data = sign_in_pdf(make_sheet(rows=rows))
    pages = pdf_page_texts(data)
    assert len(pages) == 1
    assert "成员9" in pages[0] and "二、列席人员" in pages[0] and pages[0].endswith("第1页共1页")
    save_pages(data, "sign-in-sample")


def test_a_long_roster_repeats_the_column_headings_and_the_title_on_every_page():
    rows = tuple(SignInRow(f"主体{i % 12}", f"成员{i}", "代表") for i in range(45))
    pages = pdf_page_texts(sign_in_pdf(make_sheet(rows=rows)))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert text.startswith("鸿翔花园第14次“1+8”协商议事会议签到表")
        assert "本人签到" in text or "列席人员" in text
        assert text.endswith(f"第{number}页共{len(pages)}页")
    everything = "".join(pages)
    assert all(f"成员{i}" in everything for i in range(45))


def test_markup_in_a_name_on_the_sheet_is_printed_as_typed():
    view = make_sheet(rows=(SignInRow("<b>党支部</b>", "**李**{nb}", "[x](y)"),))
    assert "<b>党支部</b>**李**{nb}[x](y)" in pdf_text(sign_in_pdf(view))
