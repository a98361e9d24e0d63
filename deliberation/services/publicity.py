"""公示监督: results posted for residents, objections during the window, closing windows."""
from __future__ import annotations

from datetime import date, timedelta

from ..model.defaults import FEEDBACK
from ..model.errors import DomainError
from ..model.lifecycle import PublicityWindowOpen, Stage, chinese_date, publicity_window_open
from ..model.roles import Action
from ..store import compounds as compound_store
from ..store import issues as issue_store
from ..store import reports as report_store
from ..store import write
from .actors import RESIDENT, SYSTEM, Actor
from .clock import stamp, today
from .concerns import check_board_limits, client_key
from .event_log import append_event
from .households import household_of
from .lifecycle import apply_transition
from .permissions import authorize, may
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
                     refs={"field": "public_summary"}, public=True, on=day, extra={
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
                  household_code: str = "", client_address: str | None = None, actor: Actor = RESIDENT) -> str:
    """A resident's 满意/基本满意/不满意. With a household code (议事码) it is the household's one
    rating of this publication round: a second one replaces the first. Enough households
    不满意 reopen the issue onto the next agenda; ratings without a code are kept and shown apart
    to the branch, and never count toward the threshold (compound.objection_threshold, in households).

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
        household_id = household_of(change, issue["compound_id"], household_code)
        client = client_key(client_address, session_key)
        earlier = household_id is not None and report_store.household_rating(db, issue_id, publication_round,
                                                                              household_id)
        if household_id is None and session_key and \
                report_store.session_rated_round(db, issue_id, publication_round, session_key):
            raise DomainError("您已评价过该结果,感谢参与")
        check_board_limits(change, issue["compound_id"], client, household_id)
        values = {"rating": rating, "comment": comment.strip(), "session_key": session_key, "client_key": client,
                  "created_at": stamp()}
        if earlier:
            # The household changes its mind: its one rating is replaced, never added to.
            report_store.replace_rating(db, earlier["id"], values)
            change.record("feedback_changed", issue_id=issue_id, note=f"一户居民改为:{FEEDBACK[rating]}",
                          data={"rating": rating, "was": earlier["rating"]}, public=True)
        else:
            report_store.insert_feedback(db, {"issue_id": issue_id, "round": publication_round,
                                              "household_code_id": household_id, **values})
            change.record("feedback", issue_id=issue_id, note=f"居民评价:{FEEDBACK[rating]}"
                          + ("" if household_id else "(未验证议事码)"),
                          data={"rating": rating, "verified": household_id is not None}, public=True)
        objections = report_store.count_unsatisfied_households(db, issue_id, publication_round)
        threshold = compound_store.get_compound(db, issue["compound_id"])["objection_threshold"]
        if household_id is not None and objections >= threshold:
            apply_transition(change.by(SYSTEM), issue_id, Stage.DELIBERATING, public=True,
                             note=f"公示期内 {objections} 户居民(凭议事码)不满意,达到异议阈值,重新列入议事")
            return Stage.DELIBERATING.value
    return Stage.PUBLICIZING.value


def resolvable(actor: Actor, issue: dict) -> bool:
    """Whether 公示期满,办结 would succeed now (the issue page offers the button only then):
    the publish right in the issue's compound, and the window's last day passed. No I/O."""
    return (issue["stage"] == Stage.PUBLICIZING.value and may(actor, Action.PUBLISH, issue["compound_id"])
            and not publicity_window_open(issue["objection_closes_on"], today()))


def resolve_publicity(db, actor: Actor, issue_id: int, *, expected_version: int | None = None,
                      level: str | None = None) -> None:
    """公示期满,办结 by hand. Only the publish right closes 公示 (a recorder records, it does not
    publish), and never before the window's last day has passed: an early attempt is refused
    with the date and kept in the audit trail like a permission refusal."""
    compound_id = issue_store.require_issue(db, issue_id)["compound_id"]
    try:
        with changing(db, actor, Action.PUBLISH, compound_id) as change:
            issue = issue_store.require_issue(db, issue_id)
            apply_transition(change, issue_id, Stage.RESOLVED, expected_version=expected_version,
                             level=level or issue["fix_level"] or "compound", note="公示期满,办结", public=True)
    except PublicityWindowOpen as early:
        # Its own transaction (the change above rolled back): who tried to cut 公示 short, and when.
        with write(db):
            append_event(db, actor=actor, kind="refused", compound_id=compound_id,
                         note=f"{actor.role.label}「{actor.label}」在公示期内尝试办结,已拒绝",
                         data={"action": Action.PUBLISH.value, "role": actor.role.value,
                               "compound_id": compound_id, "issue_id": issue_id,
                               "reason": "publicity_window_open", "closes_on": early.closes_on})
        raise


def close_expired_windows(db, actor: Actor = SYSTEM, on: date | None = None) -> int:
    """Windows that closed below the objection threshold resolve their issues. Returns how many.
    One transaction per issue, so a busy board is not held up by the whole batch. `on` may name
    an earlier day (fewer windows have closed by then), never a later one: that would cut 公示 short."""
    authorize(db, actor, Action.PUBLISH)
    if on is not None and on > today():
        raise DomainError(f"不能按未来日期({chinese_date(on)})办结公示")
    day = (on or today()).isoformat()
    expired = [r for r in issue_store.publicity_windows_closed_before(db, day) if actor.covers(r["compound_id"])]
    resolved = 0
    for issue in expired:
        with changing(db, actor, Action.PUBLISH, issue["compound_id"]) as change:
            current = issue_store.require_issue(db, issue["id"])
            if current["stage"] != Stage.PUBLICIZING.value \
                    or publicity_window_open(current["objection_closes_on"], today()):
                continue      # reopened by objections (or published afresh) since the list was read
            apply_transition(change, issue["id"], Stage.RESOLVED, level=current["fix_level"] or "compound",
                             note="公示期满,无异议或异议未达阈值,办结", public=True)
            resolved += 1
    return resolved
