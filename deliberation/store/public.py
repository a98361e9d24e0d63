"""The residents' board: reads of the public_* views (migrations) only, so no personal field can
reach it. These queries are the board's hot path (benchmarks/: public_scaling): change their text
only with the figures in hand."""
from __future__ import annotations

from .compounds import compound_exists  # noqa: F401 - a compound's existence is public: the board asks it
from .db import one, rows, scalar

PUBLIC_ISSUE_COLUMNS = """id, number, title, category, stage, raised_on, raised_by_kind, raised_by_seat_name, building,
    public_summary, public_reply, households, resolved_level, objection_closes_on, accepted_at, closed_reason,
    demo"""


def _issue_filter(compound_id: int, stage: str | None, text: str) -> tuple[str, list]:
    """The WHERE clause of a board list (fixed fragments; values only as parameters)."""
    where, params = "compound_id = ? AND merged_into_id IS NULL", [compound_id]
    if stage:
        where += " AND stage = ?"
        params.append(stage)
    if text.strip():
        where += " AND (title LIKE ? OR public_summary LIKE ?)"
        params += [f"%{text.strip()}%"] * 2
    return where, params


def public_issue_page(db, compound_id: int, *, stage: str | None, text: str, limit: int,
                      offset: int) -> tuple[list[dict], int]:
    """(one page of a compound's live public issues, most recently changed first; how many match)."""
    where, params = _issue_filter(compound_id, stage, text)
    total = scalar(db, "SELECT count(*) FROM public_issues WHERE " + where, params)
    found = rows(db, "SELECT " + PUBLIC_ISSUE_COLUMNS + " FROM public_issues WHERE " + where +
                 " ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?", [*params, limit, offset])
    return found, total


# One issue's page also says which issue a merged duplicate joined (its number, never its id).
_ONE_ISSUE_COLUMNS = PUBLIC_ISSUE_COLUMNS + """,
    (SELECT m.number FROM public_issues m WHERE m.id = public_issues.merged_into_id) AS merged_into_number"""


def public_issue_row(db, issue_id: int) -> dict | None:
    return one(db, "SELECT " + _ONE_ISSUE_COLUMNS + " FROM public_issues WHERE id = ?", [issue_id])


def public_issue_row_by_number(db, compound_id: int, number: int) -> dict | None:
    """The compound's issue #number (the per-compound number residents see), by the unique index
    on (compound_id, number): the same cost at any number of compounds."""
    return one(db, "SELECT " + _ONE_ISSUE_COLUMNS + " FROM public_issues WHERE compound_id = ? AND number = ?",
               [compound_id, number])


def public_stage_counts(db, compound_id: int) -> dict[str, int]:
    """{stage: number of live public issues} of a compound."""
    return {r["stage"]: r["n"] for r in rows(db, """SELECT stage, count(*) AS n FROM public_issues
        WHERE compound_id = ? AND merged_into_id IS NULL GROUP BY stage""", [compound_id])}


# The residents' 办理经过 never reads an event's note: notes written before issue 10 may hold text
# staff typed (a first title with a phone, an escalation request). Each line is rebuilt from the
# kind and the CURRENT public fields it points to, so a correction or redaction shows at once.
_TIMELINE = """SELECT e.created_at, e.kind, e.from_stage, e.to_stage, e.data, m.number AS meeting_number,
                      i.title, i.public_summary, i.public_reply,
                      (SELECT a.public_summary FROM agenda_items a
                        WHERE a.meeting_id = e.meeting_id AND a.issue_id = e.issue_id) AS item_summary,
                      (SELECT x.answer FROM public_escalations x
                        WHERE x.id = json_extract(e.data, '$.escalation_id')) AS answer,
                      (SELECT d.number FROM public_issues d
                        WHERE d.id = json_extract(e.data, '$.duplicate_id')) AS duplicate_number,
                      (SELECT a.seat_name || ':' || a.task FROM actions a
                        WHERE a.id = json_extract(e.data, '$.action_id')) AS action_line
               FROM events e JOIN public_issues i ON i.id = e.issue_id
               LEFT JOIN meetings m ON m.id = e.meeting_id
               WHERE e.issue_id = ? AND e.public = 1 ORDER BY e.id"""


def public_events_of_issue(db, issue_id: int) -> list[dict]:
    """The issue's events marked public, oldest first, each with the current public fields it
    may show (never the event's note)."""
    return rows(db, _TIMELINE, [issue_id])


def published_meetings(db, compound_id: int, *, limit: int, offset: int) -> list[dict]:
    """Published meetings, newest first (limit -1: all)."""
    return rows(db, """SELECT id, number, scheduled_at, held_at, place, public_summary, demo FROM public_meetings
                       WHERE compound_id = ? ORDER BY number DESC LIMIT ? OFFSET ?""",
                [compound_id, limit, offset])


def seat_names_present(db, meeting_id: int) -> list[str]:
    """Seats with a member present or represented by proxy, in roster order."""
    return [r["seat_name"] for r in rows(db, """
        SELECT DISTINCT a.seat_name FROM attendance a JOIN seats s ON s.id = a.seat_id
        WHERE a.meeting_id = ? AND a.status IN ('present', 'proxy') ORDER BY s.position""", [meeting_id])]


def public_agenda_items(db, meeting_id: int) -> list[dict]:
    """[{title, number, public_summary, outcome}] of a meeting's agenda, in order: the summary the
    secretary wrote for residents, never the internal discussion or decision text."""
    return rows(db, """SELECT i.title, i.number, a.public_summary, a.outcome FROM agenda_items a
        JOIN public_issues i ON i.id = a.issue_id WHERE a.meeting_id = ? ORDER BY a.position""", [meeting_id])


def count_published_meetings(db, compound_id: int) -> int:
    return scalar(db, "SELECT count(*) FROM public_meetings WHERE compound_id = ?", [compound_id])


def public_escalations(db, compound_id: int, *, limit: int, offset: int) -> list[dict]:
    """Escalations with their answers, newest request first (limit -1: all)."""
    return rows(db, """SELECT e.level_to, e.requested_on, e.answered_on, e.answer, i.title, i.id AS issue_id,
                              i.number AS issue_number
                       FROM public_escalations e JOIN public_issues i ON i.id = e.issue_id
                       WHERE e.compound_id = ? ORDER BY e.requested_on DESC, e.id DESC LIMIT ? OFFSET ?""",
                [compound_id, limit, offset])


def count_public_escalations(db, compound_id: int) -> dict[str, int]:
    """{total, answered} escalations of a compound."""
    row = one(db, """SELECT count(*) AS total, count(answered_on) AS answered FROM public_escalations
                     WHERE compound_id = ?""", [compound_id])
    return {"total": row["total"], "answered": row["answered"]}


def compound_names(db) -> list[dict]:
    """[{id, name, demo}] of every compound, by id: the board's compound picker (public fields)."""
    return rows(db, "SELECT id, name, demo FROM compounds ORDER BY id")


def ratings_of_current_publication(db, issue_id: int) -> dict[str, int]:
    """{rating: households} for the issue's current publication round (counts only, no comments).
    Only ratings given with a household code (one per household, the latest): the board's counts
    cannot be inflated by reloading."""
    return {r["rating"]: r["n"] for r in rows(db, """
        SELECT f.rating, count(*) AS n FROM feedback f JOIN public_issues i ON i.id = f.issue_id
        WHERE f.issue_id = ? AND f.round = i.publication_round AND f.household_code_id IS NOT NULL
        GROUP BY f.rating""", [issue_id])}


def results_under_publicity(db, compound_id: int) -> list[dict]:
    """The compound's live issues now in 公示 (for the printed notice), earliest first: title,
    category, public summary, dates, and the level whose answer to an escalation came back, if any."""
    return rows(db, """
        SELECT p.id, p.title, p.category, p.public_summary, p.stage_entered_on, p.objection_closes_on,
               (SELECT e.level_to FROM public_escalations e WHERE e.issue_id = p.id AND e.answered_on IS NOT NULL
                ORDER BY e.id DESC LIMIT 1) AS answered_level
        FROM public_issues p
        WHERE p.compound_id = ? AND p.stage = 'publicizing' AND p.merged_into_id IS NULL
        ORDER BY p.stage_entered_on, p.id""", [compound_id])


def categories_in_use(db, compound_id: int) -> list[dict]:
    """[{id, name}] of the compound's categories not retired, in list order: what a resident
    may choose when raising a concern."""
    return rows(db, """SELECT id, name FROM categories WHERE compound_id = ? AND retired_at IS NULL
                       ORDER BY position, id""", [compound_id])


def live_public_issues_in_stages(db, compound_id: int, stages) -> list[dict]:
    """The compound's live issues in `stages`, public fields only, for matching a new concern
    against (id, number, title, category, stage, public_summary, households, accepted_at)."""
    return rows(db, f"""SELECT id, number, title, category, stage, public_summary, households, accepted_at
                        FROM public_issues WHERE compound_id = ? AND merged_into_id IS NULL
                        AND stage IN ({', '.join('?' for _ in stages)})""", [compound_id, *stages])


def response_clock_of_issue(db, issue_id: int) -> dict | None:
    """{id, compound_id, raised_by_kind, received_at, responded_at, response_limit_hours} of one
    issue: times only (view public_response_clock)."""
    return one(db, """SELECT id, compound_id, raised_by_kind, received_at, responded_at, response_limit_hours
                      FROM public_response_clock WHERE id = ?""", [issue_id])


# --- photos marked public (view public_photos; services/photos.py) ------------------------------

def public_photos_of_issue(db, issue_id: int) -> list[dict]:
    return rows(db, "SELECT id, kind, width, height FROM public_photos WHERE issue_id = ? ORDER BY id",
                [issue_id])


def public_photo_bytes(db, compound_id: int, photo_id: int, *, thumb: bool) -> bytes | None:
    """A public photo's bytes, only when it belongs to `compound_id` (a tampered URL gets nothing)."""
    column = "thumb" if thumb else "image"
    return scalar(db, f"SELECT {column} FROM public_photos WHERE id = ? AND compound_id = ?",
                  [photo_id, compound_id])


def public_photo_thumbs(db, issue_ids: list[int]) -> list[dict]:
    """[{issue_id, id, kind, width, height, data}]: the public photos' thumbnails of these issues."""
    if not issue_ids:
        return []
    marks = ", ".join("?" for _ in issue_ids)
    return rows(db, f"""SELECT issue_id, id, kind, width, height, thumb AS data FROM public_photos
                        WHERE issue_id IN ({marks}) ORDER BY issue_id, id""", list(issue_ids))


def any_demo_compound(db) -> bool:
    """Whether the database holds demo compounds (the demo loader's): a public flag."""
    return bool(scalar(db, "SELECT EXISTS(SELECT 1 FROM compounds WHERE demo = 1)"))
