"""What an onboarding workbook would change, worked out against a snapshot of the database before
anything is written: each row matched by its natural key (area path; area path + compound name;
compound + seat code or name; compound + seat + member name; username) and either created,
updated (with the names of the fields that differ) or left alone. Problems that need the
database (unknown area, ambiguous compound, another officer's area) are found here, row by row.
Pure: the snapshot is plain data read by services.onboarding.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..exports.onboarding_template import ACCOUNTS, AREAS, COMPOUNDS, MEMBERS, SEATS
from ..imports.onboarding import CompoundRef, Path, Problem, Workbook
from ..model.defaults import DEFAULT_SEATS

PARENT_LEVEL = {"district": None, "subdistrict": "district", "community": "subdistrict"}
CompoundKey = tuple[Path, str]          # (area path, compound name)


@dataclass(frozen=True)
class Snapshot:
    areas: list[dict]
    compounds: list[dict]
    seats: list[dict]
    members: list[dict]
    accounts: list[dict]


@dataclass(frozen=True)
class Scope:
    """Where the actor may onboard: everywhere (admin) or under one area path (an officer)."""
    area: Path | None
    admin: bool


@dataclass
class Plan:
    new_areas: list[tuple[Path, str]] = field(default_factory=list)                 # path, level
    new_compounds: list[tuple[CompoundKey, dict]] = field(default_factory=list)     # key, values
    compound_updates: list[tuple[int, dict]] = field(default_factory=list)          # id, changed values
    new_compound_seats: dict[CompoundKey, list[tuple[str, str, int]]] = field(default_factory=dict)  # code, name, pos
    new_seats: list[tuple[CompoundKey, str, str, int]] = field(default_factory=list)  # existing compounds' new seats
    seat_renames: list[tuple[int, str, CompoundKey]] = field(default_factory=list)  # seat id, new name, compound
    new_members: list[tuple[CompoundKey, str, dict]] = field(default_factory=list)  # key, seat code, values
    member_updates: list[tuple[int, dict, CompoundKey]] = field(default_factory=list)
    new_accounts: list[dict] = field(default_factory=list)    # username, display_name, role, compound/area keys
    account_updates: list[tuple[int, dict, list]] = field(default_factory=list)  # id, values, compound keys
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())


def _count(plan: Plan, sheet: str, what: str) -> None:
    plan.counts.setdefault(sheet, {"created": 0, "updated": 0, "unchanged": 0})[what] += 1


def area_paths(areas: list[dict]) -> dict[int, Path]:
    by_id = {a["id"]: a for a in areas}
    paths: dict[int, Path] = {}

    def path(area_id: int) -> Path:
        if area_id not in paths:
            a = by_id[area_id]
            paths[area_id] = (path(a["parent_id"]) if a["parent_id"] else ()) + (a["name"],)
        return paths[area_id]

    for a in areas:
        path(a["id"])
    return paths


def make_plan(snapshot: Snapshot, book: Workbook, scope: Scope) -> Plan:
    plan = Plan(counts={s: {"created": 0, "updated": 0, "unchanged": 0} for s in (AREAS, COMPOUNDS, SEATS, MEMBERS,
                                                                                   ACCOUNTS)})
    paths = area_paths(snapshot.areas)
    areas = {paths[a["id"]]: a for a in snapshot.areas}
    inside = (lambda p: p[:len(scope.area)] == scope.area) if scope.area is not None else (lambda p: True)
    levels: dict[Path, str] = {p: a["level"] for p, a in areas.items()}

    def bad(sheet, row, column, message):
        plan.problems.append(Problem(sheet, row, column, message))

    # --- areas: created from the top down, so a parent always comes first
    for row in sorted(book.areas, key=lambda r: len(r.path)):
        existing = areas.get(row.path)
        if existing is not None:
            if existing["retired_at"]:
                bad(AREAS, row.row, "区域路径", "该区域已停用,不能再开通")
            elif not inside(row.path) and not (scope.area and scope.area[:len(row.path)] == row.path):
                bad(AREAS, row.row, "区域路径", "不在您的辖区内")
            else:
                _count(plan, AREAS, "unchanged")
            continue
        parent = row.path[:-1]
        if not scope.admin and not (inside(row.path) and row.path != scope.area):
            bad(AREAS, row.row, "区域路径", "不在您的辖区内:只能在本辖区之下新建区域")
        elif parent and parent not in levels:
            bad(AREAS, row.row, "区域路径", f"上级区域“{'/'.join(parent)}”不存在,请先在本表中列出")
        elif parent and levels[parent] != PARENT_LEVEL[row.level]:
            bad(AREAS, row.row, "区域路径", f"上级区域“{'/'.join(parent)}”的层级不能包含这一级")
        else:
            levels[row.path] = row.level
            plan.new_areas.append((row.path, row.level))
            _count(plan, AREAS, "created")

    # --- compounds
    stored = {(paths[c["area_id"]], c["name"]): c for c in snapshot.compounds}
    known: dict[CompoundKey, dict | None] = dict(stored)       # None: created by this workbook
    for row in book.compounds:
        key = (row.area, row.name)
        if row.area not in levels:
            bad(COMPOUNDS, row.row, "所属区域", f"区域“{'/'.join(row.area)}”不存在,请在“区域”表中列出")
            continue
        if levels[row.area] == "district":
            bad(COMPOUNDS, row.row, "所属区域", "小区应隶属于街道或社区,不能直接隶属于区")
            continue
        if not inside(row.area):
            bad(COMPOUNDS, row.row, "所属区域", "不在您的辖区内")
            continue
        existing = stored.get(key)
        wanted = {"address": row.address, "households": row.households, "branch_name": row.branch,
                  "schedule_rule": row.schedule, "schedule_place": row.place}
        if existing is None:
            wanted["branch_name"] = row.branch or f"{row.name}党支部"
            plan.new_compounds.append((key, wanted))
            known[key] = None
            _count(plan, COMPOUNDS, "created")
        elif existing["retired_at"]:
            bad(COMPOUNDS, row.row, "小区名称", "该小区已停用,不能再开通")
        else:
            # An empty cell leaves the stored value alone: nothing typed in the app is lost.
            changed = {k: v for k, v in wanted.items() if v not in ("", None) and v != existing[k]}
            if changed:
                plan.compound_updates.append((existing["id"], changed))
            _count(plan, COMPOUNDS, "updated" if changed else "unchanged")

    by_name: dict[str, list[CompoundKey]] = {}
    for key in known:
        by_name.setdefault(key[1], []).append(key)

    def compound(ref: CompoundRef, sheet: str, row: int) -> CompoundKey | None:
        if ref.area is not None:
            key = (ref.area, ref.name)
            found = [key] if key in known else []
        else:
            found = by_name.get(ref.name, [])
        if not found and ref.name in book.rejected_compounds:
            return None                       # its own row in 小区 is already reported
        if len(found) != 1:
            bad(sheet, row, "小区", f"找不到小区“{ref}”,请先在“小区”表中列出" if not found else
                f"有 {len(found)} 个小区名为“{ref.name}”,请写成“区域路径/小区名称”")
            return None
        key = found[0]
        if known[key] is not None and known[key]["retired_at"]:
            bad(sheet, row, "小区", "该小区已停用")
            return None
        if not inside(key[0]):
            bad(sheet, row, "小区", "不在您的辖区内")
            return None
        return key

    # --- seats: a new compound starts with the "1+8"; rows rename (by code) or add (no code)
    seats: dict[CompoundKey, dict[str, dict]] = {}        # key -> code -> {id, name, retired, position}
    stored_seats: dict[int, list[dict]] = {}
    for s in snapshot.seats:
        stored_seats.setdefault(s["compound_id"], []).append(s)

    def seats_of(key: CompoundKey) -> dict[str, dict]:
        if key not in seats:
            if known[key] is None:
                seats[key] = {code: {"id": None, "name": name, "retired": False, "position": i}
                              for i, (code, name) in enumerate(DEFAULT_SEATS)}
            else:
                seats[key] = {s["code"]: {"id": s["id"], "name": s["name"], "retired": bool(s["retired_at"]),
                                          "position": s["position"]}
                              for s in stored_seats.get(known[key]["id"], [])}
        return seats[key]

    for row in book.seats:
        key = compound(row.compound, SEATS, row.row)
        if key is None:
            continue
        mine, fresh = seats_of(key), known[key] is None
        taken = {s["name"]: code for code, s in mine.items() if not s["retired"]}
        if row.code is not None:
            seat = mine.get(row.code)
            if seat is None or seat["retired"]:
                bad(SEATS, row.row, "席位代码", f"该小区没有在用的席位代码“{row.code}”(新增席位请留空代码)")
            elif seat["name"] == row.name:
                _count(plan, SEATS, "created" if fresh else "unchanged")
            elif row.name in taken:
                bad(SEATS, row.row, "席位名称", f"该小区已有名为“{row.name}”的席位")
            else:
                if not fresh:
                    plan.seat_renames.append((seat["id"], row.name, key))
                seat["name"] = row.name
                _count(plan, SEATS, "created" if fresh else "updated")
        elif row.name in taken:
            _count(plan, SEATS, "created" if fresh else "unchanged")
        else:
            n = len(mine) + 1
            while f"custom{n}" in mine:
                n += 1
            position = max((s["position"] for s in mine.values()), default=-1) + 1
            mine[f"custom{n}"] = {"id": None, "name": row.name, "retired": False, "position": position}
            if not fresh:
                plan.new_seats.append((key, f"custom{n}", row.name, position))
            _count(plan, SEATS, "created")
    for key, _ in plan.new_compounds:     # a new compound's seats: the defaults, as renamed, and any added
        plan.new_compound_seats[key] = [(code, s["name"], s["position"]) for code, s in seats_of(key).items()]

    def seat_code(key: CompoundKey, text: str, sheet: str, row: int, column: str) -> str | None:
        for code, seat in seats_of(key).items():
            if not seat["retired"] and text in (code, seat["name"]):
                return code
        bad(sheet, row, column, f"该小区没有名为“{text}”的席位")
        return None

    # --- members: matched by compound + seat + name among those serving today
    serving: dict[tuple, dict] = {}
    code_of = {s["id"]: s["code"] for s in snapshot.seats}
    id_to_key = {c["id"]: k for k, c in stored.items()}
    for m in snapshot.members:
        serving.setdefault((id_to_key[m["compound_id"]], code_of[m["seat_id"]], m["name"]), m)
    for row in book.members:
        key = compound(row.compound, MEMBERS, row.row)
        code = key and seat_code(key, row.seat, MEMBERS, row.row, "席位")
        if code is None:
            continue
        existing = serving.get((key, code, row.name))
        if existing is None:
            plan.new_members.append((key, code, {"name": row.name, "title": row.title, "phone": row.phone}))
            _count(plan, MEMBERS, "created")
            continue
        changed = {k: v for k, v in (("title", row.title), ("phone", row.phone)) if v and v != existing[k]}
        if changed:
            plan.member_updates.append((existing["id"], changed, key))
        _count(plan, MEMBERS, "updated" if changed else "unchanged")

    _plan_accounts(plan, snapshot, book, scope, paths, levels, compound, seat_code, inside, id_to_key, bad)
    return plan


def _plan_accounts(plan, snapshot, book, scope, paths, levels, compound, seat_code, inside, id_to_key, bad) -> None:
    users = {u["username"].lower(): u for u in snapshot.accounts}
    for row in book.accounts:
        key = row.compound and compound(row.compound, ACCOUNTS, row.row)
        if row.compound and key is None:
            continue
        code = row.seat and seat_code(key, row.seat, ACCOUNTS, row.row, "席位")
        if row.seat and code is None:
            continue
        if row.area is not None:
            if row.area not in levels:
                bad(ACCOUNTS, row.row, "所属区域", f"区域“{'/'.join(row.area)}”不存在")
                continue
        if row.role == "officer" and not scope.admin:
            bad(ACCOUNTS, row.row, "角色", "干部账号需由系统管理员开通")
            continue
        wanted = {"username": row.username, "display_name": row.display_name, "role": row.role,
                  "compounds": [key] if key else [], "area": row.area, "seat_code": code}
        existing = users.get(row.username.lower())
        if existing is None:
            plan.new_accounts.append({**wanted, "row": row.row})
            _count(plan, ACCOUNTS, "created")
            continue
        if existing["role"] == "admin" or (not scope.admin and existing["role"] == "officer"):
            bad(ACCOUNTS, row.row, "用户名", f"用户名“{row.username}”已被使用,且不能通过工作簿修改")
            continue
        current = [id_to_key[int(i)] for i in (existing["compound_ids"] or "").split(",") if i]
        if not scope.admin and not all(inside(k[0]) for k in current):
            bad(ACCOUNTS, row.row, "用户名", f"用户名“{row.username}”已被辖区外的账号使用")
            continue
        area_path = paths.get(existing["area_id"]) if existing["area_id"] else None
        now = {"display_name": existing["display_name"], "role": existing["role"], "compounds": sorted(current),
               "area": area_path, "seat_code": existing["seat_code"], "username": existing["username"]}
        changed = [k for k in ("display_name", "role", "compounds", "area", "seat_code")
                   if (sorted(wanted[k]) if k == "compounds" else wanted[k]) != now[k]]
        if changed:
            plan.account_updates.append((existing["id"], {k: wanted[k] for k in changed}, changed))
        _count(plan, ACCOUNTS, "updated" if changed else "unchanged")
