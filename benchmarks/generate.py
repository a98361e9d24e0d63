"""A synthetic district for measuring the store at scale, in its own database file.

    python benchmarks/generate.py --db PATH [--quick | --compounds N] [--years Y] [--seed N] [--end YYYY-MM-DD]

Full size (default): 1 district → 10 subdistricts (the first one has exactly 22 compounds, like
南湾街道) → ~10 communities each → 1,000 compounds, 10 years of monthly "1+8" meetings, ~650k
issues with their reports, agenda items, actions, escalations, feedback and ~6M events.
`--quick`: the first 22 compounds only (~15k issues).

Reproducible: each compound draws from its own random stream seeded by (seed, compound number),
so compound #1 is the same in a 2-, 22- or 1,000-compound database, and the same seed and end
date give the same file. Time runs month by month across all compounds, so rows of different
compounds interleave on disk as they would in a real deployment.

The schema is exactly the app's: the file is opened with `open_db` (migrations run), then rows
are written with bulk executemany, month by month, with the journal and fsync off (a generator
that dies is simply re-run; it writes to PATH.partial and renames at the end). Demo accounts:
`admin`, `officer_district`, `officer_sd01`…, `sec0001`… (secretary of compound 1), password
`Bench2026!`.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deliberation.store import open_db  # noqa: E402
from district_base import FIRST_SUBDISTRICT_COMPOUNDS, DistrictBase, Stop  # noqa: E402
from district_issues import IssueLives  # noqa: E402


class District(IssueLives, DistrictBase):
    """Builds the whole district into one open database, month by month."""

    # --- the month loop ---------------------------------------------------------------------
    def run(self, progress) -> None:
        months = []
        d = self.day0.replace(day=1)
        while d <= self.end:
            months.append(d)
            d = (d + timedelta(days=32)).replace(day=1)
        for index, first in enumerate(months):
            start = max(0, (first - self.day0).days)
            stop = min(((first + timedelta(days=32)).replace(day=1) - self.day0).days, (self.end - self.day0).days + 1)
            raised = []
            for c in self.compounds:
                rnd = c["rnd"]
                for _ in range(self._poisson(rnd, c["rate"] * (stop - start) / 30.4)):
                    t = rnd.randrange(start, stop) * 1440 + rnd.randrange(8 * 60, 21 * 60)
                    raised.append((t, c["id"], rnd.random()))
            raised.sort()
            self.db.conn.execute("BEGIN")
            issues = []
            for t, cid, _ in raised:
                c = self.compounds[cid - 1]
                self.ids["issue"] += 1
                issues.append(self.issue(c, self.ids["issue"], t))
            self.insert("issues", ISSUE_COLUMNS, issues)
            self.counts["issues"] += len(issues)
            self.attendance(start, stop)
            self.flush(stop)
            self.db.conn.execute("COMMIT")
            progress(index + 1, len(months), first)
        self.db.conn.execute("BEGIN")
        self.flush(10 ** 9)
        self.db.conn.execute("COMMIT")

    @staticmethod
    def _poisson(rnd: random.Random, lam: float) -> int:
        # Knuth; lam is small (< 20)
        limit, k, p = pow(2.718281828459045, -lam), 0, 1.0
        while True:
            p *= rnd.random()
            if p <= limit:
                return k
            k += 1

    def attendance(self, start: int, stop: int) -> None:
        """The meetings of days [start, stop): their events and attendance lines."""
        rows = []
        while self.next_meeting_index < len(self.meeting_list) and self.meeting_list[self.next_meeting_index][0] < stop:
            mday, cid, mid, number, status = self.meeting_list[self.next_meeting_index]
            self.next_meeting_index += 1
            c = self.compounds[cid - 1]
            t = mday * 1440 + 19 * 60
            self.event(min(self.end_t, max(start * 1440 + 540, t - 20 * 1440)), cid, "meeting_scheduled",
                       meeting=mid, note=f"第{number}次会议")
            if status == "planned":
                continue
            try:
                for kind, dt in (("meeting_in_progress", 0), ("meeting_held", 120),
                                 ("meeting_minutes_approved", 3 * 1440 - 540), ("meeting_published", 6 * 1440 - 540)):
                    self.event(t + dt, cid, kind, meeting=mid, public=int(kind == "meeting_published"))
            except Stop:
                pass
            rnd = c["rnd"]
            for member_id, seat_id, seat_name in c["members"]:
                r = rnd.random()
                status_ = "present" if r < .85 else "absent" if r < .92 else "excused" if r < .97 else "proxy"
                rows.append((mid, member_id, seat_id, seat_name, status_, "代理人" if status_ == "proxy" else ""))
        self.insert("attendance", "meeting_id, member_id, seat_id, seat_name, status, proxy_name", rows)
        self.counts["attendance"] += len(rows)

    def flush(self, stop_day: int) -> None:
        for name, columns in PENDING_COLUMNS.items():
            self.insert(name, columns, self.pending[name])
            self.counts[name] += len(self.pending[name])
            self.pending[name] = []
        ready = sorted(d for d in self.buckets if d < stop_day)
        rows = []
        for d in ready:
            rows += [row for _, _, row in sorted(self.buckets.pop(d))]
        self.insert("events", "compound_id, issue_id, meeting_id, actor_id, actor_label, kind, from_stage, "
                    "to_stage, note, data, public, created_at", rows)
        self.counts["events"] += len(rows)

ISSUE_COLUMNS = ("id, compound_id, title, description, category_id, raised_by_kind, raised_by_seat_id, "
                 "raised_by_seat_name, channel, raised_on, building, location, priority, internal_note, "
                 "public_summary, public_reply, stage, stage_entered_on, stage_due_on, accepted_at, fix_level, "
                 "resolved_level, resolved_on, closed_reason, merged_into_id, publication_round, "
                 "objection_closes_on, version, created_at, updated_at, number, responded_at")
PENDING_COLUMNS = {
    "reports": "issue_id, kind, seat_id, reporter_name, unit, contact, session_key, created_at",
    "agenda_items": "id, meeting_id, issue_id, position, discussion, decision, outcome, decided_at",
    "actions": "id, issue_id, agenda_item_id, seat_id, seat_name, task, due_on, status, done_on, note, version, "
               "created_at",
    "escalations": "id, issue_id, level_to, area_id, request, requested_on, requested_by, answer, answered_on, "
                   "answered_by",
    "feedback": "issue_id, round, rating, comment, created_at",
}


def generate(path: Path, *, seed: int = 1, compounds: int = 1000, years: int = 10, end: date | None = None,
             quiet: bool = False) -> dict:
    """Build the district into `path` (replacing it). Returns the row counts and the time taken."""
    started = time.monotonic()
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    for p in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        p.unlink(missing_ok=True)
    db = open_db(partial)                       # migrations: the app's schema, exactly
    conn = db.conn
    conn.execute("PRAGMA journal_mode=OFF")     # a bulk load: re-run it if it dies
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA foreign_keys=OFF")     # rows arrive parents-first anyway; checked below in --quick
    conn.execute("PRAGMA cache_size=-262144")   # 256 MiB while the indexes grow
    district = District(db, seed, compounds, years, end or date.today())

    last = [0.0]

    def progress(done: int, total: int, month: date) -> None:
        now = time.monotonic()
        if quiet or (now - last[0] < 0.5 and done != total):
            return
        last[0] = now
        width = 30
        bar = "#" * (width * done // total) + "-" * (width - width * done // total)
        c = district.counts
        sys.stderr.write(f"\r[generate] [{bar}] {month:%Y-%m} {done}/{total} months  issues {c['issues']:,}  "
                         f"events {c['events']:,}  {now - started:,.0f}s ")
        sys.stderr.flush()

    conn.execute("BEGIN")
    district.setup()
    conn.execute("COMMIT")
    district.run(progress)
    if not quiet:
        sys.stderr.write("\n")
    conn.execute("PRAGMA journal_mode=WAL")     # the app's mode again
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    db.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    os.replace(partial, path)
    sizes = {"compounds": compounds, **district.counts, "seed": seed, "years": years,
             "end": district.end.isoformat(), "seconds": round(time.monotonic() - started, 1)}
    return sizes


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic district for benchmarks/bench.py")
    parser.add_argument("--db", required=True, help="database file to create (replaced if it exists)")
    parser.add_argument("--quick", action="store_true", help="22 compounds instead of 1,000")
    parser.add_argument("--compounds", type=int, help="number of compounds (default 1000, --quick 22)")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", type=date.fromisoformat, help="last day of the history (default today)")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    compounds = args.compounds or (FIRST_SUBDISTRICT_COMPOUNDS if args.quick else 1000)
    sizes = generate(Path(args.db), seed=args.seed, compounds=compounds, years=args.years, end=args.end,
                     quiet=args.quiet)
    print(json.dumps(sizes, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())