"""/api/tickets/{id}/visits and /api/visits: return visits (回访) — recorded through the lifecycle's `visit`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import func, select

from hotline.api.deps import ANY_ROLE, require, service
from hotline.api.fastjson import fast_json
from hotline.api.schemas.common import MAX_INT, Id, Month, Page, Problem
from hotline.api.schemas.transitions import TransitionPublic
from hotline.api.schemas.visits import VisitCreate, VisitPublic
from hotline.domain.masking import scrub_text
from hotline.service.context import Principal, TransitionRequest
from hotline.service.periods import month_window
from hotline.service.transactions import read_tx
from hotline.service.workflow import WorkOrderService
from hotline.store.schema import return_visits, tickets

router = APIRouter(tags=["visits 回访"])
ERRORS = {401: {"model": Problem}, 403: {"model": Problem}, 404: {"model": Problem}, 409: {"model": Problem},
          422: {"model": Problem}}


@router.post("/tickets/{ticket_id}/visits", response_model=TransitionPublic, status_code=201, responses=ERRORS,
             summary="登记回访结果（工单转为已回访）")
def add_visit(ticket_id: Id, body: VisitCreate, who: Principal = Depends(require("operator", "admin")),
              svc: WorkOrderService = Depends(service)):
    return fast_json(svc.fire(who, ticket_id, "visit", TransitionRequest(result=body.result, method=body.method,
                                                               note=body.note), expected_version=body.version),
                     status_code=201)


@router.get("/visits", response_model=Page[VisitPublic], responses=ERRORS, summary="查询回访记录")
def list_visits(
    who: Principal = Depends(require(*ANY_ROLE)),
    svc: WorkOrderService = Depends(service),
    month: Annotated[Month | None, Query(description="回访月份 YYYY-MM")] = None,
    unit_id: Annotated[int | None, Query(ge=1, le=MAX_INT)] = None,
    result: Annotated[str | None, Query(pattern=r"^(satisfied|fairly_satisfied|dissatisfied|unrated)$")] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
):
    q = select(return_visits).join(tickets, tickets.c.id == return_visits.c.ticket_id)
    if who.role == "liaison":
        q = q.where(tickets.c.unit_id == who.unit_id)
    if month:
        start, end = month_window(month)
        q = q.where(return_visits.c.visited_at >= start, return_visits.c.visited_at < end)
    if unit_id is not None:
        q = q.where(tickets.c.unit_id == unit_id)
    if result:
        q = q.where(return_visits.c.result == result)
    with read_tx(svc.engine) as conn:
        total = conn.execute(select(func.count()).select_from(q.subquery())).scalar_one()
        rows = conn.execute(q.order_by(return_visits.c.visited_at.desc(), return_visits.c.id.desc())
                            .limit(page_size).offset((page - 1) * page_size)).mappings().all()
    items = [{**dict(r), "note": scrub_text(r["note"], who.role)} for r in rows]
    return {"items": items, "total": total, "page": page, "page_size": page_size}
