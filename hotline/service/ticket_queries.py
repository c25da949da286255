"""Reading tickets: search with filters and pages, one ticket with its history — scoped and masked by role.

Scoping (a liaison sees only its unit's tickets) and masking (phone and ID numbers) happen here, not in the HTTP
layer, so every way of reading the store through the service obeys them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, select

from hotline.domain.facts import TicketFacts, derive
from hotline.domain.masking import id_number_for, phone_for, scrub_text
from hotline.service.context import Principal
from hotline.service.errors import NotFound
from hotline.service.paging import check_page
from hotline.service.periods import month_window
from hotline.service.transactions import batch
from hotline.service.workflow import WorkOrderService
from hotline.store.schema import (
    categories,
    return_visits,
    subcategories,
    ticket_contacts,
    ticket_events,
    ticket_versions,
    tickets,
    units,
)

MAX_PAGE_SIZE = 200


def _base():
    return (select(tickets, categories.c.id.label("category_id"), categories.c.name.label("category"),
                   subcategories.c.name.label("subcategory"), units.c.name.label("unit"),
                   func.coalesce(ticket_versions.c.version, 0).label("version"))
            .join(subcategories, subcategories.c.id == tickets.c.subcategory_id)
            .join(categories, categories.c.id == subcategories.c.category_id)
            .outerjoin(units, units.c.id == tickets.c.unit_id)
            .outerjoin(ticket_versions, ticket_versions.c.ticket_id == tickets.c.id))


def facts_for(conn: Connection, ids: list[int]) -> dict[int, TicketFacts]:
    """The facts (deadline, signing, hops, …) of each ticket in `ids`, from its events and last visit: two queries
    for the lot (the ticket search and the SLA job read them by the page)."""
    if not ids:
        return {}
    evs = conn.execute(select(ticket_events.c.ticket_id, ticket_events.c.kind, ticket_events.c.at,
                              ticket_events.c.due_at, ticket_events.c.unit_id, ticket_events.c.note)
                       .where(ticket_events.c.ticket_id.in_(ids)).order_by(ticket_events.c.id)).all()
    by: dict[int, list] = defaultdict(list)
    for e in evs:
        by[e.ticket_id].append(e)
    visits = conn.execute(select(return_visits.c.ticket_id, return_visits.c.result)
                          .where(return_visits.c.ticket_id.in_(ids))
                          .order_by(return_visits.c.visited_at, return_visits.c.id)).all()
    last_visit = {v.ticket_id: v.result for v in visits}
    return {i: derive(by.get(i, []), last_visit.get(i)) for i in ids}


def _summary(svc: WorkOrderService, principal: Principal, row: dict, facts: TicketFacts, now: datetime) -> dict:
    role = principal.role
    return {
        "id": row["id"], "ticket_no": row["ticket_no"], "platform": row["platform"], "accepted_at": row["accepted_at"],
        "channel": row["channel"], "appeal_type": row["appeal_type"], "category_id": row["category_id"],
        "category": row["category"], "subcategory_id": row["subcategory_id"], "subcategory": row["subcategory"],
        "region": row["region"], "civility": bool(row["civility"]), "content": scrub_text(row["content"], role),
        "caller_name": row["caller_name"], "caller_phone": row["caller_phone"], "resolution": row["resolution"],
        "unit_id": row["unit_id"], "unit": row["unit"], "state": row["state"],
        "state_label": svc.lifecycle.label(row["state"]), "version": int(row["version"]),
        "due_at": facts.due_at, "signed_at": facts.signed_at, "hops": facts.hops, "returns": facts.returns,
        "overdue": svc.rules.is_overdue(row["state"], facts, now),
    }


def search(svc: WorkOrderService, conn: Connection, principal: Principal, *, month: str | None = None,
           unit_id: int | None = None, appeal_type: str | None = None, category_id: int | None = None,
           subcategory_id: int | None = None, state: str | None = None, platform: str | None = None,
           q: str | None = None, page: int = 1, page_size: int = 50) -> dict[str, Any]:
    check_page(page, page_size, MAX_PAGE_SIZE)
    conds = []
    if principal.role == "liaison":
        conds.append(tickets.c.unit_id == principal.unit_id)
    window = month_window(month)
    if window:
        conds += [tickets.c.accepted_at >= window[0], tickets.c.accepted_at < window[1]]
    for col, value in ((tickets.c.unit_id, unit_id), (tickets.c.appeal_type, appeal_type),
                       (categories.c.id, category_id), (tickets.c.subcategory_id, subcategory_id),
                       (tickets.c.state, state), (tickets.c.platform, platform)):
        if value is not None:
            conds.append(col == value)
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conds.append(tickets.c.content.like(like, escape="\\"))
    where = and_(*conds) if conds else None
    base = _base()
    count_q = select(func.count()).select_from(
        tickets.join(subcategories, subcategories.c.id == tickets.c.subcategory_id)
        .join(categories, categories.c.id == subcategories.c.category_id))
    if where is not None:
        base, count_q = base.where(where), count_q.where(where)
    total = conn.execute(count_q).scalar_one()
    rows = conn.execute(base.order_by(tickets.c.accepted_at.desc(), tickets.c.id.desc())
                        .limit(page_size).offset((page - 1) * page_size)).mappings().all()
    facts = facts_for(conn, [r["id"] for r in rows])
    now = svc.clock()
    return {"items": [_summary(svc, principal, dict(r), facts[r["id"]], now) for r in rows], "total": total,
            "page": page, "page_size": page_size}


_DETAIL = _base().where(tickets.c.id == bindparam("tid"))
_CONTACT = select(ticket_contacts).where(ticket_contacts.c.ticket_id == bindparam("tid"))
_EVENTS = (select(ticket_events, units.c.name.label("unit")).outerjoin(units, units.c.id == ticket_events.c.unit_id)
           .where(ticket_events.c.ticket_id == bindparam("tid")).order_by(ticket_events.c.id))
_VISITS = (select(return_visits).where(return_visits.c.ticket_id == bindparam("tid"))
           .order_by(return_visits.c.visited_at, return_visits.c.id))


def detail(svc: WorkOrderService, conn: Connection, principal: Principal, ticket_id: int) -> dict[str, Any]:
    """One ticket with its history: four prepared queries (ticket, contact, events, visits), sent as one batch."""
    found, evs, visits, contact = (o.rows for o in batch(conn, [
        (_DETAIL, {"tid": ticket_id}), (_EVENTS, {"tid": ticket_id}), (_VISITS, {"tid": ticket_id}),
        (_CONTACT, {"tid": ticket_id})]))
    if not found:
        raise NotFound(f"工单不存在（id={ticket_id}）")
    row = found[0]
    svc.check_scope(principal, row)
    role = principal.role
    facts = derive(evs, visits[-1]["result"] if visits else None)
    out = _summary(svc, principal, row, facts, svc.clock())
    contact = contact[0] if contact else None
    out["contact_phone"] = phone_for(role, contact["phone"]) if contact else None
    out["id_number"] = id_number_for(role, contact["id_number"]) if contact else None
    out["events"] = public_events(svc, role, evs)
    out["visits"] = [{**v, "note": scrub_text(v["note"], role)} for v in visits]
    out["actions"] = [{"action": t.name, "label": t.label} for t in svc.lifecycle.available(row["state"], role)]
    return out


def public_events(svc: WorkOrderService, role: str, rows) -> list[dict]:
    """Events as a reader in `role` sees them: notes masked, the states' Chinese names beside their codes."""
    lc = svc.lifecycle
    return [{**dict(r), "note": scrub_text(r["note"], role), "from_label": lc.label(r["from_state"]),
             "to_label": lc.label(r["to_state"]) if r["to_state"] else None} for r in rows]


def require_visible(svc: WorkOrderService, conn: Connection, principal: Principal, ticket_id: int) -> None:
    """NotFound for a missing ticket, Forbidden for another unit's ticket (liaisons)."""
    row = conn.execute(select(tickets.c.id, tickets.c.unit_id).where(tickets.c.id == ticket_id)).mappings().first()
    if row is None:
        raise NotFound(f"工单不存在（id={ticket_id}）")
    svc.check_scope(principal, dict(row))


def events(svc: WorkOrderService, conn: Connection, principal: Principal, ticket_id: int) -> list[dict]:
    return public_events(svc, principal.role, conn.execute(_EVENTS, {"tid": ticket_id}).mappings().all())
