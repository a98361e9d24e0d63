"""One issue's life in the synthetic district: raised, put on an agenda, deliberated, escalated,
acted on, publicized, resolved or closed, with the events, agenda items, actions, escalations and
feedback that the real services would have written."""
from __future__ import annotations

import bisect
import json

from deliberation.model.defaults import DEFAULT_CATEGORIES, DEFAULT_STAGE_DAYS
from district_base import ANSWERS, CATEGORY_WEIGHTS, GIVEN, SURNAMES, TITLES, Stop


class IssueLives:
    """Mixin for generate.District: needs its ids, rows helpers and pending rows."""

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

    @staticmethod
    def next_number(c: dict) -> int:
        """The compound's own issue number (issue_row runs once per issue, in raising order)."""
        c["numbered"] = c.get("numbered", 0) + 1
        return c["numbered"]

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
                self.ts(t0), self.ts(s["updated"]),
                self.next_number(c),
                self.ts(s["accepted"]) if s["accepted"] is not None else None)

