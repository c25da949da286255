"""/api/sla: the overdue-unanswered backlog by unit now (图10), and running the reminder job on demand."""

from __future__ import annotations

from fastapi import APIRouter

from hotline.api.deps import Admin, Office, Service
from hotline.api.schemas.common import Problem
from hotline.api.schemas.sla import BacklogPublic, SlaRunPublic
from hotline.service.sla_job import backlog, run_sla
from hotline.service.transactions import read_tx

router = APIRouter(prefix="/sla", tags=["sla 时限与催办"])
ERRORS = {401: {"model": Problem}, 403: {"model": Problem}}


@router.get("/backlog", response_model=BacklogPublic, responses=ERRORS, summary="超期未反馈工单（按承办单位）")
def get_backlog(_: Office, svc: Service):
    now = svc.clock()
    with read_tx(svc.engine) as conn:
        units = backlog(conn, now, live=True)
    return {"at": now, "total": sum(u["count"] for u in units), "units": units}


@router.post("/run", response_model=SlaRunPublic, responses=ERRORS, summary="立即执行催办检查（与 hotline sla run 相同）")
def run(_: Admin, svc: Service):
    s = run_sla(svc)
    return {**{k: getattr(s, k) for k in ("now", "open_tickets", "overdue", "sign_overdue", "reminders_written",
                                          "already_reminded", "skipped_conflicts", "backlog")}, "summary": s.lines()}
