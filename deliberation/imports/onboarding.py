"""Reading and checking an onboarding workbook (区域, 小区, 协商席位, 成员, 账号) before anything
is written. Same file-safety guards as the 台账 import (register_file). Pure: no database.

Each row is checked on its own here (required cells, numbers, the schedule, phones, roles,
duplicates within the sheet); what needs the database (does the area exist, may this officer
touch it) is checked by services.onboarding, before its write too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..exports.onboarding_template import (
    ACCOUNTS, AREAS, COLUMNS, COMPOUNDS, LEVEL_NAMES, MEMBERS, REQUIRED, ROLE_NAMES, SEATS, SHEET_ORDER,
)
from ..model.errors import DomainError
from ..model.schedule import ORDINALS, WEEKDAYS, ScheduleRule
from .register_file import cell_text, open_checked_workbook, sheet_table

MAX_ROWS = 20000            # per sheet: a whole district's members fit
MAX_NAME = 60
MAX_TEXT = 200
MAX_HOUSEHOLDS = 100000
USERNAME = re.compile(r"^[A-Za-z0-9_.\-@]{2,64}$")
PHONE = re.compile(r"^[0-9+\- ]{5,20}$")        # as services.roster
SEAT_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
LEVEL_BY_DEPTH = ("district", "subdistrict", "community")
_LEVELS = {name: key for key, name in LEVEL_NAMES.items()} | {key: key for key in LEVEL_NAMES}
_ROLES = {name: key for key, name in ROLE_NAMES.items()} | {key: key for key in ROLE_NAMES} | {
    "书记": "secretary", "干部": "officer", "社区干部": "officer", "街道干部": "officer", "主体代表": "seat_rep"}
_SCHEDULE = re.compile(r"^每月(第一个|第二个|第三个|第四个|最后一个)(周[一二三四五六日])\s*(\d{1,2}[::]\d{2})$")
_NTH = {label: n for n, label in ORDINALS.items()}

Path = tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int          # as Excel shows it; 0: the workbook as a whole
    column: str       # the Chinese header
    message: str

    def __str__(self) -> str:
        if not self.row:
            return f"{self.sheet}:{self.message}" if self.sheet else self.message
        return f"{self.sheet} 第 {self.row} 行「{self.column}」:{self.message}"


@dataclass(frozen=True)
class CompoundRef:
    """A compound named in another sheet: its name, and its area path when the user wrote one."""
    name: str
    area: Path | None = None

    def __str__(self) -> str:
        return "/".join((*(self.area or ()), self.name))


@dataclass(frozen=True)
class AreaRow:
    row: int
    path: Path
    level: str


@dataclass(frozen=True)
class CompoundRow:
    row: int
    area: Path
    name: str
    address: str
    households: int | None
    branch: str
    schedule: str          # ScheduleRule.to_text(), e.g. "2:1:19:00"
    place: str


@dataclass(frozen=True)
class SeatRow:
    row: int
    compound: CompoundRef
    code: str | None
    name: str


@dataclass(frozen=True)
class MemberRow:
    row: int
    compound: CompoundRef
    seat: str              # a seat's name or code
    name: str
    title: str
    phone: str


@dataclass(frozen=True)
class AccountRow:
    row: int
    username: str
    display_name: str
    role: str
    compound: CompoundRef | None
    area: Path | None
    seat: str | None


@dataclass
class Workbook:
    areas: list[AreaRow] = field(default_factory=list)
    compounds: list[CompoundRow] = field(default_factory=list)
    seats: list[SeatRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)
    accounts: list[AccountRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected_compounds: set[str] = field(default_factory=set)   # names of 小区 rows with a problem

    @property
    def row_count(self) -> int:
        return len(self.areas) + len(self.compounds) + len(self.seats) + len(self.members) + len(self.accounts)


def split_path(text: str) -> Path:
    return tuple(part.strip() for part in re.split(r"[//]", text) if part.strip())


def parse_schedule(text: str) -> str:
    """"每月第二个周二 19:00" (or the stored "2:1:19:00") as stored; ValueError if neither."""
    found = _SCHEDULE.match(text.replace(" ", " ").strip())
    if found:
        hh, mm = re.split(r"[::]", found.group(3))
        text = f"{_NTH[found.group(1)]}:{WEEKDAYS.index(found.group(2))}:{int(hh):02d}:{mm}"
    try:
        return ScheduleRule.from_text(text).to_text()
    except (DomainError, ValueError) as exc:
        raise ValueError(text) from exc


def read_onboarding(data: bytes) -> Workbook:
    """Every row of every sheet checked; problems collected, not raised. A file that is not a
    readable, safe XLSX raises DomainError (as the 台账 import does)."""
    wb = open_checked_workbook(data)
    try:
        present = [title for title in SHEET_ORDER if title in wb.sheetnames]
        if not present:
            raise DomainError("这不是批量开通工作簿:找不到“区域”“小区”“协商席位”“成员”“账号”工作表,"
                              "请下载模板填写")
        tables = {title: sheet_table(wb[title], MAX_ROWS) for title in present}
    finally:
        wb.close()
    book = Workbook()
    for title in SHEET_ORDER:
        for n, values in _rows(book, title, tables.get(title, [])):
            _CHECKS[title](book, n, values, _Bad(book, title, n))
    _duplicates(book)
    if not book.row_count and not book.problems:
        book.problems.append(Problem("", 0, "", "工作簿中没有可开通的数据(各工作表表头下方没有数据行)"))
    return book


class _Bad:
    def __init__(self, book: Workbook, sheet: str, row: int):
        self.book, self.sheet, self.row, self.count = book, sheet, row, 0
        self.labels = dict(COLUMNS[sheet])

    def __call__(self, key: str, message: str) -> None:
        self.book.problems.append(Problem(self.sheet, self.row, self.labels[key], message))
        self.count += 1


def _rows(book: Workbook, title: str, table: list[list]):
    """(row number, {key: text}) of the non-blank data rows, after checking the header."""
    if not table:
        return
    labels = dict(COLUMNS[title])
    columns: dict[str, int] = {}
    by_header = {header: key for key, header in COLUMNS[title]}
    for index, cell in enumerate(table[0]):
        key = by_header.get(re.sub(r"\s+", "", cell_text(cell)))
        if key and key not in columns:
            columns[key] = index
    missing = [key for key in REQUIRED[title] if key not in columns]
    for key in missing:
        book.problems.append(Problem(title, 1, labels[key], "缺少这一列(第 1 行应为模板的表头)"))
    if missing:
        return
    if len(table) > MAX_ROWS + 1:
        book.problems.append(Problem(title, 0, "", f"行数过多(每个工作表上限 {MAX_ROWS} 行)"))
        return
    for n, row in enumerate(table[1:], start=2):
        values = {key: (cell_text(row[i]) if i < len(row) else "") for key, i in columns.items()}
        values = {key: values.get(key, "") for key, _ in COLUMNS[title]}
        if any(values.values()):
            yield n, values


def _required(values: dict, sheet: str, bad: _Bad) -> None:
    for key in REQUIRED[sheet]:
        if not values[key]:
            bad(key, "不能为空")


def _length(values: dict, bad: _Bad, keys, limit: int) -> None:
    for key in keys:
        if len(values[key]) > limit:
            bad(key, f"不能超过 {limit} 个字")


def _path(text: str, key: str, bad: _Bad) -> Path | None:
    path = split_path(text)
    if not path:
        return None
    if len(path) > 3:
        bad(key, "区域路径最多三级:区/街道/社区")
        return None
    if any(len(part) > MAX_NAME for part in path):
        bad(key, f"每级名称不能超过 {MAX_NAME} 个字")
        return None
    return path


def _compound_ref(text: str, key: str, bad: _Bad) -> CompoundRef | None:
    parts = split_path(text)
    if not parts:
        return None
    if len(parts) > 4 or any(len(part) > MAX_NAME for part in parts):
        bad(key, "应为小区名称,或“区域路径/小区名称”")
        return None
    return CompoundRef(parts[-1], parts[:-1] or None)


def _check_area(book: Workbook, n: int, v: dict, bad: _Bad) -> None:
    _required(v, AREAS, bad)
    path = _path(v["path"], "path", bad)
    level = _LEVELS.get(v["level"]) if v["level"] else None
    if v["level"] and level is None:
        bad("level", "层级只能是 区、街道、社区")
    if path and level and level != LEVEL_BY_DEPTH[len(path) - 1]:
        bad("level", f"路径有 {len(path)} 级,层级应为{LEVEL_NAMES[LEVEL_BY_DEPTH[len(path) - 1]]}")
    if not bad.count and path:
        book.areas.append(AreaRow(n, path, LEVEL_BY_DEPTH[len(path) - 1]))   # the level follows the depth


def _check_compound(book: Workbook, n: int, v: dict, bad: _Bad) -> None:
    _required(v, COMPOUNDS, bad)
    _length(v, bad, ("name", "branch"), MAX_NAME)
    _length(v, bad, ("address", "place"), MAX_TEXT)
    area = _path(v["area"], "area", bad)
    if area and len(area) < 2:
        bad("area", "小区应隶属于街道或社区(路径至少两级,如“龙岗区/南湾街道”)")
    households = None
    if v["households"]:
        text = v["households"].removesuffix("户").strip()
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_HOUSEHOLDS):
            bad("households", "应为正整数")
        else:
            households = int(text)
    schedule = "2:1:19:00"
    if v["schedule"]:
        try:
            schedule = parse_schedule(v["schedule"])
        except ValueError:
            bad("schedule", "应写成“每月第二个周二 19:00”这样的格式")
    if "/" in v["name"] or "/" in v["name"]:
        bad("name", "小区名称不能含“/”")
    if bad.count:
        book.rejected_compounds.add(v["name"])     # rows naming it elsewhere are not reported again
    else:
        book.compounds.append(CompoundRow(n, area, v["name"], v["address"], households, v["branch"], schedule,
                                          v["place"]))


def _check_seat(book: Workbook, n: int, v: dict, bad: _Bad) -> None:
    _required(v, SEATS, bad)
    _length(v, bad, ("name",), MAX_NAME)
    ref = _compound_ref(v["compound"], "compound", bad)
    if v["code"] and not SEAT_CODE.match(v["code"]):
        bad("code", "席位代码只能是小写字母、数字和下划线(新增席位请留空)")
    if not bad.count and ref:
        book.seats.append(SeatRow(n, ref, v["code"] or None, v["name"]))


def _check_member(book: Workbook, n: int, v: dict, bad: _Bad) -> None:
    _required(v, MEMBERS, bad)
    _length(v, bad, ("name", "seat", "title"), MAX_NAME)
    ref = _compound_ref(v["compound"], "compound", bad)
    if v["phone"] and not PHONE.match(v["phone"]):
        bad("phone", "电话号码格式不正确(只含数字、+、-、空格,5–20 位)")
    if not bad.count and ref:
        book.members.append(MemberRow(n, ref, v["seat"], v["name"], v["title"], v["phone"]))


def _check_account(book: Workbook, n: int, v: dict, bad: _Bad) -> None:
    _required(v, ACCOUNTS, bad)
    _length(v, bad, ("display_name", "seat"), MAX_NAME)
    if v["username"] and not USERNAME.match(v["username"]):
        bad("username", "用户名应为 2–64 位字母、数字或 _ . - @")
    role = _ROLES.get(v["role"].replace(" ", "")) if v["role"] else None
    if v["role"] and role is None:
        bad("role", "角色只能是 " + "、".join(ROLE_NAMES.values()))
    ref = _compound_ref(v["compound"], "compound", bad)
    area = _path(v["area"], "area", bad)
    if role in ("secretary", "recorder", "seat_rep") and not v["compound"]:
        bad("compound", f"{ROLE_NAMES[role]}需要填写小区")
    if role == "seat_rep" and not v["seat"]:
        bad("seat", "协商主体代表需要填写席位")
    if role == "officer" and not v["area"]:
        bad("area", "社区/街道干部需要填写所属区域")
    if not bad.count:
        book.accounts.append(AccountRow(n, v["username"], v["display_name"], role,
                                        ref if role != "officer" else None,
                                        area if role == "officer" else None,
                                        v["seat"] if role == "seat_rep" else None))


_CHECKS = {AREAS: _check_area, COMPOUNDS: _check_compound, SEATS: _check_seat, MEMBERS: _check_member,
           ACCOUNTS: _check_account}


def _duplicates(book: Workbook) -> None:
    """A natural key given twice in one sheet: the later row is the problem."""
    keyed = (
        (AREAS, "区域路径", book.areas, lambda r: r.path),
        (COMPOUNDS, "小区名称", book.compounds, lambda r: (r.area, r.name)),
        (SEATS, "席位名称", book.seats, lambda r: (r.compound, r.code or r.name)),
        (MEMBERS, "姓名", book.members, lambda r: (r.compound, r.seat, r.name)),
        (ACCOUNTS, "用户名", book.accounts, lambda r: r.username.lower()),
    )
    for sheet, column, found, key in keyed:
        first: dict = {}
        for row in found:
            earlier = first.setdefault(key(row), row.row)
            if earlier != row.row:
                book.problems.append(Problem(sheet, row.row, column, f"与第 {earlier} 行重复"))
