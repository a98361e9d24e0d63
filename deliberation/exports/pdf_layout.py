"""Shared fpdf2 helpers: headings, wrapped Chinese paragraphs, tables, and the frame of a filed
paper (serif face, running title, page numbers, the signature and seal block kept with the text).

Chinese has no spaces between words, so text wraps per character (CHAR). Where a bold face is
registered (the serif papers) bold is real; the bundled sans font has none, so there bold is
"faux": the glyph outline stroked as well as filled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager

from fpdf import FPDF
from fpdf.enums import TextMode, WrapMode
from fpdf.fonts import FontFace

from .cjk_lines import break_lines
from .fonts import new_pdf

BODY_SIZE = 11
LINE_HEIGHT = 7
_HEADINGS = FontFace(emphasis="", fill_color=(235, 235, 235))
# A filed paper (纪要, 公示, 议程, 签到表): 公文-like margins, room for the running title and the
# page number outside the text block.
PAPER_MARGINS = {"left": 26, "top": 24, "right": 24}
PAPER_BOTTOM = 24
PAPER_BODY = 12
PAPER_LINE = 7.5


def has_bold(pdf: FPDF) -> bool:
    return f"{pdf.font_family}B" in pdf.fonts


@contextmanager
def bold(pdf: FPDF, size: float):
    """Bold at `size`: the bold face where one is registered, else the stroked outline.
    local_context wraps either in q/Q so nothing leaks into the following text."""
    if has_bold(pdf):
        with pdf.local_context(font_style="B", font_size_pt=size):
            yield
        return
    with pdf.local_context(font_size_pt=size, text_mode=TextMode.FILL_STROKE, line_width=size * 0.006):
        yield


class Paper(FPDF):
    """A paper with its short title at the top of every page after the first; `numbered` ones get
    page numbers (to_bytes)."""
    running_title = ""
    numbered = False

    def header(self) -> None:
        if self.page_no() == 1 or not self.running_title:
            return
        with self.local_context(font_size_pt=9, text_color=(90, 90, 90)):
            self.set_xy(self.l_margin, 12)
            self.cell(self.epw, 5, self.running_title, align="C")
        self.set_draw_color(150, 150, 150)
        self.line(self.l_margin, 18, self.w - self.r_margin, 18)
        self.set_draw_color(0, 0, 0)
        self.set_xy(self.l_margin, self.t_margin)


def start(title: str, *, paper: bool = False) -> FPDF:
    """New A4 document with its first page and the title centred on it. paper=True: a filed
    paper (serif face, 公文 margins, running title, page numbers stamped by `to_bytes`)."""
    pdf = new_pdf(serif=paper, pdf_class=Paper)
    pdf.set_title(title)
    pdf.set_creator("小区协商议事")
    if paper:
        pdf.running_title = " ".join(title.split())
        pdf.set_margins(**PAPER_MARGINS)
        pdf.set_auto_page_break(auto=True, margin=PAPER_BOTTOM)
        pdf.set_font_size(PAPER_BODY)
        pdf.numbered = True
    pdf.add_page()
    with bold(pdf, 20 if paper else 18):
        pdf.multi_cell(0, 11 if paper else 10, title, align="C", new_x="LMARGIN", new_y="NEXT",
                       wrapmode=WrapMode.CHAR)
    pdf.ln(4 if paper else 2)
    return pdf


def line_height(pdf: FPDF) -> float:
    return PAPER_LINE if pdf.numbered else LINE_HEIGHT


def note(pdf: FPDF, text: str) -> None:
    """A centred red line such as 示例数据 or 公开版 under the title."""
    pdf.set_text_color(192, 0, 0)
    paragraph(pdf, text, align="C")
    pdf.set_text_color(0, 0, 0)


def heading(pdf: FPDF, text: str, size: int = 13) -> None:
    if pdf.will_page_break(30):   # keep a heading with the text under it
        pdf.add_page()
    pdf.ln(3)
    with bold(pdf, size):
        pdf.multi_cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT",
                       wrapmode=WrapMode.CHAR)
    pdf.ln(1)


def _lines(pdf: FPDF, text: str, width: float, first_width: float | None = None) -> list[str]:
    """`text` broken as a typesetter would (cjk_lines), with this font's widths."""
    widths: dict[str, float] = {}

    def measure(ch: str) -> float:
        if ch not in widths:
            widths[ch] = pdf.get_string_width(ch)
        return widths[ch]
    return break_lines(text, width, measure, first_width)


def paragraph(pdf: FPDF, text: str, align: str = "L") -> None:
    """Wrapped text; on a paper no line starts with a closing mark (cjk_lines)."""
    if not pdf.numbered:
        pdf.multi_cell(0, line_height(pdf), text, align=align, new_x="LMARGIN", new_y="NEXT",
                       wrapmode=WrapMode.CHAR)
        return
    for line in _lines(pdf, text, pdf.epw):
        pdf.cell(0, PAPER_LINE, line, align=align, new_x="LMARGIN", new_y="NEXT")


def labelled(pdf: FPDF, label: str, text: str) -> None:
    """'label：text', the label bold where a bold face is registered, the text wrapping under it;
    empty text is —. (The sans face's stroked bold is left out here: its graphics state, mixed
    with the text after a line ending in a fallback glyph, left the next words without a font.)"""
    text = text or "—"
    if not (pdf.numbered and has_bold(pdf)):
        paragraph(pdf, f"{label}：{text}")
        return
    with bold(pdf, pdf.font_size_pt):
        label_width = pdf.get_string_width(f"{label}：")
    lines = _lines(pdf, text, pdf.epw, first_width=pdf.epw - label_width)
    with bold(pdf, pdf.font_size_pt):
        pdf.cell(label_width, PAPER_LINE, f"{label}：")
    pdf.cell(0, PAPER_LINE, lines[0], new_x="LMARGIN", new_y="NEXT")
    for line in lines[1:]:
        pdf.cell(0, PAPER_LINE, line, new_x="LMARGIN", new_y="NEXT")


def table(pdf: FPDF, headers: Sequence[str], rows: Iterable[Sequence[object]],
          col_widths: Sequence[float] | None = None, *, min_row_height: float = 0) -> None:
    """A grid whose heading row repeats on every page it runs onto."""
    size = pdf.font_size_pt
    pdf.set_font(size=size - 1)
    with pdf.table(col_widths=col_widths, text_align="LEFT", wrapmode=WrapMode.CHAR,
                   headings_style=_HEADINGS, line_height=line_height(pdf) - 1,
                   padding=1.2) as grid:
        grid.row([str(h) for h in headers])
        for row in rows:                     # a row to sign in needs room for a hand: min_row_height
            grid.row(["" if value is None else str(value) for value in row], min_height=min_row_height or None)
    pdf.set_font(size=size)
    pdf.ln(2)


# ------------------------------------------------------------------ keeping things together

def text_height(pdf: FPDF, text: str, width: float = 0) -> float:
    """The height `paragraph`/`labelled` gives `text` at the current font (nothing drawn)."""
    if pdf.numbered:
        return len(_lines(pdf, text, width or pdf.epw)) * PAPER_LINE
    lines = pdf.multi_cell(width, line_height(pdf), text, dry_run=True, output="LINES", wrapmode=WrapMode.CHAR)
    return len(lines) * line_height(pdf)


def room_left(pdf: FPDF) -> float:
    return pdf.page_break_trigger - pdf.y


def full_page(pdf: FPDF) -> float:
    return pdf.page_break_trigger - pdf.t_margin


def keep_with_end(pdf: FPDF, last: Callable[[FPDF], None], last_height: float,
                  tail: Callable[[FPDF], None], tail_height: float) -> None:
    """Draw `last` (the end of the text) and `tail` (the signature block) on one page, so the tail
    never stands alone: a fresh page first when they do not fit here but fit on a page. The heights
    are worked out by the caller (a dry run of the text, the block's fixed measures): fpdf2's own
    trial rendering copies every font's tables, which costs more than the whole document."""
    needed = last_height + tail_height
    if room_left(pdf) < needed <= full_page(pdf):
        pdf.add_page()
    last(pdf)
    tail(pdf)


# ------------------------------------------------------------------ the signature and the seal

SEAL_ROOM = 14          # mm above the issuer's name: the upper half of a 4 cm seal


def seal_block(pdf: FPDF, issuer: str, date_text: str, signatures: Sequence[str] = ()) -> None:
    """Signature lines, then the issuer's full name and the date at the right with room above
    them for the seal (a 4 cm stamp presses on the name and the date, as offices file papers)."""
    pdf.ln(6)
    if signatures:
        width = pdf.epw / len(signatures)
        for label in signatures:
            pdf.cell(width, PAPER_LINE, f"{label}：________________")
        pdf.ln(PAPER_LINE)
    pdf.ln(SEAL_ROOM)
    block = _seal_width(pdf, issuer, date_text)
    x = pdf.w - pdf.r_margin - block
    with pdf.local_context(text_color=(120, 120, 120), font_size_pt=9):
        pdf.set_x(x)
        pdf.cell(block, 5, "（盖章）", align="C", new_x="LMARGIN", new_y="NEXT")
    for text in (issuer, date_text):
        for line in _lines(pdf, text, block):
            pdf.set_x(x)
            pdf.cell(block, PAPER_LINE, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _seal_width(pdf: FPDF, issuer: str, date_text: str) -> float:
    widest = max(pdf.get_string_width(issuer), pdf.get_string_width(date_text)) + 8
    return min(widest, pdf.epw * 0.6)         # a long name wraps instead of running off the page


def seal_height(pdf: FPDF, issuer: str, date_text: str, signatures: Sequence[str] = ()) -> float:
    width = _seal_width(pdf, issuer, date_text)
    return (6 + (PAPER_LINE if signatures else 0) + SEAL_ROOM + 5 + text_height(pdf, issuer, width)
            + text_height(pdf, date_text, width) + 4)


def stamp_page_numbers(pdf: FPDF) -> None:
    """'第 n 页 共 N 页' under every page, written once the number of pages is known (an alias
    such as {nb} would also replace that text where a user typed it)."""
    total = pdf.pages_count
    keep_page = pdf.page
    pdf.set_auto_page_break(False)
    for number in range(1, total + 1):
        pdf.page = number
        # Regular, then the size twice: fpdf2 writes the font to a page it returns to only when it
        # sees a change, and otherwise keeps whatever face that page last used (a bold heading).
        pdf.set_font(style="", size=10)
        pdf.set_font_size(9)
        pdf.set_xy(pdf.l_margin, pdf.h - 15)
        pdf.cell(pdf.epw, 5, f"第 {number} 页  共 {total} 页", align="C")
    pdf.page = keep_page
    pdf.set_auto_page_break(True, margin=PAPER_BOTTOM)


def to_bytes(pdf: FPDF) -> bytes:
    if pdf.numbered:
        stamp_page_numbers(pdf)
    return bytes(pdf.output())
