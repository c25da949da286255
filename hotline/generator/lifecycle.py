"""Event rows for generated tickets, and the default deadlines (SLA) by appeal type.

Deadlines in working days (派单之日起): 咨询/求助 3, 投诉/建议 5 — the defaults many Hunan cities publish in
their 12345 management rules; the work-order service makes them configurable.
"""

from __future__ import annotations

from datetime import datetime

from hotline.domain.calendar import WorkingDays

DEADLINE_DAYS = {"consult": 3, "help": 3, "complaint": 5, "suggestion": 5, "invalid": 3, "other": 3}


def deadline_days(appeal_type: str) -> int:
    return DEADLINE_DAYS[appeal_type]


class EventWriter:
    """Appends ticket_events rows; ids are assigned in order so timings can be re-derived from them."""

    def __init__(self, rows: list[dict], calendar: WorkingDays):
        self.rows = rows
        self.calendar = calendar
        self.next_id = len(rows) + 1

    def add(self, ticket: dict, kind: str, at: datetime, actor: str, unit: str | None, from_state: str | None,
            to_state: str | None, *, due_at: datetime | None = None, note: str | None = None, unit_id: int | None = None) -> dict:
        row = {
            "id": self.next_id,
            "ticket_id": ticket["id"],
            "kind": kind,
            "at": at,
            "actor": actor,
            "unit_id": unit_id if unit_id is not None else (ticket["unit_id"] if unit else None),
            "from_state": from_state,
            "to_state": to_state,
            "due_at": due_at,
            "note": note,
        }
        self.rows.append(row)
        self.next_id += 1
        return row
