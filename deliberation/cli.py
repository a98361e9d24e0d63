"""`python -m deliberation …`: init, demo, users, windows, stats. Errors in Chinese, non-zero exit."""
from __future__ import annotations

import argparse
import getpass
import json
import sys

from .model.errors import DomainError
from .services.actors import SYSTEM
from .store import default_db_path, open_db

COMMANDS = {}


def command(name: str, help_text: str):
    def register(fn):
        COMMANDS[name] = (fn, help_text)
        return fn
    return register


def _db(args):
    return open_db(args.db or default_db_path())


@command("init", "创建或升级数据库 / create or upgrade the database")
def cmd_init(args) -> int:
    db = _db(args)
    print(f"数据库已就绪:{args.db or default_db_path()}({len(db.table_names())} 张表)")
    return 0


@command("demo", "载入演示数据(可重复执行)/ load the demo cases (idempotent)")
def cmd_demo(args) -> int:
    from .demo import load_demo
    loaded = load_demo(_db(args))
    print("演示数据已载入:" + json.dumps(loaded, ensure_ascii=False))
    return 0


@command("create-user", "创建账号 / create an account")
def cmd_create_user(args) -> int:
    from .services.compounds import find_area, find_compound
    from .services.users import create_user
    from .services.accounts import create_account
    if args.password and args.generate_password:
        raise DomainError("--password 与 --generate-password 只能选一个")
    if not args.password and not args.generate_password and not sys.stdin.isatty():
        # A script or a pipe: nobody can answer a prompt, so ask for nothing.
        raise DomainError("没有可输入密码的终端:请用 --password 指定密码,"
                          "或用 --generate-password 生成一次性密码(首次登录须修改)")
    db = _db(args)
    compounds = [find_compound(db, name).id for name in args.compound or []]
    area_id = find_area(db, args.area)["id"] if args.area else None
    scope = dict(compound_ids=compounds, area_id=area_id, seat_code=args.seat)
    if args.generate_password:
        account = create_account(db, SYSTEM, username=args.username, display_name=args.name or args.username,
                                 role=args.role, **scope)
        print(f"已创建账号 {account.username}(编号 {account.user_id}),一次性密码:{account.one_time_password}")
        print("此密码只显示这一次,请转交本人;首次登录须修改密码。", file=sys.stderr)
        return 0
    try:
        password = args.password or getpass.getpass("密码 / password: ")
    except (EOFError, KeyboardInterrupt):
        raise DomainError("未输入密码,账号未创建") from None
    user_id = create_user(db, SYSTEM, args.username, args.name or args.username, args.role, password=password,
                          **scope)
    print(f"已创建账号 {args.username}(编号 {user_id})")
    return 0


@command("close-windows", "关闭已到期的公示期 / resolve issues whose objection window has closed")
def cmd_close_windows(args) -> int:
    from .services.publicity import close_expired_windows
    count = close_expired_windows(_db(args), SYSTEM)
    print(f"已办结 {count} 个公示期满的议题")
    return 0


@command("purge-personal", "按保存期限删除居民个人信息 / erase residents' personal fields past retention")
def cmd_purge_personal(args) -> int:
    # Cron-ready: prints one line of counts, exit 0; --dry-run only counts.
    from .services.privacy import purge_personal
    result = purge_personal(_db(args), SYSTEM, dry_run=args.dry_run, days=args.days)
    verb = "将删除" if result.dry_run else "已删除"
    print(f"{verb}个人信息(办结/关闭早于 {result.cutoff}):议题 {result.issues} 个,"
          f"居民反映 {result.reports} 条,评价意见 {result.comments} 条,居民照片 {result.photos} 张"
          + ("(试运行,未作修改)" if result.dry_run else ""))
    return 0


@command("stats", "小区统计 / counts for one compound")
def cmd_stats(args) -> int:
    from .services.compounds import find_compound
    from .services.stats import compound_stats
    db = _db(args)
    stats = compound_stats(db, SYSTEM, find_compound(db, args.compound).id)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
    else:
        for key, value in stats.items():
            print(f"{key}: {value}")
    return 0


@command("household-codes", "生成议事码纸条(PDF)/ issue household codes and print their slips")
def cmd_household_codes(args) -> int:
    # The plain codes exist only in the PDF written here: the database keeps their hashes.
    from pathlib import Path

    from .services.compounds import find_compound
    from .services.households import code_slips
    db = _db(args)
    compound = find_compound(db, args.compound)
    count, pdf = code_slips(db, SYSTEM, compound.id, args.units, reissue=args.reissue)
    Path(args.output).write_bytes(pdf)
    print(f"已为{compound.name}{'重新发放' if args.reissue else '生成'}议事码 {count} 户,纸条:{args.output}"
          "(议事码只在这份 PDF 中,请妥善保管)")
    return 0


# Deployment settings the command line may read and set: name → (get, set) in services.
CONFIG_NAMES = ("satisfaction-weights", "public-url")


@command("config", "部署设置 / deployment settings: config get|set satisfaction-weights [1,0.8] | public-url [URL]")
def cmd_config(args) -> int:
    from .services.three_rates import satisfaction_weights, set_satisfaction_weights
    db = _db(args)
    if args.name not in CONFIG_NAMES:
        raise DomainError(f"没有“{args.name}”这项设置,可用:{'、'.join(CONFIG_NAMES)}")
    if args.action == "set" and args.value is None:
        example = "1,0.8" if args.name == "satisfaction-weights" else "https://yishi.example.cn"
        raise DomainError(f"请给出设置的值,如:config set {args.name} {example}")
    if args.name == "public-url":
        return _config_public_url(db, args)
    if args.action == "get":
        weights = satisfaction_weights(db, SYSTEM)
    else:
        weights = set_satisfaction_weights(db, SYSTEM, args.value)
        print("已设置满意率权重:满意 × {:g},基本满意 × {:g}".format(*weights), file=sys.stderr)
    print(",".join(f"{w:g}" for w in weights))
    return 0


def _config_public_url(db, args) -> int:
    """stdout: the configured address (empty while unset); stderr: what is wrong with it."""
    from .services.deployment import public_address, set_public_url
    if args.action == "set":
        address = set_public_url(db, SYSTEM, args.value)
        print(f"已设置公开访问地址:{address.url}", file=sys.stderr)
    else:
        address = public_address(db)
    print(address.url if address.configured else "")
    if address.problem:
        print(f"注意:{address.problem}(或运行:python -m deliberation config set public-url 网址)", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m deliberation", description="小区协商议事 命令行")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (_, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--db", help="数据库文件 / database file (默认 data/deliberation.db)")
        if name == "create-user":
            p.add_argument("username")
            p.add_argument("--name", help="显示名")
            p.add_argument("--role", required=True, choices=["admin", "officer", "secretary", "recorder", "seat_rep"])
            p.add_argument("--password", help="不填则在终端提示输入(没有终端时须用 --generate-password)")
            p.add_argument("--generate-password", action="store_true",
                           help="生成一次性密码并显示一次,首次登录须修改 / print a one-time password")
            p.add_argument("--compound", action="append", help="小区名称,可重复")
            p.add_argument("--area", help="干部所辖区域名称")
            p.add_argument("--seat", help="协商主体代码,如 property、owners")
        if name == "purge-personal":
            p.add_argument("--dry-run", action="store_true", help="只统计,不修改 / count only")
            p.add_argument("--days", type=int, help="保存天数(默认 DELIBERATION_RETENTION_DAYS 或 365)")
        if name == "household-codes":
            p.add_argument("--compound", required=True, help="小区名称")
            p.add_argument("--units", required=True, help="房号,逗号分隔或范围,如 \"1栋101,1栋102\" 或 \"1栋101-104\"")
            p.add_argument("-o", "--output", required=True, help="PDF 文件")
            p.add_argument("--reissue", action="store_true", help="为已有议事码的住户重新发放(旧码停用)")
        if name == "config":
            p.add_argument("action", choices=["get", "set"])
            p.add_argument("name", help="设置名称:satisfaction-weights(满意、基本满意的权重)、"
                                        "public-url(公开访问地址,二维码与链接用)")
            p.add_argument("value", nargs="?", help="新值,如 1,0.8 或 https://yishi.example.cn")
        if name == "stats":
            p.add_argument("--compound", required=True)
            p.add_argument("--json", action="store_true")
    for extend in _extensions():
        extend(sub)
    return parser


def _extensions():
    """Sub-command groups that live in their own modules (export/import, backup)."""
    found = []
    for module in ("deliberation.cli_documents", "deliberation.cli_backup", "deliberation.cli_compounds",
                   "deliberation.cli_onboarding"):
        try:
            found.append(__import__(module, fromlist=["register"]).register)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    return found


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        handler = COMMANDS[args.command][0] if args.command in COMMANDS else args.handler
        return handler(args)
    except DomainError as exc:
        print(f"错误:{exc.message}", file=sys.stderr)
        return 2
