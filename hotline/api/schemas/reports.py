"""Metrics, grouped metrics, the SLA backlog and job summary as the API returns them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class MetricPublic(BaseModel):
    name: str
    label: str
    definition: str
    kind: str
    num: int
    den: int | None
    rate: float | None
    value: float | None


class MetricGroupPublic(BaseModel):
    group: str | None
    num: int
    den: int | None
    rate: float | None
    value: float | None


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
