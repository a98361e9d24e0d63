"""The minutes' workflow after the decisions are taken: the draft can be corrected until the
minutes are approved; approval locks them; a correction after that is an amendment with a reason,
and the approved text stays readable beside the amended one.

What may be corrected: the texts (讨论情况, 决议) and the votes. Not the outcome: it has already
moved the issue (settled, tasks handed out, escalated), and undoing that is the issue's own flow.
Attendance is corrected with services/attendance.record_attendance, which refuses after approval."""
from __future__ import annotations

from ..exports.minutes import chinese_number
from ..model.defaults import OUTCOMES, VOTES
from ..model.errors import DomainError, NotFound, StaleRecord
from ..model.roles import Action
from ..store import agenda as agenda_store
from ..store import meetings as meeting_store
from ..store import minutes_record
from ..store import roster as roster_store
from .actors import Actor
from .clock import stamp
from .permissions import authorize
from .use_case import changing

DRAFT = ("in_progress", "held")
LOCKED = ("minutes_approved", "published")
TEXT_LIMIT = 2000
REASON_LIMIT = 500
FIELD_LABELS = {"discussion": "讨论情况", "decision": "决议"}


def _item(db, item_id: int) -> tuple[dict, dict]:
    item = agenda_store.get_agenda_item(db, item_id)
    if item is None:
        raise NotFound("找不到该议程项")
    return item, meeting_store.require_meeting(db, item["meeting_id"])


def _texts(item: dict, *, discussion: str, decision: str) -> dict[str, tuple[str, str]]:
    """field -> (old, new) for the texts that change; refuses a text the minutes cannot hold."""
    new = {"discussion": discussion.strip(), "decision": decision.strip()}
    for field, text in new.items():
        if len(text) > TEXT_LIMIT:
            raise DomainError(f"{FIELD_LABELS[field]}不能超过 {TEXT_LIMIT} 字")
    if item["outcome"] != "deferred" and not new["decision"]:
        raise DomainError("请填写决议内容")
    return {field: (item[field], text) for field, text in new.items() if text != item[field]}


def _claim(db, item: dict, expected_version: int) -> None:
    """The item as the user saw it, or StaleRecord; the meeting's version moves too, so a prepared
    document and a pending approval are of the corrected text."""
    if not minutes_record.claim_item_version(db, item["id"], expected_version):
        raise StaleRecord("该决议已被他人修改,请刷新后再改")
    meeting_store.claim_meeting_version(db, item["meeting_id"], None)


def _votes(db, compound_id: int, votes: dict[int, str]) -> list[dict]:
    lines = []
    for seat_id, vote in votes.items():
        if vote not in VOTES:
            raise DomainError("表决只能是赞成、反对或弃权")
        seat = roster_store.get_seat(db, seat_id)
        if seat is None or seat["compound_id"] != compound_id:
            raise DomainError("表决主体不属于本小区")
        lines.append({"seat_id": seat_id, "seat_name": seat["name"], "vote": vote})
    return lines


def correct_decision(db, actor: Actor, item_id: int, *, expected_version: int, discussion: str, decision: str,
                     votes: dict[int, str] | None = None) -> None:
    """Correct a recorded decision while the minutes are a draft (进行中 or 已召开). `votes`: the
    whole new roll of votes (seat id -> for/against/abstain), or None to keep them. The event keeps
    the old and new values."""
    compound_id = _item(db, item_id)[1]["compound_id"]
    with changing(db, actor, Action.RUN_MEETING, compound_id) as change:
        item, meeting = _item(db, item_id)          # read inside the change: approval may have come first
        if meeting["status"] in LOCKED:
            raise DomainError("纪要已审定,不能直接修改;请用“更正纪要”并写明理由")
        if meeting["status"] not in DRAFT:
            raise DomainError("会议尚未开始,没有可修改的决议")
        if item["outcome"] not in OUTCOMES:
            raise DomainError("该议程项尚未形成决议,请先记录决议")
        texts = _texts(item, discussion=discussion, decision=decision)
        values = {field: {"old": old, "new": new} for field, (old, new) in texts.items()}
        if votes is not None:
            new_votes = _votes(db, compound_id, votes)
            old = {r["seat_name"]: r["vote"] for r in agenda_store.votes_in_roster_order(db, item_id)}
            new = {line["seat_name"]: line["vote"] for line in new_votes}
            if old != new:
                values["votes"] = {"old": old, "new": new}
        if not values:
            return                                  # saved as it was: nothing to record
        _claim(db, item, expected_version)
        if texts:
            agenda_store.update_agenda_item(db, item_id, {field: new for field, (_, new) in texts.items()})
        if "votes" in values:
            agenda_store.replace_votes(db, item_id, new_votes)
        change.record("decision_corrected", issue_id=item["issue_id"], meeting_id=meeting["id"],
                      note=f"修改第{meeting['number']}次会议纪要草稿", data={"agenda_item_id": item_id, "values": values})


def amend_decision(db, actor: Actor, item_id: int, *, expected_version: int, discussion: str, decision: str,
                   reason: str) -> None:
    """Correct approved minutes: each changed text is kept as an amendment (old text, new text,
    reason, who, when), so the approved version stays readable."""
    compound_id = _item(db, item_id)[1]["compound_id"]
    with changing(db, actor, Action.PUBLISH, compound_id) as change:
        item, meeting = _item(db, item_id)
        if meeting["status"] not in LOCKED:
            raise DomainError("纪要尚未审定,请直接修改草稿")
        reason = reason.strip()
        if not reason:
            raise DomainError("更正已审定的纪要,需要写明更正理由")
        if len(reason) > REASON_LIMIT:
            raise DomainError(f"更正理由不能超过 {REASON_LIMIT} 字")
        texts = _texts(item, discussion=discussion, decision=decision)
        if not texts:
            raise DomainError("内容没有变化,无需更正")
        _claim(db, item, expected_version)
        at = stamp()
        for field, (old, new) in texts.items():
            minutes_record.insert_amendment(db, {
                "meeting_id": meeting["id"], "agenda_item_id": item_id, "field": field, "old_text": old,
                "new_text": new, "reason": reason, "amended_by": actor.user_id, "amended_by_label": actor.label,
                "amended_at": at})
        agenda_store.update_agenda_item(db, item_id, {field: new for field, (_, new) in texts.items()})
        change.record("minutes_amended", issue_id=item["issue_id"], meeting_id=meeting["id"],
                      note=f"更正第{meeting['number']}次会议纪要:{reason}",
                      data={"agenda_item_id": item_id, "reason": reason,
                            "values": {field: {"old": old, "new": new} for field, (old, new) in texts.items()}})


def amendments(db, actor: Actor, meeting_id: int) -> list[dict]:
    """The amendments made after approval, oldest first: internal, like the texts they change."""
    authorize(db, actor, Action.READ_INTERNAL, meeting_store.require_meeting(db, meeting_id)["compound_id"])
    return minutes_record.amendments_of_meeting(db, meeting_id)


def editable(meeting: dict) -> str | None:
    """How a recorded decision of this meeting may be changed: "draft", "amend", or None."""
    return "draft" if meeting["status"] in DRAFT else "amend" if meeting["status"] in LOCKED else None


def amendment_notes(db, actor: Actor, meeting_id: int) -> tuple[str, ...]:
    """What the internal minutes print about each amendment: when, which item and text, why
    (the texts themselves: on the meeting page, which shows the approved and the amended one)."""
    authorize(db, actor, Action.READ_INTERNAL, meeting_store.require_meeting(db, meeting_id)["compound_id"])
    return tuple(f"{r['amended_at'][:10]} 更正议题{chinese_number(r['position'])}{FIELD_LABELS[r['field']]}"
                 f"（理由：{r['reason']}）" for r in minutes_record.amendments_of_meeting(db, meeting_id))
