"""Accepting an appeal (受理): the ticket row, its 14-digit number, the citizen's contacts, the first events.

A ticket is born through the lifecycle's `accept` (the operator will answer it: 在线办结) or `accept_for_dispatch`
(待派发) transition, so even its first event obeys the declared roles. With `answer` the operator resolves it
online in the same transaction; with `unit_id` it is dispatched at once — the two ways a call usually ends.

Intake is given what it needs (the lifecycle, the moment, and a way to fire the follow-up transition in the same
transaction) rather than the `WorkOrderService` itself: the service calls intake, so intake calling back into the
service's module would be a cycle.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection, bindparam, insert, select, text

from hotline.domain.codes import APPEAL_TYPES, label, listing
from hotline.domain.lifecycle import Lifecycle
from hotline.domain.masking import mask_phone
from hotline.domain.profile import Profile
from hotline.service import audit
from hotline.service.context import Principal, TransitionRequest
from hotline.service.errors import Forbidden, Invalid
from hotline.service.transactions import batch
from hotline.store.schema import (
    platforms,
    subcategories,
    ticket_contacts,
    ticket_events,
    ticket_versions,
    tickets,
)


class FireInTransaction(Protocol):
    """Fires a transition on a ticket in the intake's own transaction (`WorkOrderService.fire_in`, bound to the
    connection and the principal); `prelude`: writes still pending, sent ahead in the transition's first batch."""

    def __call__(self, ticket_id: int, action: str, req: TransitionRequest, *,
                 prelude: list | None = None) -> dict[str, Any]: ...


# How a call ends when it is accepted — the operator answers it, or it goes to a unit: route → (the transition
# that accepts it, the ticket's resolution). ROUTES: route → its Chinese name (the resolution's, codes.yaml).
_ROUTES = {"online": ("accept", "online"), "dispatch": ("accept_for_dispatch", "dispatched")}
ROUTES = {route: label("resolution", resolution) for route, (_, resolution) in _ROUTES.items()}

_PLATFORM = select(platforms.c.code).where(platforms.c.code == bindparam("code"))
_SUBCATEGORY = select(subcategories.c.id).where(subcategories.c.id == bindparam("sid"))
# The day's last number for a platform: a backward range scan of the unique index on ticket_no that stops at the
# first number with the platform's suffix (a bare LIKE scanned the whole table on every ticket accepted).
_LAST_NO = (select(tickets.c.ticket_no)
            .where(tickets.c.ticket_no >= bindparam("lo"), tickets.c.ticket_no <= bindparam("hi"),
                   tickets.c.ticket_no.like(bindparam("pattern")))
            .order_by(tickets.c.ticket_no.desc()).limit(1))
_INSERT_TICKET = insert(tickets).returning(tickets.c.id)
_INSERT_CONTACT = insert(ticket_contacts)
_INSERT_EVENT = insert(ticket_events)
_INSERT_VERSION = insert(ticket_versions)


_NUMBER_LOCK = text("SELECT pg_advisory_xact_lock(12345)")


def number_reads(conn: Connection, suffix: str, at) -> list:
    """The statements that read the day's last ticket number of a platform (its `suffix`), behind the PostgreSQL
    advisory lock that serialises numbering (SQLite: the write lock already does). Sent in one batch, the read runs
    after the lock is granted, so it sees the number the previous holder committed; its answer is the batch's last."""
    prefix = f"{at:%y%m%d}"
    read = (_LAST_NO, {"lo": f"{prefix}00000{suffix}", "hi": f"{prefix}99999{suffix}",
                       "pattern": f"{prefix}_____{suffix}"})
    return [(_NUMBER_LOCK, {}), read] if conn.dialect.name == "postgresql" else [read]


def number_after(last: str | None, suffix: str, at) -> str:
    """yymmdd + a 5-digit daily serial + the platform's `suffix`, following the day's `last` number."""
    prefix = f"{at:%y%m%d}"
    serial = int(last[6:11]) + 1 if last else 10001
    if serial > 99999:
        raise Invalid("当日工单编号已用完 / daily ticket numbers exhausted")
    return f"{prefix}{serial:05d}{suffix}"


def next_ticket_no(conn: Connection, suffix: str, at) -> str:
    """yymmdd + a 5-digit daily serial + the platform's `suffix`; serialised by the write lock (advisory lock on PG)."""
    return number_after(batch(conn, number_reads(conn, suffix, at))[-1].scalar(), suffix, at)


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


def create_ticket(conn: Connection, principal: Principal, data: dict[str, Any], *, lifecycle: Lifecycle,
                  profile: Profile, now: datetime, fire: FireInTransaction) -> dict:
    """Accept an appeal at `now` in `conn`'s transaction; with `answer` or `unit_id`, `fire` the transition that
    follows (在线办结 or 派发). Returns the ticket's id, number, state and version (and the events the follow-up
    transition wrote)."""
    lc = lifecycle
    route = data.get("route") or "dispatch"
    if route not in ROUTES:
        raise Invalid("route 应为 " + "或".join(f"{code}（{word}）" for code, word in ROUTES.items()))
    accept_with, resolution = _ROUTES[route]
    accept = lc.transitions[accept_with]
    if principal.role not in accept.roles:
        raise Forbidden(f"{label('role', principal.role)}无权受理工单")
    platform = data.get("platform") or "city"
    sub_id = data.get("subcategory_id")
    # One batch: both registry look-ups, and the day's last ticket number behind the numbering lock (held until
    # commit anyway); the checks below still report in their documented order.
    sid = sub_id if isinstance(sub_id, int) and 0 < sub_id < 2**31 else 0  # 0: no such row (and fits INTEGER)
    known = batch(conn, [(_PLATFORM, {"code": platform}), (_SUBCATEGORY, {"sid": sid}),
                         *number_reads(conn, profile.ticket_suffix(platform), now)])
    if known[0].first() is None:
        raise Invalid(f"受理平台不存在：{platform}")
    channel = data.get("channel") or "phone"
    if channel not in profile.channels:
        raise Invalid("受理渠道应为 " + "、".join(f"{code} {word}" for code, word in profile.channels.items()) + " 之一")
    appeal_type = data.get("appeal_type")
    if appeal_type not in APPEAL_TYPES:
        raise Invalid(f"诉求类型应为 {listing('appeal_type')} 之一")
    if not isinstance(sub_id, int) or known[1].first() is None:
        raise Invalid(f"诉求小类不存在（subcategory_id={sub_id}）")
    content = _text(data, "content", "诉求内容", 4000)
    region = _text(data, "region", "诉求发生地", 16, required=False) or "市本级"
    caller_name = _text(data, "caller_name", "来电人", 32, required=False)
    phone = _text(data, "caller_phone", "联系电话", 32, required=False)
    id_number = _text(data, "id_number", "身份证号码", 18, required=False)

    number = number_after(known[-1].scalar(), profile.ticket_suffix(platform), now)
    if (problem := profile.ticket_no.problem(number)) is not None:  # the profile's format is not ours: say so
        raise Invalid(f"{problem}；工单服务生成的编号为 受理日期 yymmdd + 5 位序号 + 3 位平台代码，"
                      "请在城市配置的 ticket_no 中接受这种编号")
    row = dict(ticket_no=number, platform=platform, accepted_at=now,
               channel=channel,
               appeal_type=appeal_type, subcategory_id=sub_id, region=region, civility=bool(data.get("civility")),
               content=content, caller_name=caller_name, caller_phone=mask_phone(phone)[:16] if phone else None,
               resolution=resolution, unit_id=None, state=accept.target)
    ticket_id = conn.execute(_INSERT_TICKET, row).scalar_one()
    writes = [(_INSERT_VERSION, {"ticket_id": ticket_id, "version": 0, "updated_at": now})]
    if phone or id_number:
        writes.append((_INSERT_CONTACT, {"ticket_id": ticket_id, "phone": phone, "id_number": id_number}))
    writes.append((_INSERT_EVENT, {"ticket_id": ticket_id, "kind": accept.kind, "at": now,
                                   "actor": principal.username[:64], "unit_id": None, "from_state": None,
                                   "to_state": accept.target, "due_at": None, "note": None}))
    audit.record(conn, principal, "ticket.create", "ticket", ticket_id, now,
                 {"ticket_no": row["ticket_no"], "route": route, "appeal_type": appeal_type,
                  "subcategory_id": sub_id, "platform": platform}, defer=writes)
    result = {"ticket_id": ticket_id, "ticket_no": row["ticket_no"], "state": accept.target, "version": 0}
    # the rows above travel with the first batch of the transition that follows, if any (one round trip less)
    if route == "online" and data.get("answer"):
        result = fire(ticket_id, "resolve_online", TransitionRequest(note=str(data["answer"])), prelude=writes)
    elif route == "dispatch" and data.get("unit_id") is not None:
        result = fire(ticket_id, "dispatch", TransitionRequest(unit_id=data["unit_id"]), prelude=writes)
    else:
        batch(conn, writes)
    result["ticket_no"] = row["ticket_no"]
    return result
