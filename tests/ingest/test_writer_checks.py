"""Inserts on SQLite skip SQLite's own CHECK evaluation only for batches this code has checked the same way."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from hotline.ingest.refs import ensure_reference
from hotline.ingest.writer import Writer, check_constraints
from hotline.store.db import open_engine

EVENT = ("ticket_id", "kind", "at", "actor", "unit_id", "from_state", "to_state", "due_at", "note")
TICKET = ("id", "ticket_no", "platform", "accepted_at", "channel", "appeal_type", "subcategory_id", "region", "civility",
          "content", "caller_name", "caller_phone", "resolution", "unit_id", "state")


def test_check_constraints_are_read_from_the_table_definition():
    sql = ("CREATE TABLE t (id INTEGER NOT NULL, kind VARCHAR(24), no VARCHAR(14), "
           "CONSTRAINT ck_kind CHECK (kind IN ('accept', 'it''s')), CONSTRAINT ck_len CHECK (length(no) = 14))")
    assert check_constraints(sql) == [("kind", frozenset({"accept", "it's"}), None), ("no", None, 14)]
    assert check_constraints("CREATE TABLE t (a INTEGER)") == []
    # any other form: SQLite alone evaluates the table's constraints
    assert check_constraints("CREATE TABLE t (a INTEGER, CHECK (a > 0))") is None
    assert check_constraints("CREATE TABLE t (r TEXT, u INTEGER, CHECK (r <> 'x' OR u IS NOT NULL))") is None


def _ticket(i: int, **change) -> tuple:
    values = dict(id=i, ticket_no=f"221008{i:05d}099", platform="city", accepted_at="2022-10-08 09:32:09.000000",
                  channel="phone", appeal_type="consult", subcategory_id=1, region="雨湖区", civility=False, content="内容",
                  caller_name=None, caller_phone=None, resolution="online", unit_id=None, state="accepted")
    values.update(change)
    return tuple(values[c] for c in TICKET)


@pytest.mark.parametrize("table, columns, rows, message", [
    ("ticket_events", EVENT, [(1, "accept", "2022-10-08 09:32:09.000000", "话务员", None, None, "accepted", None, None),
                              (1, "teleport", "2022-10-08 09:32:09.000000", "话务员", None, None, None, None, None)],
     "ck_ticket_events_kind"),
    ("tickets", TICKET, [_ticket(2), _ticket(3, channel="fax")], "ck_tickets_channel"),
    ("tickets", TICKET, [_ticket(2), _ticket(3, ticket_no="2210081")], "ck_tickets_ticket_no_len"),
    ("tickets", TICKET, [_ticket(2), _ticket(3, appeal_type=1)], "ck_tickets_appeal_type"),
])
def test_a_batch_with_a_bad_value_is_still_refused_by_sqlite(db, table, columns, rows, message):
    engine = open_engine(db)
    with engine.connect() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        ensure_reference(conn)
        writer = Writer(conn)
        writer._insert("tickets", TICKET, [_ticket(1)])  # passes: inserted with SQLite's checks skipped
        with pytest.raises(IntegrityError, match=message):
            writer._insert(table, columns, rows)
        assert conn.exec_driver_sql("PRAGMA ignore_check_constraints").scalar() == 0  # switched back off
        conn.rollback()
    engine.dispose()
