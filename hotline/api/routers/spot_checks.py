"""/api/spot-checks: the provincial platform's spot-check results (附件3)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hotline.api.deps import AnalystOrAdmin, Office, Service
from hotline.api.schemas.common import Month, Problem
from hotline.api.schemas.spot_checks import SpotCheckCreate, SpotCheckPublic
from hotline.service import spot_checks
from hotline.service.transactions import read_tx, write_tx

router = APIRouter(prefix="/spot-checks", tags=["spot checks 省抽查回访"])
ERRORS = {401: {"model": Problem}, 403: {"model": Problem}, 422: {"model": Problem}}


@router.get("", response_model=list[SpotCheckPublic], responses=ERRORS, summary="抽查回访不满意/未联系工单")
def list_spot_checks(who: Office, svc: Service,
                     month_from: Annotated[Month | None, Query()] = None,
                     month_to: Annotated[Month | None, Query()] = None):
    with read_tx(svc.engine) as conn:
        return spot_checks.list_spot_checks(conn, month_from, month_to)


@router.post("", response_model=SpotCheckPublic, status_code=201, responses=ERRORS, summary="登记抽查结果")
def add_spot_check(body: SpotCheckCreate, who: AnalystOrAdmin, svc: Service):
    with write_tx(svc.engine) as conn:
        return spot_checks.add_spot_check(conn, who, body.model_dump(), svc.clock())
