"""`python -m deliberation backup | restore | check`: the database file's safety net."""
from __future__ import annotations

import json
import sys

from .store.backup import backup, check, restore
from .store.db import default_db_path


def _path(args):
    return args.db or str(default_db_path())


def cmd_backup(args) -> int:
    report = backup(_path(args), args.output)
    counts = "、".join(f"{k} {v}" for k, v in report.counts.items())
    print(f"已备份到 {args.output}(已通过检查;{counts})")
    return 0


def cmd_restore(args) -> int:
    report = restore(_path(args), args.file)
    print(f"已从 {args.file} 恢复到 {_path(args)}(原文件保留为 {_path(args)}.pre-restore)")
    print(report.text())
    return 0


def cmd_check(args) -> int:
    report = check(_path(args))
    if args.json:
        print(json.dumps({"ok": report.ok, "problems": report.problems, "notes": report.notes,
                          "counts": report.counts},
                         ensure_ascii=False))
    else:
        print(report.text(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


def register(subparsers) -> None:
    p = subparsers.add_parser("backup", help="在线备份数据库(应用可继续写入)/ online backup")
    p.add_argument("--db", help="数据库文件 / database file (默认 data/deliberation.db)")
    p.add_argument("-o", "--output", required=True, help="备份文件 / backup file")
    p.set_defaults(handler=cmd_backup)
    p = subparsers.add_parser("restore", help="从备份恢复(先检查备份及其结构;应用须已停止)/ restore from a backup")
    p.add_argument("--db", help="要替换的数据库文件 / database file to replace")
    p.add_argument("file", help="备份文件 / backup file")
    p.set_defaults(handler=cmd_restore)
    p = subparsers.add_parser("check", help="检查数据库完整性、结构与业务规则 / integrity, schema and invariants")
    p.add_argument("--db", help="数据库文件 / database file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_check)
