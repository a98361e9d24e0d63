"""Onboarding from one workbook: areas, compounds, seats, roster members and accounts, all or nothing.

The workbook is read and every row checked (imports/onboarding.py), then matched against the
database (services/onboarding_plan.py); with any problem nothing is written and the caller gets
the row-by-row report. Otherwise everything is written in ONE write transaction, re-planned inside
it so the checks hold for what is written. Re-running the same workbook finds nothing to change
and commits nothing at all (not even the store's clock). One-time passwords are hashed before
the write lock is taken (accounts.prepare_one_time_passwords).

Who may: the admin, anywhere; an area officer granted `users.manages_compounds` (services/managing.py),
only under their own area (every row's area is checked): new areas below it, its compounds, their
seats, members and staff accounts — not officer accounts, not accounts outside the area.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..exports.onboarding_template import ACCOUNTS, AREAS, COMPOUNDS, MEMBERS, ROLE_NAMES, SEATS
from ..imports.onboarding import Problem, read_onboarding
from ..model.defaults import DEFAULT_CATEGORIES, DEFAULT_QUORUM
from ..model.roles import Action, Role
from ..store import onboarding as store
from .accounts import NewAccount, add_account, prepare_one_time_passwords
from .actors import Actor
from .clock import stamp, today
from .onboarding_plan import Plan, Scope, Snapshot, area_paths, make_plan
from .managing import NOT_GRANTED, managing, may_manage_compounds
from .permissions import authorize, refuse
from .use_case import Change

Progress = Callable[[float], None]
SHEETS = (AREAS, COMPOUNDS, SEATS, MEMBERS, ACCOUNTS)


@dataclass(frozen=True)
class AccountLine:
    """A new account for the screen and the printable sheet: the password exists only here."""
    display_name: str
    username: str
    role_label: str
    scope: str
    one_time_password: str


@dataclass(frozen=True)
class OnboardingReport:
    dry_run: bool
    applied: bool                                  # something was written
    counts: dict[str, dict[str, int]]              # sheet -> created / updated / unchanged
    problems: tuple[Problem, ...] = ()
    accounts: tuple[AccountLine, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self) -> str:
        """The report in Chinese: a summary line, one line per sheet, then one line per problem."""
        if not self.ok:
            rows = len({(p.sheet, p.row) for p in self.problems if p.row})
            lines = [f"发现 {len(self.problems)} 处问题(涉及 {rows} 行),请修改后重新上传;本次未写入任何数据。"]
            return "\n".join(lines + [str(p) for p in self.problems])
        head = ("检查通过,可以开通:" if self.dry_run else
                "已开通:" if self.applied else "与数据库一致,没有需要改动的内容:")
        lines = [head]
        for sheet in SHEETS:
            c = self.counts.get(sheet, {"created": 0, "updated": 0, "unchanged": 0})
            verb = ("将新建", "将更新") if self.dry_run else ("新建", "更新")
            lines.append(f"  {sheet}:{verb[0]} {c['created']},{verb[1]} {c['updated']},不变 {c['unchanged']}")
        if self.accounts:
            lines.append(f"新账号 {len(self.accounts)} 个,一次性密码只显示这一次,首次登录须修改:")
        return "\n".join(lines)


class _Rollback(Exception):
    """Raised inside the transaction to write nothing: problems found, or nothing to change."""

    def __init__(self, plan: Plan):
        super().__init__()
        self.plan = plan


def onboard(db, actor: Actor, data: bytes, *, dry_run: bool, progress: Progress | None = None) -> OnboardingReport:
    """Check the workbook, then (unless `dry_run`) write all of it or nothing. A file that is not
    a readable, safe XLSX raises DomainError; row problems come back in the report."""
    tell = progress or (lambda fraction: None)
    _authorize(db, actor)
    book = read_onboarding(data)
    tell(0.05)
    plan = _plan(db, actor, book)
    if plan.problems or dry_run or not plan.changes:
        return _report(plan, dry_run=dry_run, applied=False)
    passwords = _hash(len(plan.new_accounts), tell)
    try:
        with _change(db, actor) as change:
            plan = _plan(db, actor, book)            # again, under the write lock: the checks hold
            if plan.problems or not plan.changes:
                raise _Rollback(plan)
            lines = _apply(change, plan, passwords, lambda f: tell(0.6 + 0.4 * f))
    except _Rollback as stop:
        return _report(stop.plan, dry_run=False, applied=False)
    tell(1.0)
    return _report(plan, dry_run=False, applied=True, accounts=lines)


def may_onboard(db, actor: Actor) -> bool:
    """Whether `onboard` would let this actor in (for the page: no event, no refusal)."""
    return may_manage_compounds(db, actor)


def _authorize(db, actor: Actor) -> None:
    """The admin, or an officer granted the right (services/managing.py); refused and audited otherwise."""
    if actor.role == Role.ADMIN or actor.must_change_password:
        authorize(db, actor, Action.MANAGE_AREAS)
    elif not may_manage_compounds(db, actor):
        refuse(db, actor, Action.MANAGE_AREAS, message=NOT_GRANTED)


def _change(db, actor: Actor):
    """The one write transaction: use_case.changing for the admin; for an officer, the same with
    the right read again (managing), inside their own area (every row is checked by the plan)."""
    return managing(db, actor, inside=(actor.area_id,))


def _plan(db, actor: Actor, book) -> Plan:
    snapshot = Snapshot(areas=store.all_areas(db), compounds=store.all_compounds(db), seats=store.all_seats(db),
                        members=store.serving_members(db, today().isoformat()), accounts=store.all_accounts(db))
    scope = Scope(area=None, admin=True) if actor.is_admin else Scope(
        area=area_paths(snapshot.areas).get(actor.area_id, ("?",)), admin=False)
    plan = make_plan(snapshot, book, scope)
    order = {sheet: n for n, sheet in enumerate(("",) + SHEETS)}
    plan.problems = sorted(book.problems + plan.problems, key=lambda p: (order.get(p.sheet, 0), p.row))
    return plan


def _hash(count: int, tell: Progress) -> list:
    """The new accounts' one-time passwords, hashed before the write lock (slow on purpose)."""
    done: list = []
    while len(done) < count:
        done += prepare_one_time_passwords(min(50, count - len(done)))
        tell(0.1 + 0.5 * len(done) / count)
    return done


def _apply(change: Change, plan: Plan, passwords: list, tell: Progress) -> tuple[AccountLine, ...]:
    db, at = change.db, stamp()
    paths = area_paths(store.all_areas(db))
    area_ids = {path: area_id for area_id, path in paths.items()}
    for path, level in plan.new_areas:
        area_ids[path] = store.insert_area(db, {"name": path[-1], "level": level,
                                                "parent_id": area_ids.get(path[:-1]) if len(path) > 1 else None})
        change.record("area_created", data={"area_id": area_ids[path]})
    compound_ids = {(paths[c["area_id"]], c["name"]): c["id"] for c in store.all_compounds(db)}
    versions = {c["id"]: c["version"] for c in store.all_compounds(db)}
    seats, categories = [], []
    for key, values in plan.new_compounds:
        compound_id = store.insert_compound(db, {
            "area_id": area_ids[key[0]], "name": key[1], **values,
            "quorum_min_seats": DEFAULT_QUORUM["min_seats"], "demo": 0, "created_at": at})
        compound_ids[key] = compound_id
        seats += [{"compound_id": compound_id, "code": code, "name": name, "position": position,
                   "quorum_required": int(code in DEFAULT_QUORUM["required"])}
                  for code, name, position in plan.new_compound_seats[key]]
        categories += [{"compound_id": compound_id, "name": c, "position": i} for i, c in enumerate(DEFAULT_CATEGORIES)]
        change.record("compound_created", compound_id=compound_id, data={"compound_id": compound_id})
    tell(0.2)
    for compound_id, values in plan.compound_updates:
        store.update_compound(db, compound_id, {**values, "version": versions[compound_id] + 1})
        change.record("compound_updated", compound_id=compound_id,
                      data={"compound_id": compound_id, "fields": sorted(values)})
    seats += [{"compound_id": compound_ids[key], "code": code, "name": name, "position": position}
              for key, code, name, position in plan.new_seats]
    store.insert_seats(db, seats)
    store.insert_categories(db, categories)
    touched = sorted({compound_ids[k] for k, *_ in plan.new_seats} | {compound_ids[k] for k, *_ in plan.new_members}
                     | {compound_ids[k] for k, _ in plan.new_compounds})
    seat_ids = store.seat_ids_of(db, touched)
    for key, code, *_ in plan.new_seats:
        change.record("seat_added", compound_id=compound_ids[key], data={"seat_id": seat_ids[(compound_ids[key], code)]})
    for seat_id, name, key in plan.seat_renames:     # records keep the name they had (attendance, actions…)
        store.update_seat(db, seat_id, {"name": name})
        change.record("seat_renamed", compound_id=compound_ids[key], data={"seat_id": seat_id, "fields": ["name"]})
    tell(0.4)
    day = today().isoformat()
    store.insert_members(db, [{"compound_id": compound_ids[key], "seat_id": seat_ids[(compound_ids[key], code)],
                               **values, "active_from": day, "demo": 0} for key, code, values in plan.new_members])
    added: dict[int, int] = {}
    for key, *_ in plan.new_members:
        added[compound_ids[key]] = added.get(compound_ids[key], 0) + 1
    for compound_id, count in added.items():
        change.record("members_added", compound_id=compound_id, data={"count": count})
    for member_id, values, key in plan.member_updates:
        store.update_member(db, member_id, values)
        change.record("member_updated", compound_id=compound_ids[key],
                      data={"member_id": member_id, "fields": sorted(values)})
    tell(0.6)
    lines = _accounts(change, plan, passwords, compound_ids, area_ids, tell)
    change.record("onboarded", data={"counts": plan.counts})
    return lines


def _accounts(change: Change, plan: Plan, passwords: list, compound_ids: dict, area_ids: dict,
              tell: Progress) -> tuple[AccountLine, ...]:
    lines = []
    for n, wanted in enumerate(plan.new_accounts):
        made: NewAccount = add_account(
            change, username=wanted["username"], display_name=wanted["display_name"], role=wanted["role"],
            compound_ids=[compound_ids[k] for k in wanted["compounds"]],
            area_id=area_ids[wanted["area"]] if wanted["area"] else None, seat_code=wanted["seat_code"],
            password=passwords[n] if n < len(passwords) else None)
        lines.append(AccountLine(wanted["display_name"], made.username, ROLE_NAMES[wanted["role"]],
                                 _scope_label(wanted), made.one_time_password))
        if n % 50 == 0:
            tell(0.6 + 0.4 * n / max(len(plan.new_accounts), 1))
    for user_id, values, fields in plan.account_updates:
        store.update_account(change.db, user_id, {
            **{k: values[k] for k in ("display_name", "role", "seat_code") if k in values},
            **({"area_id": area_ids[values["area"]] if values["area"] else None} if "area" in values else {})},
            [compound_ids[k] for k in values["compounds"]] if "compounds" in values else None)
        change.record("user_scope_changed", data={"user_id": user_id, "fields": fields})
    return tuple(lines)


def _scope_label(wanted: dict) -> str:
    if wanted["area"]:
        return "/".join(wanted["area"])
    return "、".join(key[1] for key in wanted["compounds"])


def _report(plan: Plan, *, dry_run: bool, applied: bool, accounts=()) -> OnboardingReport:
    return OnboardingReport(dry_run=dry_run, applied=applied, counts=plan.counts, problems=tuple(plan.problems),
                            accounts=tuple(accounts))

