"""GET /board/{compound_id}/issues/{number}: one issue by its per-compound number (鸿翔花园 #16),
with its public 办理经过, the photos marked public, and during 公示 the rating/objection form
(web/resident/actions.py, helper of its own: the form and its POST live there)."""
from __future__ import annotations

from starlette.requests import Request

from deliberation.model.errors import NotFound
from deliberation.services import public
from deliberation.services.compounds import get_compound
from deliberation.services.photos import public_photos_of_issue

from . import actions
from .labels import BADGE_CLASS, PHOTO_KINDS, close_reason, level_label, result_line, stage_label, timeline_step
from .photos import photo_url
from .page_cache import served_from_cache
from .render import db, page, parse_id, resident_endpoint


def _context(conn, compound, issue) -> dict:
    photos = [dict(p, url=photo_url(compound.id, p["id"]), thumb=photo_url(compound.id, p["id"], thumb=True),
                   caption=PHOTO_KINDS.get(p["kind"], "照片")) for p in public_photos_of_issue(conn, issue.id)]
    timeline = [dict(e, step=timeline_step(e), day=(e["created_at"] or "")[:10])
                for e in public.public_timeline(conn, issue.id)]
    return {"compound": compound, "issue": issue, "photos": photos, "timeline": timeline,
            "stage_name": "已合并" if issue.merged_into else stage_label(issue.stage, accepted=issue.accepted),
            "result": result_line(issue),
            "level": level_label(issue.resolved_level), "reason": close_reason(issue.closed_reason),
            "badge": BADGE_CLASS.get(issue.stage, "stage"), "can_join": actions.can_join(issue)}


def _key_parts(conn, compound_id: int, number: int) -> tuple:
    return (public.board_version(conn, compound_id), compound_id, number)


def _cached_key(request: Request) -> tuple[str, tuple]:
    compound_id = parse_id(request.path_params["compound_id"])
    return "issue.html", _key_parts(db(), compound_id, parse_id(request.path_params["number"]))


@served_from_cache(_cached_key)
@resident_endpoint
def issue_page(request: Request):
    conn = db()
    compound = get_compound(conn, parse_id(request.path_params["compound_id"]))
    number = parse_id(request.path_params["number"])
    issue = public.public_issue_by_number(conn, compound.id, number)
    if issue is None:
        raise NotFound(f"{compound.name}没有第 {number} 号议题。")
    # During 公示 the page carries a form with this browser's token: private, never a shared copy.
    form = actions.issue_actions(request, conn, compound, issue)
    if form is not None:
        return page(request, "issue.html", {**_context(conn, compound, issue), "actions": form.context},
                    cache="private", cookies=form.cookies)
    return page(request, "issue.html", lambda: _context(conn, compound, issue),
                etag_parts=_key_parts(conn, compound.id, number))
