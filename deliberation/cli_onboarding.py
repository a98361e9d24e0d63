"""`python -m deliberation onboard PATH [--dry-run] [--account-sheet PDF]` and
`python -m deliberation export onboarding-template -o PATH`: a rollout from one workbook."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .model.errors import DomainError, NotFound
from .services.actors import SYSTEM
from .store import default_db_path, open_db


def cmd_onboard(args) -> int:
    from .services.onboarding import onboard
    path = Path(args.file)
    if not path.is_file():
        raise NotFound(f"找不到文件:{path}")
    db = open_db(args.db or default_db_path())
    show = _progress if sys.stderr.isatty() else None
    try:
        report = onboard(db, SYSTEM, path.read_bytes(), dry_run=args.dry_run, progress=show)
    except DomainError as exc:          # a file refused as a whole is as refused as a bad row
        print(f"错误:{exc.message}(未写入任何数据)", file=sys.stderr)
        return 1
    if show:
        print(file=sys.stderr)
    print(report.text(), file=sys.stdout if report.ok else sys.stderr)
    for line in report.accounts:
        print(f"  {line.username}\t{line.display_name}\t{line.role_label}\t{line.scope}\t一次性密码:{line.one_time_password}")
    if report.accounts and args.account_sheet:
        _write_sheet(db, report.accounts, Path(args.account_sheet))
    return 0 if report.ok else 1


def _write_sheet(db, accounts, path: Path) -> None:
    from .exports.account_sheet import AccountSheetRow, account_sheet_pdf
    from .services.accounts import sign_in_url
    url = sign_in_url(db)
    rows = [AccountSheetRow(a.display_name, a.username, a.role_label, a.scope, a.one_time_password, url)
            for a in accounts]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(account_sheet_pdf(rows))
    print(f"账号通知单:{path}(一次性密码只在这份 PDF 和上面的输出中,请妥善保管)")


def _progress(fraction: float) -> None:
    print(f"\r进度 {fraction:4.0%}", end="", file=sys.stderr, flush=True)


def cmd_template(args) -> int:
    from .exports.onboarding_template import onboarding_template
    path = Path(args.output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(onboarding_template())
    print(f"已导出:{path}({path.stat().st_size} 字节)")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("onboard", help="从工作簿批量开通区域、小区、席位、成员和账号(全部通过才写入)")
    p.add_argument("--db", help="数据库文件 / database file (默认 data/deliberation.db)")
    p.add_argument("--dry-run", action="store_true", help="只检查,不写入")
    p.add_argument("--account-sheet", help="新账号的账号通知单(PDF)写到这里")
    p.add_argument("file", help="批量开通工作簿(XLSX,模板见 export onboarding-template)")
    p.set_defaults(handler=cmd_onboard)
    # Beside the other documents under `export` (deliberation/cli_documents.py registers it first).
    export = subparsers.choices.get("export")
    if export is None:
        return
    kinds = next(a for a in export._actions if isinstance(a, argparse._SubParsersAction))
    t = kinds.add_parser("onboarding-template", help="批量开通工作簿模板(XLSX)/ onboarding workbook template")
    t.add_argument("--db", help="(不使用)")
    t.add_argument("-o", "--output", required=True, help="输出文件 / output file")
    t.set_defaults(handler=cmd_template)
