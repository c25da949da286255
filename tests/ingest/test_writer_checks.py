"""Bulk inserts on SQLite (hotline.ingest.fast.bulk) skip SQLite's own CHECK evaluation only for batches this code
has checked the same way, and refuse what SQLite's foreign keys would."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from hotline.ingest.fast.bulk import BulkInserts
from hotline.ingest.fast.constraints import check_constraints, passes_checks
from hotline.ingest.fast.prepared import PreparedTickets, lay_out
from hotline.ingest.write import Writer
from hotline.store.db import open_engine
from hotline.store.reference import ensure_reference

EVENT = ("ticket_id", "kind", "at", "actor", "unit_id", "from_state", "to_state", "due_at", "note")
TICKET = ("id", "ticket_no", "platform", "accepted_at", "channel", "appeal_type", "subcategory_id", "region", "civility",
          "content", "caller_name", "caller_phone", "resolution", "unit_id", "state")


def test_check_constraints_are_read_from_the_table_definition():
    sql = ("CREATE TABLE t (id INTEGER NOT NULL, kind VARCHAR(24), no VARCHAR(14), "
           "CONSTRAINT ck_kind CHECK (kind IN ('accept', 'it''s')), CONSTRAINT ck_len CHECK (length(no) = 14))")
    assert check_constraints(sql) == [("kind", frozenset({"accept", "it's"}), None), ("no", None, range(14, 15))]
    between = "CREATE TABLE t (no VARCHAR(64), CONSTRAINT ck_len CHECK (length(no) BETWEEN 1 AND 64))"
    assert check_constraints(between) == [("no", None, range(1, 65))]
    assert passes_checks(check_constraints(between), ("no",), lambda i: {"A-1", "x" * 64, None})
    assert not passes_checks(check_constraints(between), ("no",), lambda i: {"A-1", ""})
    assert not passes_checks(check_constraints(between), ("no",), lambda i: {"x" * 65})
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
    ("tickets", TICKET, [_ticket(2), _ticket(3, appeal_type="praise")], "ck_tickets_appeal_type"),
    ("tickets", TICKET, [_ticket(2), _ticket(3, ticket_no="2" * 65)], "ck_tickets_ticket_no_len"),
    ("tickets", TICKET, [_ticket(2), _ticket(3, appeal_type=1)], "ck_tickets_appeal_type"),
])
def test_a_batch_with_a_bad_value_is_still_refused_by_sqlite(db, table, columns, rows, message):
    engine = open_engine(db)
    with engine.connect() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        ensure_reference(conn)
        writer = Writer(conn, BulkInserts)
        writer._insert("tickets", TICKET, [_ticket(1)])  # passes: inserted with SQLite's checks skipped
        with pytest.raises(IntegrityError, match=message):
            writer._insert(table, columns, rows)
        assert conn.exec_driver_sql("PRAGMA ignore_check_constraints").scalar() == 0  # switched back off
        conn.rollback()
    engine.dispose()


def _event(tid: int, **change) -> tuple:
    values = dict(ticket_id=tid, kind="accept", at="2022-10-08 09:32:09.000000", actor="话务员", unit_id=None,
                  from_state=None, to_state="accepted", due_at=None, note=None)
    values.update(change)
    return tuple(values[c] for c in EVENT)


@pytest.mark.parametrize("table, columns, rows", [
    ("tickets", TICKET, [_ticket(2), _ticket(3, subcategory_id=99999)]),
    ("tickets", TICKET, [_ticket(2, unit_id=99999)]),
    ("tickets", TICKET, [_ticket(2, platform="nowhere")]),
    ("ticket_events", EVENT, [_event(1), _event(7)]),  # no ticket 7
    ("ticket_events", EVENT, [_event(1, unit_id=99999)]),
])
def test_with_sqlites_foreign_keys_off_the_writer_refuses_what_sqlite_would(db, table, columns, rows):
    """The import switches SQLite's foreign keys off for its transaction (fast.session.foreign_keys_checked_by_writer):
    a batch with a key that has no parent row fails as SQLite would have failed it."""
    engine = open_engine(db)
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        driver.execute("PRAGMA foreign_keys = OFF")
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        ensure_reference(conn)
        writer = Writer(conn, BulkInserts)
        assert writer.inserts.references is not None
        writer._insert("tickets", TICKET, [_ticket(1)])
        writer._insert("ticket_events", EVENT, [_event(1), _event(1, kind="dispatch", unit_id=1)])  # fine
        with pytest.raises(IntegrityError, match="FOREIGN KEY constraint failed"):
            writer._insert(table, columns, rows)
        laid_out = [r[1:] if table == "tickets" else r for r in rows]
        with pytest.raises(IntegrityError, match="FOREIGN KEY constraint failed"):
            if table == "tickets":
                PreparedTickets(writer)._insert_laid_out("tickets", lay_out("tickets", laid_out, 10))
            else:  # offsets from ticket 1
                PreparedTickets(writer)._insert_laid_out(table, lay_out(table, [(r[0] - 1,) + r[1:] for r in laid_out], 10), 1)
        conn.rollback()
        driver.execute("PRAGMA foreign_keys = ON")
    engine.dispose()


def test_an_import_gives_back_its_connection_with_foreign_keys_on(db, tmp_path):
    from hotline.ingest.mapping import load_mapping
    from hotline.ingest.pipeline import ImportOptions, import_files
    from tests.ingest.conftest import HEADER, ROWS, write_csv

    engine = open_engine(db)
    s, = import_files(engine, [write_csv(tmp_path / "t.csv", HEADER, ROWS)],
                      ImportOptions(load_mapping("platform_12345"), out_dir=tmp_path / "out"))
    assert s.status == "loaded"
    with engine.connect() as conn:  # the same pooled connection
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def _import_watching_the_journal(db, tmp_path, monkeypatch) -> tuple[object, list]:
    """Import a small file; record the journal mode and synchronous level the transaction ran with."""
    from hotline.ingest.mapping import load_mapping
    from hotline.ingest.pipeline import ImportOptions, import_files
    from tests.ingest.conftest import HEADER, ROWS, write_csv

    seen = []
    finish = Writer.finish

    def watched(self):
        seen.append((self.conn.exec_driver_sql("PRAGMA journal_mode").scalar(),
                     self.conn.exec_driver_sql("PRAGMA synchronous").scalar()))
        finish(self)

    monkeypatch.setattr(Writer, "finish", watched)
    engine = open_engine(db)
    s, = import_files(engine, [write_csv(tmp_path / "t.csv", HEADER, ROWS)],
                      ImportOptions(load_mapping("platform_12345"), out_dir=tmp_path / "out"))
    assert s.status == "loaded" and s.counts["tickets"] == {"inserted": 3}
    with engine.connect() as conn:  # the same pooled connection, as the import left it
        seen.append((conn.exec_driver_sql("PRAGMA journal_mode").scalar(),
                     conn.exec_driver_sql("PRAGMA synchronous").scalar()))
    engine.dispose()
    return s, seen


def test_an_import_with_the_store_to_itself_uses_a_rollback_journal_then_gives_back_wal(db, tmp_path, monkeypatch):
    """fast.session.rollback_journal: DELETE mode with synchronous FULL (2) for the transaction, WAL and NORMAL (1) after."""
    _, seen = _import_watching_the_journal(db, tmp_path, monkeypatch)
    assert seen == [("delete", 2), ("wal", 1)]
    store = Path(db.removeprefix("sqlite:///"))
    assert not store.with_name(store.name + "-journal").exists()


def test_with_the_store_open_elsewhere_an_import_stays_in_wal(db, tmp_path, monkeypatch):
    """Another connection (the service, say) keeps the store in WAL, so it can go on reading during the import."""
    other = sqlite3.connect(db.removeprefix("sqlite:///"))
    assert other.execute("SELECT count(*) FROM tickets").fetchone() == (0,)
    _, seen = _import_watching_the_journal(db, tmp_path, monkeypatch)
    assert seen == [("wal", 1), ("wal", 1)]
    assert other.execute("SELECT count(*) FROM tickets").fetchone() == (3,)
    other.close()


def test_checks_left_skipped_between_chunks_of_new_tickets_still_refuse_a_bad_one(db):
    """`BulkInserts.ignore_checks` leaves SQLite's checks skipped from one passing chunk of new tickets to the next
    (switching expires every prepared statement); a chunk that fails the writer's own check turns them back on,
    and SQLite refuses it."""
    engine = open_engine(db)
    with engine.connect() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        ensure_reference(conn)
        writer = PreparedTickets(Writer(conn, BulkInserts))
        laid = lambda rows: lay_out("tickets", [r[1:] for r in rows], 10)  # noqa: E731
        writer.writer.next_ticket = 1
        writer.add_new("工单", 1, laid([_ticket(1)]), [], [], b"\0" * 8)
        assert conn.exec_driver_sql("PRAGMA ignore_check_constraints").scalar() == 1  # left on
        writer.add_new("工单", 1, laid([_ticket(2)]), [], [], b"\0" * 8)
        with pytest.raises(IntegrityError, match="ck_tickets_appeal_type"):
            writer.add_new("工单", 1, laid([_ticket(3, appeal_type="praise")]), [], [], b"\0" * 8)
        assert conn.exec_driver_sql("PRAGMA ignore_check_constraints").scalar() == 0
        conn.rollback()
    engine.dispose()


def test_an_import_gives_back_its_connection_with_checks_applied(db, tmp_path):
    """However the writer left `ignore_check_constraints` (on, between chunks of a big file), the pooled
    connection comes back with SQLite's checks applied."""
    from hotline.generator.vendor_export import write_csv as write_sample
    from hotline.ingest.mapping import load_mapping
    from hotline.ingest.pipeline import ImportOptions, import_files

    engine = open_engine(db)
    s, = import_files(engine, [write_sample(tmp_path / "big.csv", 12_000)],  # past the first 5,000 rows: two processes
                      ImportOptions(load_mapping("platform_12345"), out_dir=tmp_path / "out"))
    assert s.status == "loaded" and s.counts["tickets"] == {"inserted": 12_000}
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA ignore_check_constraints").scalar() == 0
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with pytest.raises(IntegrityError, match="ck_tickets_appeal_type"):
            conn.exec_driver_sql("UPDATE tickets SET appeal_type = 'praise' WHERE id = 1")
    engine.dispose()
