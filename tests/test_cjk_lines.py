"""Chinese line breaking on the papers (避头尾): what a typesetter would never leave at the start
or the end of a line, measured with one unit per character so the breaks are easy to see."""
import pytest

from deliberation.exports.cjk_lines import break_lines


def one(ch: str) -> float:
    return 1.0


def test_plain_text_fills_each_line():
    assert break_lines("一二三四五六七八九十", 4, one) == ["一二三四", "五六七八", "九十"]


@pytest.mark.parametrize("mark", list("，。、；：？！）》”"))
def test_a_closing_mark_never_starts_a_line_it_hangs_at_the_end_of_the_one_before(mark):
    lines = break_lines(f"一二三四{mark}五六", 4, one)
    assert lines == [f"一二三四{mark}", "五六"]
    assert all(line[0] != mark for line in lines)


@pytest.mark.parametrize("mark", list("（《“"))
def test_an_opening_mark_never_ends_a_line_it_goes_down_with_what_it_opens(mark):
    assert break_lines(f"一二三{mark}四五", 4, one) == ["一二三", f"{mark}四五"]


def test_a_short_number_or_time_stays_whole():
    assert break_lines("会议于19:00开始", 5, one) == ["会议于", "19:00", "开始"]
    assert break_lines("编号#16类别", 4, one) == ["编号", "#16类", "别"]


def test_a_run_longer_than_a_word_such_as_an_address_breaks_where_it_must():
    url = "https://yishi.example.cn/board/1"
    lines = break_lines(url, 10, one)
    assert "".join(lines) == url and all(len(line) <= 10 for line in lines)


def test_newlines_end_lines_and_the_first_line_can_be_shorter_after_a_label():
    assert break_lines("一二\n三四五六七", 4, one, first_width=2) == ["一二", "三四五六", "七"]
    assert break_lines("一二三四五", 4, one, first_width=2) == ["一二", "三四五"]


def test_nothing_is_lost_or_added():
    text = "业委会提出夜间车位缺口约120个（含访客），物业说明：地面可新增划线车位30个。“错时停车”协议已签。" * 3
    for width in range(3, 40):
        lines = break_lines(text, width, one)
        assert "".join(lines) == text
        assert all(line[0] not in "，。、；：？！）》”" for line in lines if line)
