"""The generator's `ticket_events` rows: the events a ticket's life implies, given ids and the ticket's id.

Why a writer and no rules here: what events a ticket's milestones imply (受理 → 派发 → 签收 → 联系 → 反馈 → 办结
→ 回访) is decided once, by `hotline.domain.history.implied_events`, which the importer uses too; the generator
only times the milestones (hotline/generator/build.py) and adds what is its own — the hotline's 催办 of an
overdue ticket, the hand-told stories. This module turns those tuples (`EVENT_FIELDS` order) into rows.

Ids are given in write order, so a ticket's events read by id are its history as written: the order
`check_history` judges (tests/generator/test_generated_histories.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from hotline.domain.history import EVENT_FIELDS

HOTLINE = "热线办"  # who urges an overdue ticket (催办)
CONTACT_NOTE = "已电话联系诉求人"  # how a generated unit records its call to the citizen


def reminder(at: datetime, unit_id: int | None, note: str) -> tuple:
    """The hotline's 催办 of a ticket its unit holds: no state change."""
    return ("reminder", at, HOTLINE, unit_id, None, None, None, note)


def after_signing(events: list[tuple], extra: Iterable[tuple]) -> list[tuple]:
    """`events` with `extra` written right after the 签收 (where the unit holds the ticket)."""
    i = next(i for i, e in enumerate(events) if e[0] == "sign") + 1
    return events[:i] + list(extra) + events[i:]


class EventWriter:
    """Appends ticket_events rows, ids in write order."""

    def __init__(self, rows: list[dict]):
        self.rows = rows
        self.next_id = len(rows) + 1

    def write(self, ticket: dict, events: Iterable[tuple]) -> None:
        """Rows for `events` (tuples in `EVENT_FIELDS` order) of `ticket`."""
        for e in events:
            self.rows.append({"id": self.next_id, "ticket_id": ticket["id"], **dict(zip(EVENT_FIELDS, e))})
            self.next_id += 1

    def add(self, ticket: dict, kind: str, at: datetime, actor: str, unit_id: int | None,
            from_state: str | None = None, to_state: str | None = None, *, due_at: datetime | None = None,
            note: str | None = None) -> None:
        """One hand-written event (the stories)."""
        self.write(ticket, [(kind, at, actor, unit_id, from_state, to_state, due_at, note)])
