"""Event rows for generated tickets (deadlines come from the SLA rules, hotline/data/sla.yaml)."""

from __future__ import annotations

from datetime import datetime

from hotline.domain.calendar import WorkingDays


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
