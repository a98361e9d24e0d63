"""Random sequences of what users do, driven through the services, against a model of where
every issue should be. After every step: the database agrees with the model, every stage
change in the event log is in the transition table, events were only ever appended, and
SQLite's integrity check passes."""
from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from deliberation.model.errors import DomainError, StaleRecord
from deliberation.model.lifecycle import TRANSITIONS, Stage, find_transition
from deliberation.services import agenda as agenda_svc
from deliberation.services import meetings as meeting_svc
from deliberation.services.actions import update_action
from deliberation.services.attendance import record_attendance
from deliberation.services.clock import clock_at, now
from deliberation.services.escalation import answer_escalation, escalate, pass_up
from deliberation.services.issues import merge_issues, transition_issue, update_issue
from deliberation.services.publicity import close_expired_windows, give_feedback, publish_result
from deliberation.services.users import HASHER
from deliberation.store import one, open_db, rows
from tests.factories import actions_for, build_world, household_codes, copy_db, dump, is_chinese, make_issue, rebind

LEGAL = {(t.source.value, t.target.value) for t in TRANSITIONS}
AGENDA_STAGES = ("collected", "deliberating", "acting")
NOT_CLOSED = ("collected", "deliberating", "acting", "escalated", "publicizing", "resolved")
OPEN = ("collected", "deliberating", "acting", "escalated", "publicizing")      # a duplicate merges from any
WINDOW_DAYS, THRESHOLD = 7, 3


@functools.cache
def template() -> tuple[Path, object]:
    """One world built through the services per test run; every example starts from a copy."""
    folder = tempfile.mkdtemp(prefix="machine-template-")
    atexit.register(shutil.rmtree, folder, True)
    path = Path(folder) / "world.db"
    db = open_db(path)
    world = build_world(db, HASHER.hash("Test2026!pw"))
    db.close()
    return path, world


class IssueLifecycle(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        path, world = template()
        self.dir = Path(tempfile.mkdtemp(prefix="machine-"))
        copy_db(path, self.dir / "t.db")
        self.db = open_db(self.dir / "t.db")
        self.world = rebind(world, self.db)
        self.a = self.world.a
        self.stage: dict[int, str] = {}          # the model: where each issue should be …
        self.events: dict[int, int] = {}         # … and how many events it should have
        self.objections: dict[int, int] = {}     # 不满意 in the current publication round
        self.waiting: set[int] = set()           # issues with an escalation not yet answered
        self.merged: set[int] = set()            # duplicates merged into another issue
        self.seen: list[dict] = []               # every event row so far, as first read
        self.sessions = 0

    def teardown(self):
        self.db.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    # --- helpers -------------------------------------------------------------------------

    def actor(self, name: str):
        return self.world.actors[name]

    def version(self, issue_id: int) -> int:
        return one(self.db, "SELECT version FROM issues WHERE id = ?", [issue_id])["version"]

    def pick(self, data, *stages: str) -> int:
        """Mostly an issue in one of `stages` (where the step can do something), else any."""
        likely = sorted(i for i, s in self.stage.items() if s in stages)
        if likely and data.draw(st.integers(0, 4), label="any issue instead") < 4:
            return data.draw(st.sampled_from(likely), label="issue")
        return data.draw(st.sampled_from(sorted(self.stage)), label="issue")

    def moved(self, issue_id: int, stage: str | None = None, events: int = 1) -> None:
        if stage is not None:
            self.stage[issue_id] = stage
            if stage == "publicizing":
                self.objections[issue_id] = 0
        self.events[issue_id] += events

    def refused(self, call, *, audited: bool = False) -> DomainError:
        """`call` must raise a DomainError and write nothing (but the audit event of a refusal)."""
        before = dump(self.db)
        try:
            call()
        except DomainError as exc:
            after = dump(self.db)
            assert is_chinese(exc.message)
            assert len(after.pop("events")) - len(before.pop("events")) == int(audited)
            assert after == before, "a refused request wrote something"
            return exc
        raise AssertionError("the service accepted a request the model says it must refuse")

    # --- what users do -------------------------------------------------------------------

    @initialize()
    def first_issues(self):
        for who in ("secretary_a", "recorder_a", "seat_rep_owners_a"):
            self.raise_issue(who)

    @rule(who=st.sampled_from(["secretary_a", "recorder_a", "seat_rep_owners_a"]))
    def raise_issue(self, who):
        issue_id = make_issue(self.db, self.actor(who), self.a, title=f"议题{len(self.stage) + 1}")
        self.stage[issue_id], self.events[issue_id] = "collected", 1

    @rule(data=st.data(), quorum=st.sampled_from([True, True, True, False]))
    def hold_meeting(self, data, quorum):
        secretary = self.actor("secretary_a")
        picks = sorted({self.pick(data, *AGENDA_STAGES) for _ in range(data.draw(st.integers(1, 3)))})
        meeting_id = meeting_svc.schedule_meeting(self.db, secretary, self.a)
        on_agenda = []
        for issue_id in picks:
            if self.stage[issue_id] in AGENDA_STAGES:
                agenda_svc.add_to_agenda(self.db, secretary, meeting_id, issue_id)
                self.moved(issue_id, "deliberating" if self.stage[issue_id] == "collected" else None)
                on_agenda.append(issue_id)
            else:
                self.refused(lambda: agenda_svc.add_to_agenda(self.db, secretary, meeting_id, issue_id))
        meeting_svc.start_meeting(self.db, secretary, meeting_id)
        record_attendance(self.db, secretary, meeting_id, {
            line["member_id"]: ("absent" if not quorum and line["seat_code"] == "property" else "present", "")
            for line in meeting_svc.attendance(self.db, secretary, meeting_id)})
        undecided = []
        for issue_id in on_agenda:
            outcome = data.draw(st.sampled_from(["settled", "actions", "actions", "escalated", "deferred", None]))
            if outcome is None or not self.decide(meeting_id, issue_id, outcome, quorum):
                undecided.append(issue_id)
        meeting_svc.finish_meeting(self.db, secretary, meeting_id)
        for issue_id in undecided:      # carried over: the timeline says so
            self.moved(issue_id, None)

    def decide(self, meeting_id, issue_id, outcome, quorum):
        item_id = one(self.db, "SELECT id FROM agenda_items WHERE meeting_id = ? AND issue_id = ?",
                      [meeting_id, issue_id])["id"]
        record = lambda: agenda_svc.record_decision(   # noqa: E731
            self.db, self.actor("secretary_a"), item_id, outcome=outcome, decision="决议",
            actions=actions_for(self.db, self.a, "property", due_in_days=30) if outcome == "actions" else (),
            escalate_to="community", escalation_request="请社区协调")
        stage = self.stage[issue_id]
        if (outcome != "deferred" and not quorum) or (outcome == "settled" and stage == "acting"):
            self.refused(record)
            return False
        record()
        expected = {"settled": "resolved", "actions": "acting", "escalated": "escalated", "deferred": stage}[outcome]
        self.moved(issue_id, expected if expected != stage else None)
        if outcome == "escalated":
            self.waiting.add(issue_id)
        return True

    @rule(data=st.data(), level=st.sampled_from(["community", "subdistrict"]))
    def escalate(self, data, level):
        issue_id = self.pick(data, "deliberating", "acting")
        call = lambda: escalate(self.db, self.actor("secretary_a"), issue_id, level, "请上级协调")   # noqa: E731
        if self.stage[issue_id] in ("deliberating", "acting"):
            call()
            self.moved(issue_id, "escalated")
            self.waiting.add(issue_id)
        else:
            self.refused(call)

    @rule(data=st.data(), next_stage=st.sampled_from(["acting", "publicizing"]),
          who=st.sampled_from(["admin", "officer"]))
    def answer(self, data, next_stage, who):
        pending = rows(self.db, """SELECT id, issue_id, level_to FROM escalations
                                   WHERE answered_on IS NULL AND withdrawn_on IS NULL ORDER BY id""")
        if not pending:
            return
        escalation = data.draw(st.sampled_from(pending))
        call = lambda: answer_escalation(self.db, self.actor(who), escalation["id"], "已协调", next_stage)  # noqa: E731
        if who == "officer" and escalation["level_to"] == "subdistrict":
            self.refused(call, audited=True)        # 松园社区 cannot answer for 桂园街道
            return
        issue_id = escalation["issue_id"]
        assert self.stage[issue_id] == "escalated"
        call()
        self.moved(issue_id, next_stage, events=2)
        self.waiting.discard(issue_id)

    @rule(data=st.data())
    def pass_it_up(self, data):
        """松园社区's officer passes an escalation up to 桂园街道; one already there is not theirs."""
        pending = rows(self.db, """SELECT id, issue_id, level_to FROM escalations
                                   WHERE answered_on IS NULL AND withdrawn_on IS NULL ORDER BY id""")
        if not pending:
            return
        escalation = data.draw(st.sampled_from(pending))
        call = lambda: pass_up(self.db, self.actor("officer"), escalation["id"], "请街道协调")   # noqa: E731
        if escalation["level_to"] == "subdistrict":
            self.refused(call, audited=True)
            return
        call()
        self.moved(escalation["issue_id"])          # still 上报, one more event

    @rule(data=st.data())
    def publish(self, data):
        issue_id = self.pick(data, "acting", "escalated")
        call = lambda: publish_result(self.db, self.actor("secretary_a"), issue_id, summary="已整改")   # noqa: E731
        if self.stage[issue_id] == "acting" or (self.stage[issue_id] == "escalated" and issue_id not in self.waiting):
            call()
            self.moved(issue_id, "publicizing")
        else:
            self.refused(call)

    @rule(data=st.data(), ratings=st.lists(st.sampled_from(["satisfied", "basic", "unsatisfied", "unsatisfied"]),
                                           min_size=1, max_size=4))
    def feedback(self, data, ratings):
        issue_id = self.pick(data, "publicizing")
        for rating in ratings:
            self.sessions += 1
            code = household_codes(self.db, self.a, 1, prefix=f"{self.sessions}-")[0]   # a new household each time
            call = lambda: give_feedback(self.db, issue_id, rating, session_key=f"s{self.sessions}",  # noqa: E731
                                         household_code=code)
            if self.stage[issue_id] != "publicizing":
                self.refused(call)
                continue
            call()
            self.moved(issue_id)
            if rating == "unsatisfied":
                self.objections[issue_id] += 1
                if self.objections[issue_id] >= THRESHOLD:
                    self.moved(issue_id, "deliberating")

    @rule(days=st.sampled_from([0, WINDOW_DAYS, WINDOW_DAYS + 1, 10]))
    def close_windows(self, days):
        with clock_at(now() + timedelta(days=days)):
            closed = close_expired_windows(self.db, self.actor("secretary_a"))
        expired = [i for i, s in self.stage.items() if s == "publicizing" and days > WINDOW_DAYS]
        assert closed == len(expired)
        for issue_id in expired:
            self.moved(issue_id, "resolved")

    @rule(data=st.data(), note=st.sampled_from(["说明", "说明", ""]))
    def transition(self, data, note):
        issue_id = self.pick(data, *self.stage.values())
        legal = [Stage(t) for s, t in sorted(LEGAL) if s == self.stage[issue_id]]
        to = data.draw(st.sampled_from(legal) if legal and data.draw(st.booleans()) else st.sampled_from(list(Stage)))
        call = lambda: transition_issue(   # noqa: E731
            self.db, self.actor("secretary_a"), issue_id, to.value, expected_version=self.version(issue_id),
            note=note, level="compound", reason="withdrawn")
        found = find_transition(self.stage[issue_id], to)
        # 公示期满,办结 by hand: the window opened today (now()) runs for days yet, so it is refused.
        if found is None or found.name in ("escalate", "resolve", "merge") or ("note" in found.needs and not note) \
                or issue_id in self.merged or issue_id in self.waiting:
            # Cutting 公示 short is kept in the audit trail like a permission refusal (publicity.py).
            early = self.stage[issue_id] == "publicizing" and to == Stage.RESOLVED and issue_id not in self.merged
            self.refused(call, audited=early)
            return
        call()
        self.moved(issue_id, to.value)

    @rule(data=st.data())
    def merge(self, data):
        duplicate, into = self.pick(data, *OPEN), self.pick(data, *NOT_CLOSED)
        call = lambda: merge_issues(self.db, self.actor("secretary_a"), duplicate, into,   # noqa: E731
                                    expected_version=self.version(duplicate))
        if duplicate == into or self.stage[duplicate] not in OPEN or self.stage[into] == "closed":
            self.refused(call)
            return
        call()
        self.moved(duplicate, "closed")
        self.moved(into)
        self.merged.add(duplicate)
        self.waiting.discard(duplicate)          # its escalation is withdrawn: nobody answers a duplicate

    @rule(data=st.data(), to=st.sampled_from(list(Stage)))
    def two_users_edit_the_same_issue(self, data, to):
        """The first writer wins; the second, holding the old version, is refused whatever it tries."""
        issue_id = self.pick(data)
        read = self.version(issue_id)
        update_issue(self.db, self.actor("recorder_a"), issue_id, read, description="补充说明")
        self.moved(issue_id)
        exc = self.refused(lambda: update_issue(self.db, self.actor("secretary_a"), issue_id, read, title="改"))
        assert isinstance(exc, StaleRecord)
        self.refused(lambda: transition_issue(self.db, self.actor("secretary_a"), issue_id, to.value,
                                              expected_version=read, note="说明", level="compound",
                                              reason="withdrawn"))

    @rule(data=st.data())
    def finish_an_action(self, data):
        open_actions = rows(self.db, "SELECT id, issue_id, version FROM actions WHERE status = 'open' ORDER BY id")
        if not open_actions:
            return
        action = data.draw(st.sampled_from(open_actions))
        update_action(self.db, self.actor("seat_rep_property_a"), action["id"], action["version"], status="done",
                      note="已完成")
        self.moved(action["issue_id"])

    # --- what must always hold -----------------------------------------------------------

    @invariant()
    def every_issue_is_where_the_model_says(self):
        found = {r["id"]: r["stage"] for r in rows(self.db, "SELECT id, stage FROM issues")}
        assert found == self.stage

    @invariant()
    def every_issue_has_the_events_the_model_expects(self):
        found = {r["issue_id"]: r["n"] for r in rows(
            self.db, "SELECT issue_id, count(*) AS n FROM events WHERE issue_id IS NOT NULL GROUP BY issue_id")}
        assert found == self.events

    @invariant()
    def every_stage_change_follows_the_table(self):
        last: dict[int, str] = {}
        for e in rows(self.db, "SELECT * FROM events WHERE to_stage IS NOT NULL ORDER BY id"):
            if e["kind"] == "raised":
                assert e["issue_id"] not in last and e["to_stage"] == "collected"
            else:
                assert (e["from_stage"], e["to_stage"]) in LEGAL, e
                assert last[e["issue_id"]] == e["from_stage"], e
            last[e["issue_id"]] = e["to_stage"]
        assert last == self.stage

    @invariant()
    def events_are_only_appended(self):
        events = rows(self.db, "SELECT * FROM events ORDER BY rowid")
        ids = [e["id"] for e in events]
        assert ids == sorted(set(ids))
        assert events[:len(self.seen)] == self.seen
        self.seen = events

    @invariant()
    def no_escalation_waits_for_an_issue_that_moved_on(self):
        orphans = rows(self.db, """SELECT e.id FROM escalations e JOIN issues i ON i.id = e.issue_id
                                   WHERE e.answered_on IS NULL AND e.withdrawn_on IS NULL
                                   AND i.stage != 'escalated'""")
        assert orphans == []

    @invariant()
    def the_database_is_intact(self):
        assert self.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert self.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert not self.db.conn.in_transaction


IssueLifecycle.TestCase.settings = settings(max_examples=25, stateful_step_count=20, deadline=None)
test_issue_lifecycle_under_random_use = IssueLifecycle.TestCase
