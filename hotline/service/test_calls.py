"""Test-call sheets (拨测): the office's mystery calls to the county platforms, scored item by item.

An input of the monthly report (附件2); the service only validates and records a sheet, with its audit row, so
the report never depends on a spreadsheet someone forgot to save.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from hotline.service import audit
from hotline.service.context import Principal
from hotline.service.errors import Invalid
from hotline.service.periods import month_window
from hotline.store.schema import platforms, test_calls

SHEET_MAX = {"voice_navigation": 10, "connection": 10, "service_norms": 40, "knowledge": 30, "visit_service": 10}


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
