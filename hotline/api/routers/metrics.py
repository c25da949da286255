"""/api/metrics and /api/reports/{month}: the metric engine and report builder on the live store."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from hotline.api.deps import Office, Reports
from hotline.api.schemas.common import Month, Problem
from hotline.api.schemas.metrics import MetricGroupPublic, MetricPublic
from hotline.service.reporting import GROUPABLE

router = APIRouter(tags=["metrics 指标与报告"])
ERRORS = {401: {"model": Problem}, 403: {"model": Problem}, 422: {"model": Problem}}


@router.get("/metrics", response_model=list[MetricPublic], responses=ERRORS, summary="某月全部指标（口径见 metrics.yaml）")
def all_metrics(month: Annotated[Month, Query()], _: Office, rep: Reports):
    return rep.metrics(month)


@router.get("/metrics/{name}", response_model=list[MetricGroupPublic], responses=ERRORS, summary="某指标按维度分组")
def grouped_metric(name: Annotated[str, Path(max_length=64, pattern=r"^[a-z_]+$")], month: Annotated[Month, Query()],
                   _: Office, rep: Reports,
                   by: Annotated[str, Query(description="分组维度：" + "、".join(GROUPABLE))] = "unit"):
    return rep.grouped(name, month, by)


@router.get("/reports/{month}", responses=ERRORS, summary="月度运行情况分析报告（与 hotline report 相同的报告模型）")
def report(month: Annotated[Month, Path()], _: Office, rep: Reports) -> dict[str, Any]:
    return rep.report(month)
