"""/api/tickets: accept (create), search with filters and pages, read one ticket with its history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hotline.api.deps import Acceptor, AnyRole, CurrentUser, Service
from hotline.api.fastjson import fast_json
from hotline.api.schemas.codes import AppealType
from hotline.api.schemas.common import MAX_INT, Id, Month, Page, Problem
from hotline.api.schemas.tickets import TicketCreate, TicketDetail, TicketPublic
from hotline.service import ticket_queries
from hotline.service.transactions import read_tx

router = APIRouter(prefix="/tickets", tags=["tickets 工单"])
ERRORS = {401: {"model": Problem}, 403: {"model": Problem}, 404: {"model": Problem}, 422: {"model": Problem}}


@router.post("", response_model=TicketDetail, status_code=201, responses=ERRORS, summary="受理诉求（新建工单）")
def create_ticket(body: TicketCreate, who: Acceptor, svc: Service):
    created = svc.create(who, body.model_dump())
    with read_tx(svc.engine) as conn:
        return fast_json(ticket_queries.detail(svc, conn, who, created["ticket_id"]), status_code=201)


@router.get("", response_model=Page[TicketPublic], responses=ERRORS, summary="查询工单（按月份、单位、类型、分类、状态筛选，分页）")
def search_tickets(
    who: AnyRole,
    svc: Service,
    month: Annotated[Month | None, Query(description="受理月份 YYYY-MM")] = None,
    unit_id: Annotated[int | None, Query(ge=1, le=MAX_INT)] = None,
    appeal_type: AppealType | None = None,
    category_id: Annotated[int | None, Query(ge=1, le=MAX_INT)] = None,
    subcategory_id: Annotated[int | None, Query(ge=1, le=MAX_INT)] = None,
    state: Annotated[str | None, Query(max_length=24, pattern=r"^[a-z_]+$")] = None,
    platform: Annotated[str | None, Query(max_length=32, pattern=r"^[a-z_]+$")] = None,
    q: Annotated[str | None, Query(max_length=100, description="诉求内容包含")] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
):
    with read_tx(svc.engine) as conn:
        return ticket_queries.search(svc, conn, who, month=month, unit_id=unit_id, appeal_type=appeal_type,
                                     category_id=category_id, subcategory_id=subcategory_id, state=state,
                                     platform=platform, q=q.replace("\x00", "") if q else None, page=page,
                                     page_size=page_size)


@router.get("/{ticket_id}", response_model=TicketDetail, responses=ERRORS, summary="工单详情（含流转记录、回访、可执行操作）")
def get_ticket(ticket_id: Id, who: CurrentUser, svc: Service):
    with read_tx(svc.engine) as conn:
        return ticket_queries.detail(svc, conn, who, ticket_id)
