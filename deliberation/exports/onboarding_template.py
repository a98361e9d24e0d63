"""The onboarding workbook: areas, compounds, seats, roster members and accounts in one XLSX.

The column lists here are the contract the reader (imports/onboarding.py) checks against: the
header row is row 1, so a data row's number is what Excel shows. Pure: data in, bytes out.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from ..model.defaults import DEFAULT_SEATS
from .cells import safe_cell as _safe

AREAS, COMPOUNDS, SEATS, MEMBERS, ACCOUNTS, GUIDE = "区域", "小区", "协商席位", "成员", "账号", "说明"

# (key, Chinese header) per sheet, in column order; REQUIRED: the columns a row cannot leave empty.
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    AREAS: (("path", "区域路径"), ("level", "层级")),
    COMPOUNDS: (("area", "所属区域"), ("name", "小区名称"), ("address", "地址"), ("households", "户数"),
                ("branch", "党支部名称"), ("schedule", "例会时间"), ("place", "例会地点")),
    SEATS: (("compound", "小区"), ("code", "席位代码"), ("name", "席位名称")),
    MEMBERS: (("compound", "小区"), ("seat", "席位"), ("name", "姓名"), ("title", "职务"), ("phone", "电话")),
    ACCOUNTS: (("username", "用户名"), ("display_name", "姓名"), ("role", "角色"), ("compound", "小区"),
               ("area", "所属区域"), ("seat", "席位")),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    AREAS: ("path",), COMPOUNDS: ("area", "name"), SEATS: ("compound", "name"),
    MEMBERS: ("compound", "seat", "name"), ACCOUNTS: ("username", "display_name", "role"),
}
SHEET_ORDER = (AREAS, COMPOUNDS, SEATS, MEMBERS, ACCOUNTS)
LEVEL_NAMES = {"district": "区", "subdistrict": "街道", "community": "社区"}
ROLE_NAMES = {"secretary": "支部书记", "recorder": "记录员", "seat_rep": "协商主体代表", "officer": "社区/街道干部"}
DEFAULT_SCHEDULE = "每月第二个周二 19:00"

GUIDE_LINES = (
    "批量开通工作簿:一次填写区域、小区、协商席位、成员和账号,上传后先“检查”,无误再“开通”。",
    "第 1 行是表头,请勿修改;从第 2 行起每行一条。空行会被忽略。",
    "全部检查通过才会写入;任何一行有问题,都不写入任何数据,并逐行列出问题(工作表、行号、列)。",
    "同一工作簿可以重复上传:已有的行按名称匹配,内容相同则不改动,内容不同则更新。",
    "【区域】区域路径用“/”分隔,如“龙岗区/南湾街道/南岭村社区”;层级可不填(按路径深度:区/街道/社区)。",
    "【小区】所属区域写区域路径(街道或社区);户数为正整数;例会时间如“每月第二个周二 19:00”;"
    "党支部名称不填则为“小区名称+党支部”。",
    "【协商席位】每个新小区自动建立“1+8”九个默认席位,可在此改名(保留席位代码)或新增(席位代码留空)。",
    "【成员】席位填席位名称或代码;电话只含数字、+、-、空格。按 小区+席位+姓名 匹配。",
    "【账号】角色:支部书记、记录员、协商主体代表、社区/街道干部。支部书记、记录员、协商主体代表填小区;"
    "协商主体代表另填席位;干部填所属区域。新账号的一次性密码只显示一次,首次登录须修改。",
    "“小区”一列填小区名称;若不同区域有同名小区,请写成“区域路径/小区名称”。",
)


@dataclass(frozen=True)
class TemplateCompound:
    """A compound to pre-fill: its row in 小区 and its nine default seats in 协商席位."""
    area: str
    name: str


def onboarding_template(compounds: tuple[TemplateCompound, ...] = (), areas: tuple[str, ...] = ()) -> bytes:
    """The workbook with headers, the 说明 sheet, and the given areas and compounds pre-filled
    (each compound with the "1+8" default seats, renamable)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE
    guide.column_dimensions["A"].width = 120
    for line in GUIDE_LINES:
        guide.append([line])
    guide.append([])
    guide.append(["“1+8”默认席位(席位代码 → 名称):"])
    for code, name in DEFAULT_SEATS:
        guide.append([f"{code} → {name}"])
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    sheets = {}
    for title in SHEET_ORDER:
        ws = wb.create_sheet(title)
        ws.append([header for _, header in COLUMNS[title]])
        for cell in ws[1]:
            cell.font, cell.fill = head_font, head_fill
        for index, _ in enumerate(COLUMNS[title]):
            ws.column_dimensions[chr(ord("A") + index)].width = 22
        ws.freeze_panes = "A2"
        sheets[title] = ws
    for path in areas:
        sheets[AREAS].append([_safe(path), ""])
    for c in compounds:
        sheets[COMPOUNDS].append([_safe(c.area), _safe(c.name), "", "", "", DEFAULT_SCHEDULE, ""])
        for code, seat_name in DEFAULT_SEATS:
            sheets[SEATS].append([_safe(c.name), code, seat_name])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
