"""/api/tickets/{id}/transitions and /events, /api/lifecycle: moving a ticket through its declared lifecycle."""

from __future__ import annotations

from fastapi import APIRouter

from hotline.api.deps import CurrentUser, Service
from hotline.api.fastjson import fast_json
from hotline.api.schemas.common import Id, Problem
from hotline.api.schemas.transitions import (
    EventPublic,
    LifecyclePublic,
    StatePublic,
    TransitionCreate,
    TransitionPublic,
    TransitionSpec,
)
from hotline.service import ticket_queries
from hotline.service.context import TransitionRequest
from hotline.service.transactions import read_tx

router = APIRouter(tags=["transitions 流转"])
ERRORS = {401: {"model": Problem}, 403: {"model": Problem}, 404: {"model": Problem},
          409: {"model": Problem, "description": "状态或版本冲突：返回当前状态与版本"},
          422: {"model": Problem, "description": "缺少字段或业务规则不允许（原因见 detail）"}}


@router.post("/tickets/{ticket_id}/transitions", response_model=TransitionPublic, responses=ERRORS,
             summary="执行流转操作（签收、退单申请、延期申请、办结反馈、回访、重办、归档……）")
def fire(ticket_id: Id, body: TransitionCreate, who: CurrentUser, svc: Service):
    req = TransitionRequest(note=body.note, unit_id=body.unit_id, days=body.days, contacted=body.contacted,
                            result=body.result, method=body.method)
    out = svc.fire(who, ticket_id, body.action, req, expected_version=body.version)
    out["events"] = ticket_queries.public_events(svc, who.role, out["events"])
    return fast_json(out)


@router.get("/tickets/{ticket_id}/events", response_model=list[EventPublic], responses=ERRORS, summary="流转记录")
def list_events(ticket_id: Id, who: CurrentUser, svc: Service):
    with read_tx(svc.engine) as conn:
        ticket_queries.require_visible(svc, conn, who, ticket_id)
        return ticket_queries.events(svc, conn, who, ticket_id)


@router.get("/lifecycle", response_model=LifecyclePublic, responses={401: {"model": Problem}},
            summary="工单流程定义（状态、操作、角色、校验规则）")
def lifecycle(_: CurrentUser, svc: Service):
    lc = svc.lifecycle
    return LifecyclePublic(
        initial=lc.initial,
        states=[StatePublic(code=c, label=word, final=c in lc.final) for c, word in lc.states.items()],
        transitions=[TransitionSpec(name=t.name, label=t.label, sources=sorted(t.sources), target=t.target, kind=t.kind,
                                    roles=sorted(t.roles), requires=list(t.requires), guards=list(t.guards))
                     for t in lc.transitions.values()])
