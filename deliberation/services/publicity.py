"""公示监督: results posted for residents, objections during the window, closing windows."""
from __future__ import annotations

from datetime import date, timedelta

from ..model.defaults import FEEDBACK
from ..model.errors import DomainError
from ..model.lifecycle import Stage
from ..model.roles import Action
from ..store import one, rows, scalar, write
from .actors import RESIDENT, SYSTEM, Actor
from .clock import now, today
from .event_log import append_event
from .permissions import authorize
from .lifecycle import apply_transition, load_issue


def open_publicity(db, actor: Actor, issue_id: int, *, summary: str, expected_version: int | None = None,
                   on: date | None = None) -> None:
    """Inside an open write transaction: the result goes public and the objection window opens."""
    issue = load_issue(db, issue_id)
    window = one(db, "SELECT objection_window_days FROM compounds WHERE id = ?", [issue["compound_id"]])
    day = on or today()
    apply_transition(db, actor, issue_id, Stage.PUBLICIZING, expected_version=expected_version,
                     note=summary, public=True, on=day, extra={
                         "public_summary": summary.strip(),
                         "publication_round": issue["publication_round"] + 1,
                         "objection_closes_on": (day + timedelta(days=window["objection_window_days"])).isoformat(),
                         "fix_level": issue["fix_level"] or "compound"})


def publish_result(db, actor: Actor, issue_id: int, *, summary: str, expected_version: int | None = None,
                   on: date | None = None) -> None:
    issue = load_issue(db, issue_id)
    authorize(db, actor, Action.PUBLISH, issue["compound_id"])
    if not summary.strip():
        raise DomainError("公示需要填写向居民公开的结果说明")
    with write(db):
        open_publicity(db, actor, issue_id, summary=summary, expected_version=expected_version, on=on)


def give_feedback(db, issue_id: int, rating: str, comment: str = "", *, session_key: str,
                  actor: Actor = RESIDENT) -> str:
    """A resident's 满意/基本满意/不满意. Enough 不满意 reopens the issue onto the next agenda.

    Returns the stage the issue is in afterwards."""
    issue = load_issue(db, issue_id)
    authorize(db, actor, Action.GIVE_FEEDBACK, issue["compound_id"])
    if rating not in FEEDBACK:
        raise DomainError("请选择满意、基本满意或不满意")
    if len(comment) > 500:
        raise DomainError("意见不能超过 500 字")
    with write(db):
        issue = load_issue(db, issue_id)
        if issue["stage"] != Stage.PUBLICIZING.value or (issue["objection_closes_on"] or "") < today().isoformat():
            raise DomainError("该议题不在公示期内,暂不能评价")
        if session_key and scalar(db, "SELECT count(*) FROM feedback WHERE issue_id = ? AND round = ? AND session_key = ?",
                                  [issue_id, issue["publication_round"], session_key]):
            raise DomainError("您已评价过该结果,感谢参与")
        db["feedback"].insert({"issue_id": issue_id, "round": issue["publication_round"], "rating": rating,
                               "comment": comment.strip(), "session_key": session_key,
                               "created_at": now().isoformat(sep=" ")})
        append_event(db, actor=actor, kind="feedback", compound_id=issue["compound_id"], issue_id=issue_id,
                     note=f"居民评价:{FEEDBACK[rating]}", data={"rating": rating, "comment": comment.strip()},
                     public=True)
        objections = scalar(db, "SELECT count(*) FROM feedback WHERE issue_id = ? AND round = ? AND rating = 'unsatisfied'",
                            [issue_id, issue["publication_round"]])
        threshold = one(db, "SELECT objection_threshold FROM compounds WHERE id = ?", [issue["compound_id"]])
        if objections >= threshold["objection_threshold"]:
            apply_transition(db, SYSTEM, issue_id, Stage.DELIBERATING, public=True,
                             note=f"公示期内 {objections} 户居民不满意,达到异议阈值,重新列入议事")
            return Stage.DELIBERATING.value
    return Stage.PUBLICIZING.value


def close_expired_windows(db, actor: Actor = SYSTEM, on: date | None = None) -> int:
    """Windows that closed below the objection threshold resolve their issues. Returns how many."""
    authorize(db, actor, Action.PUBLISH)
    day = (on or today()).isoformat()
    expired = [r for r in rows(db, """SELECT id, compound_id FROM issues
                                      WHERE stage = 'publicizing' AND objection_closes_on < ?""", [day])
               if actor.covers(r["compound_id"])]
    resolved = 0
    for issue in expired:
        with write(db):
            current = load_issue(db, issue["id"])
            if current["stage"] != Stage.PUBLICIZING.value:
                continue      # reopened by objections since the list was read
            apply_transition(db, actor, issue["id"], Stage.RESOLVED, level=current["fix_level"] or "compound",
                             note="公示期满,无异议或异议未达阈值,办结", public=True)
            resolved += 1
    return resolved
