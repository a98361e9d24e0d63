"""`python -m deliberation export … | import register …`: documents from the command line.

The CLI is an operator on the server, so it acts as the SYSTEM actor. Errors print in Chinese and
exit non-zero (DomainError → 2 via cli.main; an import refused, as a file or row by row → 1).
"""
from __future__ import annotations

import sys
from pathlib import Path

from .model.errors import DomainError, NotFound
from .services.actors import SYSTEM
from .store import default_db_path, open_db

FORMATS = {
    "minutes": ("docx", "pdf", "md"),
    "agenda": ("docx", "pdf"),
    "sign-in": ("docx", "pdf"),
    "notice": ("docx", "pdf"),
    "register": ("xlsx", "csv"),
    "report": ("docx", "xlsx"),
    "ics": ("ics",),
    "poster": ("pdf",),
}


def _db(args):
    return open_db(args.db or default_db_path())


def _format(args, kind: str) -> str:
    """--format, or the output file's suffix."""
    chosen = args.format or Path(args.output).suffix.lstrip(".").lower()
    if chosen not in FORMATS[kind]:
        raise DomainError(f"请用 --format 指定格式:{' / '.join(FORMATS[kind])}")
    return chosen


def _write(args, data: bytes | str) -> int:
    path = Path(args.output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    print(f"已导出:{path}({path.stat().st_size} 字节)")
    return 0


def _compound(db, name: str) -> int:
    from .services.compounds import find_compound
    return find_compound(db, name).id


def _meeting(db, args) -> int:
    from .services.meetings import meeting_id_by_number
    meeting_id = meeting_id_by_number(db, SYSTEM, _compound(db, args.compound), args.meeting)
    if meeting_id is None:
        raise NotFound(f"{args.compound}没有第 {args.meeting} 次会议")
    return meeting_id


def cmd_minutes(args) -> int:
    """A meeting not yet held is refused by the service (its papers are the 议程 and 签到表)."""
    from .exports import minutes_docx, minutes_markdown, minutes_pdf
    from .services.documents import minutes_view
    db = _db(args)
    render = {"docx": minutes_docx, "pdf": minutes_pdf, "md": minutes_markdown}[_format(args, "minutes")]
    return _write(args, render(minutes_view(db, SYSTEM, _meeting(db, args), public=args.public)))


def cmd_agenda(args) -> int:
    from .exports.agenda import agenda_docx, agenda_pdf
    from .services.meeting_papers import agenda_view
    db = _db(args)
    render = {"docx": agenda_docx, "pdf": agenda_pdf}[_format(args, "agenda")]
    return _write(args, render(agenda_view(db, SYSTEM, _meeting(db, args))))


def cmd_sign_in(args) -> int:
    from .exports.sign_in_sheet import sign_in_docx, sign_in_pdf
    from .services.meeting_papers import sign_in_view
    db = _db(args)
    render = {"docx": sign_in_docx, "pdf": sign_in_pdf}[_format(args, "sign-in")]
    return _write(args, render(sign_in_view(db, SYSTEM, _meeting(db, args))))


def cmd_notice(args) -> int:
    from .exports import notice_docx, notice_pdf
    from .services.documents import notice_view
    db = _db(args)
    view = notice_view(db, SYSTEM, _compound(db, args.compound))
    return _write(args, {"docx": notice_docx, "pdf": notice_pdf}[_format(args, "notice")](view))


def cmd_register(args) -> int:
    from .exports.register import register_csv, register_xlsx
    from .services.documents import register_rows
    db = _db(args)
    found = register_rows(db, SYSTEM, _compound(db, args.compound))
    return _write(args, {"xlsx": register_xlsx, "csv": register_csv}[_format(args, "register")](found))


def cmd_report(args) -> int:
    from .exports import report_docx, report_xlsx
    from .services.compounds import find_area
    from .services.reports import report_view
    db = _db(args)
    if bool(args.area) == bool(args.compound):
        raise DomainError("请用 --area 或 --compound 指定月报范围(二选一)")
    scope = {"area_id": find_area(db, args.area)["id"]} if args.area else {"compound_id": _compound(db, args.compound)}
    view = report_view(db, SYSTEM, month=args.month, **scope)
    return _write(args, {"docx": report_docx, "xlsx": report_xlsx}[_format(args, "report")](view))


def cmd_ics(args) -> int:
    from .exports import schedule_ics
    from .services.documents import schedule_view
    db = _db(args)
    _format(args, "ics")
    return _write(args, schedule_ics(schedule_view(db, _compound(db, args.compound), args.months)))


def cmd_poster(args) -> int:
    """公示栏海报: one page for a compound, or a page per live compound of an area."""
    from .services.compounds import find_area
    from .services.deployment import public_address
    from .services.posters import area_posters, compound_poster
    db = _db(args)
    if bool(args.area) == bool(args.compound):
        raise DomainError("请用 --compound 或 --area 指定海报范围(二选一)")
    _format(args, "poster")
    data = area_posters(db, SYSTEM, find_area(db, args.area)["id"]) if args.area else \
        compound_poster(db, SYSTEM, _compound(db, args.compound))
    warning = public_address(db).warning
    if warning:                                  # printed in red on every page as well
        print(f"注意:{warning}", file=sys.stderr)
    return _write(args, data)


def cmd_import_register(args) -> int:
    from .services.register_import import import_register
    db = _db(args)
    path = Path(args.file)
    if not path.is_file():
        raise NotFound(f"找不到文件:{path}")
    try:
        result = import_register(db, SYSTEM, _compound(db, args.compound), path.name, path.read_bytes(),
                                 dry_run=args.dry_run)
    except DomainError as exc:          # a file refused as a whole: as refused as a bad row
        print(f"错误:{exc.message}(未写入任何数据)", file=sys.stderr)
        return 1
    print(result.report, file=sys.stdout if result.ok else sys.stderr)
    if result.ok and args.dry_run:
        print("(试导入:未写入任何数据)")
    return 0 if result.ok else 1


def _leaf(sub, name: str, help_text: str, handler, kind: str | None = None):
    p = sub.add_parser(name, help=help_text)
    p.add_argument("--db", help="数据库文件 / database file (默认 data/deliberation.db)")
    if kind:
        p.add_argument("--format", choices=FORMATS[kind], help="不填则按输出文件扩展名")
        p.add_argument("-o", "--output", required=True, help="输出文件 / output file")
    p.set_defaults(handler=handler)
    return p


def register(subparsers) -> None:
    export = subparsers.add_parser("export", help="导出纪要、议程、签到表、公示、台账、月报、日历、海报 / export documents")
    kinds = export.add_subparsers(dest="document", required=True)
    p = _leaf(kinds, "minutes", "会议纪要(会议开始后)/ meeting minutes", cmd_minutes, "minutes")
    p.add_argument("--compound", required=True, help="小区名称")
    p.add_argument("--meeting", required=True, type=int, help="第几次会议")
    p.add_argument("--public", action="store_true", help="公开版(隐去个人信息;会议须已公开)")
    for name, text, handler in (("agenda", "会议议程(会前分发)/ meeting agenda", cmd_agenda),
                                ("sign-in", "签到表(按协商主体,含委托、列席)/ sign-in sheet", cmd_sign_in)):
        p = _leaf(kinds, name, text, handler, name)
        p.add_argument("--compound", required=True, help="小区名称")
        p.add_argument("--meeting", required=True, type=int, help="第几次会议")
    p = _leaf(kinds, "notice", "公示通知(含二维码)/ 公示 notice", cmd_notice, "notice")
    p.add_argument("--compound", required=True)
    p = _leaf(kinds, "register", "议题台账 / issue register", cmd_register, "register")
    p.add_argument("--compound", required=True)
    p = _leaf(kinds, "report", "月报 / monthly report", cmd_report, "report")
    p.add_argument("--area", help="区域名称(社区/街道/区)")
    p.add_argument("--compound", help="小区名称(代替 --area)")
    p.add_argument("--month", required=True, help="YYYY-MM")
    p = _leaf(kinds, "ics", "例会日历 / meeting calendar (.ics)", cmd_ics, "ics")
    p.add_argument("--compound", required=True)
    p.add_argument("--months", type=int, default=12, help="未来几个月(默认 12)")
    p = _leaf(kinds, "poster", "公示栏海报(二维码,A4)/ notice-board poster", cmd_poster, "poster")
    p.add_argument("--compound", help="小区名称")
    p.add_argument("--area", help="区域名称(代替 --compound:每个小区一页)")

    imp = subparsers.add_parser("import", help="导入议题台账 / import a register file")
    what = imp.add_subparsers(dest="document", required=True)
    p = _leaf(what, "register", "从 XLSX/CSV 导入议题台账(全部成功才写入)", cmd_import_register)
    p.add_argument("--compound", required=True)
    p.add_argument("--dry-run", action="store_true", help="只检查,不写入")
    p.add_argument("file", help="XLSX 或 CSV 文件")
