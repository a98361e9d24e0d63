"""Fonts embedded in PDF exports, bundled in data/fonts.

Bundled so a fresh machine needs no system fonts and every PDF reader shows the
Chinese (a PDF that only names a font shows empty boxes where it is missing).
DroidSansFallbackFull has the CJK glyphs but no ASCII at all, so DejaVu Sans
is registered as its fallback for digits, Latin letters and “” quotes.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parents[2] / "data" / "fonts"
CJK_FAMILY = "cjk"
LATIN_FAMILY = "latin"


def _bundled(name: str) -> Path:
    path = FONT_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"缺少字体文件:{path}")
    return path


def cjk_font_path() -> Path:
    """The bundled CJK TrueType font (Apache-2.0)."""
    return _bundled("DroidSansFallbackFull.ttf")


def latin_font_path() -> Path:
    """The bundled Latin TrueType font used where the CJK font has no glyph."""
    return _bundled("DejaVuSans.ttf")


def new_pdf() -> FPDF:
    """An A4 portrait FPDF with both fonts embedded and the CJK font selected."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.add_font(CJK_FAMILY, fname=str(cjk_font_path()))
    pdf.add_font(LATIN_FAMILY, fname=str(latin_font_path()))
    pdf.set_fallback_fonts([LATIN_FAMILY])
    pdf.set_font(CJK_FAMILY, size=11)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 18, 20)
    return pdf
