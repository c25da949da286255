"""SQLite: the writer's batches as multi-row INSERTs, their constraints checked here a batch at a time.

Why: an import inserts millions of rows, and the reference way (`write.PlainInserts`: one parameter set per row,
SQLite checking each) pays the driver's per-statement work and SQLite's per-row checks millions of times:
- **Several hundred rows per INSERT** (`VALUES (…), (…)`): the per-statement work of the driver and of SQLite —
  reset, release of the GIL, end of statement — is paid once per few hundred rows. What does not fill a
  statement goes in statements of power-of-two sizes (`statement_sizes`), because the driver keeps the last 128
  statements it prepared — about a megabyte each — and one for every odd size made memory grow with the file.
  `INSERT OR FAIL`: no statement journal (see hotline.ingest.fast.prepared); any error fails the file anyway.
- **Constraints** (hotline.ingest.fast.constraints): SQLite skips its CHECKs only for a batch that passed the
  same checks here; with foreign keys switched off for the file's transaction (fast.session), every key is
  checked here and a bad batch fails the file as SQLite would have.
- **Indexes**: loading into empty tables, the secondary indexes whose keys arrive out of order are dropped and
  built once at the end (`KEPT_DURING_LOAD` are kept up to date), and the page cache is bounded.
The rows written, and so the store, are those of `PlainInserts` (tests/ingest/test_reference_path.py).
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable

from sqlalchemy import Index

from hotline.ingest.fast.constraints import References, check_constraints, passes_checks
from hotline.ingest.write import Writer
from hotline.store.schema import metadata

CACHE_KIB = 64 * 1024  # SQLite page cache for the import connection: bounded, whatever the file size
MULTI_PARAMS = 4000  # parameters per multi-row INSERT on SQLite (its limit is 32766 since 3.32, 999 before)
# secondary indexes kept up to date during a load into empty tables, not built at the end: their keys mostly arrive
# in order (ids, and times in an export sorted by time), so each insert is cheap — and building them at the end
# made peak memory grow with the file (SQLite's sorter: 233 → 286 → 304 MB for a 100k/300k/600k-row XLSX, vs
# ~235 MB flat), on one core while the other idles (a big CSV: hotline.ingest.fast.parallel)
KEPT_DURING_LOAD = ("ix_ticket_events_kind_at", "ix_ticket_events_ticket", "ix_tickets_accepted_at", "ix_tickets_unit",
                    "ix_return_visits_ticket")
CHECKED = ("tickets", "ticket_events", "return_visits", "calls")  # tables whose CHECKs are verified here


def statement_sizes(n: int, per: int) -> list[int]:
    """Rows per INSERT for `n` rows: statements of `per`, the rest in powers of two. Why: Python's sqlite3 keeps
    the last 128 statements it prepared, and one of a few hundred rows takes about a megabyte — a statement for
    each chunk's odd rest made memory grow with the file (up to 150 MB); this way a dozen per table at most."""
    sizes = [per] * (n // per)
    rest = n % per
    while rest:
        size = 1 << (rest.bit_length() - 1)
        sizes.append(size)
        rest -= size
    return sizes


class BulkInserts:
    """`write.Inserts` for SQLite, made for a `Writer` of one file (whose transaction has begun)."""

    def __init__(self, writer: Writer):
        self.writer, self.conn = writer, writer.conn
        conn = self.conn
        conn.exec_driver_sql(f"PRAGMA cache_size = -{CACHE_KIB}")  # index pages of a big load stay in memory
        self.dropped: list[Index] = []
        self.checks: dict[str, list | None] = {}
        self.ignoring_checks = False  # PRAGMA ignore_check_constraints, as last set on this connection
        self.multi_params = 999  # what every SQLite accepts; more where the library says so
        driver = conn.connection.driver_connection
        if hasattr(driver, "getlimit"):  # Python 3.11+
            self.multi_params = min(MULTI_PARAMS, driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
        # foreign keys: SQLite's own, unless the import switched them off for this transaction (fast.session)
        off = not conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
        self.references = References(conn, lambda: range(writer.first_ticket, writer.next_ticket)) if off else None
        self._bulk_mode()

    def _bulk_mode(self) -> None:
        """Loading into empty tables (a new store): drop their secondary indexes now and build them once at the
        end — sorting once is several times faster than a million random index inserts — except those whose keys
        arrive in order (`KEPT_DURING_LOAD`). Same transaction, same definitions (from schema.py): a failure or
        Ctrl-C restores them with everything else."""
        w = self.writer
        empty = {"tickets": w.next_ticket == 1, "ticket_events": w.first["ticket_events"] == 1,
                 "return_visits": w.first["return_visits"] == 1, "calls": w.first["calls"] == 1}
        for table in metadata.sorted_tables:
            if empty.get(table.name):
                for index in sorted(table.indexes, key=lambda i: i.name):
                    if not index.unique and index.name not in KEPT_DURING_LOAD:
                        index.drop(self.conn)
                        self.dropped.append(index)

    def insert(self, table: str, columns: tuple, rows: list) -> None:
        if self.references is not None:
            self.references.check(table, columns, lambda i: {r[i] for r in rows})
        if not self.passes_checks(table, columns, lambda i: {r[i] for r in rows}):
            return self._many_rows(table, columns, rows)
        self.ignore_checks(True)
        try:
            self._many_rows(table, columns, rows)
        finally:
            if not self.conn.invalidated:  # (Ctrl-C in the driver: SQLAlchemy discards the connection, pragma and all)
                self.ignore_checks(False)

    def check(self, table: str, columns: tuple, rows: list) -> None:
        if self.references is not None:
            self.references.check(table, columns, lambda i: {r[i] for r in rows})

    def ignore_checks(self, on: bool) -> None:
        """SQLite's CHECK constraints skipped (on: for batches checked here) or applied, from the next statement.

        Set only when it changes, because every flag pragma expires all of the connection's prepared statements:
        switched on and off around each batch, re-preparing the multi-row INSERTs (thousands of parameters each)
        cost 3–4 s of a 1M-row file. So `PreparedTickets` leaves it on from one chunk of new tickets to the next;
        `parallel.load` switches it off before anything else writes, and the pipeline makes sure it is off
        when the connection goes back to the pool (fast.session)."""
        if on != self.ignoring_checks:
            self.conn.exec_driver_sql(f"PRAGMA ignore_check_constraints = {'ON' if on else 'OFF'}")
            self.ignoring_checks = on

    def _many_rows(self, table: str, columns: tuple, rows: list) -> None:
        one = f"({', '.join('?' * len(columns))})"
        head = f"INSERT OR FAIL INTO {table} ({', '.join(columns)}) VALUES "
        chain = itertools.chain.from_iterable
        i = 0
        for size in statement_sizes(len(rows), max(1, self.multi_params // len(columns))):  # (few distinct)
            self.conn.exec_driver_sql(head + ", ".join([one] * size), tuple(chain(rows[i:i + size])))
            i += size

    def checks_for(self, table: str) -> list | None:
        """The CHECK constraints of `table` as `check_constraints` reads them (None: only SQLite can evaluate them)."""
        if table not in self.checks:
            sql = self.conn.exec_driver_sql(
                f"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'").scalar()
            self.checks[table] = check_constraints(sql) if sql else None
        return self.checks[table]

    def passes_checks(self, table: str, columns: tuple, values_of: Callable[[int], set]) -> bool:
        return table in CHECKED and passes_checks(self.checks_for(table), columns, values_of)

    def finish(self) -> None:
        if self.references is not None:  # what the file added to the reference tables (resolve.py), as SQLite checks it
            self.references.check_tables(("units", "unit_aliases", "subcategories"))
        for index in self.dropped:
            index.create(self.conn)
        self.conn.exec_driver_sql("PRAGMA cache_size = -2000")  # the pooled connection goes back as it was
