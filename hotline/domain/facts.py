"""What a ticket's event log says about it now: deadline, signing, extensions, feedback, hops.

Why derive instead of storing: the event log is the one record the metrics read too (`hotline/metrics/sources.py`),
so a guard and a report can never disagree about, say, when a ticket was signed. The rules follow the documented
derivations in docs/schema.md (the deadline is the largest `due_at` of the ticket's events), applied to the current
assignment where a rule is about "this unit's turn" (signing, extensions, feedback since the last dispatch).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

ROUTING_KINDS = ("dispatch", "reassign", "reopen")
REQUESTED_DAYS = re.compile(r"^申请延期\s*(\d+)\s*个工作日")


def requested_days_note(days: int, reason: str) -> str:
    """The extension request's note: the days asked for, then the reason (read back by `TicketFacts`)."""
    return f"申请延期 {days} 个工作日：{reason}"


@dataclass(frozen=True)
class TicketFacts:
    events: int = 0
    due_at: datetime | None = None
    routed_at: datetime | None = None
    routed_unit_id: int | None = None
    signed_at: datetime | None = None
    extensions_approved: int = 0  # in the current assignment
    requested_days: int | None = None  # of the latest extension request
    feedback_at: datetime | None = None  # first feedback ever (as the metrics read it)
    feedback_in_assignment: bool = False
    contacted_in_assignment: bool = False
    last_reminder_at: datetime | None = None
    hops: int = 0
    returns: int = 0
    returned_by_unit_id: int | None = None
    last_visit_result: str | None = None
    last_event_at: datetime | None = None


def _get(row: Any, key: str):
    return row[key] if isinstance(row, Mapping) else getattr(row, key)


def derive(events: Iterable[Any], last_visit_result: str | None = None) -> TicketFacts:
    """Fold a ticket's events (in write order: by id) into its facts."""
    f: dict[str, Any] = dict(events=0, due_at=None, routed_at=None, routed_unit_id=None, signed_at=None,
                             extensions_approved=0, requested_days=None, feedback_at=None, feedback_in_assignment=False,
                             contacted_in_assignment=False, last_reminder_at=None, hops=0, returns=0,
                             returned_by_unit_id=None, last_event_at=None)
    for e in events:
        kind, at, due, unit = _get(e, "kind"), _get(e, "at"), _get(e, "due_at"), _get(e, "unit_id")
        f["events"] += 1
        f["last_event_at"] = at
        if due is not None and (f["due_at"] is None or due > f["due_at"]):
            f["due_at"] = due
        if kind in ROUTING_KINDS:
            f.update(routed_at=at, signed_at=None, extensions_approved=0, requested_days=None,
                     feedback_in_assignment=False, contacted_in_assignment=False)
            if kind != "reopen":
                f["routed_unit_id"] = unit
                f["hops"] += 1
        elif kind == "sign":
            f["signed_at"] = at
        elif kind == "extension_request":
            m = REQUESTED_DAYS.match(_get(e, "note") or "")
            f["requested_days"] = int(m.group(1)) if m else None
        elif kind == "extension_approved":
            f["extensions_approved"] += 1
        elif kind == "feedback":
            f["feedback_in_assignment"] = True
            if f["feedback_at"] is None:
                f["feedback_at"] = at
        elif kind == "contact":
            f["contacted_in_assignment"] = True
        elif kind == "reminder":
            f["last_reminder_at"] = at
        elif kind == "return":
            f["returns"] += 1
            f["returned_by_unit_id"] = unit
    return TicketFacts(last_visit_result=last_visit_result, **f)
