"""Reading an uploaded 台账 (XLSX/CSV) safely; row checks live in register_rows and are re-exported.

Uploads are untrusted: size, zip bombs and XML entity tricks are refused before openpyxl
parses anything. Pure functions: no database, no streamlit.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime, time

from ..exports.register import REGISTER_COLUMNS, REQUIRED_COLUMNS
from ..model.errors import DomainError
from .register_rows import ImportRow, RegisterCheck, RowProblem, report_text, validate_register_rows

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A compound's register: years of issues fit. With MAX_IMPORT_HOUSEHOLDS (services.register_import)
# it bounds the import's one write transaction (benchmarks/bench_import_lock.py).
MAX_ROWS = 5000
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100            # real xlsx XML compresses ~10x; bombs ~1000x
_RATIO_FLOOR = 1024 * 1024  # members smaller than this can't hurt, whatever their ratio
MAX_MEMBERS = 1000
MAX_COLUMNS = 200

NOT_XLSX = "文件不是有效的 Excel(.xlsx)文件"
TOO_LARGE = "文件过大(上限 5 MB)"
ZIP_BOMB = "文件解压后过大,疑似压缩炸弹,已拒绝"
XML_ENTITY = "文件含有不安全的 XML 实体定义,已拒绝"

_HEADERS = {header: key for key, header in REGISTER_COLUMNS}
_LABELS = dict(REGISTER_COLUMNS)
_KEYS = [key for key, _ in REGISTER_COLUMNS]
# Checked in UTF-8 and UTF-16, since an XML part may declare either encoding.
_XML_DANGER = tuple(marker.encode(enc) for marker in ("<!DOCTYPE", "<!ENTITY")
                    for enc in ("utf-8", "utf-16-le", "utf-16-be"))

__all__ = ["MAX_UPLOAD_BYTES", "MAX_ROWS", "read_register_file", "validate_register_rows",
           "report_text", "RegisterCheck", "ImportRow", "RowProblem"]


# ---------------------------------------------------------------- reading

def read_register_file(filename: str, data: bytes) -> list[dict]:
    """Rows of an uploaded register, keyed by column key, values as stripped strings.

    The header must be row 1, so list index + 2 is the row number the user sees in Excel.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(TOO_LARGE)
    if not data.strip():
        raise DomainError("文件是空的")
    name = (filename or "").lower()
    if zipfile.is_zipfile(io.BytesIO(data)):       # by content: an .xlsx is a zip
        table = _xlsx_rows(data)
    elif name.endswith((".xlsx", ".xlsm")):
        raise DomainError(NOT_XLSX)
    elif name.endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DomainError("不支持旧版 Excel(.xls)文件,请另存为 .xlsx 或 CSV 后再导入")
    else:
        table = _csv_rows(data)
    return _keyed(table)


def _check_zip(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise DomainError(ZIP_BOMB)
    # zipfile stops at each member's declared size, so checking declared sizes is enough.
    if sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
        raise DomainError(ZIP_BOMB)
    for m in members:
        if m.file_size > _RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise DomainError(ZIP_BOMB)
    for m in members:
        if m.filename.lower().endswith((".xml", ".rels", ".vml")) and _has_doctype(archive, m):
            raise DomainError(XML_ENTITY)


def _has_doctype(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(64 * 1024):
            window = (tail + chunk).upper()
            if any(marker in window for marker in _XML_DANGER):
                return True
            tail = chunk[-32:]   # a marker may straddle two chunks
    return False


def open_checked_workbook(data: bytes):
    """An openpyxl workbook (read-only: close it) of an uploaded .xlsx, after the size, zip-bomb
    and XML-entity checks. Shared by every XLSX import (the 台账, the onboarding workbook)."""
    import openpyxl   # lazy: only uploads that are xlsx pay for it

    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(TOO_LARGE)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_zip(archive)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
        raise DomainError(NOT_XLSX) from exc   # encrypted, corrupt or unsupported compression
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:   # openpyxl raises many kinds for a malformed package
        raise DomainError(NOT_XLSX) from exc


def sheet_table(ws, max_rows: int = MAX_ROWS) -> list[list]:
    """A sheet's rows as lists of cell values, stopping one past `max_rows` data rows."""
    table = []
    try:
        # max_col bounds the work when a sheet's declared dimension is absurd (A1:XFD1048576).
        for row in ws.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            table.append(list(row))
            if len(table) > max_rows + 1:
                break
    except Exception as exc:
        raise DomainError(NOT_XLSX) from exc
    return table


def _xlsx_rows(data: bytes) -> list[list]:
    wb = open_checked_workbook(data)
    try:
        return sheet_table(wb["议题台账"] if "议题台账" in wb.sheetnames else wb.worksheets[0])
    except (KeyError, IndexError) as exc:
        raise DomainError(NOT_XLSX) from exc
    finally:
        wb.close()


def _csv_rows(data: bytes) -> list[list]:
    if b"\x00" in data:
        raise DomainError("文件不是有效的 CSV 文本文件")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:   # Excel on Chinese Windows saves "CSV" in GBK; gb18030 is its superset
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise DomainError("无法识别文件编码,请另存为“CSV UTF-8”后再导入") from exc
    table = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            table.append(row[:MAX_COLUMNS])
            if len(table) > MAX_ROWS + 1:
                break
    except csv.Error as exc:
        raise DomainError(f"CSV 格式错误(第 {len(table) + 1} 行附近)") from exc
    return table


def cell_text(value) -> str:
    """A cell as the stripped text the user sees (dates ISO, 3.0 as 3)."""
    return _text(value)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))   # Excel stores 3 as 3.0
    text = str(value).strip()
    # Undo the quote our own export adds against formula injection, so a round trip is exact.
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def _keyed(table: list[list]) -> list[dict]:
    if not table:
        raise DomainError("文件是空的")
    columns: dict[str, int] = {}
    for index, cell in enumerate(table[0]):
        head = re.sub(r"\s+", "", _text(cell))
        key = _HEADERS.get(head) or (head.lower() if head.lower() in _LABELS else None)
        if key is None:
            continue   # extra columns are ignored
        if key in columns:
            raise DomainError(f"表头中「{_LABELS[key]}」列出现了两次")
        columns[key] = index
    missing = [_LABELS[key] for key in REQUIRED_COLUMNS if key not in columns]
    if missing:
        raise DomainError("缺少必需的列:" + "、".join(missing) + "(第 1 行应为表头)")
    body = table[1:]
    while body and not any(_text(cell) for cell in body[-1]):
        body.pop()   # trailing blank rows are formatting, not data
    if len(body) > MAX_ROWS:
        raise DomainError(f"行数过多(上限 {MAX_ROWS} 行),请分批导入")
    return [{key: (_text(row[columns[key]]) if key in columns and columns[key] < len(row) else "")
             for key in _KEYS} for row in body]
