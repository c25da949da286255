"""Metrics as the API returns them: MetricPublic (one metric of a month), MetricGroupPublic (one group of it)."""

from __future__ import annotations

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
