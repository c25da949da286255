"""`store.batch`: statements sent together (one round trip on PostgreSQL) behave like `conn.execute` one by one.

Same rows, same row counts, the same SQLAlchemy exceptions, in order and inside the caller's transaction — on
SQLite (a plain loop) and on PostgreSQL (psycopg's pipeline mode).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from service_helpers import dispatched
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from hotline.service.transactions import batch, read_tx, write_tx
from hotline.store.schema import ticket_events, ticket_versions, tickets

_COUNT = select(func.count()).select_from(ticket_events).where(ticket_events.c.ticket_id == bindparam("tid"))
_ROW = (select(tickets.c.id, tickets.c.state, tickets.c.civility, tickets.c.accepted_at)
        .where(tickets.c.id == bindparam("tid")))
_BUMP = update(ticket_versions).where(ticket_versions.c.ticket_id == bindparam("tid")).values(
    version=ticket_versions.c.version + 1).returning(ticket_versions.c.version)
_EVENT = insert(ticket_events).returning(ticket_events.c.id)


def event(tid, note):
    return {"ticket_id": tid, "kind": "contact", "at": datetime(2022, 10, 8, 9), "actor": "t", "unit_id": None,
            "from_state": None, "to_state": None, "due_at": None, "note": note}


def test_rows_and_counts_match_plain_execution(svc, engine):
    tid = dispatched(svc)
    with read_tx(engine) as conn:
        plain = [dict(conn.execute(_ROW, {"tid": tid}).mappings().one()), conn.execute(_COUNT, {"tid": tid}).scalar()]
        row, count, missing = batch(conn, [(_ROW, {"tid": tid}), (_COUNT, {"tid": tid}), (_ROW, {"tid": -1})])
    assert [row.first(), count.scalar()] == plain
    assert isinstance(row.first()["accepted_at"], datetime) and row.first()["civility"] is False
    assert missing.rows == [] and missing.first() is None and missing.scalar() is None


def test_later_statements_see_earlier_ones_and_commit_with_the_caller(svc, engine):
    tid = dispatched(svc)
    with write_tx(engine) as conn:
        v0 = conn.execute(select(ticket_versions.c.version).where(ticket_versions.c.ticket_id == tid)).scalar()
        bump, e1, e2, n, miss = batch(conn, [(_BUMP, {"tid": tid}), (_EVENT, event(tid, "一")),
                                             (_EVENT, event(tid, "二")), (_COUNT, {"tid": tid}), (_BUMP, {"tid": -1})])
    assert bump.scalar() == v0 + 1 and bump.rowcount == 1 and miss.rowcount == 0
    assert e2.scalar() > e1.scalar()
    with engine.connect() as c:
        assert c.execute(_COUNT, {"tid": tid}).scalar() == n.scalar()
        assert c.execute(select(ticket_versions.c.version).where(ticket_versions.c.ticket_id == tid)).scalar() == v0 + 1


def test_a_failing_statement_raises_sqlalchemys_error_and_nothing_is_kept(svc, engine):
    tid = dispatched(svc)
    with engine.connect() as c:
        before = c.execute(_COUNT, {"tid": tid}).scalar()
    with pytest.raises(IntegrityError):
        with write_tx(engine) as conn:
            batch(conn, [(_EVENT, event(tid, "先写入")), (_EVENT, event(987654, "工单不存在")), (_EVENT, event(tid, "之后"))])
    with engine.connect() as c:
        assert c.execute(_COUNT, {"tid": tid}).scalar() == before
    with write_tx(engine) as conn:
        assert batch(conn, [(_COUNT, {"tid": tid})])[0].scalar() == before


def test_autobegins_like_execute(svc, engine):
    tid = dispatched(svc)
    with engine.connect() as conn:
        batch(conn, [(_EVENT, event(tid, "自动开始事务"))])
        assert conn.in_transaction()
        conn.rollback()
    with engine.connect() as c:
        rows = select(func.count()).select_from(ticket_events).where(ticket_events.c.note == "自动开始事务")
        assert c.execute(rows).scalar() == 0
