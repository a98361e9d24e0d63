"""The notice-board poster: one A4 page per compound, "扫码查看本小区公示栏 · 反映问题", with a large
QR code of the compound's residents' board, its name and party branch, and the address in text.

The QR code is drawn as filled vector rectangles, not as a picture: it stays sharp at any print
size and on any printer, and its quiet zone (4 modules, as the QR standard asks) is kept white. When the public address is not usable (unset, localhost) the page says so in red: a poster
that sends phones nowhere must not be posted unnoticed.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import segno
from fpdf import FPDF
from fpdf.enums import WrapMode

from .address_warning import RED, pdf_address_warning
from .fonts import new_pdf
from .pdf_layout import bold
from .views import _Cleaned

TITLE = "扫码查看本小区公示栏 · 反映问题"
OFFERS = (
    ("查看公示", "议事结果、公示期和办理经过"),
    ("反映问题", "小区里遇到的问题，可附照片，得到回执编号"),
    ("查询进度", "凭编号查看受理和办理情况"),
)
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 18.0
QR_MM = 100.0             # the code itself (dark modules' square), the quiet zone comes on top
QUIET_MODULES = 4
SEAM = 0.05              # mm of overlap between rows of modules
DO_NOT_POST = "（此网址在居民手机上打不开，请设置公开访问地址后重新打印，勿张贴本页）"
GREY = (90, 90, 90)


@dataclass(frozen=True)
class PosterView(_Cleaned):
    compound: str
    branch: str               # the party branch, e.g. 鸿翔花园联合党支部
    area_path: str            # 区/街道/社区
    board_url: str            # encoded in the QR code and printed under it
    demo: bool = False
    address_problem: str | None = None   # the red warning (PublicAddress.warning); None when phones can open it


def compound_poster_pdf(posters: Sequence[PosterView]) -> bytes:
    """One A4 page per poster, in the given order."""
    pdf = new_pdf()
    pdf.set_title(posters[0].compound + " 公示栏海报" if len(posters) == 1 else "小区公示栏海报")
    pdf.set_creator("小区协商议事")
    pdf.set_auto_page_break(auto=False)     # every part has its place: one page per compound, always
    for poster in posters:
        _page(pdf, poster)
    return bytes(pdf.output())


def _page(pdf: FPDF, view: PosterView) -> None:
    pdf.add_page()
    width = PAGE_W - 2 * MARGIN
    y = MARGIN
    if view.address_problem:
        y = _warning(pdf, view.address_problem, y) + 4
    y = _fitted(pdf, TITLE, y, width, sizes=(28, 24, 20), max_lines=2, faux_bold=True) + 4
    name = view.compound + ("〔示例〕" if view.demo else "")
    y = _fitted(pdf, name, y, width, sizes=(24, 20, 16, 13), max_lines=2, faux_bold=True)
    y = _fitted(pdf, view.branch, y + 1, width, sizes=(15, 13, 11), max_lines=2)
    pdf.set_text_color(*GREY)
    y = _fitted(pdf, view.area_path, y, width, sizes=(10, 8), max_lines=1)
    pdf.set_text_color(0, 0, 0)
    y = _qr(pdf, view.board_url, y + 4)
    y = _fitted(pdf, view.board_url, y + 1, width, sizes=(13, 11, 9, 7), max_lines=3, one_line_first=True)
    if view.address_problem:
        pdf.set_xy(MARGIN, y)
        pdf_address_warning(pdf, DO_NOT_POST, width=width, size=11)
        y = pdf.get_y()
    _offers(pdf, y + 5)
    _footer(pdf)


def _fitted(pdf: FPDF, text: str, y: float, width: float, *, sizes: Sequence[float], max_lines: int,
            faux_bold: bool = False, one_line_first: bool = False) -> float:
    """`text` centred at `y` in the largest of `sizes` that keeps it within `max_lines` lines (the
    smallest size otherwise, cut to those lines); the y under it. A long name shrinks instead of
    pushing the QR code off the page. `one_line_first`: a smaller size on one line beats a larger
    one on two (an address is read as one piece)."""
    tries = [(size, 1) for size in sizes] if one_line_first else []
    tries += [(size, max_lines) for size in sizes]
    for size, allowed in tries:
        pdf.set_font(size=size)
        lines = pdf.multi_cell(width, size * 0.5, text, dry_run=True, output="LINES",
                               wrapmode=WrapMode.CHAR)
        if len(lines) <= allowed:
            break
    else:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    height = size * 0.5
    for line in lines:
        pdf.set_xy(MARGIN, y)
        if faux_bold:
            with bold(pdf, size):
                pdf.cell(width, height, line, align="C")
        else:
            pdf.cell(width, height, line, align="C")
        y += height
    pdf.set_font(size=11)
    return y


def _warning(pdf: FPDF, text: str, y: float) -> float:
    """The address warning (exports/address_warning.py: the same words and red as on the notice) in
    a red frame across the page's top; the y under it."""
    width = PAGE_W - 2 * MARGIN
    pdf.set_xy(MARGIN + 4, y + 3)
    with pdf.local_context(draw_color=RED), bold(pdf, 12):     # faux bold strokes in the draw colour
        pdf_address_warning(pdf, text, width=width - 8, size=12, line_height=6.5)
    bottom = pdf.get_y() + 3
    with pdf.local_context(draw_color=RED, line_width=0.8):
        pdf.rect(MARGIN, y, width, bottom - y)
    return bottom


def _qr(pdf: FPDF, url: str, top: float) -> float:
    """The QR code of `url`, centred, its quiet zone starting at `top`; the y under the quiet zone.
    Error level M survives some wear on a notice board. Each dark run of a row is one filled
    rectangle, drawn a hair taller than a module so no seam shows between rows."""
    matrix = segno.make(url, error="m", micro=False).matrix
    module = QR_MM / len(matrix)
    x0 = (PAGE_W - QR_MM) / 2
    y0 = top + QUIET_MODULES * module
    with pdf.local_context(fill_color=(0, 0, 0)):
        for r, row in enumerate(matrix):
            for start, length in _dark_runs(row):
                pdf.rect(x0 + start * module, y0 + r * module, length * module,
                         module + (SEAM if r + 1 < len(matrix) else 0), style="F")
    return y0 + QR_MM + QUIET_MODULES * module


def _dark_runs(row) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules in a row."""
    runs, start = [], None
    for c, dark in enumerate([*row, 0]):
        if dark and start is None:
            start = c
        elif not dark and start is not None:
            runs.append((start, c - start))
            start = None
    return runs


def _offers(pdf: FPDF, y: float) -> None:
    """What the board offers: three short lines, label in bold."""
    label_w = 30.0
    pdf.set_font(size=12)
    text_w = max(pdf.get_string_width(text) for _, text in OFFERS) + 2
    left = (PAGE_W - label_w - text_w) / 2          # the block centred under the QR code
    for label, text in OFFERS:
        pdf.set_xy(left, y)
        with bold(pdf, 13):
            pdf.cell(label_w, 8, f"■ {label}")
        pdf.set_font(size=12)
        pdf.cell(text_w, 8, text)
        y += 8.5
    pdf.set_font(size=11)


def _footer(pdf: FPDF) -> None:
    pdf.set_text_color(*GREY)
    pdf.set_font(size=10)
    pdf.set_xy(MARGIN, PAGE_H - MARGIN - 6)
    pdf.cell(PAGE_W - 2 * MARGIN, 6, "居民扫码即可使用，无需注册账号 · 小区“1+8”协商议事", align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(size=11)
