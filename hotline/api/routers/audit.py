"""/api/audit: the audit log, newest first, by entity (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hotline.api.deps import Admin, Service
from hotline.api.schemas.audit import AuditPublic
from hotline.api.schemas.common import Page, Problem
from hotline.service import audit
from hotline.service.transactions import read_tx

router = APIRouter(tags=["audit 审计日志"])
ERRORS = {401: {"model": Problem}, 403: {"model": Problem}, 422: {"model": Problem}}


@router.get("/audit", response_model=Page[AuditPublic], responses=ERRORS, summary="审计日志")
def read_audit_log(
    _: Admin,
    svc: Service,
    entity: Annotated[str | None, Query(max_length=32, pattern=r"^[a-z_]+$")] = None,
    entity_id: Annotated[str | None, Query(max_length=32, pattern=r"^[0-9A-Za-z_\-]+$")] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
):
    with read_tx(svc.engine) as conn:
        return audit.page(conn, entity=entity, entity_id=entity_id, page=page, page_size=page_size)
