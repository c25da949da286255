"""Test-call sheets (拨测) and provincial spot checks (省监管平台抽查回访): recorded by the office, read by reports.

Both tables are inputs of the monthly report (疑难问题, 附件2, 附件3); the service only validates and records them,
with the audit row, so the report never depends on a spreadsheet someone forgot to save.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from hotline.domain.month import Month
from hotline.service import audit
from hotline.service.context import Principal
from hotline.service.errors import Invalid
from hotline.store.schema import platforms, spot_checks, test_calls

SHEET_MAX = {"voice_navigation": 10, "connection": 10, "service_norms": 40, "knowledge": 30, "visit_service": 10}
SPOT_OUTCOMES = ("dissatisfied", "not_contacted")


def month_window(value: str | None) -> tuple[datetime, datetime] | None:
    """[first day, first day of next month) for YYYY-MM; Invalid (Chinese) for anything else."""
    if not value:
        return None
    try:
        return Month.parse(value).bounds
    except ValueError as exc:
        raise Invalid(str(exc)) from None


def add_test_call(conn: Connection, principal: Principal, data: dict[str, Any], now: datetime) -> dict[str, Any]:
    if conn.execute(select(platforms.c.code).where(platforms.c.code == data.get("platform"))).first() is None:
        raise Invalid(f"被拨测平台不存在：{data.get('platform')}")
    for item, top in SHEET_MAX.items():
        v = data.get(item)
        if v is None or not 0 <= float(v) <= top:
            raise Invalid(f"{item} 得分须在 0 至 {top} 分之间")
    if data.get("wait_seconds") is None or int(data["wait_seconds"]) < 0:
        raise Invalid("等待接通时长须为非负整数（秒）")
    row = {k: data.get(k) for k in ("platform", "wait_seconds", "remark", *SHEET_MAX)}
    row["called_at"] = data.get("called_at") or now
    new_id = conn.execute(insert(test_calls).values(**row).returning(test_calls.c.id)).scalar_one()
    audit.record(conn, principal, "test_call.create", "test_call", new_id, now, {"platform": row["platform"]})
    return {"id": new_id, **row, "total": sum(float(row[k]) for k in SHEET_MAX)}


def list_test_calls(conn: Connection, month: str | None = None, platform: str | None = None) -> list[dict]:
    q = select(test_calls).order_by(test_calls.c.called_at, test_calls.c.id)
    bounds = month_window(month)
    if bounds:
        q = q.where(test_calls.c.called_at >= bounds[0], test_calls.c.called_at < bounds[1])
    if platform:
        q = q.where(test_calls.c.platform == platform)
    return [{**dict(r), "total": sum(float(r[k]) for k in SHEET_MAX)} for r in conn.execute(q).mappings()]


def add_spot_check(conn: Connection, principal: Principal, data: dict[str, Any], now: datetime) -> dict[str, Any]:
    month_window(data.get("month"))
    if not data.get("month"):
        raise Invalid("缺少必填项：抽查月份（YYYY-MM）")
    no = str(data.get("ticket_no") or "")
    if len(no) != 14:
        raise Invalid("事件编号应为 14 位")
    if data.get("outcome") not in SPOT_OUTCOMES:
        raise Invalid("抽查结果应为 dissatisfied（不满意）或 not_contacted（未联系）")
    for key, label in (("unit_name", "承办单位"), ("content", "事件内容"), ("feedback", "反馈结果")):
        if not (data.get(key) or "").strip():
            raise Invalid(f"缺少必填项：{label}")
    row = {k: data[k] for k in ("month", "ticket_no", "unit_name", "content", "feedback", "outcome")}
    new_id = conn.execute(insert(spot_checks).values(**row).returning(spot_checks.c.id)).scalar_one()
    audit.record(conn, principal, "spot_check.create", "spot_check", new_id, now, {"ticket_no": no, "month": row["month"]})
    return {"id": new_id, **row}


def list_spot_checks(conn: Connection, month_from: str | None = None, month_to: str | None = None) -> list[dict]:
    q = select(spot_checks).order_by(spot_checks.c.month, spot_checks.c.id)
    if month_from:
        month_window(month_from)
        q = q.where(spot_checks.c.month >= month_from)
    if month_to:
        month_window(month_to)
        q = q.where(spot_checks.c.month <= month_to)
    return [dict(r) for r in conn.execute(q).mappings()]
