"""GET /board/{compound_id}: one compound's board as plain HTML, the page a QR code opens.

Everything comes from @public_read services (the public_* views). Each list is paged or capped in
SQL by compound_id, so the page costs the same in a district of 1 or 1,000 compounds."""
from __future__ import annotations

from starlette.requests import Request

from deliberation.model.lifecycle import OPEN_STAGES, Stage
from deliberation.services import public
from deliberation.services.compounds import get_compound

from .labels import BADGE_CLASS, OUTCOMES, STAGE_VALUES, STAGES, level_label, result_line, stage_label
from .page_cache import served_from_cache
from .render import db, page, parse_id, resident_endpoint

PAGE_SIZE = 20
PUBLICITY_SHOWN = 10
MEETINGS_SHOWN = 5
ESCALATIONS_SHOWN = 10
MAX_PAGE = 100_000


def _page_number(text: str | None) -> int:
    """?page=: a small positive number; anything else is page 1 (a tampered link still shows the board)."""
    if text and text.isascii() and text.isdigit() and len(text) <= 6:
        return max(1, min(int(text), MAX_PAGE))
    return 1


def _context(conn, compound, stage: str | None, page_no: int) -> dict:
    cid = compound.id
    counts = public.public_stage_counts(conn, cid)
    issues, total = public.public_issues(conn, cid, stage=stage, page=page_no, page_size=PAGE_SIZE)
    publicizing, publicizing_total = public.public_issues(conn, cid, stage=Stage.PUBLICIZING.value,
                                                          page_size=PUBLICITY_SHOWN)
    pages = max(1, -(-total // PAGE_SIZE))
    return {
        "compound": compound, "stage": stage, "stage_name": stage_label(stage) if stage else "",
        "stages": [{"value": v, "label": label, "short": short, "n": counts.get(v, 0)} for v, label, short in STAGES],
        "open_total": sum(counts.get(s.value, 0) for s in OPEN_STAGES),
        "all_total": sum(counts.values()),
        "issues": issues, "total": total, "page_no": page_no, "pages": pages,
        "publicizing": publicizing, "publicizing_total": publicizing_total,
        "meetings": public.public_meetings(conn, cid, limit=MEETINGS_SHOWN),
        "meeting_total": public.public_meeting_count(conn, cid),
        "escalations": public.public_escalations(conn, cid, limit=ESCALATIONS_SHOWN),
        "escalation_counts": public.public_escalation_counts(conn, cid),
        "stage_label": stage_label, "level_label": level_label, "result_line": result_line,
        "badge_class": BADGE_CLASS, "outcomes": OUTCOMES,
    }


def _selection(request: Request) -> tuple[int, str | None, int]:
    """(compound id, stage filter, page number) the address asks for: a tampered id is NotFound,
    an unknown filter or page shows the board's first page."""
    stage = request.query_params.get("stage") or None
    return (parse_id(request.path_params["compound_id"]), stage if stage in STAGE_VALUES else None,
            _page_number(request.query_params.get("page")))


def _cached_key(request: Request) -> tuple[str, tuple]:
    compound_id, stage, page_no = _selection(request)
    return "board.html", (public.board_version(db(), compound_id), compound_id, stage, page_no)


@served_from_cache(_cached_key)
@resident_endpoint
def board_page(request: Request):
    conn = db()
    compound_id, stage, page_no = _selection(request)
    compound = get_compound(conn, compound_id)                                     # NotFound: 404
    return page(request, "board.html", lambda: _context(conn, compound, stage, page_no),
                etag_parts=_cached_key(request)[1])
