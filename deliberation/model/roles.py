"""Roles and what each may do. Scope (which compounds) is checked by services on top of this."""
from __future__ import annotations

from enum import Enum


class Role(str, Enum):
    ADMIN = "admin"
    OFFICER = "officer"        # 社区/街道/区 staff
    SECRETARY = "secretary"    # 支部书记
    RECORDER = "recorder"      # 记录员
    SEAT_REP = "seat_rep"      # 业委会/物业… representative
    RESIDENT = "resident"      # no login: the public board

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "系统管理员", Role.OFFICER: "社区/街道干部", Role.SECRETARY: "支部书记",
    Role.RECORDER: "记录员", Role.SEAT_REP: "协商主体代表", Role.RESIDENT: "居民",
}


class Action(str, Enum):
    MANAGE_USERS = "manage_users"
    MANAGE_AREAS = "manage_areas"
    MANAGE_COMPOUND = "manage_compound"      # seats, roster, schedule, quorum rule, categories
    READ_COMPOUND = "read_compound"          # the compound's issues, tasks and meetings (staff text)
    READ_INTERNAL = "read_internal"          # internal minutes (讨论情况, votes, names), attendance, phones, notes
    READ_PERSONAL = "read_personal"          # a resident's own words, name, unit and contact
    RAISE_ISSUE = "raise_issue"
    EDIT_ISSUE = "edit_issue"
    TRANSITION_ISSUE = "transition_issue"
    PUBLISH = "publish"                      # results into 公示, minutes approval and publication
    RUN_MEETING = "run_meeting"              # schedule, agenda, attendance, decisions
    UPDATE_ACTION = "update_action"          # any action of the compound
    UPDATE_OWN_SEAT_ACTION = "update_own_seat_action"
    REPLAN_ACTION = "replan_action"          # cancel an action or move its due date (with a reason)
    ESCALATE = "escalate"
    ANSWER_ESCALATION = "answer_escalation"
    REPORTS = "reports"
    READ_AUDIT = "read_audit"
    READ_PUBLIC = "read_public"
    RAISE_PUBLIC_CONCERN = "raise_public_concern"
    GIVE_FEEDBACK = "give_feedback"


_A = Action
_PUBLIC = {_A.READ_PUBLIC, _A.RAISE_PUBLIC_CONCERN, _A.GIVE_FEEDBACK}
# READ_PERSONAL: the concern form promises residents that only the compound's 支部书记 and 记录员
# see their words and contact (web/public/strings.py, tests/test_privacy_walk.py holds the two
# together), so not admin (who manages accounts, not residents), officers or seat representatives.
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action) - {_A.READ_PERSONAL},
    Role.OFFICER: frozenset({_A.READ_COMPOUND, _A.READ_INTERNAL, _A.ANSWER_ESCALATION, _A.REPORTS, *_PUBLIC}),
    Role.SECRETARY: frozenset({
        _A.MANAGE_COMPOUND, _A.READ_COMPOUND, _A.READ_INTERNAL, _A.READ_PERSONAL, _A.RAISE_ISSUE,
        _A.EDIT_ISSUE, _A.TRANSITION_ISSUE, _A.PUBLISH, _A.RUN_MEETING, _A.UPDATE_ACTION, _A.ESCALATE, _A.REPORTS, _A.READ_AUDIT,
        _A.REPLAN_ACTION,
        *_PUBLIC}),
    Role.RECORDER: frozenset({
        _A.READ_COMPOUND, _A.READ_INTERNAL, _A.READ_PERSONAL, _A.RAISE_ISSUE, _A.EDIT_ISSUE,
        _A.TRANSITION_ISSUE, _A.RUN_MEETING,
        _A.UPDATE_ACTION, *_PUBLIC}),
    Role.SEAT_REP: frozenset({_A.READ_COMPOUND, _A.RAISE_ISSUE, _A.UPDATE_OWN_SEAT_ACTION, *_PUBLIC}),
    Role.RESIDENT: frozenset(_PUBLIC),
}
del _A, _PUBLIC


def role_may(role: Role, action: Action) -> bool:
    return Action(action) in PERMISSIONS[Role(role)]
