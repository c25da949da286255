"""Knowledge-base entries: KbEntryCreate, KbEntryUpdate (also "reviewed, unchanged"), KbEntryPublic."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from hotline.api.schemas.common import Id, text


class KbEntryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: text(200, 1)
    body: text(20000, 1)
    subcategory_id: Id | None = None
    owner_unit_id: Id | None = Field(None, description="提供单位；联络员默认为本单位")
    review_days: int = Field(90, ge=1, le=3650, description="复核周期（天）")


class KbEntryUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: text(200, 1) | None = None
    body: text(20000, 1) | None = None
    subcategory_id: Id | None = None
    owner_unit_id: Id | None = None
    review_days: int | None = Field(None, ge=1, le=3650)


class KbEntryPublic(BaseModel):
    id: int
    title: str
    body: str
    subcategory_id: int | None
    subcategory: str | None
    owner_unit_id: int
    owner_unit: str | None
    updated_at: datetime
    review_days: int
    review_at: datetime
    stale: bool = Field(description="已过复核期未更新")
    score: int | None = Field(None, description="检索相关度（命中的双字词数，标题加权）")
