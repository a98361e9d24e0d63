"""How long a register import holds the write lock, at the largest file its limits allow.

    python benchmarks/bench_import_lock.py [--runs 3] [--residents 20] [--json]

The file (tests/register_files.largest_allowed_file): MAX_ROWS rows, MAX_IMPORT_HOUSEHOLDS
households in all (each row within the compound's 3,000), MAX_IMPORT_TEXT characters, as an .xlsx
that shares its strings (a small upload carrying the most text). Each run imports it into a fresh
compound of a fresh database while `--residents` threads raise concerns through the real service,
each on its own connection, as phones on the board would.

Figures, medians over the runs:
  lock_s               the import's write transactions, begin to commit (the only time it holds the lock)
  import_s             the whole import: reading, checking, staging, writing
  lock_vs_budget       lock_s over the 2 s the issue allows (≤ 1 holds)
  lock_share           lock_s over import_s: how much of the import other writers wait for
  resident_wait_max_s  the slowest resident write during the import (it may queue behind the lock)
  failed_writes        resident writes that raised (must be 0)
Prints ONE JSON object; progress on stderr.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deliberation.imports.register_file import MAX_ROWS  # noqa: E402
from deliberation.services import register_import  # noqa: E402
from deliberation.services.actors import SYSTEM  # noqa: E402
from deliberation.services.compounds import create_area, create_compound  # noqa: E402
from deliberation.services.concerns import concern_categories, raise_concern  # noqa: E402
from deliberation.store import open_db  # noqa: E402
from tests.register_files import largest_allowed_file  # noqa: E402

BUDGET_S = 2.0
HOUSEHOLDS = 3000


@contextmanager
def timed_writes(held: list[float]):
    """register_import's `write`, timed from the moment BEGIN IMMEDIATE has the lock to after COMMIT
    (waiting for the lock behind the residents is not holding it)."""
    real = register_import.write

    @contextmanager
    def timed(db):
        with real(db) as inside:
            start = time.perf_counter()
            yield inside
        held.append(time.perf_counter() - start)

    register_import.write = timed
    try:
        yield
    finally:
        register_import.write = real


def one_run(folder: Path, data: bytes, residents: int) -> dict:
    path = folder / f"run-{time.monotonic_ns()}.db"
    db = open_db(path)
    area = create_area(db, SYSTEM, "测试街道", "subdistrict")
    compound = create_compound(db, SYSTEM, area, "测试花园", households=HOUSEHOLDS)
    category = concern_categories(db, compound)[0]["id"]
    waits, failures, importing = [], [], threading.Event()

    def resident(n: int) -> None:
        own = open_db(path)
        try:
            for k in range(12):
                start = time.perf_counter()
                try:
                    raise_concern(own, compound, category_id=category, session_key=f"b{n:03d}k{k:02d}" * 4,
                                  description=f"{n}号楼道的灯坏了,第{k}次反映")
                    waits.append(time.perf_counter() - start)
                except Exception as exc:  # noqa: BLE001 - every failed write is counted
                    failures.append(repr(exc))
                if not importing.is_set():
                    break
                time.sleep(0.05)
        finally:
            own.close()

    held: list[float] = []
    threads = [threading.Thread(target=resident, args=(n,)) for n in range(residents)]
    importing.set()
    for t in threads:
        t.start()
    with timed_writes(held):
        start = time.perf_counter()
        result = register_import.import_register(db, SYSTEM, compound, "全年台账.xlsx", data)
        import_s = time.perf_counter() - start
    importing.clear()
    for t in threads:
        t.join()
    db.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    assert result.ok and result.written == MAX_ROWS, result.report
    return {"lock_s": max(held), "transactions": len(held), "import_s": import_s,
            "resident_wait_max_s": max(waits, default=0.0), "resident_writes": len(waits),
            "failed_writes": len(failures)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--residents", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="on one line")
    args = parser.parse_args()
    data = largest_allowed_file(HOUSEHOLDS)
    load_start = os.getloadavg()[0]
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        for n in range(args.runs):
            runs.append(one_run(Path(folder), data, args.residents))
            print(f"run {n + 1}/{args.runs}: {runs[-1]}", file=sys.stderr)
    median = {key: statistics.median(r[key] for r in runs) for key in ("lock_s", "import_s", "resident_wait_max_s")}
    out = {
        "file": {"bytes": len(data), "rows": MAX_ROWS, "households": register_import.MAX_IMPORT_HOUSEHOLDS,
                 "characters": register_import.MAX_IMPORT_TEXT, "compound_households": HOUSEHOLDS},
        "lock_s": round(median["lock_s"], 3),
        "import_s": round(median["import_s"], 3),
        "lock_vs_budget": round(median["lock_s"] / BUDGET_S, 3),
        "lock_share": round(median["lock_s"] / median["import_s"], 3),
        "resident_wait_max_s": round(median["resident_wait_max_s"], 3),
        "failed_writes": sum(r["failed_writes"] for r in runs),
        "transactions_per_import": max(r["transactions"] for r in runs),
        "ok": median["lock_s"] <= BUDGET_S and not any(r["failed_writes"] for r in runs),
        "runs": [{k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()} for r in runs],
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                    "load_average_1m": [round(load_start, 2), round(os.getloadavg()[0], 2)]},
    }
    print(json.dumps(out, ensure_ascii=False, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
