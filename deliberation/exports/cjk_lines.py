"""Line breaking for Chinese text on the filed papers, as typesetters do it (避头尾): no closing
punctuation at the start of a line, no opening one at its end, and a short run of Latin letters
or digits (2026, #16, 19:00) kept whole. A closing mark that would start a line hangs at the end
of the line before instead (标点悬挂), so no line is stretched or left short for it.

Pure: the caller passes the width of a piece of text (the PDF's font metrics)."""
from __future__ import annotations

from collections.abc import Callable

NO_START = set("，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}")
NO_END = set("（《「『【〔〈“‘([{")
WORD_MAX = 16               # a longer run of letters and digits (a URL) may break anywhere


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "#_-/@.:+")


def _break_at(line: list[str]) -> int:
    """Where to end a full line so the rest starts well: an index into `line` (0 = nowhere)."""
    cut = len(line)
    # Keep a short Latin word or number whole: end the line before it.
    start = cut
    while start > 0 and _is_word_char(line[start - 1]):
        start -= 1
    if 0 < start < cut and cut - start < WORD_MAX:
        cut = start
    # An opening mark does not end a line: take it down with what it opens.
    while cut > 0 and line[cut - 1] in NO_END:
        cut -= 1
    return cut


def break_lines(text: str, width: float, measure: Callable[[str], float], first_width: float | None = None
                ) -> list[str]:
    """`text` as lines no wider than `width` (the first `first_width`, after a label), each
    newline ending a line. A closing mark may hang past the width by its own width."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0.0
        limit = first_width if first_width is not None and not lines else width
        for ch in paragraph:
            w = measure(ch)
            if line and used + w > limit and ch not in NO_START:
                cut = _break_at(line) or len(line)
                carried = line[cut:]
                lines.append("".join(line[:cut]))
                line, used = carried, sum(measure(c) for c in carried)
                limit = width
            line.append(ch)
            used += w
        lines.append("".join(line))
    return lines
