"""账号通知单: the printable sheet an officer hands each new account holder, two to an A4 page with
a dashed cut line between them.

Each card carries who the account is for, the username, role and scope, the one-time password in
large unambiguous type, the rule that the first sign-in must set a new password, and the sign-in
address (with its QR code) when the deployment's public address is known. The one-time password
exists only here and on the screen that made it: the database keeps its hash.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fpdf.enums import WrapMode

from .fonts import new_pdf
from .notice import qr_png
from .pdf_layout import bold

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_X, MARGIN_Y = 15.0, 12.0
CARDS_PER_PAGE = 2
CARD_H = (PAGE_H - 2 * MARGIN_Y) / CARDS_PER_PAGE       # 136.5 mm
CARD_W = PAGE_W - 2 * MARGIN_X
PAD = 8.0
QR_MM = 34.0
SCOPE_MAX = 90          # characters of scope printed; a long list of compounds ends with "等"
TITLE = "小区协商议事 · 账号通知单"
MUST_CHANGE = "首次登录须修改密码"
RULES = ("此一次性密码只能用于首次登录。登录后系统会要求您设置新密码(至少 8 位,同时包含字母和数字),"
         "设置后此密码即作废。")
KEEP = "请妥善保管本通知单,不要转交他人。忘记密码请联系管理员重置。"
NO_ADDRESS = "登录网址:请向管理员询问"


@dataclass(frozen=True)
class AccountSheetRow:
    display_name: str
    username: str
    role_label: str               # 支部书记, 记录员, …
    scope: str                    # the compounds or the area the account covers
    one_time_password: str
    sign_in_url: str | None = None    # None while the deployment's public address is unknown


def account_sheet_pdf(rows: Sequence[AccountSheetRow], *, address_warning: str | None = None) -> bytes:
    """One card per account, in the order given. `address_warning`: a red line for every card
    (services/deployment PublicAddress.warning) when the printed address would not work."""
    pdf = new_pdf()
    pdf.set_title("账号通知单")
    pdf.set_creator("小区协商议事")
    pdf.set_auto_page_break(auto=False)
    qr_cache: dict[str, bytes] = {}
    for n, row in enumerate(rows or [None]):
        if n % CARDS_PER_PAGE == 0:
            pdf.add_page()
            _cut_lines(pdf)
        if row is not None:
            y = MARGIN_Y + (n % CARDS_PER_PAGE) * CARD_H
            _card(pdf, MARGIN_X, y, row, qr_cache, address_warning)
    return bytes(pdf.output())


def _cut_lines(pdf) -> None:
    pdf.set_draw_color(150, 150, 150)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=2, gap=1.5)
    for k in range(1, CARDS_PER_PAGE):
        y = MARGIN_Y + k * CARD_H
        pdf.line(MARGIN_X - 6, y, PAGE_W - MARGIN_X + 6, y)
    pdf.set_dash_pattern()
    pdf.set_font_size(7)
    pdf.set_text_color(150, 150, 150)
    pdf.set_xy(MARGIN_X, 4)
    pdf.cell(0, 5, "✂ 沿虚线剪开,每人一张", align="L")
    pdf.set_text_color(0, 0, 0)


def _card(pdf, x: float, y: float, row: AccountSheetRow, qr_cache: dict, warning: str | None) -> None:
    left = x + PAD
    text_w = CARD_W - 2 * PAD - QR_MM - 6
    pdf.set_xy(left, y + PAD)
    with bold(pdf, 15):
        pdf.cell(text_w, 9, TITLE, new_x="LEFT", new_y="NEXT")
    pdf.ln(2)
    for label, value in (("姓  名", row.display_name), ("用户名", row.username), ("角  色", row.role_label),
                         ("负责范围", _short(row.scope))):
        _line(pdf, left, text_w, label, value)
    pdf.ln(2)
    pdf.set_x(left)
    pdf.set_font(size=11)
    pdf.cell(text_w, 6, "一次性密码:", new_x="LEFT", new_y="NEXT")
    pdf.set_x(left)
    # Courier: every character the same width, so the twelve are easy to count and copy.
    pdf.set_font("Courier", "B", 24)
    pdf.cell(text_w, 12, row.one_time_password, border=1, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.ln(3)
    pdf.set_x(left)
    pdf.set_text_color(192, 0, 0)
    with bold(pdf, 14):
        pdf.cell(text_w, 8, MUST_CHANGE, new_x="LEFT", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(size=9.5)
    pdf.set_x(left)
    pdf.multi_cell(text_w, 5, RULES, new_x="LEFT", new_y="NEXT", wrapmode=WrapMode.CHAR)
    pdf.ln(1)
    pdf.set_x(left)
    pdf.multi_cell(text_w, 5, f"登录网址:{row.sign_in_url}" if row.sign_in_url else NO_ADDRESS,
                   new_x="LEFT", new_y="NEXT", wrapmode=WrapMode.CHAR)
    if warning:
        pdf.set_x(left)
        with pdf.local_context(text_color=(192, 0, 0)):
            pdf.multi_cell(text_w, 5, warning, new_x="LEFT", new_y="NEXT", wrapmode=WrapMode.CHAR)
    pdf.set_font(size=8.5)
    pdf.set_text_color(110, 110, 110)
    pdf.set_xy(left, y + CARD_H - PAD - 5)
    pdf.cell(CARD_W - 2 * PAD, 5, KEEP)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(size=11)
    if row.sign_in_url:
        qr = qr_cache.get(row.sign_in_url) or qr_png(row.sign_in_url).getvalue()
        qr_cache[row.sign_in_url] = qr
        qr_x = x + CARD_W - PAD - QR_MM
        pdf.image(qr, x=qr_x, y=y + PAD + 12, w=QR_MM, h=QR_MM)
        pdf.set_font(size=8)
        pdf.set_xy(qr_x - 3, y + PAD + 13 + QR_MM)
        pdf.multi_cell(QR_MM + 6, 4, "扫码打开登录页", align="C")
        pdf.set_font(size=11)


def _line(pdf, left: float, width: float, label: str, value: str) -> None:
    pdf.set_x(left)
    pdf.set_font(size=12)
    pdf.multi_cell(width, 7, f"{label}:{value or '—'}", new_x="LEFT", new_y="NEXT",
                   wrapmode=WrapMode.CHAR, max_line_height=7)


def _short(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SCOPE_MAX else text[:SCOPE_MAX - 1] + "…等"
