"""The red warning every document with a QR code prints while the deployment's public address is
unset or local (services/deployment.py PublicAddress.warning): the same words, the same red, in
PDF and DOCX, so a notice, a slip sheet and a poster say it the same way.

The text comes from the service; `None` (the address is fine) draws nothing."""
from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from fpdf.enums import WrapMode

RED = (192, 0, 0)
# On a cut-out slip or a small label there is room for a few words only.
SHORT = "公开地址未设置,手机扫码打不开"


def pdf_address_warning(pdf, text: str | None, *, width: float = 0, size: float = 10,
                        align: str = "C", line_height: float | None = None) -> None:
    """Draw `text` in red at the current position, wrapped to `width` mm (0: to the right
    margin), then restore black. Leaves the cursor under it, at the left margin."""
    if not text:
        return
    line_height = line_height or size * 0.5
    with pdf.local_context(text_color=RED):
        # Two sizes so the font is written to the page whatever fpdf2 believes is current: after a
        # line that began with a fallback glyph (the slips' ✂) it may think so wrongly, and then the
        # first words come out without a font (invisible).
        pdf.set_font_size(size + 1)
        pdf.set_font_size(size)
        pdf.multi_cell(width, line_height, text, align=align, new_x="LMARGIN", new_y="NEXT",
                       wrapmode=WrapMode.CHAR)
    pdf.ln(1)


def docx_address_warning(doc, text: str | None, *, size: float = 11) -> None:
    """Append `text` as a centred red, bold paragraph."""
    if not text:
        return
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(size)
    run.font.color.rgb = RGBColor(*RED)
