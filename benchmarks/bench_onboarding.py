"""Onboarding a district from one workbook: 1,000 compounds, 9 seats and 10 members each, 2,000
accounts (a secretary and a recorder per compound), into an empty database.

    python benchmarks/bench_onboarding.py [--compounds 1000] [--json]

Builds the workbook with the template builder + openpyxl, then measures, each on a fresh
database with only an admin: the dry run, the real run, and the re-run of the same workbook
(which must change nothing). Each run happens in a forked child: seconds are its wall time, peak
memory its maximum RSS (os.wait4), which includes the parent's baseline (the workbook's bytes, the
imported modules: `baseline_rss_mb`). Prints ONE JSON object. Progress goes to stderr.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deliberation.exports.onboarding_template import TemplateCompound, onboarding_template  # noqa: E402
from deliberation.services.actors import SYSTEM, load_actor  # noqa: E402
from deliberation.services.onboarding import onboard  # noqa: E402
from deliberation.services.users import create_user  # noqa: E402
from deliberation.store import open_db  # noqa: E402

SEATS = ("党支部", "业主委员会", "物业服务企业", "社区居委会/工作站", "居民小组/楼栋长", "社区警务室",
         "人大代表/政协委员联络站", "党员及居民代表", "驻区单位/社会组织/志愿者")


def district_workbook(compounds: int) -> bytes:
    """罗湖区 → 10 街道 → 10 社区 each → compounds spread evenly; 10 members and 2 accounts each."""
    import openpyxl
    streets = [f"罗湖区/第{s + 1}街道" for s in range(10)]
    communities = [f"{street}/第{c + 1}社区" for street in streets for c in range(10)]
    listed = tuple(TemplateCompound(communities[i % len(communities)], f"花园{i + 1:04d}") for i in range(compounds))
    wb = openpyxl.load_workbook(io.BytesIO(onboarding_template(listed, ("罗湖区", *streets, *communities))))
    for n, row in enumerate(wb["小区"].iter_rows(min_row=2)):
        row[2].value, row[3].value, row[6].value = f"罗湖区某路{n + 1}号", 300 + n % 900, "党群服务站"
    members, accounts = wb["成员"], wb["账号"]
    for i in range(compounds):
        name = f"花园{i + 1:04d}"
        for m in range(10):
            members.append([name, SEATS[m % 9], f"成员{i:04d}{m}", "委员", f"1380000{i:04d}"])
        accounts.append([f"sec{i:04d}", f"{name}书记", "支部书记", name, "", ""])
        accounts.append([f"rec{i:04d}", f"{name}记录员", "记录员", name, "", ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def in_child(fn) -> tuple[dict, float, float]:
    """Run `fn` (returning a JSON-able dict) in a forked child: its result, wall seconds, and the
    child's peak RSS in MiB (it starts as a copy of this process, so the baseline is included)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:                                       # the child: measure, report, leave at once
        os.close(read)
        started = time.perf_counter()
        result = fn()
        result["_seconds"] = time.perf_counter() - started
        with os.fdopen(write, "w") as out:
            out.write(json.dumps(result, ensure_ascii=False))
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as incoming:
        result = json.loads(incoming.read() or "{}")
    _, status, usage = os.wait4(pid, 0)
    if status != 0 or not result:
        raise SystemExit(f"the measured run failed (status {status})")
    return result, round(result.pop("_seconds"), 2), round(usage.ru_maxrss / 1024, 1)


def empty_db(path: Path) -> None:
    """An empty database with only an admin (id 1), made before anything is timed."""
    db = open_db(path)
    create_user(db, SYSTEM, "root", "管理员", "admin", password="Bench2026!x")
    db.close()


def run(path: Path, data: bytes, dry_run: bool, expect_accounts: int | None) -> dict:
    db = open_db(path)
    admin = load_actor(db, 1)
    ticks: list[tuple[float, float]] = [(0.0, time.perf_counter())]
    report = onboard(db, admin, data, dry_run=dry_run, progress=lambda f: ticks.append((f, time.perf_counter())))
    ticks.append((1.0, time.perf_counter()))
    assert report.ok, report.text()
    if expect_accounts is not None:
        assert report.applied == bool(expect_accounts) and len(report.accounts) == expect_accounts, report.text()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    # The call's own time is the child's wall time minus opening the file (milliseconds). The phases, from the progress callback: reading + checking the file (to 0.05), hashing the
    # one-time passwords before the lock (to 0.6), then the write transaction (re-plan + writes).
    read = next(t for f, t in ticks if f >= 0.05) - ticks[0][1]
    hashed = max((t for f, t in ticks if f <= 0.6), default=ticks[0][1])
    return {"rows": {sheet: sum(c.values()) for sheet, c in report.counts.items()},
            "applied": report.applied, "db_bytes": path.stat().st_size,
            "phases_s": {"read_and_check": round(read, 2),
                         "hash_passwords": round(hashed - ticks[0][1] - read, 2) if report.applied else 0,
                         "write_transaction": round(ticks[-1][1] - hashed, 2) if report.applied else 0}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--compounds", type=int, default=1000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    print(f"building the workbook ({args.compounds} compounds)…", file=sys.stderr)
    started = time.perf_counter()
    data = district_workbook(args.compounds)
    out = {"compounds": args.compounds, "workbook_bytes": len(data),
           "build_s": round(time.perf_counter() - started, 2),
           "baseline_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        empty_db(folder / "dry.db")
        empty_db(folder / "real.db")
        print("dry run…", file=sys.stderr)
        result, out["dry_run_s"], out["dry_run_peak_rss_mb"] = in_child(
            lambda: run(folder / "dry.db", data, True, None))
        out["rows"] = result["rows"]
        print("real run…", file=sys.stderr)
        result, out["real_run_s"], out["real_run_peak_rss_mb"] = in_child(
            lambda: run(folder / "real.db", data, False, 2 * args.compounds))
        out["db_bytes"], out["real_run_phases_s"] = result["db_bytes"], result["phases_s"]
        print("re-run of the same workbook…", file=sys.stderr)
        result, out["rerun_s"], out["rerun_peak_rss_mb"] = in_child(lambda: run(folder / "real.db", data, False, 0))
    out["hashing_note"] = ("one-time passwords: argon2id time_cost=2, memory 19 MiB (services/accounts.py "
                           "ONE_TIME_HASHER), hashed on 2 threads before the write lock")
    out["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    print(json.dumps(out, ensure_ascii=False, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
