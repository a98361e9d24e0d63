"""Importing a 台账 (XLSX/CSV) into a compound: all rows or none, and never a row twice.

The file is read and every row checked first (imports.register_file); with any problem nothing is
written and the caller gets the row-by-row report. A row the compound already has (same title, date
raised and raiser: imports.register_identity) is skipped and named in the report, so re-importing
the same file adds nothing. The rest is staged outside the write lock (the connection's temp tables,
store.register_staging) and written in ONE short write transaction: the issue at the stage the file
gives (with its dates, resolved level or closed reason), its households as reports without personal
data, and an `imported` event naming the file and row. A dry run stops after the checks.

Limits keep that transaction short (benchmarks/bench_import_lock.py): a row's households are capped
by the compound's household count; a file's rows (imports.register_file.MAX_ROWS), households
(MAX_IMPORT_HOUSEHOLDS) and text (MAX_IMPORT_TEXT) are capped as a whole.
"""
from __future__ import annotations

import json
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
from ..imports.register_identity import split_present
from ..model.errors import NotFound
from ..model.lifecycle import CLOSE_REASONS, Stage
from ..model.roles import Action
from ..store import compounds as compound_store
from ..store import register_staging, write
from ..store import roster as roster_store
from ..store.db import tick_compound
from .actors import Actor
from .clock import stamp, today
from .event_log import append_event
from .lifecycle import stage_due_on
from .permissions import authorize

Progress = Callable[[int, int], None]
_REASONS = {label: key for key, label in CLOSE_REASONS.items()} | {key: key for key in CLOSE_REASONS} | {
    "重复议题": "duplicate", "重复": "duplicate", "撤回": "withdrawn", "不属小区职责范围": "not_our_remit"}
MAX_HOUSEHOLDS_WITHOUT_SIZE = 5000    # a row's cap when the compound's household count is unknown
# A file's households together: each is a reports row written in the import's one transaction,
# so this bounds how long that transaction holds the write lock (benchmarks/bench_import_lock.py).
# 100,000 is 20 a row at the most rows, or 33 whole-compound problems of a 3,000-household compound.
MAX_IMPORT_HOUSEHOLDS = 100_000
# …and its text together (title, description, summary, place): an .xlsx shares repeated strings, so
# a small file could otherwise carry hundreds of MB into that one transaction. A CSV within the 5 MB
# upload limit holds at most ~1.7 million Chinese characters.
MAX_IMPORT_TEXT = 2_000_000


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
        if self.ok and not self.dry_run and self.written:
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
    check = _without_present(check, register_staging.issue_identities(db, compound_id))
    check = _domain_checks(check, compound["households"])
    if not check.ok or dry_run or not check.rows:      # nothing new: nothing written, not even an event
        return ImportResult(check=check, dry_run=dry_run)
    check, ids = _write(db, actor, compound_id, filename, check, categories, seats, progress)
    return ImportResult(check=check, dry_run=False, written=len(ids), issue_ids=tuple(ids))


def _domain_checks(check: RegisterCheck, households: int | None) -> RegisterCheck:
    """Rules the file reader cannot know: our close reasons and the compound's size."""
    problems = list(check.problems)
    cap = households or MAX_HOUSEHOLDS_WITHOUT_SIZE
    for row in check.rows:
        if row.closed_reason and row.closed_reason not in _REASONS:
            problems.append(RowProblem(row.row_number, "关闭原因", f"未知关闭原因“{row.closed_reason}”,可选:"
                                       + "、".join(CLOSE_REASONS.values())))
        if row.households > cap:
            problems.append(RowProblem(row.row_number, "反映户数", (
                f"{row.households} 户超过本小区总户数 {cap}" if households else
                f"{row.households} 户超过单条上限 {cap} 户(本小区未登记总户数,可在小区与区域管理中填写)")))
    total = sum(row.households for row in check.rows)
    if total > MAX_IMPORT_HOUSEHOLDS:
        problems.append(RowProblem(0, "反映户数", f"全部议题的反映户数合计 {total} 户,超过一次导入的上限 "
                                                f"{MAX_IMPORT_HOUSEHOLDS} 户,请把文件分成几份分别导入"))
    text = sum(len(row.title) + len(row.description) + len(row.public_summary) + len(row.building)
               for row in check.rows)
    if text > MAX_IMPORT_TEXT:
        problems.append(RowProblem(0, "问题描述", f"全部议题的文字合计 {text} 字,超过一次导入的上限 "
                                                f"{MAX_IMPORT_TEXT} 字,请把文件分成几份分别导入"))
    if len(problems) == len(check.problems):
        return check
    problems.sort(key=lambda p: p.row_number)
    bad_rows = {p.row_number for p in problems}
    return replace(check, rows=tuple(r for r in check.rows if r.row_number not in bad_rows),
                   problems=tuple(problems))


def _without_present(check: RegisterCheck, existing: list[dict]) -> RegisterCheck:
    """The rows the compound already has move from `rows` to `present` (the report names them)."""
    new, present = split_present(check.rows, existing)
    return replace(check, rows=tuple(new), present=tuple(sorted((*check.present, *present))))


def _issue_values(row: ImportRow, compound_id: int, category_id: int, seat_id: int | None,
                  at: str, day: date, entered: date, stage_due: str | None) -> dict:
    stage = Stage(row.stage)
    return {
        "compound_id": compound_id, "title": row.title, "description": row.description,
        "category_id": category_id, "raised_by_kind": row.raised_by_kind, "raised_by_seat_id": seat_id,
        "raised_by_seat_name": row.raised_by_seat or "", "channel": row.channel, "raised_on": row.raised_on,
        "building": row.building, "priority": row.priority, "public_summary": row.public_summary,
        "stage": stage.value, "stage_entered_on": entered.isoformat(), "stage_due_on": stage_due,
        # Accepted as it is entered, so answered at once (as store.issues.insert_issue does).
        "accepted_at": at, "responded_at": at,
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


def _stage_rows(db, compound_id: int, filename: str, import_rows, categories: dict, seats: dict, at: str,
                progress: Progress | None) -> None:
    """Every row's values, computed and put in the connection's staging table before the write
    transaction begins (reads of the category limits included)."""
    day, total, staged = today(), len(import_rows), []
    due_cache: dict[tuple, str | None] = {}
    for done, row in enumerate(import_rows, start=1):
        category_id, seat_id = categories[row.category], seats.get(row.raised_by_seat or "")
        entered = _entered_on(row, day)
        key = (category_id, row.stage, entered)
        if key not in due_cache:
            due_cache[key] = stage_due_on(roster_store.category_stage_days(db, category_id), Stage(row.stage),
                                          entered)
        staged.append({**_issue_values(row, compound_id, category_id, seat_id, at, day, entered, due_cache[key]),
                       "seq": done, "households": row.households,
                       "event_note": f"从台账文件「{filename}」第 {row.row_number} 行导入",
                       "event_data": json.dumps({"file": filename, "row": row.row_number}, ensure_ascii=False)})
        if progress is not None:
            progress(done, total)
    register_staging.stage(db, staged)


def _write(db, actor: Actor, compound_id: int, filename: str, check: RegisterCheck, categories: dict,
           seats: dict, progress: Progress | None) -> tuple[RegisterCheck, list[int]]:
    """Stage, then one short write transaction (the caller has authorized): all or nothing. Rows
    that another import wrote meanwhile are skipped in the transaction, as the check would have."""
    at = stamp()
    _stage_rows(db, compound_id, filename, check.rows, categories, seats, at, progress)
    try:
        with write(db):
            now_present = _without_present(check, register_staging.issue_identities(db, compound_id))
            gone = {row for row, _ in now_present.present} - {row for row, _ in check.present}
            register_staging.unstage(db, [seq for seq, row in enumerate(check.rows, start=1)
                                          if row.row_number in gone])
            ids = register_staging.write_staged(db, compound_id=compound_id, kind="imported",
                                                actor_id=actor.user_id, actor_label=actor.label, created_at=at)
            if ids:
                append_event(db, actor=actor, kind="register_imported", compound_id=compound_id,
                             note=f"从台账文件「{filename}」导入 {len(ids)} 条议题",
                             data={"file": filename, "count": len(ids), "skipped": len(now_present.present)})
                tick_compound(db, compound_id)          # pages cached per compound are now out of date
    finally:
        register_staging.unstage(db)
    return now_present, ids
