"""Test-call sheets (拨测): TestCallCreate (a scored sheet) and TestCallPublic (with its id and total)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from hotline.api.schemas.common import text


class TestCallCreate(BaseModel):
    __test__ = False  # not a pytest test class
    model_config = ConfigDict(extra="forbid")

    platform: text(32, 1)
    called_at: datetime | None = None
    wait_seconds: int = Field(ge=0, le=86400)
    voice_navigation: float = Field(ge=0, le=10)
    connection: float = Field(ge=0, le=10)
    service_norms: float = Field(ge=0, le=40)
    knowledge: float = Field(ge=0, le=30)
    visit_service: float = Field(ge=0, le=10)
    remark: text(4000) | None = None


class TestCallPublic(TestCallCreate):
    id: int
    called_at: datetime
    total: float
