"""Transitions: TransitionCreate (fire an action), TransitionPublic (new state, version, events written)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from hotline.api.schemas.codes import VisitMethod, VisitResult
from hotline.api.schemas.common import MAX_INT, Id, text


class TransitionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: text(32, 1) = Field(description="流转操作，见 GET /api/lifecycle，如 sign、request_return、complete")
    note: text(4000) | None = None
    unit_id: Id | None = None
    days: int | None = Field(None, ge=1, le=60, description="延期天数（工作日）")
    contacted: bool | None = None
    result: VisitResult | None = None
    method: VisitMethod | None = None
    version: int | None = Field(None, ge=0, le=MAX_INT, description="客户端看到的版本号；不一致时返回 409")


class EventPublic(BaseModel):
    id: int
    kind: str
    at: datetime
    actor: str
    unit_id: int | None
    unit: str | None = None
    from_state: str | None
    to_state: str | None
    from_label: str | None = None
    to_label: str | None = None
    due_at: datetime | None
    note: str | None


class TransitionPublic(BaseModel):
    ticket_id: int
    state: str
    state_label: str
    version: int
    events: list[EventPublic]


class StatePublic(BaseModel):
    code: str
    label: str
    final: bool


class TransitionSpec(BaseModel):
    name: str
    label: str
    sources: list[str]
    target: str
    kind: str
    roles: list[str]
    requires: list[str]
    guards: list[str]


class LifecyclePublic(BaseModel):
    initial: str
    states: list[StatePublic]
    transitions: list[TransitionSpec]
