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
import bisect
import json
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deliberation.model.defaults import DEFAULT_CATEGORIES, DEFAULT_SEATS, DEFAULT_STAGE_DAYS  # noqa: E402
from deliberation.store import open_db  # noqa: E402

PASSWORD = "Bench2026!"
FIRST_SUBDISTRICT_COMPOUNDS = 22
SYLLABLES = "桂松湖贝南湾沙河福田龙岗华侨城梅林莲花景翠竹园岭泥岗笋岗清水布心东晓黄贝翠竹春风碧海宝安新安西乡石岩观澜民治大浪坂田吉华横岗平湖坪山葵涌大鹏"
SUFFIX = ("花园", "苑", "雅居", "家园", "新村", "名苑", "山庄", "小区", "公寓", "华庭")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = ("建华", "秀英", "志强", "丽华", "国庆", "海燕", "文军", "桂兰", "小平", "红梅", "德明", "雪梅", "伟", "敏")
TITLES = {
    "停车": ("{b}栋地下车库车位不足", "夜间道路乱停车堵塞消防通道", "访客车辆登记混乱", "充电桩数量不够"),
    "高空抛物": ("{b}栋多次发生高空抛物", "{b}栋楼下发现烟头和杂物"),
    "宠物/不文明养宠": ("小区内遛狗不牵绳", "{b}栋电梯内宠物粪便", "犬只夜间吠叫扰民"),
    "垃圾分类": ("{b}栋垃圾投放点满溢", "厨余垃圾桶清运不及时", "大件垃圾长期堆放"),
    "消防": ("{b}栋消防通道被占用", "灭火器过期未更换", "楼道堆放杂物存在隐患"),
    "违建": ("{b}栋顶楼搭建违章建筑", "一楼住户私自扩建院子"),
    "电梯/加装电梯": ("{b}栋电梯频繁故障", "{b}栋加装电梯意见不一", "电梯维保记录不公开"),
    "供电(变压器/强弱电)": ("夏季用电高峰频繁跳闸", "{b}栋弱电井线路杂乱", "变压器容量不足需增容"),
    "环境绿化": ("中心花园绿化带缺乏养护", "{b}栋门前积水", "路灯损坏夜间照明不足"),
    "物业服务": ("物业费公示不清楚", "保安巡逻不到位", "维修报事响应慢", "公共收益使用不透明"),
    "噪音": ("{b}栋装修噪音超时", "广场舞音量过大", "商铺夜间噪音扰民"),
    "治安": ("电动车被盗", "{b}栋门禁损坏陌生人随意进出", "监控摄像头盲区"),
}
CATEGORY_WEIGHTS = (18, 5, 7, 8, 5, 3, 9, 5, 9, 16, 8, 7)
ANSWERS = ("已协调相关职能部门现场处置,并纳入街道年度民生实事项目。", "社区已牵头协调,相关单位承诺限期整改。")


class Stop(Exception):
    """The issue's next step would happen after the end date."""


def area_layout(seed: int, n: int) -> list[tuple[int, int]]:
    """(subdistrict index, community index) for each compound: subdistrict 0 has 22 compounds in 3
    communities, the others ~10 communities of 6–14 compounds."""
    rnd = random.Random(f"layout:{seed}")
    out: list[tuple[int, int]] = []
    for size in (8, 7, 7):
        out += [(0, len({c for _, c in out}))] * size
    community = 3
    sub = 1
    while len(out) < n:
        for _ in range(rnd.randint(9, 11)):
            out += [(sub, community)] * rnd.randint(6, 14)
            community += 1
        sub += 1
    return out[:n]


def place_names(rnd: random.Random, count: int, suffix: str | tuple, taken: set) -> list[str]:
    names = []
    while len(names) < count:
        base = rnd.choice(SYLLABLES) + rnd.choice(SYLLABLES)
        name = base + (rnd.choice(suffix) if isinstance(suffix, tuple) else suffix)
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


class District:
    """Builds the whole district into one open database, month by month."""

    def __init__(self, db, seed: int, n_compounds: int, years: int, end: date):
        self.db, self.seed, self.n, self.end = db, seed, n_compounds, end
        self.day0 = end - timedelta(days=365 * years)
        self.days = [(self.day0 + timedelta(days=d)).isoformat() for d in range(365 * years + 500)]
        self.end_t = (end - self.day0).days * 1440 + 23 * 60      # minutes since day0 00:00
        self.ids = {"issue": 0, "agenda": 0, "action": 0, "escalation": 0, "meeting": 0}
        self.buckets: dict[int, list] = {}        # day index -> [(minute, seq, event row)]
        self.seq = 0
        self.pending = {k: [] for k in ("reports", "agenda_items", "actions", "escalations", "feedback")}
        self.counts = {k: 0 for k in ("issues", "events", "meetings", "attendance", "agenda_items", "actions",
                                      "reports", "escalations", "feedback")}

    # --- helpers --------------------------------------------------------------------------
    def ts(self, t: int) -> str:
        return f"{self.days[t // 1440]} {t % 1440 // 60:02d}:{t % 60:02d}:00"

    def day(self, t: int) -> str:
        return self.days[t // 1440]

    def event(self, t: int, compound: int, kind: str, *, issue=None, meeting=None, from_stage=None,
              to_stage=None, note="", data="{}", public=0, actor="系统", actor_id=None) -> None:
        if t > self.end_t:
            raise Stop
        self.seq += 1
        self.buckets.setdefault(t // 1440, []).append(
            (t, self.seq, (compound, issue, meeting, actor_id, actor, kind, from_stage, to_stage, note, data,
                           public, self.ts(t))))

    def insert(self, table: str, columns: str, values: list) -> None:
        if values:
            marks = ", ".join("?" for _ in columns.split(","))
            self.db.conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)

    # --- setup: areas, compounds, seats, categories, members, meetings, users -------------
    def setup(self) -> None:
        rnd = random.Random(f"names:{self.seed}")
        layout = area_layout(self.seed, self.n)
        conn = self.db.conn
        conn.execute("INSERT INTO areas (name, level, parent_id) VALUES (?, 'district', NULL)", ["模拟区"])
        district = conn.execute("SELECT last_insert_rowid()").fetchone()[0]
        taken: set = set()
        subs, comms = {}, {}
        for sub, comm in layout:
            if sub not in subs:
                conn.execute("INSERT INTO areas (name, level, parent_id) VALUES (?, 'subdistrict', ?)",
                             [place_names(rnd, 1, "街道", taken)[0], district])
                subs[sub] = conn.execute("SELECT last_insert_rowid()").fetchone()[0]
            if comm not in comms:
                conn.execute("INSERT INTO areas (name, level, parent_id) VALUES (?, 'community', ?)",
                             [place_names(rnd, 1, "社区", taken)[0], subs[sub]])
                comms[comm] = conn.execute("SELECT last_insert_rowid()").fetchone()[0]
        self.district, self.subdistricts = district, subs
        names = place_names(rnd, self.n, SUFFIX, set())
        self.compounds = []
        seat_id = member_id = category_id = 0
        seats, members, categories, compounds, meetings = [], [], [], [], []
        created = self.ts(0)
        for i, (sub, comm) in enumerate(layout):
            crnd = random.Random(f"compound:{self.seed}:{i}")
            cid = i + 1
            nth, weekday = crnd.choice((1, 2, 3, 4)), crnd.choice((0, 1, 2, 3, 4))
            households = crnd.randint(300, 3000)
            compounds.append((cid, comms[comm], names[i], f"模拟区{names[i]}(模拟地址)", households,
                              f"{names[i]}党支部", f"{nth}:{weekday}:19:00", f"{names[i]}党群服务站", created))
            c = {"id": cid, "rnd": crnd, "households": households, "community": comms[comm],
                 "subdistrict": subs[sub], "seats": {}, "members": [], "categories": [], "issues": [],
                 "rate": 1.5 + households / 400, "positions": {}}
            for pos, (code, name) in enumerate(DEFAULT_SEATS):
                seat_id += 1
                seats.append((seat_id, cid, code, name, pos, int(code == "party")))
                c["seats"][code] = (seat_id, name)
                member_id += 1
                members.append((member_id, cid, seat_id, crnd.choice(SURNAMES) + crnd.choice(GIVEN),
                                f"138{cid:04d}{pos:04d}", self.days[0]))
                c["members"].append((member_id, seat_id, name))
            for pos, name in enumerate(DEFAULT_CATEGORIES):
                category_id += 1
                categories.append((category_id, cid, name, pos))
                c["categories"].append((category_id, name))
            # Monthly meetings over the whole period, plus the next one (planned).
            c["meeting_days"], c["meeting_ids"] = [], []
            d = self.day0.replace(day=1)
            while True:
                first = d.replace(day=1)
                offset = (weekday - first.weekday()) % 7 + (nth - 1) * 7
                mday = first + timedelta(days=offset)
                if mday > self.day0:
                    meetings.append(((mday - self.day0).days, cid))
                    if mday > self.end:
                        break
                d = (first + timedelta(days=32)).replace(day=1)
            self.compounds.append(c)
        self.insert("compounds", "id, area_id, name, address, households, branch_name, schedule_rule, "
                    "schedule_place, created_at", compounds)
        self.insert("seats", "id, compound_id, code, name, position, quorum_required", seats)
        self.insert("members", "id, compound_id, seat_id, name, phone, active_from", members)
        self.insert("categories", "id, compound_id, name, position", categories)
        # Meeting ids in date order across the district.
        meetings.sort()
        end_day = (self.end - self.day0).days
        rows = []
        self.meeting_list, self.next_meeting_index = [], 0
        for mid, (mday, cid) in enumerate(meetings, start=1):
            c = self.compounds[cid - 1]
            number = len(c["meeting_days"]) + 1
            c["meeting_days"].append(mday)
            c["meeting_ids"].append(mid)
            age = end_day - mday
            status = ("planned" if age < 0 else "held" if age < 3 else "minutes_approved" if age < 6
                      else "published")
            t = mday * 1440 + 19 * 60
            chair = c["members"][0][0]
            rows.append((mid, cid, number, self.ts(t)[:16], "党群服务站", status,
                         chair if status != "planned" else None, "记录员" if status != "planned" else "",
                         self.ts(t) if age >= 0 else None, self.ts(t + 120) if age >= 0 else None,
                         self.ts(t + 3 * 1440 - 540) if age >= 3 else None,
                         self.ts(t + 6 * 1440 - 540) if age >= 6 else None,
                         f"第{number}次协商议事会议已召开,议定事项见公示。" if age >= 6 else "",
                         3 if status == "planned" else 1 + {"held": 2, "minutes_approved": 3}.get(status, 4)))
            self.meeting_list.append((mday, cid, mid, number, status))
        self.insert("meetings", "id, compound_id, number, scheduled_at, place, status, chair_member_id, "
                    "recorder_name, started_at, ended_at, minutes_approved_at, published_at, public_summary, "
                    "version", rows)
        self.counts["meetings"] = len(rows)
        self.ids["meeting"] = len(rows)
        self.users()

    def users(self) -> None:
        from deliberation.services.users import HASHER
        hashed = HASHER.hash(PASSWORD)
        stamp = self.ts(0)
        rows = [("admin", "系统管理员", "admin", None), ("officer_district", "区干部", "officer", self.district)]
        rows += [(f"officer_sd{k + 1:02d}", f"街道干部{k + 1}", "officer", a) for k, a in self.subdistricts.items()]
        rows += [(f"sec{c['id']:04d}", f"书记{c['id']}", "secretary", None) for c in self.compounds]
        self.db.conn.executemany("""INSERT INTO users (username, display_name, password_hash, role, area_id,
            created_at) VALUES (?, ?, ?, ?, ?, ?)""", [(u, n, hashed, r, a, stamp) for u, n, r, a in rows])
        ids = {r[0]: r[1] for r in self.db.conn.execute("SELECT username, id FROM users")}
        self.db.conn.executemany("INSERT INTO user_compounds (user_id, compound_id) VALUES (?, ?)",
                                 [(ids[f"sec{c['id']:04d}"], c["id"]) for c in self.compounds])
        self.officer_id = ids["officer_district"]
        for c in self.compounds:
            c["secretary"] = ids[f"sec{c['id']:04d}"]
            self.event(0, c["id"], "compound_created", note="模拟小区")
            for _, _, seat in c["members"]:
                self.event(1, c["id"], "member_added", note=seat)

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

    # --- one issue's life --------------------------------------------------------------------
    def issue(self, c: dict, issue_id: int, t0: int) -> tuple:
        rnd, cid = c["rnd"], c["id"]
        cat_index = rnd.choices(range(len(DEFAULT_CATEGORIES)), CATEGORY_WEIGHTS)[0]
        category_id, category = c["categories"][cat_index]
        building = f"{rnd.randint(1, 30)}"
        title = rnd.choice(TITLES[category]).format(b=building)
        kind = rnd.choices(("seat", "resident", "patrol", "hotline"), (50, 30, 10, 10))[0]
        seat_code = rnd.choice(("owners", "property", "party", "resident_group", "representatives"))
        seat_id, seat_name = c["seats"][seat_code] if kind == "seat" else (None, "")
        channel = {"seat": "meeting", "resident": rnd.choice(("resident_report", "board")), "patrol": "visit",
                   "hotline": "hotline"}[kind]
        s = {"stage": "collected", "entered": t0, "version": 1, "updated": t0, "accepted": None, "fix": None,
             "level": None, "resolved_on": None, "reason": None, "merged": None, "round": 0, "closes": None,
             "summary": "", "reply": ""}
        secretary = (c["secretary"], f"书记{cid}")

        def ev(t, kind_, **kw):
            actor_id, label = kw.pop("by", secretary)
            self.event(t, cid, kind_, issue=issue_id, actor_id=actor_id, actor=label, **kw)

        def move(t, to, meeting=None, note="", by=secretary, **changes):
            ev(t, "transition", meeting=meeting, from_stage=s["stage"], to_stage=to, note=note, public=1, by=by,
               data=json.dumps({"level": changes.get("level"), "reason": changes.get("reason")}))
            s.update(stage=to, entered=t, version=s["version"] + 1, updated=t, **changes)

        name = rnd.choice(SURNAMES) + rnd.choice(GIVEN)
        report = (issue_id, kind, seat_id, name if kind == "resident" else "",
                  f"{building}栋{rnd.randint(1, 30)}0{rnd.randint(1, 4)}" if kind == "resident" else "",
                  f"139{rnd.randint(10000000, 99999999)}" if kind == "resident" else "", "", self.ts(t0))
        staff = channel != "board"
        if staff:
            s["accepted"] = t0
        try:
            ev(t0, "raised", to_stage="collected", note=title, public=1,
               by=secretary if staff else (None, "居民"))
            t = t0
            if not staff:
                t += rnd.randint(600, 4000)
                ev(t, "accepted", note="已受理,进入议题台账", public=1)
                s.update(accepted=t, version=s["version"] + 1, updated=t)
            if rnd.random() < 0.3:
                t += rnd.randint(60, 3000)
                ev(t, "edited", data='{"fields": ["description"]}')
                s.update(version=s["version"] + 1, updated=t)
            for _ in range(rnd.choices((0, 1, 2, 3), (60, 25, 10, 5))[0]):
                t2 = t + rnd.randint(600, 20000)
                try:
                    ev(t2, "household_added", note="又一户居民反映同一问题", public=1, by=(None, "居民"))
                except Stop:
                    continue
                self.pending["reports"].append((issue_id, "resident", None, rnd.choice(SURNAMES) + "女士", "", "",
                                                "", self.ts(t2)))
            r = rnd.random()
            if r < 0.02 and c["issues"]:
                target = rnd.choice(c["issues"][-20:])
                report = (target,) + report[1:]
                t += rnd.randint(600, 5000)
                move(t, "closed", note=f"与议题 #{target} 重复,已合并", reason="duplicate", merged=target,
                     reply=f"已并入议题 #{target}")
                ev(t, "merged", note=f"并入重复议题 #{issue_id}", public=1)
                return self.issue_row(c, issue_id, t0, title, category_id, kind, seat_id, seat_name, channel,
                                      building, s)
            if r < 0.06:
                t += rnd.randint(1440, 20 * 1440)
                reason = "rejected" if not staff else rnd.choice(("withdrawn", "not_our_remit"))
                move(t, "closed", note="提出方撤回" if reason == "withdrawn" else "不属小区职责", reason=reason,
                     reply="经核实,不属本小区协商议事范围" if reason != "withdrawn" else "")
                return self.issue_row(c, issue_id, t0, title, category_id, kind, seat_id, seat_name, channel,
                                      building, s)
            self.deliberate(c, issue_id, t, s, ev, move)
        except Stop:
            pass
        finally:
            self.pending["reports"].append(report)
            c["issues"].append(issue_id)
        return self.issue_row(c, issue_id, t0, title, category_id, kind, seat_id, seat_name, channel, building, s)

    def next_meeting(self, c: dict, t: int) -> tuple[int, int, int]:
        days = c["meeting_days"]
        k = bisect.bisect_left(days, t // 1440 + 3)
        if k >= len(days):
            raise Stop
        return c["meeting_ids"][k], days[k] * 1440 + 19 * 60, k + 1

    def on_agenda(self, c, issue_id, t, s, ev, move) -> tuple[int, int, int, list]:
        mid, mt, number = self.next_meeting(c, t)
        self.ids["agenda"] += 1
        item_id = self.ids["agenda"]
        pos = c["positions"].get(mid, 0) + 1
        c["positions"][mid] = pos
        add_t = max(t + 60, mt - 3 * 1440)
        if add_t > self.end_t:
            raise Stop
        row = [item_id, mid, issue_id, pos, "", "", None, None]
        self.pending["agenda_items"].append(row)
        if s["stage"] == "collected":
            move(add_t, "deliberating", meeting=mid, note=f"列入第{number}次会议议程")
        else:
            ev(add_t, "on_agenda", meeting=mid, note=f"列入第{number}次会议议程", public=1)
        if mt + 60 > self.end_t:
            raise Stop
        return mid, mt + 60, item_id, row

    def deliberate(self, c, issue_id, t, s, ev, move) -> None:
        rnd = c["rnd"]
        for _round in range(4):
            mid, mt, item_id, row = self.on_agenda(c, issue_id, t, s, ev, move)
            outcome = rnd.choices(("settled", "actions", "escalated", "deferred", "closed"),
                                  (20, 55, 10, 10, 5))[0]
            row[4:8] = ["各方发表意见。", "形成决议。", "deferred" if outcome == "closed" else outcome, self.ts(mt)]
            if outcome == "deferred" or (outcome == "closed" and s["stage"] != "deliberating"):
                ev(mt, "deferred", meeting=mid, note="暂缓,下次再议", public=1)
                t = mt
                continue
            if outcome == "closed":
                move(mt, "closed", meeting=mid, note="经协商暂无法解决", reason=rnd.choice(("not_fixable", "not_our_remit")))
                return
            if outcome == "settled":
                if s["stage"] != "deliberating":
                    row[6] = "actions"
                else:
                    move(mt, "resolved", meeting=mid, note="会上解决", level="compound", resolved_on=mt, reason=None)
                    return
            if outcome == "escalated" and s["stage"] == "deliberating":
                t = self.escalate(c, issue_id, mt, mid, s, ev, move)
                if s["stage"] == "publicizing":
                    t = self.publicity(c, issue_id, t, s, ev, move)
                    if s["stage"] == "resolved":
                        return
                    continue
                mid, mt, item_id, row = self.on_agenda(c, issue_id, t, s, ev, move)
                row[4:8] = ["上级答复后研究落实。", "分工落实。", "actions", self.ts(mt)]
            elif outcome == "escalated":
                row[6] = "actions"
            t = self.act(c, issue_id, mt, mid, item_id, s, ev, move)
            t = self.publicity(c, issue_id, t, s, ev, move)
            if s["stage"] == "resolved":
                return

    def escalate(self, c, issue_id, t, mid, s, ev, move) -> int:
        rnd = c["rnd"]
        level = "community" if rnd.random() < 0.65 else "subdistrict"
        self.ids["escalation"] += 1
        esc = [self.ids["escalation"], issue_id, level, c[level], "请上级协调解决", self.day(t), c["secretary"],
               None, None, None]
        self.pending["escalations"].append(esc)
        move(t, "escalated", meeting=mid, note="上报请求协调", fix=level)
        if rnd.random() < 0.08:
            raise Stop                                  # never answered: stays escalated (overdue)
        t += rnd.randint(5, 60) * 1440
        answer = rnd.choice(ANSWERS)
        ev(t, "escalation_answered", note=answer, public=1, by=(self.officer_id, "区干部"))
        esc[7:10] = [answer, self.day(t), self.officer_id]
        if rnd.random() < 0.6:
            move(t, "publicizing", note=answer, summary=answer, round=s["round"] + 1, closes=t + 7 * 1440)
        else:
            move(t, "acting", note="上级答复后继续落实")
        return t

    def act(self, c, issue_id, t, mid, item_id, s, ev, move) -> int:
        rnd = c["rnd"]
        actions = []
        for _ in range(rnd.choices((1, 2, 3), (60, 30, 10))[0]):
            seat_id, seat_name = c["seats"][rnd.choice(("property", "property", "owners", "residents_committee"))]
            self.ids["action"] += 1
            due = t // 1440 + rnd.randint(14, 30)
            row = [self.ids["action"], issue_id, item_id, seat_id, seat_name, "按决议落实整改", self.days[due],
                   "open", None, "", 1, self.ts(t)]
            self.pending["actions"].append(row)
            actions.append(row)
        if s["stage"] == "deliberating":
            move(t, "acting", meeting=mid, note="形成决议,分工落实")
        else:
            ev(t, "actions_added", meeting=mid, note="形成决议,分工落实")
        done_at = t
        for row in actions:
            start = t + rnd.randint(1, 10) * 1440
            ev(start, "action_updated", note=f"{row[4]}:{row[5]} → 进行中")
            row[7], row[10] = "in_progress", 2
            finish = start + int(rnd.expovariate(1 / 18) * 1440) + 1440
            ev(finish, "action_updated", note=f"{row[4]}:{row[5]} → 已完成", public=1)
            row[7], row[8], row[10] = "done", self.day(finish), 3
            done_at = max(done_at, finish)
        t = done_at + rnd.randint(1, 5) * 1440
        move(t, "publicizing", note="整改完成,结果公示", summary="问题已按决议整改完毕。", round=s["round"] + 1,
             closes=t + 7 * 1440, fix=s["fix"] or "compound")
        return t

    def publicity(self, c, issue_id, t, s, ev, move) -> int:
        rnd = c["rnd"]
        objections = rnd.random() < 0.03
        ratings = ["unsatisfied"] * 3 if objections else rnd.choices(
            ("satisfied", "basic", "unsatisfied"), (75, 20, 5), k=rnd.choices((0, 1, 2, 3), (40, 30, 20, 10))[0])
        for rating in ratings:
            t += rnd.randint(60, 1440)
            ev(t, "feedback", note="居民评价", public=1, by=(None, "居民"), data=json.dumps({"rating": rating}))
            self.pending["feedback"].append((issue_id, s["round"], rating, "", self.ts(t)))
        if objections:
            move(t, "deliberating", note="公示期内 3 户居民不满意,达到异议阈值,重新列入议事",
                 by=(None, "系统"))
            return t
        t = s["closes"] + 1440 + 120
        move(t, "resolved", note="公示期满,办结", level=s["fix"] or "compound", resolved_on=t, by=(None, "系统"))
        return t

    def issue_row(self, c, issue_id, t0, title, category_id, kind, seat_id, seat_name, channel, building, s):
        stage = s["stage"]
        entered_day = s["entered"] // 1440
        due = (self.days[entered_day + DEFAULT_STAGE_DAYS[stage]] if stage in DEFAULT_STAGE_DAYS else None)
        return (issue_id, c["id"], title, f"{title},请协商解决。", category_id, kind, seat_id, seat_name, channel,
                self.day(t0), building, f"{building}栋附近", c["rnd"].choices(("high", "normal", "low"), (15, 70, 15))[0],
                "", s["summary"], s["reply"], stage, self.days[entered_day], due,
                self.ts(s["accepted"]) if s["accepted"] is not None else None, s["fix"], s["level"],
                self.day(s["resolved_on"]) if s["resolved_on"] is not None else None, s["reason"], s["merged"],
                s["round"], self.day(s["closes"]) if s["closes"] is not None else None, s["version"],
                self.ts(t0), self.ts(s["updated"]))


ISSUE_COLUMNS = ("id, compound_id, title, description, category_id, raised_by_kind, raised_by_seat_id, "
                 "raised_by_seat_name, channel, raised_on, building, location, priority, internal_note, "
                 "public_summary, public_reply, stage, stage_entered_on, stage_due_on, accepted_at, fix_level, "
                 "resolved_level, resolved_on, closed_reason, merged_into_id, publication_round, "
                 "objection_closes_on, version, created_at, updated_at")
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
