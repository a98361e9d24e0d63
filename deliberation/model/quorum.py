"""Quorum by seat: required seats must be present, and at least `min_seats` seats in all."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Quorum:
    met: bool
    seats_present: int
    min_seats: int
    missing_required: tuple[str, ...]   # seat names

    @property
    def summary(self) -> str:
        if self.met:
            return f"已达法定人数:{self.seats_present} 个主体出席(要求至少 {self.min_seats} 个)"
        parts = [f"出席主体 {self.seats_present}/{self.min_seats}"]
        if self.missing_required:
            parts.append("必须出席的主体未到:" + "、".join(self.missing_required))
        return "未达法定人数:" + ";".join(parts)


def meeting_quorum(present_seats: set[str], required_seats: dict[str, str], min_seats: int) -> Quorum:
    """`present_seats`: codes of seats with someone present (or a proxy);
    `required_seats`: code -> name of the seats the compound's rule requires."""
    missing = tuple(name for code, name in required_seats.items() if code not in present_seats)
    count = len(present_seats)
    return Quorum(met=not missing and count >= min_seats, seats_present=count,
                  min_seats=min_seats, missing_required=missing)
