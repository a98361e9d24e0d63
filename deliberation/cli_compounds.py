"""`python -m deliberation area …`, `compound …` and `grant-compounds`: setting up a deployment's
areas and compounds without code. Names are resolved as the other commands do (find_area,
find_compound; "街道/社区" when a name is not unique). Errors: Chinese, exit code 2 (cli.main)."""
from __future__ import annotations

from .model.errors import DomainError
from .model.schedule import ScheduleRule
from .services.actors import SYSTEM
from .store import default_db_path, open_db

LEVELS = {"区": "district", "街道": "subdistrict", "社区": "community",
          "district": "district", "subdistrict": "subdistrict", "community": "community"}
FIELD_LABELS = {"address": "地址", "households": "户数", "branch_name": "党支部名称", "schedule_rule": "例会时间",
                "schedule_place": "例会地点", "quorum_min_seats": "最少出席主体数", "objection_window_days": "公示期",
                "objection_threshold": "异议阈值", "response_limit_hours": "响应时限"}


def _db(args):
    return open_db(args.db or default_db_path())


def cmd_area(args) -> int:
    from .services import compound_admin
    from .services.compounds import LEVEL_LABELS, create_area, find_area
    db = _db(args)
    if args.action == "add":
        if not args.level:
            raise DomainError("请用 --level 指定层级:区、街道或社区")
        parent_id = find_area(db, args.parent)["id"] if args.parent else None
        area_id = create_area(db, SYSTEM, args.name, LEVELS[args.level], parent_id)
        print(f"区域已就绪:{args.name.strip()}({LEVEL_LABELS[LEVELS[args.level]]},编号 {area_id})")
        return 0
    area = find_area(db, args.name)
    if args.action == "rename":
        compound_admin.rename_area(db, SYSTEM, area["id"], _required(args.new_name, "新名称"))
        print(f"已将区域“{area['name']}”改名为“{args.new_name.strip()}”")
    elif args.action == "move":
        if bool(args.parent) == bool(args.top):
            raise DomainError("请用 --parent 指定新的上级区域(或用 --top 设为最上级)")
        parent_id = None if args.top else find_area(db, args.parent)["id"]
        compound_admin.move_area(db, SYSTEM, area["id"], parent_id)
        print(f"已将区域“{area['name']}”迁到“{args.parent or '最上级'}”")
    else:
        compound_admin.retire_area(db, SYSTEM, area["id"])
        print(f"已撤销区域“{area['name']}”(历史记录保留)")
    return 0


def _required(value, what: str) -> str:
    if not value or not value.strip():
        raise DomainError(f"请给出{what}")
    return value


def _settings(args) -> dict:
    """The settings given on the command line (None: unchanged)."""
    values = {"address": args.address, "households": args.households, "branch_name": args.branch,
              "place": args.place, "quorum_min_seats": args.quorum, "objection_window_days": args.objection_days,
              "objection_threshold": args.objection_threshold, "response_limit_hours": args.response_hours}
    if args.schedule:
        values["schedule"] = ScheduleRule.from_text(args.schedule)
    return {k: v for k, v in values.items() if v is not None}


def cmd_compound(args) -> int:
    from .services import compound_admin
    from .services.compounds import create_compound, find_area, find_compound, get_compound, update_compound_settings
    db = _db(args)
    if args.action == "add":
        if not args.area:
            raise DomainError("请用 --area 指定小区所在的社区或街道")
        settings = _settings(args)
        schedule, place = settings.pop("schedule", None), settings.pop("place", "")
        rules = {k: settings.pop(k) for k in list(settings) if k not in ("address", "households", "branch_name")}
        compound_id = create_compound(db, SYSTEM, find_area(db, args.area)["id"], args.name, schedule=schedule,
                                      place=place, **{"address": "", **settings})
        if rules:
            update_compound_settings(db, SYSTEM, compound_id, get_compound(db, compound_id).version, **rules)
        print(f"已添加小区“{args.name.strip()}”(编号 {compound_id},含默认的“1+8”协商主体与议题分类)")
        return 0
    compound = find_compound(db, args.name)
    if args.action == "rename":
        compound_admin.rename_compound(db, SYSTEM, compound.id, compound.version, _required(args.new_name, "新名称"))
        print(f"已将小区“{compound.name}”改名为“{args.new_name.strip()}”")
    elif args.action == "move":
        target = find_area(db, _required(args.area, "--area(新的社区或街道)"))
        compound_admin.move_compound(db, SYSTEM, compound.id, compound.version, target["id"])
        print(f"已将小区“{compound.name}”迁到“{target['name']}”")
    elif args.action == "retire":
        compound_admin.retire_compound(db, SYSTEM, compound.id, compound.version)
        print(f"已撤销小区“{compound.name}”(议题、会议与记录保留,可查阅)")
    else:
        settings = _settings(args)
        if not settings:
            raise DomainError("请至少给出一项要修改的设置,如 --branch、--address、--households")
        changed = update_compound_settings(db, SYSTEM, compound.id, compound.version, **settings)
        print(f"已更新小区“{compound.name}”:{'、'.join(FIELD_LABELS.get(f, f) for f in changed) or '没有变化'}")
    return 0


def cmd_grant(args) -> int:
    from .services.managing import set_compound_management_by_username
    user = set_compound_management_by_username(_db(args), SYSTEM, args.username, not args.revoke)
    verb = "已收回" if args.revoke else "已授予"
    print(f"{verb}账号 {user['username']} 管理其辖区内区域与小区的权限")
    return 0


def _settings_options(p) -> None:
    p.add_argument("--address", help="地址")
    p.add_argument("--households", type=int, help="户数")
    p.add_argument("--branch", help="党支部名称,如 鸿翔花园联合党支部(用于每份文书)")
    p.add_argument("--place", help="例会地点")
    p.add_argument("--schedule", help="例会时间规则 第几个:星期(0=周一):时间,如 2:1:19:00(每月第二个周二 19:00)")
    p.add_argument("--quorum", type=int, help="最少出席主体数")
    p.add_argument("--objection-days", type=int, help="公示期(天)")
    p.add_argument("--objection-threshold", type=int, help="异议阈值(户)")
    p.add_argument("--response-hours", type=int, help="居民反映的响应时限(小时)")


def register(subparsers) -> None:
    p = subparsers.add_parser("area", help="区域:添加、改名、迁移、撤销 / areas: add, rename, move, retire")
    p.add_argument("--db", help="数据库文件 / database file (默认 data/deliberation.db)")
    p.add_argument("action", choices=["add", "rename", "move", "retire"])
    p.add_argument("name", help="区域名称(重名时写出上级,如 桂园街道/松园社区)")
    p.add_argument("new_name", nargs="?", help="rename 的新名称")
    p.add_argument("--level", choices=list(LEVELS), help="add:区、街道或社区")
    p.add_argument("--parent", help="add/move:上级区域名称")
    p.add_argument("--top", action="store_true", help="move:设为最上级区域")
    p.set_defaults(handler=cmd_area)
    p = subparsers.add_parser("compound", help="小区:添加、改名、迁移、撤销、修改设置 / compounds: add, rename, move, "
                                               "retire, set")
    p.add_argument("--db", help="数据库文件 / database file (默认 data/deliberation.db)")
    p.add_argument("action", choices=["add", "rename", "move", "retire", "set"])
    p.add_argument("name", help="小区名称(重名时写出所在区域,如 松园社区/鸿翔花园)")
    p.add_argument("new_name", nargs="?", help="rename 的新名称")
    p.add_argument("--area", help="add/move:所在社区或街道")
    _settings_options(p)
    p.set_defaults(handler=cmd_compound)
    p = subparsers.add_parser("grant-compounds", help="授予(--revoke 收回)干部管理其辖区小区的权限 / grant an officer "
                                                      "the right to manage the compounds under their area")
    p.add_argument("--db", help="数据库文件 / database file (默认 data/deliberation.db)")
    p.add_argument("username")
    p.add_argument("--revoke", action="store_true", help="收回权限")
    p.set_defaults(handler=cmd_grant)
