"""/api/entered-scores: the scores the office enters for the assessment schemes' `entered.*` inputs (数据准确度,
答复规范 deductions…), for county platforms and handling units; checked against the schemes in force."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hotline.api.deps import Office, ScoreEntrant, Service
from hotline.api.schemas.common import Month, Problem
from hotline.api.schemas.entered_scores import (
    EnteredScoreCreate,
    EnteredScorePublic,
    EnteredScoreRecorded,
    Subject,
)
from hotline.scoring.entries import in_force
from hotline.service import entered_scores
from hotline.service.transactions import read_tx, write_tx

router = APIRouter(prefix="/entered-scores", tags=["entered scores 考核录入得分"])
ERRORS = {401: {"model": Problem}, 403: {"model": Problem}, 422: {"model": Problem}}


@router.get("", response_model=list[EnteredScorePublic], responses=ERRORS, summary="已录入的考核得分")
def list_entered_scores(who: Office, svc: Service, month: Annotated[Month | None, Query()] = None,
                        subject: Annotated[Subject | None, Query()] = None):
    with read_tx(svc.engine) as conn:
        return entered_scores.list_scores(conn, month, subject)


@router.post("", response_model=EnteredScoreRecorded, status_code=201, responses=ERRORS,
             summary="录入考核得分（同月同对象同项已有则替换）")
def record_entered_score(body: EnteredScoreCreate, who: ScoreEntrant, svc: Service):
    with write_tx(svc.engine) as conn:
        return entered_scores.record_one(conn, who, body.model_dump(), svc.clock(), in_force(svc.profile))
