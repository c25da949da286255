"""The SLA view as the API returns it: BacklogPublic (超期未反馈 by unit now), SlaRunPublic (the reminder job's
summary)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class BacklogUnit(BaseModel):
    unit: str
    count: int
    topics: str


class BacklogPublic(BaseModel):
    at: datetime
    total: int
    units: list[BacklogUnit]


class SlaRunPublic(BaseModel):
    now: datetime
    open_tickets: int
    overdue: int
    sign_overdue: int
    reminders_written: int
    already_reminded: int
    skipped_conflicts: int
    backlog: list[BacklogUnit]
    summary: list[str]
