"""safe_cell keeps spreadsheet programs from running user text as a formula."""

from datetime import date

import pytest

from deliberation.exports.cells import safe_cell


@pytest.mark.parametrize("text", ["=SUM(A1:A9)", "+86 138", "-请城管执法", "@清理消防通道",
                                  "\t=1+1", "\r=1+1"])
def test_text_a_spreadsheet_would_run_as_a_formula_gets_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["车位不足", "1+8", "a=b", "", "'已引用", 12, -3, 0.7, None,
                                   date(2025, 3, 11), True])
def test_ordinary_text_and_non_text_values_are_left_unchanged(value):
    assert safe_cell(value) == value
    assert type(safe_cell(value)) is type(value)
