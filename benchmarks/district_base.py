"""The synthetic district's fixed parts: area tree, compounds, seats, categories, members, the
monthly meeting calendar and the accounts; plus the row helpers every later step uses."""
from __future__ import annotations

import random
from datetime import date, timedelta

from deliberation.model.defaults import DEFAULT_CATEGORIES, DEFAULT_SEATS

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


class DistrictBase:
    """State and setup of the district; generate.District adds the month loop and the issues."""

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
