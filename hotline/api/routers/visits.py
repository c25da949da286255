"""/api/tickets/{id}/visits and /api/visits: return visits (回访) — recorded through the lifecycle's `visit`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hotline.api.deps import AnyRole, Service, Visitor
from hotline.api.fastjson import fast_json
from hotline.api.schemas.codes import VisitResult
from hotline.api.schemas.common import MAX_INT, Id, Month, Page, Problem
from hotline.api.schemas.transitions import TransitionPublic
from hotline.api.schemas.visits import VisitCreate, VisitPublic
from hotline.service import visit_queries
from hotline.service.context import TransitionRequest
from hotline.service.transactions import read_tx

router = APIRouter(tags=["visits 回访"])
ERRORS = {401: {"model": Problem}, 403: {"model": Problem}, 404: {"model": Problem}, 409: {"model": Problem},
          422: {"model": Problem}}


@router.post("/tickets/{ticket_id}/visits", response_model=TransitionPublic, status_code=201, responses=ERRORS,
             summary="登记回访结果（工单转为已回访）")
def add_visit(ticket_id: Id, body: VisitCreate, who: Visitor, svc: Service):
    req = TransitionRequest(result=body.result, method=body.method, note=body.note)
    return fast_json(svc.fire(who, ticket_id, "visit", req, expected_version=body.version), status_code=201)


@router.get("/visits", response_model=Page[VisitPublic], responses=ERRORS, summary="查询回访记录")
def list_visits(
    who: AnyRole,
    svc: Service,
    month: Annotated[Month | None, Query(description="回访月份 YYYY-MM")] = None,
    unit_id: Annotated[int | None, Query(ge=1, le=MAX_INT)] = None,
    result: VisitResult | None = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
):
    with read_tx(svc.engine) as conn:
        return visit_queries.search(conn, who, month=month, unit_id=unit_id, result=result, page=page,
                                    page_size=page_size)
