"""The text of a generated document, for asserting on what a reader of it would see. Each takes
the file's bytes or its path."""
from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import openpyxl
from pypdf import PdfReader


def _bytes(source: bytes | str | Path) -> bytes:
    return source if isinstance(source, bytes) else Path(source).read_bytes()


def docx_text(source: bytes | str | Path) -> str:
    """Paragraphs, then every table cell."""
    document = docx.Document(io.BytesIO(_bytes(source)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pdf_text(source: bytes | str | Path) -> str:
    """All pages, without white space: pypdf puts spaces where the text switches between the CJK
    and Latin fonts, so comparisons are made without any."""
    pages = PdfReader(io.BytesIO(_bytes(source))).pages
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in pages))


def xlsx_text(source: bytes | str | Path) -> str:
    """Every non-empty cell of every sheet, one per line."""
    book = openpyxl.load_workbook(io.BytesIO(_bytes(source)))
    return "\n".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
                     if c is not None)
