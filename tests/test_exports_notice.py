"""The 公示 notice for the notice board, read back as a resident would see it: the results, the
window in Chinese dates, where to object, the QR code, and the branch's full name, the date and
room for its seal, in the serif face with page numbers."""

import io

import docx
import pytest
from pypdf import PdfReader

from deliberation.exports.notice import notice_docx, notice_pdf
from deliberation.exports.views import NoticeItem, NoticeView
from tests.document_pages import pdf_fonts, save_pages
from tests.document_text import pdf_page_texts, pdf_text

BOARD = "https://yishi.example.cn/public?compound=7"
ITEMS = (
    NoticeItem("车位不足", "停车", "地面新增划线车位30个，与周边学校签订错时停车协议。", "小区"),
    NoticeItem("高空抛物", "高空抛物", "3栋、5栋加装高空监控摄像头8个。", "小区"),
    NoticeItem("变压器增容", "供电(变压器/强弱电)", "经街道协调供电局完成增容改造。", "街道"),
)
WINDOW = "公示期：2025年3月12日至2025年3月18日。"
BRANCH = "怡乐花园联合党支部"
OBJECTIONS = "公示期内如有异议，请扫描下方二维码在线反馈，或到怡乐花园党群服务站向怡乐花园联合党支部当面反映。"


def make_notice(items=ITEMS, demo=False, **more):
    return NoticeView("怡乐花园", items, "2025-03-12", "2025-03-18", BOARD, demo=demo,
                      branch=more.pop("branch", BRANCH), office=more.pop("office", "怡乐花园党群服务站"), **more)


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return notice_pdf(make_notice())


def test_notice_docx_lists_every_result_with_category_summary_and_level():
    document = docx.Document(io.BytesIO(notice_docx(make_notice())))
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows == [["序号", "事项", "类别", "处理结果", "解决层级"]] + [
        [str(i), item.title, item.category, item.summary, item.resolved_level]
        for i, item in enumerate(ITEMS, start=1)]


def test_notice_docx_has_heading_window_where_to_object_qr_code_url_and_the_branch_with_room_for_its_seal():
    document = docx.Document(io.BytesIO(notice_docx(make_notice())))
    lines = [p.text for p in document.paragraphs]
    assert lines[0] == "怡乐花园协商议事结果公示"
    assert WINDOW in lines and OBJECTIONS in lines
    assert BOARD in lines
    assert [line for line in lines if line][-3:] == ["（盖章）", BRANCH, "2025年3月12日"]
    assert len(document.inline_shapes) >= 1
    image_parts = [rel.target_part for rel in document.part.rels.values()
                   if "image" in rel.reltype]
    assert image_parts[0].blob.startswith(b"\x89PNG")


def test_notice_pdf_shows_heading_results_window_where_to_object_url_and_the_seal_block(sample_pdf):
    text = pdf_text(sample_pdf)
    assert "怡乐花园协商议事结果公示" in text
    for item in ITEMS:
        assert item.title in text
    assert WINDOW in text and OBJECTIONS in text
    assert BOARD in text
    assert text.endswith(f"（盖章）{BRANCH}2025年3月12日第1页共1页")
    page = PdfReader(io.BytesIO(sample_pdf)).pages[0]
    assert len(page.images) == 1


def test_without_an_office_the_notice_still_says_whom_to_tell():
    text = pdf_text(notice_pdf(make_notice(office="")))
    assert "或向怡乐花园联合党支部当面反映。" in text


def test_notice_pdf_embeds_a_subset_of_the_serif_face(sample_pdf):
    fonts = pdf_fonts(sample_pdf)
    assert fonts and all("NotoSerifCJKSC" in f["name"] and f["emb"] == "yes" and f["sub"] == "yes" for f in fonts)


def test_an_empty_notice_says_there_is_nothing_to_publish():
    document = docx.Document(io.BytesIO(notice_docx(make_notice(items=()))))
    assert "本期无公示事项。" in [p.text for p in document.paragraphs]
    assert not document.tables
    assert "本期无公示事项。" in pdf_text(notice_pdf(make_notice(items=())))


def test_demo_notice_is_labelled_as_sample_data():
    assert "示例数据" in pdf_text(notice_pdf(make_notice(demo=True)))
    document = docx.Document(io.BytesIO(notice_docx(make_notice(demo=True))))
    assert any("示例数据" in p.text for p in document.paragraphs)
    assert "示例数据" not in pdf_text(notice_pdf(make_notice()))


@pytest.mark.parametrize("count", (6, 9, 25))
def test_a_long_notice_keeps_window_qr_code_url_and_seal_together_on_the_numbered_last_page(count):
    many = tuple(NoticeItem(f"事项{i}", "环境绿化", "补种绿化带并修剪乔木。" * 4, "小区")
                 for i in range(count))
    data = notice_pdf(make_notice(items=many))
    reader = PdfReader(io.BytesIO(data))
    pages = pdf_page_texts(data)
    last = pages[-1]
    assert len(reader.pages[-1].images) == 1
    for text in (WINDOW, OBJECTIONS, BOARD, f"（盖章）{BRANCH}2025年3月12日"):
        assert text in last
    for number, text in enumerate(pages, start=1):
        assert text.endswith(f"第{number}页共{len(pages)}页")


def test_markup_in_a_result_is_printed_as_typed():
    item = NoticeItem("<b>噪音</b> **{nb}**", "噪音", "[点此](http://x.cn) <script>", "小区")
    text = pdf_text(notice_pdf(make_notice(items=(item,))))
    assert "<b>噪音</b>**{nb}**" in text and "[点此](http://x.cn)<script>" in text


def test_the_notice_is_rendered_for_a_person_to_look_at(sample_pdf):
    pages = save_pages(sample_pdf, "notice-sample")
    assert len(pages) == 1 and pages[0].stat().st_size > 10_000
