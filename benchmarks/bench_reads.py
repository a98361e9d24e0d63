"""The read side: the register's query against a hand-written floor, the register and public
pages' service calls at two database sizes, and the area roll-up."""
from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from deliberation.store import open_db
from measure import BOARD_COMPOUND, ROOT, actor_of, paired, say

REGISTER_PAGE = ROOT / "deliberation" / "web" / "register" / "page.py"


# --- the register: service vs hand-written floor ------------------------------------------------

def register_filter():
    from deliberation.services.register import IssueFilter
    return IssueFilter(raised_from=date.today() - timedelta(days=730))


FLOOR_COUNTS = """SELECT stage, count(*) FROM issues INDEXED BY issues_register
    WHERE compound_id = ? AND merged_into_id IS NULL AND raised_on >= ? GROUP BY stage"""
FLOOR_PAGE = """SELECT i.id, i.title, i.stage, i.raised_on, i.raised_by_kind, i.raised_by_seat_name, i.priority,
       i.building, i.stage_due_on, i.version, i.demo, i.accepted_at, c.name,
       (SELECT count(*) FROM reports r WHERE r.issue_id = i.id),
       (i.stage IN ('collected','deliberating','acting','escalated') AND i.stage_due_on < ?)
    FROM issues i INDEXED BY issues_register JOIN categories c ON c.id = i.category_id
    WHERE i.compound_id = ? AND i.merged_into_id IS NULL AND i.raised_on >= ?
    ORDER BY i.raised_on DESC, i.id DESC LIMIT 50 OFFSET 0"""


def board_vs_floor(path: Path, runs: int) -> dict:
    from deliberation.services.register import list_issues
    db = open_db(path, migrate=False)
    actor = actor_of(db, f"sec{BOARD_COMPOUND:04d}")
    f = register_filter()
    page = list_issues(db, actor, BOARD_COMPOUND, f, page=1, page_size=50)
    raw = sqlite3.connect(str(path), isolation_level=None)
    since, today = f.raised_from.isoformat(), date.today().isoformat()

    def floor():
        counts = dict(raw.execute(FLOOR_COUNTS, [BOARD_COMPOUND, since]).fetchall())
        found = raw.execute(FLOOR_PAGE, [today, BOARD_COMPOUND, since]).fetchall()
        return sum(counts.values()), found

    total, found = floor()
    assert total == page.total and [r[0] for r in found] == [r["id"] for r in page.rows], "floor != service"
    m = paired(lambda: list_issues(db, actor, BOARD_COMPOUND, f, page=1, page_size=50), floor, runs)
    raw.close()
    db.close()
    return {"value": round(m["a_cpu_ms"] / m["b_cpu_ms"], 2), "service_cpu_ms": round(m["a_cpu_ms"], 3),
            "floor_cpu_ms": round(m["b_cpu_ms"], 3), "service_ms": round(m["a_ms"], 3), "floor_ms": round(m["b_ms"], 3),
            "rows": len(page.rows), "total": page.total, "filter": "raised in the last 730 days, page 1 of 50",
            "floor": "raw sqlite3: one GROUP BY stage count + the page query, INDEXED BY issues_register"}


# --- page builds: register and public board at two sizes -----------------------------------------

def register_page_calls(db, user_id: int):
    """The service calls of deliberation/web/register/page.py on every run (page_context's actor and
    compound picker, the compound, the filter form's lists, the agenda toolbar, the page of issues)."""
    from deliberation.services.compounds import get_compound, list_compounds
    from deliberation.services.actors import load_actor
    from deliberation.services.register import list_issues
    from deliberation.services.roster import list_categories, list_seats
    from deliberation.services.workbench import planned_meeting
    actor = load_actor(db, user_id)
    mine = list_compounds(db, actor)
    compound = get_compound(db, mine[[c["id"] for c in mine].index(BOARD_COMPOUND)]["id"])
    list_categories(db, compound.id, include_retired=True)
    list_seats(db, compound.id, include_retired=True)
    planned_meeting(db, actor, compound.id)
    return list_issues(db, actor, compound.id, register_filter(), page=1, page_size=50)


def public_board_calls(db, cold: bool = False):
    """The public board's reads for one compound: public_issues (count + first page), public_meetings
    (first page), public_stage_counts, with the page's page sizes. Warm: as a resident meets them
    while nothing was written since the last read (services/public_cache.py); cold: the queries."""
    from deliberation.services import public as board
    read = (lambda fn: fn.uncached) if cold else (lambda fn: fn)
    read(board.public_stage_counts)(db, BOARD_COMPOUND)
    read(board.public_issues)(db, BOARD_COMPOUND, page_size=1)
    read(board.public_issues)(db, BOARD_COMPOUND, page=1, page_size=10)
    read(board.public_meetings)(db, BOARD_COMPOUND, limit=10)


def public_page_calls(db):
    """Everything deliberation/web/public/page.py calls on its first tab, plus a page of meetings."""
    from deliberation.services import public as board
    from deliberation.services.compounds import get_compound
    board.public_compounds(db)
    get_compound(db, BOARD_COMPOUND)
    board.public_escalation_counts(db, BOARD_COMPOUND)
    board.public_meeting_count(db, BOARD_COMPOUND)
    public_board_calls(db)


def apptest_ms(path: Path, user_id: int, runs: int) -> float | None:
    """Server time of the real register page through AppTest, if the page exists yet."""
    if not REGISTER_PAGE.exists():
        return None
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest
    set_log_level("error")                      # AppTest's bare-mode warnings are noise here
    os.environ["DELIBERATION_DB"] = str(path)
    main_module = sys.modules["__main__"]       # Streamlit's script runner replaces it
    try:
        return _apptest_runs(AppTest, user_id, runs)
    finally:
        sys.modules["__main__"] = main_module


def _apptest_runs(AppTest, user_id: int, runs: int) -> float | None:
    samples = []
    for _ in range(runs + 1):
        at = AppTest.from_file(str(REGISTER_PAGE), default_timeout=60)
        at.session_state["user_id"] = user_id
        at.session_state["last_seen"] = time.time()
        at.session_state["compound_id"] = BOARD_COMPOUND
        started = time.perf_counter()
        at.run()
        samples.append((time.perf_counter() - started) * 1000)
        if at.exception:
            say(f"register page raised: {at.exception[0].message}")
            return None
    return statistics.median(samples[1:])


def scaling(small: Path, large: Path, runs: int, apptest_runs: int = 5) -> tuple[dict, dict]:
    """The same compound's page on the small and the large database, run alternately."""
    dbs, users = {}, {}
    for name, path in (("small", small), ("large", large)):
        dbs[name] = open_db(path, migrate=False)
        users[name] = dbs[name].execute("SELECT id FROM users WHERE username = ?",
                                        [f"sec{BOARD_COMPOUND:04d}"]).fetchone()[0]
    reg = paired(lambda: register_page_calls(dbs["small"], users["small"]),
                 lambda: register_page_calls(dbs["large"], users["large"]), runs)
    pub = paired(lambda: public_board_calls(dbs["small"]), lambda: public_board_calls(dbs["large"]), runs)
    cold = paired(lambda: public_board_calls(dbs["small"], cold=True),
                  lambda: public_board_calls(dbs["large"], cold=True), runs)
    page = paired(lambda: public_page_calls(dbs["small"]), lambda: public_page_calls(dbs["large"]), runs)
    for db in dbs.values():
        db.close()
    board = {"value": round(reg["b_cpu_ms"] / reg["a_cpu_ms"], 2),
             "small_cpu_ms": round(reg["a_cpu_ms"], 3), "large_cpu_ms": round(reg["b_cpu_ms"], 3),
             "small_ms": round(reg["a_ms"], 3), "large_ms": round(reg["b_ms"], 3),
             "measured": "service calls the register page makes on each run (load_actor, list_compounds, "
                         "get_compound, list_categories, list_seats, planned_meeting, list_issues)"}
    apptest = {name: apptest_ms(path, users[name], apptest_runs) for name, path in
               (("small", small), ("large", large))}
    if apptest["small"] and apptest["large"]:
        board.update(apptest_small_ms=round(apptest["small"], 1), apptest_large_ms=round(apptest["large"], 1),
                     apptest_ratio=round(apptest["large"] / apptest["small"], 2))
    public = {"value": round(pub["b_cpu_ms"] / pub["a_cpu_ms"], 2),
              "small_cpu_ms": round(pub["a_cpu_ms"], 3), "large_cpu_ms": round(pub["b_cpu_ms"], 3),
              "small_ms": round(pub["a_ms"], 3), "large_ms": round(pub["b_ms"], 3),
              "measured": "public_stage_counts + public_issues (count, first page of 10) + public_meetings "
                          "(first page of 10) for one compound, answered from the public cache (no write "
                          "since the last read)",
              "cold_ratio": round(cold["b_cpu_ms"] / cold["a_cpu_ms"], 2),
              "cold_small_cpu_ms": round(cold["a_cpu_ms"], 3), "cold_large_cpu_ms": round(cold["b_cpu_ms"], 3),
              "cold_measured": "the same queries with the cache bypassed (the first read after any write)",
              "page_small_cpu_ms": round(page["a_cpu_ms"], 3), "page_large_cpu_ms": round(page["b_cpu_ms"], 3),
              "page_ratio": round(page["b_cpu_ms"] / page["a_cpu_ms"], 2),
              "page_measured": "every service call of the public page's first tab, including public_compounds "
                               "(all compounds, for the picker)"}
    return board, public


# --- roll-up ---------------------------------------------------------------------------------------

def rollup(path: Path, username: str, runs: int) -> dict:
    from deliberation.services.rollup import area_rollup
    db = open_db(path, migrate=False)
    actor = actor_of(db, username)
    out = area_rollup(db, actor, actor.area_id)
    m = paired(lambda: area_rollup(db, actor, actor.area_id), lambda: None, runs, warmup=2)
    db.close()
    return {"ms": round(m["a_ms"], 1), "cpu_ms": round(m["a_cpu_ms"], 1), "compounds": len(out["rows"]),
            "levels": out["levels"]}
