"""公示监督: results posted for residents, objections during the window, closing windows."""
from __future__ import annotations

from datetime import date, timedelta

from ..model.defaults import FEEDBACK
from ..model.errors import DomainError
from ..model.lifecycle import Stage
from ..model.roles import Action
from ..store import compounds as compound_store
from ..store import issues as issue_store
from ..store import reports as report_store
from .actors import RESIDENT, SYSTEM, Actor
from .clock import stamp, today
from .lifecycle import apply_transition
from .permissions import authorize
from .use_case import Change, changing


def open_publicity(change: Change, issue_id: int, *, summary: str, expected_version: int | None = None,
                   on: date | None = None) -> None:
    """A step of `change` (the caller's authorized, open transaction): the result goes public
    and the objection window opens."""
    db = change.db
    issue = issue_store.require_issue(db, issue_id)
    window = compound_store.get_compound(db, issue["compound_id"])["objection_window_days"]
    day = on or today()
    apply_transition(change, issue_id, Stage.PUBLICIZING, expected_version=expected_version,
                     note=summary, public=True, on=day, extra={
                         "public_summary": summary.strip(),
                         "publication_round": issue["publication_round"] + 1,
                         "objection_closes_on": (day + timedelta(days=window)).isoformat(),
                         "fix_level": issue["fix_level"] or "compound"})


def publish_result(db, actor: Actor, issue_id: int, *, summary: str, expected_version: int | None = None,
                   on: date | None = None) -> None:
    with changing(db, actor, Action.PUBLISH, issue_store.require_issue(db, issue_id)["compound_id"]) as change:
        if not summary.strip():
            raise DomainError("公示需要填写向居民公开的结果说明")
        open_publicity(change, issue_id, summary=summary, expected_version=expected_version, on=on)


def give_feedback(db, issue_id: int, rating: str, comment: str = "", *, session_key: str,
                  actor: Actor = RESIDENT) -> str:
    """A resident's 满意/基本满意/不满意. Enough 不满意 reopens the issue onto the next agenda.

    Returns the stage the issue is in afterwards."""
    with changing(db, actor, Action.GIVE_FEEDBACK, issue_store.require_issue(db, issue_id)["compound_id"]) as change:
        if rating not in FEEDBACK:
            raise DomainError("请选择满意、基本满意或不满意")
        if len(comment) > 500:
            raise DomainError("意见不能超过 500 字")
        issue = issue_store.require_issue(db, issue_id)
        if issue["stage"] != Stage.PUBLICIZING.value or (issue["objection_closes_on"] or "") < today().isoformat():
            raise DomainError("该议题不在公示期内,暂不能评价")
        publication_round = issue["publication_round"]
        if session_key and report_store.session_rated_round(db, issue_id, publication_round, session_key):
            raise DomainError("您已评价过该结果,感谢参与")
        report_store.insert_feedback(db, {"issue_id": issue_id, "round": publication_round, "rating": rating,
                                          "comment": comment.strip(), "session_key": session_key,
                                          "created_at": stamp()})
        change.record("feedback", issue_id=issue_id, note=f"居民评价:{FEEDBACK[rating]}",
                      data={"rating": rating, "comment": comment.strip()}, public=True)
        objections = report_store.count_unsatisfied(db, issue_id, publication_round)
        threshold = compound_store.get_compound(db, issue["compound_id"])["objection_threshold"]
        if objections >= threshold:
            apply_transition(change.by(SYSTEM), issue_id, Stage.DELIBERATING, public=True,
                             note=f"公示期内 {objections} 户居民不满意,达到异议阈值,重新列入议事")
            return Stage.DELIBERATING.value
    return Stage.PUBLICIZING.value


def close_expired_windows(db, actor: Actor = SYSTEM, on: date | None = None) -> int:
    """Windows that closed below the objection threshold resolve their issues. Returns how many.
    One transaction per issue, so a busy board is not held up by the whole batch."""
    authorize(db, actor, Action.PUBLISH)
    day = (on or today()).isoformat()
    expired = [r for r in issue_store.publicity_windows_closed_before(db, day) if actor.covers(r["compound_id"])]
    resolved = 0
    for issue in expired:
        with changing(db, actor, Action.PUBLISH, issue["compound_id"]) as change:
            current = issue_store.require_issue(db, issue["id"])
            if current["stage"] != Stage.PUBLICIZING.value:
                continue      # reopened by objections since the list was read
            apply_transition(change, issue["id"], Stage.RESOLVED, level=current["fix_level"] or "compound",
                             note="公示期满,无异议或异议未达阈值,办结", public=True)
            resolved += 1
    return resolved
