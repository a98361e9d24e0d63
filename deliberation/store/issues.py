"""Issues (议题): the register's rows and their stage, version and outcome."""
from __future__ import annotations

from ..model.errors import NotFound, StaleRecord
from .db import one, rows, scalar

# A merged issue lives on in the one it joined: every count and list of issues reads only the
# live ones. (SQL fragment; `i.` is the issues alias used throughout the store.)
LIVE = "i.merged_into_id IS NULL"


def get_issue(db, issue_id: int) -> dict | None:
    return one(db, "SELECT * FROM issues WHERE id = ?", [issue_id])


def insert_issue(db, values: dict) -> int:
    """A new issues row with the compound's next number (inside the caller's write transaction,
    so two writers cannot take the same one); returns its id."""
    number = scalar(db, "SELECT coalesce(max(number), 0) + 1 FROM issues WHERE compound_id = ?",
                    [values["compound_id"]])
    # An issue accepted as it is raised (by staff, or an import) has had its answer at once.
    responded_at = values.get("responded_at") or values.get("accepted_at")
    return db["issues"].insert({**values, "number": number, "responded_at": responded_at}).last_pk


def issue_id_by_number(db, compound_id: int, number: int) -> int | None:
    """The id of the compound's issue #number (None when there is none)."""
    return scalar(db, "SELECT id FROM issues WHERE compound_id = ? AND number = ?", [compound_id, number])


def update_issue_at_version(db, issue_id: int, version: int, changes: dict, *, updated_at: str) -> int:
    """Write `changes` if the row still has `version`; return the new version, or raise
    StaleRecord when someone else wrote first (nothing is written then)."""
    # Claim the version first: a concurrent edit that got there before us makes this a no-op.
    cur = db.execute("UPDATE issues SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                     [updated_at, issue_id, version])
    if cur.rowcount != 1:
        raise StaleRecord()
    if changes:
        db["issues"].update(issue_id, changes)
    return version + 1


def publicity_windows_closed_before(db, day: str) -> list[dict]:
    """[{id, compound_id}] of issues in 公示 whose objection window closed before `day`."""
    return rows(db, """SELECT id, compound_id FROM issues
                       WHERE stage = 'publicizing' AND objection_closes_on < ?""", [day])


def count_live_issues_by_stage(db, compound_id: int) -> dict[str, int]:
    """{stage: live issues} of a compound (stages without issues are absent)."""
    return {r["stage"]: r["n"] for r in rows(db, """
        SELECT stage, count(*) AS n FROM issues WHERE compound_id = ? AND merged_into_id IS NULL
        GROUP BY stage""", [compound_id])}


def count_outcomes(db, compound_id: int) -> dict[str, int]:
    """{resolved, closed, merged} of a compound: 已办结, 已关闭(未解决) and 合并 apart. 合并 is every
    duplicate: merged into another issue, or closed as 重复 before merging existed (old records,
    imported registers); neither is a problem left unsolved."""
    row = one(db, """
        SELECT coalesce(sum(stage = 'resolved' AND merged_into_id IS NULL), 0) AS resolved,
               coalesce(sum(stage = 'closed' AND merged_into_id IS NULL
                            AND coalesce(closed_reason, '') != 'duplicate'), 0) AS closed,
               coalesce(sum(stage = 'closed' AND (merged_into_id IS NOT NULL OR closed_reason = 'duplicate')), 0)
                 AS merged
        FROM issues WHERE compound_id = ? AND stage IN ('resolved', 'closed')""", [compound_id])
    return {"resolved": row["resolved"], "closed": row["closed"], "merged": row["merged"]}


def count_resolved_by_level(db, compound_id: int) -> dict[str, int]:
    """{resolved_level: resolved issues} of a compound: the 721 figure."""
    return {r["resolved_level"]: r["n"] for r in rows(db, """
        SELECT resolved_level, count(*) AS n FROM issues WHERE compound_id = ? AND stage = 'resolved'
          AND merged_into_id IS NULL GROUP BY resolved_level""", [compound_id])}


# --- the register (议题台账): filtered and paginated in SQL --------------------------------------
# The page and count queries are the register's hot path (benchmarks/: board_vs_floor): change
# their text only with the figures in hand. `where` is what register_where returns.

def _in(column: str, values) -> tuple[str, list]:
    return f"{column} IN ({', '.join('?' for _ in values)})", list(values)


def register_where(compound_id: int, f, day: str) -> tuple[str, list]:
    """(WHERE, params) of the register for filter `f` (services.register.IssueFilter) on `day`:
    only fixed SQL fragments, values always as parameters."""
    parts, params = ["i.compound_id = ?"], [compound_id]
    if not f.include_merged:
        parts.append(LIVE)
    for column, values in (("i.stage", f.stages), ("i.category_id", f.category_ids),
                           ("i.raised_by_seat_id", f.seat_ids)):
        if values:
            sql, p = _in(column, values)
            parts.append(sql)
            params += p
    if f.overdue:
        parts.append("""((i.stage IN ('collected','deliberating','acting','escalated') AND i.stage_due_on < ?)
            OR EXISTS (SELECT 1 FROM actions a WHERE a.issue_id = i.id AND a.status IN ('open','in_progress')
                       AND a.due_on < ?))""")
        params += [day, day]
    if f.text.strip():
        parts.append("(i.title LIKE ? ESCAPE '\\' OR i.description LIKE ? ESCAPE '\\' OR i.number = ?)")
        needle = "%" + f.text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        # "#16" or "16" also finds the compound's issue number 16 (the number residents quote).
        typed = f.text.strip().lstrip("#")
        params += [needle, needle, int(typed) if typed.isdigit() and len(typed) < 10 else None]
    if f.raised_from:
        parts.append("i.raised_on >= ?")
        params.append(f.raised_from.isoformat())
    if f.raised_to:
        parts.append("i.raised_on <= ?")
        params.append(f.raised_to.isoformat())
    return " AND ".join(parts), params


def register_counts_by_stage(db, where: tuple[str, list]) -> dict[str, int]:
    """{stage: issues} matching the register's WHERE; their sum is the register's total."""
    sql, params = where
    return {r["stage"]: r["n"] for r in rows(
        db, "SELECT i.stage, count(*) AS n FROM issues i WHERE " + sql + " GROUP BY i.stage", params)}


def register_page_rows(db, where: tuple[str, list], *, day: str, limit: int, offset: int) -> list[dict]:
    """One page of the register, newest first, with category, households and overdue flag."""
    sql, params = where
    return rows(db, """
        SELECT i.id, i.number, i.title, i.stage, i.raised_on, i.raised_by_kind, i.raised_by_seat_name, i.priority,
               i.building, i.stage_due_on, i.version, i.demo, i.accepted_at, c.name AS category,
               (SELECT count(*) FROM reports r WHERE r.issue_id = i.id) AS households,
               (i.stage IN ('collected','deliberating','acting','escalated') AND i.stage_due_on < ?) AS overdue
        FROM issues i JOIN categories c ON c.id = i.category_id
        WHERE """ + sql + " ORDER BY i.raised_on DESC, i.id DESC LIMIT ? OFFSET ?",
        [day, *params, limit, offset])


def register_export_rows(db, where: tuple[str, list]) -> list[dict]:
    """Every issue matching the register's WHERE, in the register's order, with the columns the
    register file prints (category name and households included)."""
    sql, params = where
    return rows(db, """
        SELECT i.title, c.name AS category, i.stage, i.raised_by_kind, i.raised_by_seat_name, i.channel,
               i.raised_on, i.building, i.priority, i.description, i.public_summary, i.resolved_level,
               i.resolved_on, i.closed_reason,
               (SELECT count(*) FROM reports r WHERE r.issue_id = i.id) AS households
        FROM issues i JOIN categories c ON c.id = i.category_id
        WHERE """ + sql + " ORDER BY i.raised_on DESC, i.id DESC", params)



def require_issue(db, issue_id: int) -> dict:
    """The issue's row, or NotFound (a stale link, a tampered id)."""
    issue = get_issue(db, issue_id)
    if issue is None:
        raise NotFound("找不到该议题")
    return issue
