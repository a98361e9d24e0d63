"""The write side: 20 concurrent writers (processes × threads) through the services, and the
document exporters (minutes DOCX + PDF, register XLSX)."""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

from deliberation.model.errors import DomainError, StoreBusy
from deliberation.store import open_db
from measure import BOARD_COMPOUND, paired


# --- concurrent writers ------------------------------------------------------------------------

def _writer(path: str, user_id: int, writer: int, writes: int, out: list) -> None:
    from deliberation.services.actors import load_actor
    from deliberation.services.issues import raise_issue, update_issue
    db = open_db(path, migrate=False)
    actor = load_actor(db, user_id)
    category = db.execute("SELECT id FROM categories WHERE compound_id = ? ORDER BY id LIMIT 1",
                          [BOARD_COMPOUND]).fetchone()[0]
    latencies, lock_errors, other, last, acked, edits = [], 0, [], None, [], 0
    for n in range(writes):
        started = time.perf_counter()
        try:
            if last is not None and n % 4 == 3:
                last = (last[0], update_issue(db, actor, last[0], last[1], description=f"更新 {writer}-{n}"))
                edits += 1
            else:
                last = (raise_issue(db, actor, BOARD_COMPOUND, title=f"并发写入 w{writer:02d}-{n:04d}",
                                    category_id=category, raised_by_kind="resident", channel="resident_report"), 1)
                acked.append(last[0])
        except StoreBusy:
            lock_errors += 1
        except (DomainError, sqlite3.Error) as exc:
            other.append(repr(exc))
        latencies.append((time.perf_counter() - started) * 1000)
    db.close()
    out.append({"latencies": latencies, "lock_errors": lock_errors, "other": other, "acked": acked, "edits": edits})


def _writer_process(path: str, user_id: int, first: int, threads: int, writes: int, queue) -> None:
    out: list = []
    workers = [threading.Thread(target=_writer, args=(path, user_id, first + k, writes, out)) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    queue.put(out)


def writers(small: Path, workdir: Path, writes: int, processes: int = 4, threads: int = 5) -> dict:
    import multiprocessing as mp
    path = workdir / "writers.db"
    src, dst = sqlite3.connect(str(small)), sqlite3.connect(str(path))
    src.backup(dst)
    src.close()
    dst.close()
    db = open_db(path, migrate=False)
    user_id = db.execute("SELECT id FROM users WHERE username = ?", [f"sec{BOARD_COMPOUND:04d}"]).fetchone()[0]
    issues_before = db.execute("SELECT count(*) FROM issues").fetchone()[0]
    db.close()
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    started = time.perf_counter()
    procs = [ctx.Process(target=_writer_process, args=(str(path), user_id, p * threads, threads, writes, queue))
             for p in range(processes)]
    for p in procs:
        p.start()
    results = [r for _ in procs for r in queue.get(timeout=900)]
    for p in procs:
        p.join()
    wall = time.perf_counter() - started
    latencies = sorted(x for r in results for x in r["latencies"])
    acked = [i for r in results for i in r["acked"]]
    edits = sum(r["edits"] for r in results)
    conn = sqlite3.connect(str(path))
    found = {row[0] for row in conn.execute("SELECT id FROM issues WHERE title LIKE '并发写入 w%'")}
    with_event = {row[0] for row in conn.execute(
        "SELECT issue_id FROM events WHERE kind = 'raised' AND issue_id IN (SELECT value FROM json_each(?))",
        [json.dumps(acked)])}
    edited = conn.execute("""SELECT count(*) FROM events WHERE kind = 'edited'
                             AND issue_id IN (SELECT value FROM json_each(?))""", [json.dumps(acked)]).fetchone()[0]
    conn.close()
    other = [e for r in results for e in r["other"]]
    return {"writers": processes * threads, "processes": processes, "threads_per_process": threads,
            "writes_per_writer": writes, "writes": len(latencies), "wall_s": round(wall, 1),
            "lost": len(set(acked) - found) + len(set(acked) - with_event) + max(0, edits - edited),
            "lock_errors": sum(r["lock_errors"] for r in results), "other_errors": other[:5],
            "p50_ms": round(latencies[len(latencies) // 2], 1),
            "p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)], 1), "max_ms": round(latencies[-1], 1),
            "acknowledged": {"raised": len(acked), "edits": edits}, "issues_before": issues_before}


# --- exports ---------------------------------------------------------------------------------------

def exports(large: Path, runs: int) -> dict:
    try:
        from deliberation.exports.minutes import minutes_docx, minutes_pdf
        from deliberation.exports.register import register_xlsx
        from deliberation.exports.views import ActionLine, AgendaLine, AttendanceLine, MinutesView
    except ImportError as exc:
        return {"minutes_ms": None, "register_xlsx_ms": None, "note": f"exporters not available: {exc}"}
    from deliberation.model.defaults import DEFAULT_SEATS
    attendance = tuple(AttendanceLine(name, f"成员{k}", "出席") for k, (_, name) in enumerate(DEFAULT_SEATS))
    items = tuple(AgendaLine(
        k, f"{k}栋地下车库照明不足及充电桩安装问题", "业委会提出夜间车位缺口约120个,物业说明地面可新增划线车位30个。" * 3,
        "同意新增划线车位30个,并与周边学校签订错时停车协议。", "分工落实",
        (ActionLine("物业服务企业", "完成地面车位划线", "2025-04-15", "进行中"),
         ActionLine("社区居委会/工作站", "协调学校错时停车", "2025-04-30", "待办")),
        tuple((name, "赞成") for _, name in DEFAULT_SEATS)) for k in range(1, 16))
    view = MinutesView("模拟花园", 12, "2025-03-11 19:00", "模拟花园党群服务站", "张建国", "周婷", attendance, items)
    minutes = paired(lambda: (minutes_docx(view), minutes_pdf(view)), lambda: None, runs, warmup=1)
    from deliberation.model.defaults import CHANNELS, PRIORITIES
    from deliberation.model.lifecycle import STAGE_LABELS, Level, Stage
    conn = sqlite3.connect(f"file:{large}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    rows = [{
        "title": r["title"], "category": r["category"], "stage": STAGE_LABELS[Stage(r["stage"])],
        "raised_by": r["raised_by_seat_name"] or r["raised_by_kind"], "channel": CHANNELS.get(r["channel"], ""),
        "raised_on": r["raised_on"], "building": r["building"], "priority": PRIORITIES[r["priority"]],
        "description": r["description"], "public_summary": r["public_summary"],
        "resolved_level": Level(r["resolved_level"]).label if r["resolved_level"] else "",
        "resolved_on": r["resolved_on"] or "", "closed_reason": r["closed_reason"] or "", "households": r["households"],
    } for r in conn.execute("""SELECT i.*, c.name AS category, (SELECT count(*) FROM reports r WHERE r.issue_id = i.id)
                               AS households FROM issues i JOIN categories c ON c.id = i.category_id
                               ORDER BY i.id LIMIT 10000""")]
    conn.close()
    xlsx = paired(lambda: register_xlsx(rows), lambda: None, max(1, runs // 2), warmup=0)
    return {"minutes_ms": round(minutes["a_ms"], 1), "minutes_cpu_ms": round(minutes["a_cpu_ms"], 1),
            "register_xlsx_ms": round(xlsx["a_ms"], 1), "register_xlsx_cpu_ms": round(xlsx["a_cpu_ms"], 1),
            "register_rows": len(rows), "minutes_items": len(items)}
