"""Measure the residents' light pages: a first visit on a throttled phone, a district's boards
under 500 concurrent requests, and the issue and track pages at 1,000 compounds over 2.

    python benchmarks/bench_residents.py [--quick] [--json] [--full-db PATH] [--skip phone|load|pages]

Prints ONE JSON object; progress on stderr. Databases come from benchmarks/generate.py, cached as
bench.py caches them (--dir). `--quick`: 22 compounds for the load and scaling parts and fewer runs.
See benchmarks/README.md ("The residents' pages") for what each figure means.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import generate  # noqa: E402
from bench import machine  # noqa: E402
from bench_board_load import board_load  # noqa: E402
from bench_phone import phone_first_visit  # noqa: E402
from bench_resident_pages import resident_scaling  # noqa: E402
from deliberation.store import open_db  # noqa: E402
from measure import database, say, sizes_of  # noqa: E402

TARGETS = {"phone_ms": 1500, "phone_vs_static": 5, "phone_bytes": 100_000, "load_p95_ms": 200, "load_errors": 0,
           "pages_scaling": 1.2}


def verdicts(figures: dict) -> dict:
    checks = {}
    if "phone" in figures:
        p = figures["phone"]
        checks["phone"] = (p["board_ms"] <= TARGETS["phone_ms"] and p["value"] <= TARGETS["phone_vs_static"]
                           and p["board_bytes"] <= TARGETS["phone_bytes"])
    if "load" in figures:
        load = figures["load"]
        checks["load"] = load["p95_ms"] <= TARGETS["load_p95_ms"] and load["errors"] == TARGETS["load_errors"]
    if "pages" in figures:
        checks["pages"] = figures["pages"]["value"] <= TARGETS["pages_scaling"]
    return checks


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="22 compounds, fewer runs")
    parser.add_argument("--json", action="store_true", help="one line of JSON")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "deliberation-bench")
    parser.add_argument("--full-db", type=Path, help="a 1,000-compound database made by generate.py")
    parser.add_argument("--skip", action="append", default=[], choices=("phone", "load", "pages"))
    args = parser.parse_args(argv)
    started = time.monotonic()
    args.dir.mkdir(parents=True, exist_ok=True)
    small, _ = database(args.dir, args.seed, 2)
    large = args.full_db or database(args.dir, args.seed,
                                     generate.FIRST_SUBDISTRICT_COMPOUNDS if args.quick else 1000)[0]
    for path in (small, large):            # upgrade an older file to the current schema first
        open_db(path).close()
    sizes = {"small": sizes_of(small), "large": sizes_of(large)}
    out: dict = {"quick": args.quick, "machine": machine(), "sizes": sizes, "targets": TARGETS}
    figures: dict = {}
    if "phone" not in args.skip:
        say("a first visit on a throttled phone")
        figures["phone"] = phone_first_visit(large, runs=3 if args.quick else 9, streamlit_runs=1 if args.quick else 3)
    if "load" not in args.skip:
        say("500 concurrent requests for the district's boards")
        load_before = round(os.getloadavg()[0], 2)
        figures["load"] = board_load(large, sizes["large"]["compounds"], rounds=3 if args.quick else 5)
        figures["load"]["load_before"] = load_before
    if "pages" not in args.skip:
        say("issue and track pages, large file over small")
        figures["pages"] = resident_scaling(small, large, runs=40 if args.quick else 150)
    out.update(figures)
    out["ok"] = verdicts(figures)
    out["seconds"] = round(time.monotonic() - started, 1)
    out["machine"]["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out, ensure_ascii=False, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
