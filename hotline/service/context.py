"""What a guard or an effect sees while a transition runs inside its transaction, and what it may change.

Guards and effects are small named functions (hotline/service/guards.py, effects.py) referenced by name from the
lifecycle YAML; they share this context so each stays a few lines and none touches the database on its own
except through `conn`, which belongs to the transaction the whole transition runs in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import Connection

from hotline.domain.calendar import WorkingDays
from hotline.domain.facts import TicketFacts
from hotline.domain.lifecycle import Transition
from hotline.domain.sla import SlaRules


def reads_facts(fn: Callable) -> Callable:
    """Marks a guard or effect that reads `ctx.facts` (the event log): the workflow then reads the log in the
    same round trip as the ticket. An unmarked one still works — the log is read when first asked for."""
    fn.reads_facts = True
    return fn


@dataclass(frozen=True)
class Principal:
    """Who is acting: a logged-in user, the command line or the SLA job."""

    username: str
    role: str
    user_id: int | None = None
    unit_id: int | None = None
    display_name: str | None = None


@dataclass
class TransitionRequest:
    """A transition request's fields (all optional; the lifecycle says which are required)."""

    note: str | None = None
    unit_id: int | None = None
    days: int | None = None
    contacted: bool | None = None
    result: str | None = None
    method: str | None = None


@dataclass
class Plan:
    """What the transition will write: ticket column updates, the main event, extra events and rows."""

    event: dict[str, Any]
    ticket_updates: dict[str, Any] = field(default_factory=dict)
    before: list[dict[str, Any]] = field(default_factory=list)  # extra events written before the main one
    rows: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (table name, row) inserted after


@dataclass
class Context:
    conn: Connection
    ticket: dict[str, Any]  # tickets row plus `category` and `subcategory` names
    load_facts: Callable[[], TicketFacts]  # read the event log only if a guard or effect asks (one query less)
    transition: Transition
    request: TransitionRequest
    principal: Principal
    now: datetime
    rules: SlaRules
    calendar: WorkingDays

    @cached_property
    def facts(self) -> TicketFacts:
        return self.load_facts()
