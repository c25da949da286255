"""The FastAPI application: routers under /api, OpenAPI at /openapi.json, one service per process.

`create_app` takes its store from settings (or an engine from tests) and a clock (tests freeze it), so the whole
API can be driven across the 2022 National Day holiday without waiting for it.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from sqlalchemy import Engine

from hotline.api import error_handlers
from hotline.api.deps import TokenCache
from hotline.api.routers import (
    audit,
    entered_scores,
    kb,
    metrics,
    sla,
    spot_checks,
    test_calls,
    tickets,
    transitions,
    users,
    visits,
)
from hotline.api.settings import ApiSettings
from hotline.service.clock import Clock, beijing_now
from hotline.service.reporting import Reporting
from hotline.service.transactions import service_engine
from hotline.service.workflow import WorkOrderService

DESCRIPTION = """12345 政务服务便民热线工单服务：受理、派发、签收、退单、改派、延期、办结反馈、回访、重办、归档，
按中国法定工作日计算办理时限；指标与月度报告与 `hotline report` 使用同一指标引擎。

认证：`Authorization: Bearer <令牌>`（`hotline user add` 签发）。角色：operator 话务员、liaison 联络员（仅本单位工单）、
analyst 分析员、admin 管理员。"""


def create_app(settings: ApiSettings | None = None, *, engine: Engine | None = None, clock: Clock = beijing_now,
               url: str | None = None) -> FastAPI:
    settings = settings or ApiSettings()
    url = url or settings.db
    if engine is None:
        engine = service_engine(url, create=settings.create_store)
        if settings.create_store:
            from hotline.store.reference import ensure_reference_store

            ensure_reference_store(engine)
    app = FastAPI(title="hotline 12345 工单服务", version="0.1.0", description=DESCRIPTION,
                  openapi_url="/openapi.json", docs_url="/docs", redoc_url=None)
    app.state.service = WorkOrderService(engine, clock=clock)
    app.state.reporting = Reporting(engine, url, cache_size=settings.report_cache_size)
    app.state.tokens = TokenCache(ttl=settings.token_cache_seconds)
    error_handlers.install(app)
    api = APIRouter(prefix="/api")
    for module in (tickets, transitions, visits, kb, test_calls, spot_checks, entered_scores, metrics, sla, users,
                   audit):
        api.include_router(module.router)
    app.include_router(api)
    return app
