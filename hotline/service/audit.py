"""The audit log: one row per change, written by the caller inside the change's own transaction; read by admins
a page at a time.

Why inside the transaction: an audit row for a change that rolled back is a lie, and a change without its row
is a hole; sharing the transaction makes both impossible.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from hotline.service.context import Principal
from hotline.service.paging import paged
from hotline.store.schema import audit_log

_INSERT = insert(audit_log)


def record(conn: Connection, principal: Principal, action: str, entity: str, entity_id: Any, at: datetime,
           detail: dict[str, Any] | None = None, *, defer: list | None = None) -> None:
    """Write the audit row in `conn`'s transaction — or, with `defer`, append the insert to that list as
    (statement, parameters) for the caller to send with its other writes (`hotline.service.transactions.batch`: same
    transaction, one round trip on PostgreSQL)."""
    item = (_INSERT, {
        "at": at, "user_id": principal.user_id, "actor": principal.username[:64], "action": action[:48],
        "entity": entity[:32], "entity_id": None if entity_id is None else str(entity_id)[:32],
        "detail": json.dumps(detail, ensure_ascii=False, default=str) if detail is not None else None})
    if defer is not None:
        defer.append(item)
    else:
        conn.execute(*item)


MAX_PAGE_SIZE = 200


def page(conn: Connection, *, entity: str | None = None, entity_id: str | None = None, page: int = 1,
         page_size: int = 50) -> dict[str, Any]:
    """The log newest first, optionally of one kind of entity (`ticket`, `user`, …) or one entity."""
    q = select(audit_log)
    if entity:
        q = q.where(audit_log.c.entity == entity)
    if entity_id:
        q = q.where(audit_log.c.entity_id == entity_id)
    return paged(conn, q, (audit_log.c.id.desc(),), page, page_size, max_size=MAX_PAGE_SIZE)
