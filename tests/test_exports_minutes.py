"""Meeting minutes (会议纪要) read back as a user would see them: the fields an office files, the
serif face embedded, page numbers, and the signatures never alone on a page."""

import io
from dataclasses import replace

import docx
import pytest
from docx.oxml.ns import qn
from fontTools.ttLib import TTCollection
from pypdf import PdfReader

from deliberation.exports import fonts
from deliberation.exports.minutes import (
    chinese_number,
    minutes_docx,
    minutes_markdown,
    minutes_pdf,
)
from deliberation.exports.views import (
    ActionLine,
    AgendaLine,
    AttendanceLine,
    MinutesView,
    QuorumLine,
)
from tests.document_pages import pdf_fonts, save_pages
from tests.document_text import docx_text, pdf_page_texts, pdf_text

ROSTER = (
    ("党支部", "张建国", "出席"),
    ("业主委员会", "李秀英", "出席"),
    ("物业服务企业", "王志强(委托 刘某)", "委托出席"),
    ("社区警务室", "陈伟", "请假"),
    ("党员及居民代表", "赵敏", "缺席"),
)
NAMES = ["张建国", "李秀英", "王志强", "刘某", "陈伟", "赵敏", "周婷", "孙丽"]   # + recorder, a task's owner
BRANCH = "鸿翔花园联合党支部"
QUORUM = QuorumLine(met=True, seats_present=3, seats_total=5, min_seats=3, required=("党支部", "业主委员会"))


def make_minutes(public=False, demo=False, names_in_public=False, discussion=None, **changes):
    show_names = not public or names_in_public
    attendance = tuple(AttendanceLine(seat, name if show_names else None, status)
                       for seat, name, status in ROSTER)
    items = (
        AgendaLine(1, "车位不足",
                   discussion or "业委会提出夜间车位缺口约120个，物业说明地面可新增划线车位30个。",
                   "同意新增划线车位30个，并与周边学校签订错时停车协议。", "分工落实",
                   (ActionLine("物业服务企业", "完成地面车位划线", "2025-04-15", "进行中",
                               owner="孙丽" if show_names else None),
                    ActionLine("社区居委会/工作站", "协调学校错时停车", "2025-04-30", "待办")),
                   (("党支部", "赞成"), ("业主委员会", "赞成"), ("物业服务企业", "弃权"))),
        AgendaLine(2, "高空抛物", "3栋、5栋多次发现高空抛物。", "加装高空监控摄像头。",
                   "会上解决"),
        AgendaLine(3, "宠物乱跑", "", "", "暂缓/下次再议"),
    )
    view = MinutesView("鸿翔花园", 3, "2025-03-11 19:00", "鸿翔花园党群服务站",
                       "张建国" if show_names else None, "周婷" if show_names else None,
                       attendance, items, public=public, demo=demo, ends_at="2025-03-11 20:45",
                       branch=BRANCH, quorum=QUORUM, approved_on="2025-03-14")
    return replace(view, **changes)


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    """The sample minutes as PDF, built once: a PDF costs most of a second (its fonts)."""
    return minutes_pdf(make_minutes())


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text]


# ------------------------------------------------------------------ what the minutes say

def test_minutes_docx_lists_every_seat_with_its_member_and_attendance_status():
    document = docx.Document(io.BytesIO(minutes_docx(make_minutes())))
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows == [["协商主体", "参会人员", "出席情况"]] + [list(r) for r in ROSTER]


def test_the_head_has_title_time_from_start_to_end_in_chinese_place_chair_and_recorder(sample_pdf):
    for text in (paragraphs(minutes_docx(make_minutes())), pdf_text(sample_pdf)):
        joined = "\n".join(text) if isinstance(text, list) else text
        for line in ("鸿翔花园第3次“1+8”协商议事会议纪要", "时间：2025年3月11日19:00—20:45",
                     "地点：鸿翔花园党群服务站", "主持人：张建国", "记录人：周婷"):
            assert line in joined.replace(" ", "")


@pytest.mark.parametrize("ends_at, printed", [
    ("", "时间：2025年3月11日 19:00"),                        # no end recorded: none invented
    ("2025-03-11 19:00", "时间：2025年3月11日 19:00"),        # an "end" at the start is no end
    ("2025-03-12 00:30", "时间：2025年3月11日 19:00—3月12日 00:30"),
])
def test_the_time_prints_the_end_only_when_one_is_recorded_after_the_start(ends_at, printed):
    lines = paragraphs(minutes_docx(make_minutes(ends_at=ends_at)))
    assert printed in lines


def test_attendance_is_stated_as_due_present_proxy_leave_absent_and_observers_with_a_quorum_statement():
    text = "\n".join(paragraphs(minutes_docx(make_minutes())))
    for line in ("应到：5人", "实到：3人（含委托出席1人）", "委托出席：物业服务企业 王志强(委托 刘某)",
                 "请假：社区警务室 陈伟", "缺席：党员及居民代表 赵敏", "列席：—",
                 ("法定人数：出席（含委托出席）的协商主体3个，共5个；议事规则要求至少3个协商主体出席，"
                  "其中党支部、业主委员会须出席。已达到法定人数。")):
        assert line in text


def test_a_quorum_not_met_names_the_required_seats_missing():
    short = QuorumLine(met=False, seats_present=2, seats_total=5, min_seats=3, required=("党支部", "业主委员会"),
                       missing_required=("业主委员会",))
    text = "\n".join(paragraphs(minutes_docx(make_minutes(quorum=short))))
    assert "未达到法定人数（业主委员会未出席）。" in text and "已达到法定人数" not in text


def test_each_decision_lists_seat_person_task_and_deadline_with_a_dash_where_no_one_was_named(sample_pdf):
    document = docx.Document(io.BytesIO(minutes_docx(make_minutes())))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == ["议题一：车位不足", "议题二：高空抛物", "议题三：宠物乱跑"]
    text = docx_text(minutes_docx(make_minutes()))
    assert "决议：同意新增划线车位30个，并与周边学校签订错时停车协议。" in text
    assert "处理结果：暂缓/下次再议" in text
    assert "表决情况：赞成2，反对0，弃权1。党支部：赞成；业主委员会：赞成；物业服务企业：弃权" in text
    actions = [[cell.text for cell in row.cells] for row in document.tables[1].rows]
    assert actions == [["责任主体", "责任人", "任务", "完成时限", "状态"],
                       ["物业服务企业", "孙丽", "完成地面车位划线", "2025年4月15日", "进行中"],
                       ["社区居委会/工作站", "—", "协调学校错时停车", "2025年4月30日", "待办"]]
    pdf = pdf_text(sample_pdf)
    assert "物业服务企业孙丽完成地面车位划线2025年4月15日进行中" in pdf


def test_the_signatures_name_the_branch_in_full_with_the_approval_date_and_room_for_the_seal(sample_pdf):
    lines = paragraphs(minutes_docx(make_minutes()))
    assert lines[-4:] == ["主持人（签字）：________________　　记录人（签字）：________________", "（盖章）",
                          BRANCH, "2025年3月14日"]
    assert f"（盖章）{BRANCH}2025年3月14日" in pdf_text(sample_pdf)


def test_a_draft_says_so_and_leaves_the_date_by_the_seal_to_be_written_by_hand():
    view = make_minutes(draft=True, approved_on="")
    lines = paragraphs(minutes_docx(view))
    assert "草稿（纪要尚未审定）" in lines
    assert lines[-1].replace("　", "") == "年月日"
    assert "草稿（纪要尚未审定）" in pdf_text(minutes_pdf(view))


def test_markup_in_titles_and_names_is_printed_as_typed():
    hostile = "<b>车位</b> **加粗** [链接](http://x.cn) {nb}"
    view = make_minutes(items=(AgendaLine(1, hostile, "讨论", "决议", "会上解决"),), chair="<i>张</i>{nb}")
    assert f"议题一：{hostile}" in paragraphs(minutes_docx(view))
    text = pdf_text(minutes_pdf(view))
    assert "议题一：<b>车位</b>**加粗**[链接](http://x.cn){nb}" in text
    assert "主持人：<i>张</i>{nb}" in text


# ------------------------------------------------------------------ how they are set

@pytest.mark.parametrize("style, face", [("Normal", "宋体"), ("Title", "宋体"), ("Heading 1", "黑体"),
                                         ("Heading 2", "宋体")])
def test_minutes_docx_styles_name_a_chinese_face_so_word_shows_a_serif_body(style, face):
    document = docx.Document(io.BytesIO(minutes_docx(make_minutes())))
    r_fonts = document.styles[style].element.rPr.rFonts
    assert r_fonts.get(qn("w:eastAsia")) == face
    assert r_fonts.get(qn("w:eastAsiaTheme")) is None   # a theme font would override it


def test_minutes_docx_numbers_its_pages_and_repeats_the_title_over_every_page_but_the_first():
    section = docx.Document(io.BytesIO(minutes_docx(make_minutes()))).sections[0]
    assert section.different_first_page_header_footer
    for footer in (section.footer, section.first_page_footer):
        instructions = [f.get(qn("w:instr")) for f in footer._element.iter(qn("w:fldSimple"))]
        assert instructions == ["PAGE", "NUMPAGES"]
        shown = "".join(t.text for t in footer._element.iter(qn("w:t")))     # the fields' text included
        assert shown.replace(" ", "") == "第1页共1页"
    assert section.header.paragraphs[0].text == "鸿翔花园第3次“1+8”协商议事会议纪要"
    assert not section.first_page_header.paragraphs[0].text


def test_minutes_docx_keeps_the_last_item_with_the_signatures_and_repeats_table_headings():
    document = docx.Document(io.BytesIO(minutes_docx(make_minutes())))
    body = document.paragraphs
    last = next(i for i, p in enumerate(body) if p.text == "议题三：宠物乱跑")
    assert all(p.paragraph_format.keep_with_next for p in body[last:-1])
    assert not body[last - 1].paragraph_format.keep_with_next
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_the_pdf_embeds_a_subset_of_the_serif_chinese_face(sample_pdf):
    fonts = pdf_fonts(sample_pdf)
    assert {f["name"].split("+", 1)[1] for f in fonts} == {"NotoSerifCJKSC", "NotoSerifCJKSCBold"}
    assert all(f["emb"] == "yes" and f["sub"] == "yes" for f in fonts)
    reader = PdfReader(io.BytesIO(sample_pdf))
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile3" in descriptor          # the glyphs themselves (CFF), not just a name


def test_every_pdf_page_is_numbered_and_the_pages_after_the_first_carry_the_title():
    long_text = "业委会与物业就车位分配方案逐条讨论，形成一致意见。" * 120
    pages = pdf_page_texts(minutes_pdf(make_minutes(discussion=long_text)))
    assert len(pages) >= 3
    title = "鸿翔花园第3次“1+8”协商议事会议纪要"
    body = []
    for number, text in enumerate(pages, start=1):
        footer = f"第{number}页共{len(pages)}页"
        assert text.startswith(title) and text.endswith(footer)   # the title, or the running title
        body.append(text[len(title) if number > 1 else 0:-len(footer)])
    assert long_text in "".join(body)                         # wrapped over the pages, nothing lost


@pytest.mark.parametrize("length", (0, 96, 120, 180, 252, 276, 400))
def test_the_signatures_are_never_alone_on_a_page_whatever_the_length_of_the_last_item(length):
    """The last item's discussion grows, so the end of the text moves down the page and over its
    foot (from 120 to 252 the signatures would no longer fit under it): on every length they share
    a page with the last item's final line (表决情况), and the seal's room stays with them."""
    last = AgendaLine(3, "宠物乱跑", "宠物" * length, "文明养宠公约", "会上解决")
    view = make_minutes(items=make_minutes().items[:2] + (last,))
    pages = pdf_page_texts(minutes_pdf(view))
    signed = [i for i, text in enumerate(pages) if "主持人（签字）" in text]
    assert len(signed) == 1
    page = pages[signed[0]]
    assert "表决情况：未表决" in page and f"（盖章）{BRANCH}2025年3月14日" in page
    assert page.index("表决情况：未表决") < page.index("主持人（签字）")


def test_the_docx_signature_block_is_kept_with_the_text_before_it():
    document = docx.Document(io.BytesIO(minutes_docx(make_minutes())))
    seal = next(i for i, p in enumerate(document.paragraphs) if p.text == "（盖章）")
    assert all(p.paragraph_format.keep_with_next for p in document.paragraphs[seal - 4:seal + 2])


# ------------------------------------------------------------------ the public version

@pytest.mark.parametrize("names_in_public", [False, True])
def test_public_minutes_leave_out_every_member_name(names_in_public):
    view = make_minutes(public=True, names_in_public=names_in_public)
    texts = {"docx": docx_text(minutes_docx(view)), "pdf": pdf_text(minutes_pdf(view)),
             "md": minutes_markdown(view)}
    for kind, text in texts.items():
        for name in NAMES:
            assert name not in text, f"{name} appears in the public {kind}"
        assert "主持人：—" in text.replace("*", "")
        assert "公开版" in text and "签字" not in text and BRANCH in text


def test_public_minutes_attendance_table_has_seat_and_status_only_and_tasks_no_person():
    document = docx.Document(io.BytesIO(minutes_docx(make_minutes(public=True))))
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows == [["协商主体", "出席情况"]] + [[seat, status] for seat, _, status in ROSTER]
    tasks = [[cell.text for cell in row.cells] for row in document.tables[1].rows]
    assert tasks[0] == ["责任主体", "完成时限", "状态"]


def test_demo_minutes_are_labelled_as_sample_data_in_every_format():
    view = make_minutes(demo=True)
    assert "示例数据" in docx_text(minutes_docx(view))
    assert "示例数据" in pdf_text(minutes_pdf(view))
    assert "示例数据" in minutes_markdown(view)
    assert "示例数据" not in minutes_markdown(make_minutes())


# ------------------------------------------------------------------ Markdown and odd input

def test_minutes_markdown_has_the_attendance_quorum_and_action_tables():
    text = minutes_markdown(make_minutes())
    assert text.startswith("# 鸿翔花园第3次“1+8”协商议事会议纪要\n")
    assert "- **时间**：2025年3月11日 19:00—20:45" in text
    assert "- **法定人数**：出席（含委托出席）的协商主体3个" in text
    assert "| 社区警务室 | 陈伟 | 请假 |" in text
    assert "| 物业服务企业 | 孙丽 | 完成地面车位划线 | 2025年4月15日 | 进行中 |" in text
    assert "### 议题三：宠物乱跑" in text
    assert text.rstrip().endswith(f"{BRANCH}（盖章）  \n2025年3月14日")


def test_a_pipe_in_user_text_does_not_break_the_markdown_table():
    item = AgendaLine(1, "充电桩", "", "", "分工落实",
                      (ActionLine("物业服务企业", "A|B 两区各装一组", "2025-05-01", "待办"),))
    text = minutes_markdown(make_minutes(items=(item,)))
    assert "| 物业服务企业 | — | A\\|B 两区各装一组 | 2025年5月1日 | 待办 |" in text


def test_a_pasted_control_character_does_not_break_the_docx():
    item = AgendaLine(1, "噪音\x0b扰民", "夜间\x01施工", "", "会上解决")
    assert "议题一：噪音扰民" in docx_text(minutes_docx(make_minutes(items=(item,))))


def test_minutes_with_no_items_say_so_and_still_end_with_the_signatures():
    view = make_minutes(items=())
    pages = pdf_page_texts(minutes_pdf(view))
    assert "本次会议无议题。" in pages[-1] and "主持人（签字）" in pages[-1]


@pytest.mark.parametrize("n, expected", [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"),
                                         (35, "三十五")])
def test_agenda_items_are_numbered_in_chinese(n, expected):
    assert chinese_number(n) == expected


def test_the_minutes_are_rendered_for_a_person_to_look_at(sample_pdf):
    """The pages as images in test-artifacts/documents/ (looked at when this layout was made)."""
    pages = save_pages(sample_pdf, "minutes-sample")
    assert len(pages) == len(PdfReader(io.BytesIO(sample_pdf)).pages)
    assert all(p.stat().st_size > 10_000 for p in pages)     # a blank A4 page at 80 dpi is ~3 KB


def test_the_serif_face_is_found_by_its_name_inside_debians_collections():
    faces = fonts.serif_faces()
    assert set(faces) == {"", "B"}
    for style, face in faces.items():
        name = TTCollection(str(face.path), lazy=True).fonts[face.index]["name"].getDebugName(4)
        assert name == "Noto Serif CJK SC" + (" Bold" if style else "")


def test_without_the_serif_package_the_papers_still_print_in_the_bundled_face(monkeypatch):
    monkeypatch.setattr(fonts, "serif_faces", dict)
    data = minutes_pdf(make_minutes())
    assert "DroidSansFallback" in {f["name"].split("+")[1] for f in pdf_fonts(data)}
    assert "议题三：宠物乱跑" in pdf_text(data) and f"（盖章）{BRANCH}" in pdf_text(data)   # no text without a font
    save_pages(data, "minutes-fallback-sans", dpi=60)
