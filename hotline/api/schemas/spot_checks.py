"""Provincial spot checks (抽查回访): SpotCheckCreate (one result) and SpotCheckPublic (with its id)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from hotline.api.schemas.codes import SpotCheckOutcome
from hotline.api.schemas.common import Month, text


class SpotCheckCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: Month
    ticket_no: str = Field(pattern=r"^\d{14}$")
    unit_name: text(64, 1)
    content: text(4000, 1)
    feedback: text(4000, 1)
    outcome: SpotCheckOutcome


class SpotCheckPublic(SpotCheckCreate):
    id: int
