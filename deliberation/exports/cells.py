"""Spreadsheet cell hygiene shared by every xlsx/csv export."""

from __future__ import annotations

# A cell starting with one of these is run as a formula by Excel/LibreOffice
# (CSV/formula injection); tab and CR are included because some spreadsheet
# programs strip them before deciding.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Return value unchanged, except strings that a spreadsheet would run as a
    formula, which get a leading single quote so they show as text."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
