"""/api/test-calls: test-call sheets (拨测) of the county platforms."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hotline.api.deps import AnalystOrAdmin, Office, Service
from hotline.api.schemas.common import Month, Problem
from hotline.api.schemas.test_calls import TestCallCreate, TestCallPublic
from hotline.service import test_calls
from hotline.service.transactions import read_tx, write_tx

router = APIRouter(prefix="/test-calls", tags=["test calls 拨测"])
ERRORS = {401: {"model": Problem}, 403: {"model": Problem}, 422: {"model": Problem}}


@router.get("", response_model=list[TestCallPublic], responses=ERRORS, summary="拨测记录")
def list_test_calls(who: Office, svc: Service,
                    month: Annotated[Month | None, Query()] = None,
                    platform: Annotated[str | None, Query(max_length=32, pattern=r"^[a-z_]+$")] = None):
    with read_tx(svc.engine) as conn:
        return test_calls.list_test_calls(conn, month, platform)


@router.post("", response_model=TestCallPublic, status_code=201, responses=ERRORS, summary="登记拨测评分表")
def add_test_call(body: TestCallCreate, who: AnalystOrAdmin, svc: Service):
    with write_tx(svc.engine) as conn:
        return test_calls.add_test_call(conn, who, body.model_dump(), svc.clock())
