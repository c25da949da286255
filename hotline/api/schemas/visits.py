"""Return visits (回访): VisitCreate (record the citizen's verdict), VisitPublic."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from hotline.api.schemas.codes import VisitMethod, VisitResult
from hotline.api.schemas.common import MAX_INT, text


class VisitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    result: VisitResult
    method: VisitMethod = "phone"
    note: text(4000) | None = None
    version: int | None = Field(None, ge=0, le=MAX_INT)


class VisitPublic(BaseModel):
    id: int
    ticket_id: int
    visited_at: datetime
    method: str
    result: str
    note: str | None
