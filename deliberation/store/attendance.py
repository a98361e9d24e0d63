"""The roll of a meeting (出席): one line per serving member, with the seat they sit for."""
from __future__ import annotations

from . import compounds, meetings, roster
from .db import rows


def insert_roll(db, meeting_id: int, compound_id: int, day: str) -> None:
    """A line (缺席 until marked) for every member serving on `day` in a seat still in use;
    lines already there are kept."""
    db.execute("""
        INSERT OR IGNORE INTO attendance (meeting_id, member_id, seat_id, seat_name, status)
        SELECT ?, m.id, s.id, s.name, 'absent' FROM members m JOIN seats s ON s.id = m.seat_id
        WHERE m.compound_id = ? AND m.active_from <= ? AND (m.active_to IS NULL OR m.active_to >= ?)
          AND s.retired_at IS NULL""", [meeting_id, compound_id, day, day])


def roll_seat_names(db, meeting_id: int) -> dict[int, str]:
    """{member_id: seat name} of everyone on the meeting's roll."""
    return {r["member_id"]: r["seat_name"] for r in rows(
        db, "SELECT member_id, seat_name FROM attendance WHERE meeting_id = ?", [meeting_id])}


def mark_attendance(db, meeting_id: int, member_id: int, status: str, proxy_name: str) -> None:
    db.execute("UPDATE attendance SET status = ?, proxy_name = ? WHERE meeting_id = ? AND member_id = ?",
               [status, proxy_name, meeting_id, member_id])


def attendance_lines(db, meeting_id: int) -> list[dict]:
    """The roll in seat order: the attendance columns, the member's name and title, the seat's
    code and position."""
    return rows(db, """
        SELECT a.*, m.name AS member_name, m.title, s.code AS seat_code, s.position
        FROM attendance a JOIN members m ON m.id = a.member_id JOIN seats s ON s.id = a.seat_id
        WHERE a.meeting_id = ? ORDER BY s.position, m.id""", [meeting_id])


def seat_codes_present(db, meeting_id: int) -> set[str]:
    """Codes of the seats with someone present or represented by proxy."""
    return {r["code"] for r in rows(db, """
        SELECT DISTINCT s.code FROM attendance a JOIN seats s ON s.id = a.seat_id
        WHERE a.meeting_id = ? AND a.status IN ('present', 'proxy')""", [meeting_id])}


def quorum_facts(db, meeting_id: int) -> tuple[set[str], dict[str, str], int]:
    """What the quorum rule is judged on: seat codes present (or by proxy), the required seats
    ({code: name}) and the compound's minimum number of seats."""
    compound_id = meetings.require_meeting(db, meeting_id)["compound_id"]
    required = {s["code"]: s["name"] for s in roster.seats_of_compound(db, compound_id) if s["quorum_required"]}
    return (seat_codes_present(db, meeting_id), required,
            compounds.get_compound(db, compound_id)["quorum_min_seats"])
