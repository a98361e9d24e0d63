"""Meeting minutes (会议纪要) read back as a user would see them."""

import io
from dataclasses import replace

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from deliberation.exports.minutes import (chinese_number, minutes_docx, minutes_markdown,
                                          minutes_pdf)
from deliberation.exports.views import ActionLine, AgendaLine, AttendanceLine, MinutesView
from tests.document_text import docx_text, pdf_text

ROSTER = (
    ("党支部", "张建国", "出席"),
    ("业主委员会", "李秀英", "出席"),
    ("物业服务企业", "王志强", "委托出席"),
    ("社区警务室", "陈伟", "请假"),
    ("党员及居民代表", "赵敏", "缺席"),
)
NAMES = [name for _, name, _ in ROSTER] + ["周婷"]   # + the recorder


def make_minutes(public=False, demo=False, names_in_public=False, discussion=None):
    show_names = not public or names_in_public
    attendance = tuple(AttendanceLine(seat, name if show_names else None, status)
                       for seat, name, status in ROSTER)
    items = (
        AgendaLine(1, "车位不足",
                   discussion or "业委会提出夜间车位缺口约120个，物业说明地面可新增划线车位30个。",
                   "同意新增划线车位30个，并与周边学校签订错时停车协议。", "分工落实",
                   (ActionLine("物业服务企业", "完成地面车位划线", "2025-04-15", "进行中"),
                    ActionLine("社区居委会/工作站", "协调学校错时停车", "2025-04-30", "待办")),
                   (("党支部", "赞成"), ("业主委员会", "赞成"), ("物业服务企业", "弃权"))),
        AgendaLine(2, "高空抛物", "3栋、5栋多次发现高空抛物。", "加装高空监控摄像头。",
                   "会上解决"),
        AgendaLine(3, "宠物乱跑", "", "", "暂缓/下次再议"),
    )
    return MinutesView("鸿翔花园", 3, "2025-03-11 19:00", "鸿翔花园党群服务站",
                       "张建国" if show_names else None, "周婷" if show_names else None,
                       attendance, items, public=public, demo=demo)


def test_minutes_docx_lists_every_seat_with_its_member_and_attendance_status():
    document = docx.Document(io.BytesIO(minutes_docx(make_minutes())))
    attendance = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in attendance.rows]
    assert rows == [["协商主体", "参会人员", "出席情况"]] + [list(r) for r in ROSTER]


def test_minutes_docx_show_every_agenda_item_with_decision_actions_and_votes():
    document = docx.Document(io.BytesIO(minutes_docx(make_minutes())))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == ["议题一：车位不足", "议题二：高空抛物", "议题三：宠物乱跑"]
    text = docx_text(minutes_docx(make_minutes()))
    assert "决议：同意新增划线车位30个，并与周边学校签订错时停车协议。" in text
    assert "处理结果：暂缓/下次再议" in text
    assert "表决情况：赞成2，反对0，弃权1。党支部：赞成；业主委员会：赞成；物业服务企业：弃权" in text
    actions = [[cell.text for cell in row.cells] for row in document.tables[1].rows]
    assert actions == [["责任主体", "任务", "期限", "状态"],
                       ["物业服务企业", "完成地面车位划线", "2025-04-15", "进行中"],
                       ["社区居委会/工作站", "协调学校错时停车", "2025-04-30", "待办"]]


def test_minutes_docx_head_with_title_time_place_and_people_and_end_with_signatures():
    document = docx.Document(io.BytesIO(minutes_docx(make_minutes())))
    lines = [p.text for p in document.paragraphs if p.text]
    assert lines[0] == "鸿翔花园第3次“1+8”协商议事会议纪要"
    assert lines[1:5] == ["时间：2025-03-11 19:00", "地点：鸿翔花园党群服务站",
                          "主持人：张建国", "记录人：周婷"]
    assert [line.split("：")[0] for line in lines[-3:]] == ["主持人签字", "记录人签字", "日期"]


@pytest.mark.parametrize("style", ["Normal", "Title", "Heading 1", "Heading 2"])
def test_minutes_docx_styles_name_an_east_asian_font_so_word_shows_chinese(style):
    document = docx.Document(io.BytesIO(minutes_docx(make_minutes())))
    r_fonts = document.styles[style].element.rPr.rFonts
    assert r_fonts.get(qn("w:eastAsia")) in {"宋体", "黑体"}
    assert r_fonts.get(qn("w:eastAsiaTheme")) is None   # a theme font would override it


def test_minutes_pdf_contains_the_chinese_title_agenda_and_attendance():
    text = pdf_text(minutes_pdf(make_minutes()))
    assert "鸿翔花园第3次“1+8”协商议事会议纪要" in text
    for title in ("议题一：车位不足", "议题二：高空抛物", "议题三：宠物乱跑"):
        assert title in text
    assert "社区警务室陈伟请假" in text
    assert "主持人签字" in text


def test_minutes_pdf_embeds_its_fonts_so_any_reader_shows_the_chinese():
    reader = PdfReader(io.BytesIO(minutes_pdf(make_minutes())))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                   for font in fonts.values()]
    base_names = [str(font.get_object()["/BaseFont"]) for font in fonts.values()]
    assert any("DroidSansFallback" in name for name in base_names)
    assert all("/FontFile2" in descriptor.get_object() for descriptor in descriptors)


def test_long_discussion_wraps_onto_further_pages_without_losing_text():
    long_text = "业委会与物业就车位分配方案逐条讨论，形成一致意见。" * 120
    data = minutes_pdf(make_minutes(discussion=long_text))
    assert len(PdfReader(io.BytesIO(data)).pages) >= 3
    assert long_text in pdf_text(data)


@pytest.mark.parametrize("names_in_public", [False, True])
def test_public_minutes_leave_out_every_member_name(names_in_public):
    view = make_minutes(public=True, names_in_public=names_in_public)
    texts = {"docx": docx_text(minutes_docx(view)), "pdf": pdf_text(minutes_pdf(view)),
             "md": minutes_markdown(view)}
    for kind, text in texts.items():
        for name in NAMES:
            assert name not in text, f"{name} appears in the public {kind}"
        assert "主持人：—" in text.replace("*", "")
        assert "公开版" in text


def test_public_minutes_attendance_table_has_seat_and_status_only():
    document = docx.Document(io.BytesIO(minutes_docx(make_minutes(public=True))))
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows == [["协商主体", "出席情况"]] + [[seat, status] for seat, _, status in ROSTER]


def test_demo_minutes_are_labelled_as_sample_data_in_every_format():
    view = make_minutes(demo=True)
    assert "示例数据" in docx_text(minutes_docx(view))
    assert "示例数据" in pdf_text(minutes_pdf(view))
    assert "示例数据" in minutes_markdown(view)
    assert "示例数据" not in minutes_markdown(make_minutes())


def test_minutes_markdown_has_the_attendance_and_action_tables():
    text = minutes_markdown(make_minutes())
    assert text.startswith("# 鸿翔花园第3次“1+8”协商议事会议纪要\n")
    assert "应到5席，实到3席（出席2，委托出席1，请假1，缺席1）" in text
    assert "| 社区警务室 | 陈伟 | 请假 |" in text
    assert "| 物业服务企业 | 完成地面车位划线 | 2025-04-15 | 进行中 |" in text
    assert "### 议题三：宠物乱跑" in text


def test_a_pipe_in_user_text_does_not_break_the_markdown_table():
    view = make_minutes()
    item = AgendaLine(1, "充电桩", "", "", "分工落实",
                      (ActionLine("物业服务企业", "A|B 两区各装一组", "2025-05-01", "待办"),))
    text = minutes_markdown(replace(view, items=(item,)))
    assert "| 物业服务企业 | A\\|B 两区各装一组 | 2025-05-01 | 待办 |" in text


def test_a_pasted_control_character_does_not_break_the_docx():
    item = AgendaLine(1, "噪音\x0b扰民", "夜间\x01施工", "", "会上解决")
    view = replace(make_minutes(), items=(item,))
    assert "议题一：噪音扰民" in docx_text(minutes_docx(view))


@pytest.mark.parametrize("n, expected", [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"),
                                         (35, "三十五")])
def test_agenda_items_are_numbered_in_chinese(n, expected):
    assert chinese_number(n) == expected
