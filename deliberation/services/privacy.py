"""Personal data out of the permanent record (issue 10, items 5 and 6): a secretary redacts a
field, erases one resident's personal fields on request, and a retention period erases them for
every issue that ended long enough ago. Events record which field and who, never the value."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta

from ..model.errors import DomainError, NotFound
from ..model.roles import Action
from ..store import photos as photo_store
from ..store import privacy as privacy_store
from .actors import SYSTEM, Actor
from .clock import stamp, today
from .permissions import authorize
from .use_case import changing

REDACTED = "〔已隐去〕"
# Per deployment: DELIBERATION_RETENTION_DAYS; by default personal fields go one year after the
# issue ends (the concern form says so: web/public/strings.py "public.concern.retention").
DEFAULT_RETENTION_DAYS = 365
# Fields that must keep a value (NOT NULL and shown as a heading) get the mark; others go empty.
_MARKED = {("issue", "title"), ("escalation", "request")}


def retention_days() -> int:
    raw = os.environ.get("DELIBERATION_RETENTION_DAYS", "").strip()
    if not raw:
        return DEFAULT_RETENTION_DAYS
    if not raw.isdigit() or int(raw) < 1:
        raise DomainError(f"保存期限设置不正确:“{raw}”,应为正整数天数")
    return int(raw)


def redactable_fields(kind: str) -> frozenset[str]:
    return privacy_store.REDACTABLE[kind][1] if kind in privacy_store.REDACTABLE else frozenset()


def redact(db, actor: Actor, kind: str, row_id: int, field: str) -> None:
    """Replace one stored value by 〔已隐去〕 (or empty); the `redacted` event names the field and
    who did it, never the value. Only roles with the publish right (the secretary) may."""
    if field not in redactable_fields(kind):
        raise DomainError(f"不能隐去“{kind}.{field}”:该字段不存在或不可隐去")
    compound_id = privacy_store.compound_of(db, kind, row_id)
    if compound_id is None:
        raise NotFound("找不到要隐去的记录")
    with changing(db, actor, Action.PUBLISH, compound_id) as change:
        privacy_store.set_field(db, kind, row_id, field, REDACTED if (kind, field) in _MARKED
                                or privacy_store.field_value(db, kind, row_id, field) else "")
        change.record("redacted", issue_id=privacy_store.issue_of(db, kind, row_id),
                      data={"kind": kind, "id": row_id, "field": field})


def erase_resident(db, actor: Actor, report_id: int) -> None:
    """A resident asked to be forgotten: their name, unit, contact and own words on this report,
    the photos sent with it (public ones too: bytes gone), and their comments on the result.
    Households, counts and stages stay as they are."""
    report = privacy_store.report_of_issue(db, report_id)
    if report is None:
        raise NotFound("找不到该居民的反映记录")
    with changing(db, actor, Action.PUBLISH, report["compound_id"]) as change:
        privacy_store.erase_report_fields(db, report_id)
        comments = privacy_store.erase_feedback_comments_of_session(db, report["issue_id"], report["session_key"])
        photos = photo_store.remove_photos(db, photo_store.live_photo_ids_of_report(db, report_id), stamp())
        change.record("personal_erased", issue_id=report["issue_id"],
                      data={"report_id": report_id, "fields": list(privacy_store.PERSONAL_REPORT_FIELDS),
                            "comments": comments, "photos": photos, "on_request": True})


@dataclass(frozen=True)
class PurgeResult:
    cutoff: str
    issues: int
    reports: int
    comments: int
    dry_run: bool
    photos: int = 0


def purge_personal(db, actor: Actor = SYSTEM, *, dry_run: bool = False, on: date | None = None,
                   days: int | None = None) -> PurgeResult:
    """Erase the personal fields of every issue that ended more than the retention period ago.
    One transaction per issue, like close_expired_windows; `dry_run` only counts."""
    authorize(db, actor, Action.PUBLISH)
    if days is not None and days < 1:
        raise DomainError(f"保存天数应为正整数,收到“{days}”")
    cutoff = ((on or today()) - timedelta(days=days or retention_days())).isoformat()
    found = [i for i in privacy_store.ended_issues_with_personal_fields(db, cutoff) if actor.covers(i["compound_id"])]
    issues = reports = comments = photos = 0
    for issue in found:
        if dry_run:
            issues += 1
            reports += len(privacy_store.reports_with_personal_fields(db, issue["id"]))
            comments += privacy_store.count_feedback_comments(db, issue["id"])
            photos += len(photo_store.live_concern_photo_ids_of_issue(db, issue["id"]))
            continue
        with changing(db, actor, Action.PUBLISH, issue["compound_id"]) as change:
            report_ids = privacy_store.reports_with_personal_fields(db, issue["id"])
            for report_id in report_ids:
                privacy_store.erase_report_fields(db, report_id)
            erased = privacy_store.erase_feedback_comments(db, issue["id"])
            # Residents' photos go with their words, public ones too; staff's photos stay.
            removed = photo_store.remove_photos(db, photo_store.live_concern_photo_ids_of_issue(db, issue["id"]),
                                                stamp())
            issues, reports, comments = issues + 1, reports + len(report_ids), comments + erased
            photos += removed
            change.record("personal_erased", issue_id=issue["id"],
                          data={"reports": len(report_ids), "comments": erased, "photos": removed,
                                "retention_cutoff": cutoff})
    return PurgeResult(cutoff, issues, reports, comments, dry_run, photos)
