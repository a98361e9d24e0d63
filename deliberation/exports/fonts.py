"""Fonts embedded in PDF exports.

Bundled in data/fonts, so a fresh machine needs no system fonts and every PDF reader shows the
Chinese (a PDF that only names a font shows empty boxes where it is missing).
DroidSansFallbackFull has the CJK glyphs but no ASCII at all, so DejaVu Sans is registered as its
fallback for digits, Latin letters and “” quotes.

The papers an office files (纪要, 公示, 议程, 签到表) are set in a serif (宋体-style) face: Noto Serif
CJK SC, regular and bold, from Debian's fonts-noto-cjk (a 26 MB collection per weight, too large
to bundle); it has Latin letters too, so DejaVu is then only the fallback for the odd symbol.
fpdf2 embeds only the glyphs used (a subset). Where that package is missing the papers fall back
to the bundled sans face, so they still print, and `serif_faces()` says so (a logged warning).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont, TTLibError
from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parents[2] / "data" / "fonts"
CJK_FAMILY = "cjk"
LATIN_FAMILY = "latin"
SERIF_FAMILY = "serif"
SERIF_NAME = "Noto Serif CJK SC"
# Where Debian's fonts-noto-cjk puts the collections; fc-match is asked first.
DEBIAN_SERIF = {"": Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
                "B": Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc")}
_LOG = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class Face:
    path: Path
    index: int            # the font's number inside a .ttc collection (0 for a single font)


def _index_of(path: Path, full_name: str) -> int | None:
    """The number of the font called `full_name` (name ID 4, e.g. "Noto Serif CJK SC Bold")
    inside `path`, which may be a collection or a single font."""
    try:
        fonts = TTCollection(str(path), lazy=True).fonts if path.suffix.lower() == ".ttc" \
            else [TTFont(str(path), lazy=True)]
    except (OSError, TTLibError, KeyError, AssertionError):     # an unreadable file is as good as none
        return None
    for number, font in enumerate(fonts):
        if font["name"].getDebugName(4) == full_name:
            return number
    return None


def _fc_match(style: str) -> Path | None:
    """The file fontconfig names for the serif face, if fontconfig is there."""
    if not shutil.which("fc-match"):
        return None
    pattern = f"{SERIF_NAME}:style={'Bold' if style == 'B' else 'Regular'}"
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True,
                               timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(found) if found else None


def _find_face(style: str) -> Face | None:
    full_name = SERIF_NAME + (" Bold" if style == "B" else "")
    for path in (_fc_match(style), DEBIAN_SERIF[style]):
        if path and path.is_file():
            index = _index_of(path, full_name)
            if index is not None:
                return Face(path, index)
    return None


@lru_cache(maxsize=1)
def serif_faces() -> dict[str, Face]:
    """{"": regular, "B": bold} of the serif face; empty when it is not installed (then the papers
    use the bundled sans face; a warning is logged once)."""
    faces = {style: face for style in ("", "B") if (face := _find_face(style))}
    if "" not in faces:
        _LOG.warning("未找到衬线中文字体 %s(Debian 软件包 fonts-noto-cjk):文书改用无衬线字体", SERIF_NAME)
        return {}
    return faces


def new_pdf(*, serif: bool = False, pdf_class: type[FPDF] = FPDF) -> FPDF:
    """An A4 portrait PDF with the fonts embedded. serif=True selects the serif face (regular and
    bold) where installed, with the bundled CJK and Latin fonts as fallbacks for the odd glyph it
    lacks; otherwise the bundled CJK font."""
    pdf = pdf_class(orientation="portrait", unit="mm", format="A4")
    pdf.alias_nb_pages(None)     # fpdf2 would otherwise print the page count where a user typed {nb}
    faces = serif_faces() if serif else {}
    for style, face in faces.items():
        pdf.add_font(SERIF_FAMILY, style=style, fname=str(face.path), collection_font_number=face.index)
        # Keep the face's own bounding boxes in the subset (a valid superset) instead of working
        # out each glyph's again: that alone took longer than the rest of a document.
        pdf.fonts[SERIF_FAMILY + style].ttfont.recalcBBoxes = False
    if not faces:            # the serif face has the CJK glyphs (and Latin) itself: one font less to load
        pdf.add_font(CJK_FAMILY, fname=str(cjk_font_path()))
    pdf.add_font(LATIN_FAMILY, fname=str(latin_font_path()))
    # exact_match=False: a bold serif character the face lacks still falls back (to a regular face).
    pdf.set_fallback_fonts([LATIN_FAMILY], exact_match=not faces)
    pdf.set_font(SERIF_FAMILY if faces else CJK_FAMILY, size=11)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 18, 20)
    return pdf
