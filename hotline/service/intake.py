"""Accepting an appeal (受理): the ticket row, its 14-digit number, the citizen's contacts, the first events.

A ticket is born through the lifecycle's `accept` (the operator will answer it: 在线办结) or `accept_for_dispatch`
(待派发) transition, so even its first event obeys the declared roles. With `answer` the operator resolves it
online in the same transaction; with `unit_id` it is dispatched at once — the two ways a call usually ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, func, insert, select, text

from hotline.service import audit
from hotline.service.auth import ROLE_LABELS
from hotline.service.context import Principal, Request
from hotline.service.errors import Forbidden, Invalid
from hotline.service.masking import mask_phone
from hotline.store.schema import (
    APPEAL_TYPES,
    CHANNELS,
    platforms,
    subcategories,
    ticket_contacts,
    ticket_events,
    ticket_versions,
    tickets,
)

if TYPE_CHECKING:
    from hotline.service.workflow import WorkOrderService

# The last three digits of 事件编号 name the accepting platform (as in the generated data, hotline/generator/build.py).
PLATFORM_SUFFIX = {"city": "099", "xiangtan_county": "100", "xiangxiang": "101", "shaoshan": "102"}
OTHER_PLATFORM_SUFFIX = "199"

_PLATFORM = select(platforms.c.code).where(platforms.c.code == bindparam("code"))
_SUBCATEGORY = select(subcategories.c.id).where(subcategories.c.id == bindparam("sid"))
_LAST_NO = select(func.max(tickets.c.ticket_no)).where(tickets.c.ticket_no.like(bindparam("pattern")))
_INSERT_TICKET = insert(tickets).returning(tickets.c.id)
_INSERT_CONTACT = insert(ticket_contacts)
_INSERT_EVENT = insert(ticket_events)
_INSERT_VERSION = insert(ticket_versions)


def next_ticket_no(conn: Connection, platform: str, at) -> str:
    """yymmdd + a 5-digit daily serial + the platform suffix; serialised by the write lock (advisory lock on PG)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(12345)"))
    prefix, suffix = f"{at:%y%m%d}", PLATFORM_SUFFIX.get(platform, OTHER_PLATFORM_SUFFIX)
    last = conn.execute(_LAST_NO, {"pattern": f"{prefix}_____{suffix}"}).scalar()
    serial = int(last[6:11]) + 1 if last else 10001
    if serial > 99999:
        raise Invalid("当日工单编号已用完 / daily ticket numbers exhausted")
    return f"{prefix}{serial:05d}{suffix}"


def _text(data: dict[str, Any], key: str, label: str, max_len: int, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid(f"缺少必填项：{label}")
        return None
    value = str(value).strip()
    if len(value) > max_len:
        raise Invalid(f"{label}不能超过 {max_len} 个字")
    return value


def create_ticket(svc: WorkOrderService, conn: Connection, principal: Principal, data: dict[str, Any]) -> dict:
    lc = svc.lifecycle
    route = data.get("route") or "dispatch"
    if route not in ("online", "dispatch"):
        raise Invalid("route 应为 online（在线办结）或 dispatch（派发）")
    accept = lc.transitions["accept" if route == "online" else "accept_for_dispatch"]
    if principal.role not in accept.roles:
        raise Forbidden(f"{ROLE_LABELS.get(principal.role, principal.role)}无权受理工单")
    platform = data.get("platform") or "city"
    if conn.execute(_PLATFORM, {"code": platform}).first() is None:
        raise Invalid(f"受理平台不存在：{platform}")
    channel = data.get("channel") or "phone"
    if channel not in CHANNELS:
        raise Invalid(f"受理渠道应为 {'、'.join(CHANNELS)} 之一")
    appeal_type = data.get("appeal_type")
    if appeal_type not in APPEAL_TYPES:
        raise Invalid(f"诉求类型应为 {'、'.join(APPEAL_TYPES)} 之一")
    sub_id = data.get("subcategory_id")
    if not isinstance(sub_id, int) or conn.execute(_SUBCATEGORY, {"sid": sub_id}).first() is None:
        raise Invalid(f"诉求小类不存在（subcategory_id={sub_id}）")
    content = _text(data, "content", "诉求内容", 4000)
    region = _text(data, "region", "诉求发生地", 16, required=False) or "市本级"
    caller_name = _text(data, "caller_name", "来电人", 32, required=False)
    phone = _text(data, "caller_phone", "联系电话", 32, required=False)
    id_number = _text(data, "id_number", "身份证号码", 18, required=False)

    now = svc.clock()
    row = dict(ticket_no=next_ticket_no(conn, platform, now), platform=platform, accepted_at=now, channel=channel,
               appeal_type=appeal_type, subcategory_id=sub_id, region=region, civility=bool(data.get("civility")),
               content=content, caller_name=caller_name, caller_phone=mask_phone(phone)[:16] if phone else None,
               resolution="online" if route == "online" else "dispatched", unit_id=None, state=accept.target)
    ticket_id = conn.execute(_INSERT_TICKET, row).scalar_one()
    conn.execute(_INSERT_VERSION, {"ticket_id": ticket_id, "version": 0, "updated_at": now})
    if phone or id_number:
        conn.execute(_INSERT_CONTACT, {"ticket_id": ticket_id, "phone": phone, "id_number": id_number})
    conn.execute(_INSERT_EVENT, {"ticket_id": ticket_id, "kind": accept.kind, "at": now,
                                 "actor": principal.username[:64], "unit_id": None, "from_state": None,
                                 "to_state": accept.target, "due_at": None, "note": None})
    audit.record(conn, principal, "ticket.create", "ticket", ticket_id, now,
                 {"ticket_no": row["ticket_no"], "route": route, "appeal_type": appeal_type,
                  "subcategory_id": sub_id, "platform": platform})
    result = {"ticket_id": ticket_id, "ticket_no": row["ticket_no"], "state": accept.target, "version": 0}
    if route == "online" and data.get("answer"):
        result = svc.fire_in(conn, principal, ticket_id, "resolve_online", Request(note=str(data["answer"])))
    elif route == "dispatch" and data.get("unit_id") is not None:
        result = svc.fire_in(conn, principal, ticket_id, "dispatch", Request(unit_id=data["unit_id"]))
    result["ticket_no"] = row["ticket_no"]
    return result
