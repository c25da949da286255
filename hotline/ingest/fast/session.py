"""SQLite: the connection of one file's transaction set up for bulk writes, and put back after it.

Why a module of its own: these are settings around the transaction (most cannot change inside one), each worth
seconds on a big file and none changing what is stored — foreign keys checked by the writer instead of SQLite
(fast.bulk), a rollback journal instead of WAL, Python's collector paused while chunks of rows live. The
pipeline enters `session` around the transaction only when the writer's bulk inserts are chosen (`Speed`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from sqlalchemy import Connection


@contextmanager
def session(conn: Connection) -> Iterator[None]:
    """Foreign keys checked by the writer, rollback journal and a paused collector, in that order (outermost first)."""
    with ExitStack() as stack:
        stack.enter_context(foreign_keys_checked_by_writer(conn))
        stack.enter_context(rollback_journal(conn))
        stack.enter_context(young_gc())
        yield


@contextmanager
def rollback_journal(conn: Connection):
    """SQLite: the file's transaction in rollback-journal mode, when nothing else has the store open.

    Why: in WAL mode every page an import writes goes to the WAL first and is copied into the database file
    by the checkpoint after the commit, so a big file is written twice (1M rows: ~750 MB, twice; 8 of the
    42 s on the benchmark's slower host). With a rollback journal, pages new to the file are written once and
    only pages that already held data are journaled. The commit is as atomic as before: a crash leaves a hot
    journal that SQLite rolls back the next time the store is opened.
    Leaving WAL needs the store to itself. If another connection has it open (the service, a second
    import), the import stays in WAL, so readers keep reading, and takes longer; the attempt does not wait.
    synchronous=FULL meanwhile: NORMAL is proof against power loss only in WAL mode. WAL and NORMAL come
    back after the commit or rollback; if they cannot, the next connection's own setup restores WAL."""
    driver = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
    if driver is None or driver.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        yield
        return
    timeout = driver.execute("PRAGMA busy_timeout").fetchone()[0]
    driver.execute("PRAGMA busy_timeout = 0")
    try:
        switched = driver.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    except Exception:  # noqa: BLE001 — "database is locked": another connection has the store open
        switched = False
    finally:
        driver.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    if switched:
        driver.execute("PRAGMA synchronous = FULL")
    try:
        yield
    finally:  # (never masking what ended the transaction, as below)
        if switched and not conn.invalidated:
            try:
                driver.execute("PRAGMA journal_mode = WAL")
                driver.execute("PRAGMA synchronous = NORMAL")
            except Exception:  # noqa: BLE001 — the next connection's setup (store.db) sets WAL again
                pass


@contextmanager
def foreign_keys_checked_by_writer(conn: Connection):
    """SQLite: foreign keys off for the file's transaction, checked by the writer instead (fast.constraints);
    after it, foreign keys on and CHECK constraints applied again (`BulkInserts.ignore_checks`), or the connection
    is discarded.

    Why: SQLite looks every foreign key of every inserted row up in its parent table (a third of the cost of
    inserting a ticket or an event); the writer checks a whole batch at once and refuses a bad one the same way. The pragma
    cannot change inside a transaction, so it is set around it, on this connection only, and set back after
    the commit or rollback; a connection where that fails is discarded rather than pooled with the keys off."""
    driver = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
    if driver is None:
        yield
        return
    driver.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:  # (never masking what ended the transaction: Ctrl-C must still end the command with 130)
        if not conn.invalidated:  # (an interrupted driver call has SQLAlchemy discard the connection already)
            try:
                driver.execute("PRAGMA foreign_keys = ON")
                driver.execute("PRAGMA ignore_check_constraints = OFF")  # (the writer's, whatever ended the file)
                restored = (driver.execute("PRAGMA foreign_keys").fetchone()[0] == 1
                            and driver.execute("PRAGMA ignore_check_constraints").fetchone()[0] == 0)
            except Exception:  # noqa: BLE001 — a broken connection: dropped below
                restored = False
            if not restored:
                try:
                    conn.invalidate()
                except Exception:  # noqa: BLE001
                    pass


@contextmanager
def young_gc():
    """Python's cyclic garbage collector paused while a file loads, its young generations collected after each chunk.

    Why: a chunk holds tens of thousands of rows (lists, tuples, Row objects) alive at once; the automatic
    collector sees them survive, promotes them, and then keeps re-scanning every object of the process in full
    collections — a third of an import's time. The rows are freed by reference counting as each chunk is
    written, so almost nothing is left for the collector; the pipeline's collection of the young generations
    after each chunk still frees any reference cycles made meanwhile. The previous setting is restored when the file is done, failed or not."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
