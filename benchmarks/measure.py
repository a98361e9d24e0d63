"""What every benchmark part shares: the paths, the compound whose pages are timed, progress
lines, interleaved timing, and the generated databases (cached by seed, size and end date)."""
from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402

BOARD_COMPOUND = 2            # the largest compound of the small database; the same in every size
STARTED = time.monotonic()


def say(text: str) -> None:
    sys.stderr.write(f"[bench {time.monotonic() - STARTED:5.1f}s] {text}\n")
    sys.stderr.flush()


def paired(a, b, runs: int, warmup: int = 3) -> dict:
    """Run `a` and `b` alternately; median wall-clock and thread-CPU milliseconds of each.

    The CPU time of the calling thread (which includes SQLite's reads from the OS cache) is what
    the ratios use: on a busy 2-core machine, wall-clock medians of sub-millisecond calls mostly
    measure the neighbours."""
    for _ in range(warmup):
        a(), b()
    wall = {"a": [], "b": []}
    cpu = {"a": [], "b": []}
    for n in range(runs):
        for key, fn in ((("a", a), ("b", b)) if n % 2 == 0 else (("b", b), ("a", a))):
            w, c = time.perf_counter(), time.thread_time()
            fn()
            cpu[key].append((time.thread_time() - c) * 1000)
            wall[key].append((time.perf_counter() - w) * 1000)
    med = statistics.median
    return {"a_ms": med(wall["a"]), "b_ms": med(wall["b"]), "a_cpu_ms": med(cpu["a"]), "b_cpu_ms": med(cpu["b"])}


# --- databases ------------------------------------------------------------------------------

def database(cache: Path, seed: int, compounds: int) -> tuple[Path, dict]:
    end = date.today()
    path = cache / f"district-s{seed}-c{compounds}-{end:%Y%m%d}.db"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        return path, json.loads(meta.read_text())
    say(f"generating {compounds} compounds into {path}")
    sizes = generate.generate(path, seed=seed, compounds=compounds, end=end, quiet=compounds < 100)
    meta.write_text(json.dumps(sizes))
    return path, sizes


def sizes_of(path: Path) -> dict:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("compounds", "issues", "events", "meetings", "attendance", "agenda_items", "actions")}
    finally:
        conn.close()


def actor_of(db, username: str):
    from deliberation.services.actors import load_actor
    return load_actor(db, db.execute("SELECT id FROM users WHERE username = ?", [username]).fetchone()[0])
