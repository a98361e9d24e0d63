"""The text of a generated document, for asserting on what a reader of it would see. Each takes
the file's bytes or its path."""
from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import docx
import openpyxl


def _bytes(source: bytes | str | Path) -> bytes:
    return source if isinstance(source, bytes) else Path(source).read_bytes()


def docx_text(source: bytes | str | Path) -> str:
    """Paragraphs, then every table cell."""
    document = docx.Document(io.BytesIO(_bytes(source)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _pdftotext(source: bytes | str | Path) -> list[str]:
    """Each page's text as poppler's pdftotext reads it (pypdf misreads the serif face's embedded
    CMap: it takes each two-byte code for two characters), in the order it was drawn (-raw), so a
    table cell of two lines or a page number stamped last is where the document put it."""
    done = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=_bytes(source), capture_output=True,
                          check=True, timeout=60)
    # poppler still extracts text it cannot show (drawn with no font: invisible on paper); say so.
    assert b"Syntax Error" not in done.stderr, done.stderr.decode("utf-8", "replace")[:500]
    out = done.stdout.decode("utf-8")
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def pdf_text(source: bytes | str | Path) -> str:
    """All pages, without white space: line breaks and the spaces a reader puts where the text
    switches fonts are not the document's, so comparisons are made without any."""
    return re.sub(r"\s+", "", "".join(_pdftotext(source)))


def xlsx_text(source: bytes | str | Path) -> str:
    """Every non-empty cell of every sheet, one per line."""
    book = openpyxl.load_workbook(io.BytesIO(_bytes(source)))
    return "\n".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
                     if c is not None)


def pdf_page_texts(source: bytes | str | Path) -> list[str]:
    """Each page's text, without white space (see pdf_text)."""
    return [re.sub(r"\s+", "", page) for page in _pdftotext(source)]
