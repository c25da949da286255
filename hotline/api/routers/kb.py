"""/api/kb: knowledge-base entries — full-text search for operators, stale entries flagged, owner units edit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hotline.api.deps import AnyRole, KbWriter, Service
from hotline.api.schemas.common import MAX_INT, Id, Page, Problem
from hotline.api.schemas.kb import KbEntryCreate, KbEntryPublic, KbEntryUpdate
from hotline.service import kb
from hotline.service.transactions import read_tx, write_tx

router = APIRouter(prefix="/kb", tags=["kb 知识库"])
ERRORS = {401: {"model": Problem}, 403: {"model": Problem}, 404: {"model": Problem}, 422: {"model": Problem}}


@router.get("", response_model=Page[KbEntryPublic], responses=ERRORS, summary="检索知识库（中文双字词全文检索）")
def search(
    who: AnyRole,
    svc: Service,
    q: Annotated[str | None, Query(max_length=100, description="检索词，如 核酸检测 返潭")] = None,
    owner_unit_id: Annotated[int | None, Query(ge=1, le=MAX_INT)] = None,
    stale: Annotated[bool | None, Query(description="true 只看已过复核期的条目")] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
):
    with read_tx(svc.engine) as conn:
        return kb.search(conn, svc.clock(), q=q.replace("\x00", "") if q else None, owner_unit_id=owner_unit_id,
                         stale=stale, page=page, page_size=page_size)


@router.get("/{entry_id}", response_model=KbEntryPublic, responses=ERRORS, summary="知识条目")
def get_entry(entry_id: Id, who: AnyRole, svc: Service):
    with read_tx(svc.engine) as conn:
        return kb.get(conn, entry_id, svc.clock())


@router.post("", response_model=KbEntryPublic, status_code=201, responses=ERRORS, summary="新增知识条目")
def create_entry(body: KbEntryCreate, who: KbWriter, svc: Service):
    with write_tx(svc.engine) as conn:
        return kb.create(conn, who, body.model_dump(), svc.clock())


@router.patch("/{entry_id}", response_model=KbEntryPublic, responses=ERRORS,
              summary="更新知识条目（不带字段即确认已复核，复核日期顺延）")
def update_entry(entry_id: Id, body: KbEntryUpdate, who: KbWriter, svc: Service):
    with write_tx(svc.engine) as conn:
        return kb.update_entry(conn, who, entry_id, body.model_dump(exclude_unset=True), svc.clock())
