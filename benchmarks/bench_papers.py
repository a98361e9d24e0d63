"""The filed papers' cost: the same 15-item minutes as PDF in the serif face (Noto Serif CJK SC,
subset from Debian's 26 MB collections) and in the bundled sans face it replaced, side by side in
one run (paired, interleaved), with the DOCX and the agenda and sign-in sheet for scale.

    .venv/bin/python benchmarks/bench_papers.py [--runs 9]

Prints one JSON object: median wall and thread-CPU milliseconds, the serif/sans ratio, and the
size of each file."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from measure import paired

from deliberation.exports import fonts
from deliberation.exports.agenda import agenda_pdf
from deliberation.exports.minutes import minutes_docx, minutes_pdf
from deliberation.exports.sign_in_sheet import sign_in_pdf
from deliberation.exports.views import (
    ActionLine,
    AgendaLine,
    AgendaView,
    AttendanceLine,
    MinutesView,
    PaperItem,
    QuorumLine,
    SignInRow,
    SignInView,
)
from deliberation.model.defaults import DEFAULT_SEATS


def minutes_view() -> MinutesView:
    attendance = tuple(AttendanceLine(name, f"成员{k}", "出席") for k, (_, name) in enumerate(DEFAULT_SEATS))
    items = tuple(AgendaLine(
        k, f"{k}栋地下车库照明不足及充电桩安装问题", "业委会提出夜间车位缺口约120个,物业说明地面可新增划线车位30个。" * 3,
        "同意新增划线车位30个,并与周边学校签订错时停车协议。", "分工落实",
        (ActionLine("物业服务企业", "完成地面车位划线", "2025-04-15", "进行中", owner="王志强"),
         ActionLine("社区居委会/工作站", "协调学校错时停车", "2025-04-30", "待办")),
        tuple((name, "赞成") for _, name in DEFAULT_SEATS)) for k in range(1, 16))
    return MinutesView("模拟花园", 12, "2025-03-11 19:00", "模拟花园党群服务站", "张建国", "周婷", attendance, items,
                       ends_at="2025-03-11 20:45", branch="模拟花园联合党支部",
                       quorum=QuorumLine(True, len(DEFAULT_SEATS), len(DEFAULT_SEATS), 6))


def papers() -> tuple[AgendaView, SignInView]:
    seats = tuple(name for _, name in DEFAULT_SEATS)
    items = tuple(PaperItem(k, 100 + k, f"议题{k}", "停车", "业主委员会", "2025-03-01", "背景说明。" * 20)
                  for k in range(1, 16))
    agenda = AgendaView("模拟花园", 12, "2025-03-11 19:00", "模拟花园党群服务站", "模拟花园联合党支部", None, seats, items)
    sheet = SignInView("模拟花园", 12, "2025-03-11 19:00", "模拟花园党群服务站", "模拟花园联合党支部",
                       tuple(SignInRow(seat, f"成员{k}", "代表") for k, seat in enumerate(seats)), 6)
    return agenda, sheet


def sans_pdf(view: MinutesView) -> bytes:
    """The same minutes as if the serif face were not installed: the bundled sans face."""
    with mock.patch.object(fonts, "serif_faces", return_value={}):
        return minutes_pdf(view)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    if not fonts.serif_faces():
        sys.exit("the serif face (fonts-noto-cjk) is not installed: nothing to compare")
    view = minutes_view()
    agenda, sheet = papers()
    pdf = paired(lambda: minutes_pdf(view), lambda: sans_pdf(view), runs, warmup=1)
    other = paired(lambda: minutes_docx(view), lambda: (agenda_pdf(agenda), sign_in_pdf(sheet)), runs, warmup=1)
    result = {
        "minutes_pdf_serif_ms": round(pdf["a_ms"], 1), "minutes_pdf_sans_ms": round(pdf["b_ms"], 1),
        "minutes_pdf_serif_cpu_ms": round(pdf["a_cpu_ms"], 1), "minutes_pdf_sans_cpu_ms": round(pdf["b_cpu_ms"], 1),
        "serif_over_sans_cpu": round(pdf["a_cpu_ms"] / pdf["b_cpu_ms"], 2),
        "minutes_docx_cpu_ms": round(other["a_cpu_ms"], 1), "agenda_and_sign_in_pdf_cpu_ms": round(other["b_cpu_ms"], 1),
        "bytes": {"minutes_pdf_serif": len(minutes_pdf(view)), "minutes_pdf_sans": len(sans_pdf(view)),
                  "minutes_docx": len(minutes_docx(view))},
        "items": len(view.items), "runs": runs,
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
