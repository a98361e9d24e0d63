"""The 公示 notice for the notice board, read back as a resident would see it."""

import io
import re

import docx
from pypdf import PdfReader

from deliberation.exports.notice import notice_docx, notice_pdf
from deliberation.exports.views import NoticeItem, NoticeView
from tests.document_text import pdf_text

BOARD = "https://yishi.example.cn/public?compound=7"
ITEMS = (
    NoticeItem("车位不足", "停车", "地面新增划线车位30个，与周边学校签订错时停车协议。", "小区"),
    NoticeItem("高空抛物", "高空抛物", "3栋、5栋加装高空监控摄像头8个。", "小区"),
    NoticeItem("变压器增容", "供电(变压器/强弱电)", "经街道协调供电局完成增容改造。", "街道"),
)
WINDOW = "公示期：2025-03-12 至 2025-03-18，如有异议请在公示期内扫码反馈。"


def make_notice(items=ITEMS, demo=False):
    return NoticeView("怡乐花园", items, "2025-03-12", "2025-03-18", BOARD, demo=demo)


def test_notice_docx_lists_every_result_with_category_summary_and_level():
    document = docx.Document(io.BytesIO(notice_docx(make_notice())))
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows == [["序号", "事项", "类别", "处理结果", "解决层级"]] + [
        [str(i), item.title, item.category, item.summary, item.resolved_level]
        for i, item in enumerate(ITEMS, start=1)]


def test_notice_docx_has_heading_objection_window_qr_code_and_url():
    document = docx.Document(io.BytesIO(notice_docx(make_notice())))
    lines = [p.text for p in document.paragraphs]
    assert lines[0] == "怡乐花园协商议事结果公示"
    assert WINDOW in lines
    assert BOARD in lines
    assert len(document.inline_shapes) >= 1
    image_parts = [rel.target_part for rel in document.part.rels.values()
                   if "image" in rel.reltype]
    assert image_parts[0].blob.startswith(b"\x89PNG")


def test_notice_pdf_shows_heading_results_window_and_url_with_an_image():
    data = notice_pdf(make_notice())
    text = pdf_text(data)
    assert "怡乐花园协商议事结果公示" in text
    for item in ITEMS:
        assert item.title in text
    assert re.sub(r"\s+", "", WINDOW) in text
    assert BOARD in text
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert len(page.images) == 1


def test_notice_pdf_embeds_its_fonts():
    page = PdfReader(io.BytesIO(notice_pdf(make_notice()))).pages[0]
    for font in page["/Resources"]["/Font"].values():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor.get_object()


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


def test_a_long_notice_keeps_the_qr_code_and_url_together_on_the_last_page():
    many = tuple(NoticeItem(f"事项{i}", "环境绿化", "补种绿化带并修剪乔木。" * 4, "小区")
                 for i in range(25))
    reader = PdfReader(io.BytesIO(notice_pdf(make_notice(items=many))))
    assert len(reader.pages) >= 2
    last = reader.pages[-1]
    assert len(last.images) == 1
    assert BOARD in last.extract_text()
