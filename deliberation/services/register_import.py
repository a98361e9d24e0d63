"""Importing a 台账 (XLSX/CSV) into a compound: all rows or none.

The file is read and every row checked first (imports.register_file); with any problem nothing is
written and the caller gets the row-by-row report. Otherwise every row is written in ONE write
transaction: the issue at the stage the file gives (with its dates, resolved level or closed
reason), its households as reports without personal data, and an `imported` event naming the file
and row. A dry run stops after the checks.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Callable

from ..imports.register_file import (
    ImportRow,
    RegisterCheck,
    RowProblem,
    read_register_file,
    report_text,
    validate_register_rows,
)
from ..model.errors import NotFound
from ..model.lifecycle import CLOSE_REASONS, Stage
from ..model.roles import Action
from ..store import compounds as compound_store
from ..store import issues as issue_store
from ..store import reports as report_store
from ..store import roster as roster_store
from ..store import write
from .actors import Actor
from .clock import stamp, today
from .lifecycle import stage_due_on
from .permissions import authorize
from .use_case import Change

Progress = Callable[[int, int], None]
_REASONS = {label: key for key, label in CLOSE_REASONS.items()} | {key: key for key in CLOSE_REASONS} | {
    "重复议题": "duplicate", "重复": "duplicate", "撤回": "withdrawn", "不属小区职责范围": "not_our_remit"}
MAX_HOUSEHOLDS_WITHOUT_SIZE = 5000    # when the compound's household count is unknown


@dataclass(frozen=True)
class ImportResult:
    check: RegisterCheck
    dry_run: bool
    written: int = 0
    issue_ids: tuple[int, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.check.ok

    @property
    def report(self) -> str:
        text = report_text(self.check)
        if self.ok and not self.dry_run:
            text += f"\n已导入 {self.written} 条议题。"
        return text


def import_register(db, actor: Actor, compound_id: int, filename: str, data: bytes, *,
                    dry_run: bool = False, progress: Progress | None = None) -> ImportResult:
    """Check, then write everything or nothing. A file that cannot be read at all (not a
    spreadsheet, a zip bomb, an XML entity trick, a missing column) raises DomainError."""
    authorize(db, actor, Action.RAISE_ISSUE, compound_id)
    authorize(db, actor, Action.EDIT_ISSUE, compound_id)
    compound = compound_store.get_compound(db, compound_id)
    if compound is None:
        raise NotFound("找不到该小区")
    categories = {r["name"]: r["id"] for r in roster_store.categories_of_compound(db, compound_id)}
    seats = {r["name"]: r["id"] for r in roster_store.seats_of_compound(db, compound_id)}
    raw = read_register_file(filename, data)
    check = validate_register_rows(raw, categories=set(categories), seats=set(seats), today=today())
    check = _domain_checks(check, compound["households"] or MAX_HOUSEHOLDS_WITHOUT_SIZE)
    if not check.ok or dry_run:
        return ImportResult(check=check, dry_run=dry_run)
    ids = _write(db, actor, compound_id, filename, check.rows, categories, seats, progress)
    return ImportResult(check=check, dry_run=False, written=len(ids), issue_ids=tuple(ids))


def _domain_checks(check: RegisterCheck, max_households: int) -> RegisterCheck:
    """Rules the file reader cannot know: our close reasons and the compound's size."""
    problems = list(check.problems)
    for row in check.rows:
        if row.closed_reason and row.closed_reason not in _REASONS:
            problems.append(RowProblem(row.row_number, "关闭原因", f"未知关闭原因“{row.closed_reason}”,可选:"
                                       + "、".join(CLOSE_REASONS.values())))
        if row.households > max_households:
            problems.append(RowProblem(row.row_number, "反映户数",
                                       f"{row.households} 户超过本小区总户数 {max_households}"))
    if len(problems) == len(check.problems):
        return check
    problems.sort(key=lambda p: p.row_number)
    bad_rows = {p.row_number for p in problems}
    return replace(check, rows=tuple(r for r in check.rows if r.row_number not in bad_rows),
                   problems=tuple(problems))


def _issue_values(row: ImportRow, compound_id: int, category_id: int, seat_id: int | None,
                  at: str, day: date, entered: date, stage_due: str | None) -> dict:
    stage = Stage(row.stage)
    return {
        "compound_id": compound_id, "title": row.title, "description": row.description,
        "category_id": category_id, "raised_by_kind": row.raised_by_kind, "raised_by_seat_id": seat_id,
        "raised_by_seat_name": row.raised_by_seat or "", "channel": row.channel, "raised_on": row.raised_on,
        "building": row.building, "priority": row.priority, "public_summary": row.public_summary,
        "stage": stage.value, "stage_entered_on": entered.isoformat(), "stage_due_on": stage_due,
        "accepted_at": at,
        "fix_level": row.resolved_level if stage == Stage.RESOLVED else None,
        "resolved_level": row.resolved_level if stage == Stage.RESOLVED else None,
        "resolved_on": (row.resolved_on or day.isoformat()) if stage == Stage.RESOLVED else None,
        "closed_reason": _REASONS[row.closed_reason] if stage == Stage.CLOSED else None,
        "public_reply": "",
        "created_at": at, "updated_at": at,
    }


def _entered_on(row: ImportRow, day: date) -> date:
    """When the issue entered its stage, as far as the file tells: a concern waits since it was
    raised; a resolved one since its 办结日期; for the rest the file says nothing, so today."""
    stage = Stage(row.stage)
    if stage == Stage.COLLECTED:
        return date.fromisoformat(row.raised_on)
    if stage == Stage.RESOLVED and row.resolved_on:
        return date.fromisoformat(row.resolved_on)
    return day


def _write(db, actor: Actor, compound_id: int, filename: str, import_rows, categories: dict, seats: dict,
           progress: Progress | None) -> list[int]:
    """Every row in one write transaction (the caller has authorized): all or nothing."""
    now_stamp, day = stamp(), today()
    total, ids = len(import_rows), []
    due_cache: dict[tuple, str | None] = {}
    with write(db):
        change = Change(db, actor, compound_id)
        for done, row in enumerate(import_rows, start=1):
            category_id, seat_id = categories[row.category], seats.get(row.raised_by_seat or "")
            entered = _entered_on(row, day)
            key = (category_id, row.stage, entered)
            if key not in due_cache:
                due_cache[key] = stage_due_on(roster_store.category_stage_days(db, category_id), Stage(row.stage),
                                              entered)
            issue_id = issue_store.insert_issue(db, _issue_values(row, compound_id, category_id, seat_id, now_stamp,
                                                                  day, entered, due_cache[key]))
            # One report per household, with no personal data: the file carries none.
            report_store.insert_reports(db, [{"issue_id": issue_id, "kind": row.raised_by_kind, "seat_id": seat_id,
                                              "created_at": now_stamp}] * row.households)
            change.record("imported", issue_id=issue_id, to_stage=row.stage,
                          note=f"从台账文件「{filename}」第 {row.row_number} 行导入",
                          data={"file": filename, "row": row.row_number})
            ids.append(issue_id)
            if progress is not None:
                progress(done, total)
        change.record("register_imported", note=f"从台账文件「{filename}」导入 {total} 条议题",
                      data={"file": filename, "count": total})
    return ids
