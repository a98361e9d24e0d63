"""议事码 slips: one A4 PDF, ten slips a page (2 × 5) with dashed cut lines, for the branch to cut
and hand to each household.

A slip carries the compound's name, the code, short instructions and the board's address (with
its QR code, which holds the address only — never the code). No name. The unit is printed small
in a corner: the branch needs it to hand the right slip to the right door, and the household
already knows its own unit; nothing else about the household is on it.
"""
from __future__ import annotations

from collections.abc import Sequence

from fpdf.enums import WrapMode

from .address_warning import SHORT, pdf_address_warning
from .fonts import new_pdf
from .notice import qr_png
from .pdf_layout import bold

COLUMNS, ROWS = 2, 5
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_X, MARGIN_Y = 10.0, 11.0
SLIP_W = (PAGE_W - 2 * MARGIN_X) / COLUMNS           # 95 mm
SLIP_H = (PAGE_H - 2 * MARGIN_Y) / ROWS              # 55 mm
PAD = 5.0
QR_MM = 22.0
INSTRUCTIONS = ("用手机打开本小区居民公示栏(扫右侧二维码),在“我要反映”或“公示与评价”中输入议事码一次即可。"
                "凭议事码,“我也遇到”、满意度评价和异议每户各计一次,评价可以修改。"
                "请妥善保管,不要转给他人;搬家或遗失请找支部重新发放。")


def household_slips_pdf(compound: str, board_url: str, slips: Sequence[tuple[str, str]], *,
                        demo: bool = False, address_warning: str | None = None) -> bytes:
    """`slips`: (unit, code) pairs, in print order. `address_warning` (the public address is
    unset or local): printed in red at the top of every page, and in short on every slip, since
    slips are cut apart."""
    pdf = new_pdf()
    pdf.set_title(f"{compound} 议事码")
    pdf.set_creator("小区协商议事")
    pdf.set_auto_page_break(auto=False)
    qr = qr_png(board_url).getvalue()
    per_page = COLUMNS * ROWS
    for start in range(0, max(len(slips), 1), per_page):
        pdf.add_page()
        _cut_lines(pdf, address_warning)
        for n, (unit, code) in enumerate(slips[start:start + per_page]):
            x = MARGIN_X + (n % COLUMNS) * SLIP_W
            y = MARGIN_Y + (n // COLUMNS) * SLIP_H
            _slip(pdf, x, y, compound, board_url, unit, code, qr, demo, bool(address_warning))
    return bytes(pdf.output())


def _cut_lines(pdf, address_warning: str | None) -> None:
    pdf.set_draw_color(150, 150, 150)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=2, gap=1.5)
    for col in range(COLUMNS + 1):
        x = MARGIN_X + col * SLIP_W
        pdf.line(x, MARGIN_Y - 4, x, PAGE_H - MARGIN_Y + 4)
    for row in range(ROWS + 1):
        y = MARGIN_Y + row * SLIP_H
        pdf.line(MARGIN_X - 4, y, PAGE_W - MARGIN_X + 4, y)
    pdf.set_dash_pattern()
    pdf.set_font_size(7)
    pdf.set_text_color(150, 150, 150)
    pdf.set_xy(MARGIN_X, 3)
    pdf.cell(0, 5, "✂ 沿虚线剪开,每户一张", align="L")
    pdf.set_text_color(0, 0, 0)
    if address_warning:                               # in the top margin, right of the scissors line
        pdf.set_xy(MARGIN_X + 38, 1.5)
        pdf_address_warning(pdf, address_warning, width=PAGE_W - 2 * MARGIN_X - 38, size=7, align="L",
                            line_height=3.2)


def _slip(pdf, x: float, y: float, compound: str, board_url: str, unit: str, code: str, qr: bytes,
          demo: bool, address_unusable: bool) -> None:
    inner = SLIP_W - 2 * PAD
    text_w = inner - QR_MM - 3
    pdf.set_xy(x + PAD, y + PAD)
    with bold(pdf, 12):
        pdf.multi_cell(text_w, 6, f"{compound} 议事码" + (" 〔示例〕" if demo else ""), new_x="LEFT", new_y="NEXT",
                       wrapmode=WrapMode.CHAR, max_line_height=6)
    pdf.set_x(x + PAD)
    pdf.set_font(size=20)
    pdf.cell(text_w, 11, code, new_x="LEFT", new_y="NEXT")
    pdf.set_font(size=7.5)
    pdf.set_x(x + PAD)
    pdf.multi_cell(text_w, 3.6, INSTRUCTIONS, new_x="LEFT", new_y="NEXT", wrapmode=WrapMode.CHAR)
    pdf.image(qr, x=x + SLIP_W - PAD - QR_MM, y=y + PAD, w=QR_MM, h=QR_MM)
    pdf.set_font(size=6.5)
    pdf.set_xy(x + SLIP_W - PAD - QR_MM - 2, y + PAD + QR_MM + 1)
    pdf.multi_cell(QR_MM + 4, 3, board_url, align="C", wrapmode=WrapMode.CHAR)
    if address_unusable:
        pdf.set_x(x + SLIP_W - PAD - QR_MM - 2)
        pdf_address_warning(pdf, SHORT, width=QR_MM + 4, size=6.5, line_height=3)
    # Bottom corner: the unit, small, for whoever hands the slips out.
    pdf.set_font(size=7)
    pdf.set_text_color(110, 110, 110)
    pdf.set_xy(x + SLIP_W - PAD - 40, y + SLIP_H - PAD - 3)
    pdf.cell(40, 3, f"发放:{unit}", align="R")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(size=11)
