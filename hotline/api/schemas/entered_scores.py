"""Entered scores (考核录入得分): EnteredScoreCreate (one score for a scheme's `entered.*` input), EnteredScorePublic
(as stored, with who entered it) and EnteredScoreRecorded (plus the score it replaced)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hotline.api.schemas.common import Month, text
from hotline.scoring.names import ENTERED_NAME, SUBJECTS

Subject = Literal[SUBJECTS]


class EnteredScoreCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: Month
    subject: Subject = Field(description="county 县级平台 / unit 承办单位")
    name: text(64, 1) = Field(description="县级平台（县市名或平台代码）或承办单位（附件1 名称或别名）",
                              examples=["市公安局"])
    input: str = Field(pattern=ENTERED_NAME.pattern, max_length=64, description="方案中的录入项，如 entered.data_quality",
                       examples=["entered.data_quality"])
    score: float = Field(ge=0, le=1000, allow_inf_nan=False, description="得分（0 至该项分值，按现行方案检查）")
    note: text(500) | None = Field(default=None, description="说明，如扣分理由")


class EnteredScorePublic(EnteredScoreCreate):
    id: int
    entered_by: str
    entered_at: datetime


class EnteredScoreRecorded(EnteredScorePublic):
    previous: float | None = Field(description="被替换的原得分（首次录入为 null）")
