"""Provincial spot checks (抽查回访): SpotCheckCreate (one result) and SpotCheckPublic (with its id)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hotline.api.schemas.common import Month, text


class SpotCheckCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: Month
    ticket_no: str = Field(pattern=r"^\d{14}$")
    unit_name: text(64, 1)
    content: text(4000, 1)
    feedback: text(4000, 1)
    outcome: Literal["dissatisfied", "not_contacted"]


class SpotCheckPublic(SpotCheckCreate):
    id: int
