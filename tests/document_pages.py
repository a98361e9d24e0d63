"""What a printed PDF looks like to poppler (Debian's poppler-utils, as a reader's viewer would
see it): the fonts it embeds, and each page as a PNG kept in test-artifacts/documents/ for a
person to look at."""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "documents"


def pdf_fonts(data: bytes) -> list[dict[str, str]]:
    """pdffonts' table: one {name, type, emb, sub} per font the PDF uses."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        listing = subprocess.run(["pdffonts", handle.name], capture_output=True, text=True, check=True,
                                 timeout=60).stdout.splitlines()
    fonts = []
    for line in listing[2:]:                          # a header line and a rule first
        parts = line.split()
        # name, type (one or more words), encoding, emb, sub, uni, object, generation
        fonts.append({"name": parts[0], "type": " ".join(parts[1:-6]), "emb": parts[-5], "sub": parts[-4]})
    return fonts


def save_pages(data: bytes, name: str, dpi: int = 80) -> list[Path]:
    """Render every page to test-artifacts/documents/<name>-<n>.png; the paths, in page order."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", handle.name, str(ARTIFACTS / name)], check=True,
                       timeout=120)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
