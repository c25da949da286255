"""Provincial spot checks (省监管平台抽查回访): the tickets the province re-contacted and found wanting.

An input of the monthly report (附件3, 疑难问题); the service only validates and records a result, with its audit
row. The outcomes are the code list `spot_check_outcome` (hotline/data/codes.yaml), as everywhere else.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from hotline.domain.codes import SPOT_CHECK_OUTCOMES, listing
from hotline.service import audit
from hotline.service.context import Principal
from hotline.service.errors import Invalid
from hotline.service.periods import month_window
from hotline.store.schema import spot_checks


def add_spot_check(conn: Connection, principal: Principal, data: dict[str, Any], now: datetime) -> dict[str, Any]:
    month_window(data.get("month"))
    if not data.get("month"):
        raise Invalid("缺少必填项：抽查月份（YYYY-MM）")
    no = str(data.get("ticket_no") or "")
    if len(no) != 14:
        raise Invalid("事件编号应为 14 位")
    if data.get("outcome") not in SPOT_CHECK_OUTCOMES:
        raise Invalid(f"抽查结果应为 {listing('spot_check_outcome')} 之一")
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
