"""Idempotent loading of converted rows, inside the one transaction of a file.

Why it works this way:
- **Identity is the ticket number.** A ticket already in the store is updated in place (its id, and so its
  events and visits, stay put); re-importing a file, or a later export that overlaps it, never duplicates.
  Each row is counted as inserted, updated or unchanged — unchanged when the ticket's columns *and* the
  events/visits the row implies are already exactly in the store.
- **The file is the truth for what it carries, and only that.** A column the file lacks keeps its stored
  value; event kinds the file cannot speak about (a vendor export has no 催办) are never touched. Within
  its scope, stored events that the file no longer implies are removed, missing ones inserted: matching is
  by value, so an unchanged ticket is not rewritten.
- **Duplicates inside one file**: the first row wins; a later identical row is skipped, a later different
  row is rejected (the user decides which one is right), both with the row numbers.
- **Memory stays flat**: what the file has loaded so far is remembered in temporary tables of the same
  database, not in Python, so a 10-million-row file needs no more memory than a small one.
- **Speed**: plain statements with the driver's own placeholders (no ORM objects): executemany, and on SQLite
  a few hundred rows per INSERT (`VALUES (…), (…)`), which pays the driver's per-statement work once per
  statement instead of once per row; what does not fill a statement goes in statements of power-of-two sizes
  (`laidout.statement_sizes`), because the driver keeps the last 128 statements it prepared — about a megabyte
  each — and one for every odd size made memory grow with the file. SQLite gets timestamps in exactly the text
  form SQLAlchemy writes, so rows loaded here compare equal to rows written elsewhere.
- **Constraints on SQLite**: instead of SQLite evaluating every CHECK and looking up every foreign key row by
  row, each batch is checked here first (hotline.ingest.constraints): SQLite skips its CHECKs only for a batch
  that passed; a batch with a foreign key that has no parent row fails the file as SQLite would have.
- **New tickets converted in a second process** (hotline.ingest.parallel) arrive laid out as INSERT parameters;
  `add_new` writes them, and remembers their row numbers as one block per chunk instead of a mark per row.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable

from sqlalchemy import Connection, Index, text

from hotline.ingest.constraints import References, check_constraints, passes_checks
from hotline.ingest.convert import Row
from hotline.ingest.laidout import LaidOut, select_in, statement_sizes
from hotline.ingest.records import (
    CALL_COLUMNS,
    EVENT_COLUMNS,
    TICKET_COLUMNS,
    VISIT_COLUMNS,
    TicketShape,
)
from hotline.store.schema import metadata

CACHE_KIB = 64 * 1024  # SQLite page cache for the import connection: bounded, whatever the file size
MULTI_PARAMS = 4000  # parameters per multi-row INSERT on SQLite (its limit is 32766 since 3.32, 999 before)
# secondary indexes kept up to date during a load into empty tables, not built at the end: their keys mostly arrive
# in order (ids, and times in an export sorted by time), so each insert is cheap — and building them at the end
# made peak memory grow with the file (SQLite's sorter: 233 → 286 → 304 MB for a 100k/300k/600k-row XLSX, vs
# ~235 MB flat), on one core while the other idles (a big CSV: hotline.ingest.parallel)
KEPT_DURING_LOAD = ("ix_ticket_events_kind_at", "ix_ticket_events_ticket", "ix_tickets_accepted_at", "ix_tickets_unit",
                    "ix_return_visits_ticket")
CHECKED = ("tickets", "ticket_events", "return_visits", "calls")  # tables whose CHECKs are verified here (SQLite)
_names = itertools.count()

# Binding None: Python's sqlite3 looks None up in its adapter registry, finds nothing, then asks the protocol
# object for `__adapt__` — an AttributeError created and discarded for every NULL parameter, 40 % of the cost
# of an event row (four of its eight values are usually NULL). An adapter that returns None (the builtin
# `{}.get`, no Python frame) ends the lookup at the first step; None is then bound as NULL exactly as before.
sqlite3.adapters.setdefault((type(None), sqlite3.PrepareProtocol), {}.get)


class Counts(Counter):
    """inserted / updated / unchanged / skipped / rejected / removed per table."""


class Writer(LaidOut):
    def __init__(self, conn: Connection):
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self.ph = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        self.counts: dict[str, Counts] = defaultdict(Counts)
        if self.sqlite:  # index pages of a big load stay in memory instead of spilling to the WAL mid-transaction
            conn.exec_driver_sql(f"PRAGMA cache_size = -{CACHE_KIB}")
        n = next(_names)
        self.t_rows, self.t_match, self.t_touch = f"_imp_rows_{n}", f"_imp_match_{n}", f"_imp_touch_{n}"
        suffix = "" if self.sqlite else " ON COMMIT DROP"
        conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {self.t_rows} (ticket_id INTEGER PRIMARY KEY, sheet TEXT, "
                             f"row_no INTEGER, digest BIGINT){suffix}")
        conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {self.t_match} (tbl TEXT, id INTEGER, PRIMARY KEY (tbl, id)){suffix}")
        conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {self.t_touch} (tbl TEXT, ticket_id INTEGER, "
                             f"PRIMARY KEY (tbl, ticket_id)){suffix}")
        self.t_blocks = f"_imp_blocks_{n}"  # row numbers of the tickets `add_new` inserted, a block per chunk
        if self.sqlite:
            conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {self.t_blocks} (first INTEGER PRIMARY KEY, sheet TEXT, "
                                 "row_nos BLOB)")
        self.next_ticket = self._scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM tickets")
        self.first_ticket = self.next_ticket  # tickets from here on are this file's
        self.first = {t: self._scalar(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {t}")
                      for t in ("ticket_events", "return_visits", "calls")}
        self.call_span: dict[str, list] = {}
        self.dropped: list[Index] = []
        self.checks: dict[str, list | None] = {}
        self.ignoring_checks = False  # PRAGMA ignore_check_constraints, as last set on this connection
        self.multi_params = 999  # what every SQLite accepts; more where the library says so
        if self.sqlite:
            driver = conn.connection.driver_connection
            if hasattr(driver, "getlimit"):  # Python 3.11+
                self.multi_params = min(MULTI_PARAMS, driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
        # foreign keys: SQLite's own, unless the import switched them off for this transaction (pipeline)
        off = self.sqlite and not self._scalar("PRAGMA foreign_keys")
        self.references = References(conn, lambda: range(self.first_ticket, self.next_ticket)) if off else None
        if self.sqlite:
            self._bulk_mode()

    def _bulk_mode(self) -> None:
        """Loading into empty tables (a new store): drop their secondary indexes now and build them once at the
        end — sorting once is several times faster than a million random index inserts — except those whose keys
        arrive in order (`KEPT_DURING_LOAD`). Same transaction, same definitions (from schema.py): a failure or
        Ctrl-C restores them with everything else."""
        empty = {"tickets": self.next_ticket == 1, "ticket_events": self.first["ticket_events"] == 1,
                 "return_visits": self.first["return_visits"] == 1, "calls": self.first["calls"] == 1}
        for table in metadata.sorted_tables:
            if empty.get(table.name):
                for index in sorted(table.indexes, key=lambda i: i.name):
                    if not index.unique and index.name not in KEPT_DURING_LOAD:
                        index.drop(self.conn)
                        self.dropped.append(index)

    # ---- small helpers ------------------------------------------------------------------------------------
    def _scalar(self, sql: str):
        return self.conn.exec_driver_sql(sql).scalar()

    def dbtime(self, value):
        """A timestamp as this database stores it: SQLite gets SQLAlchemy's text form, others the datetime."""
        return value.isoformat(" ", "microseconds") if self.sqlite else value

    def _many(self, sql: str, rows: list) -> None:
        if rows:
            self.conn.exec_driver_sql(sql.replace("?", self.ph), rows)

    def _select_in(self, sql: str, values: list) -> list:
        """Run `sql` (containing `IN ({})`) over `values` in batches (of a few sizes: `laidout.padded`)."""
        return list(select_in(self.conn, sql, values, self.ph))

    def _insert(self, table: str, columns: tuple, rows: list) -> None:
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        if rows and self.references is not None:
            self.references.check(table, columns, lambda i: {r[i] for r in rows})
        insert = self._many if not self.sqlite else lambda sql, rows: self._many_rows(table, columns, rows)
        if not (rows and self.sqlite and self._passes_checks(table, columns, lambda i: {r[i] for r in rows})):
            return insert(sql, rows)
        self.ignore_checks(True)
        try:
            insert(sql, rows)
        finally:
            if not self.conn.invalidated:  # (Ctrl-C in the driver: SQLAlchemy discards the connection, pragma and all)
                self.ignore_checks(False)

    def ignore_checks(self, on: bool) -> None:
        """SQLite's CHECK constraints skipped (on: for batches checked here) or applied, from the next statement.

        Set only when it changes, because every flag pragma expires all of the connection's prepared statements:
        switched on and off around each batch, re-preparing the multi-row INSERTs (thousands of parameters each)
        cost 3–4 s of a 1M-row file. So `LaidOut` leaves it on from one chunk of new tickets to the next;
        `parallel.load` switches it off before anything else writes, and the pipeline makes sure it is off
        when the connection goes back to the pool."""
        if on != self.ignoring_checks:
            self.conn.exec_driver_sql(f"PRAGMA ignore_check_constraints = {'ON' if on else 'OFF'}")
            self.ignoring_checks = on

    def _many_rows(self, table: str, columns: tuple, rows: list) -> None:
        """SQLite: many rows per INSERT statement (VALUES (…), (…), …), so the per-statement work of the driver
        and of SQLite — reset, release of the GIL, end of statement — is paid once per few hundred rows.
        OR FAIL: no statement journal (see hotline.ingest.laidout); any error fails the file anyway."""
        if not rows:
            return
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
            sql = self._scalar(f"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'")
            self.checks[table] = check_constraints(sql) if sql else None
        return self.checks[table]

    def _passes_checks(self, table: str, columns: tuple, values_of: Callable[[int], set]) -> bool:
        return table in CHECKED and passes_checks(self.checks_for(table), columns, values_of)

    # ---- tickets (flat rows) ------------------------------------------------------------------------------
    def tickets(self, rows: list[Row], shape: TicketShape, sheet: str) -> list[Row]:
        """Load ticket rows; returns the rows rejected here (duplicates in the file)."""
        c = self.counts["tickets"]
        nos = list({r.item.ticket_no for r in rows})
        cols = ", ".join(TICKET_COLUMNS)
        existing = {rec[1]: (rec[0], tuple(rec[1:])) for rec in
                    self._select_in(f"SELECT id, {cols} FROM tickets WHERE ticket_no IN ({{}})", nos)}
        seen = {rec[0]: (rec[1], rec[2], rec[3]) for rec in self._select_in(
            f"SELECT ticket_id, sheet, row_no, digest FROM {self.t_rows} WHERE ticket_id IN ({{}})",
            [v[0] for v in existing.values()])} if existing else {}
        late = [v[0] for v in existing.values() if v[0] >= self.first_ticket and v[0] not in seen]
        if late:
            seen.update(self._block_marks(late))
        new_tickets, new_events, new_visits, updates, marks, rejected = [], [], [], [], [], []
        to_compare = []
        next_ticket, inserted = self.next_ticket, 0
        for row in rows:
            it = row.item
            no, values, events, visits = it.ticket_no, it.values, it.events, it.visits
            digest = hash((values, tuple(events), tuple(visits)))
            hit = existing.get(no)
            if hit is not None and hit[0] in seen:
                first_sheet, first_row, first_digest = seen[hit[0]]
                if first_digest is None:  # inserted by `add_new`: as stored, it is exactly what its row gave
                    first_digest = self._stored_digest(hit[0])
                    seen[hit[0]] = (first_sheet, first_row, first_digest)
                where = f"{'工作表“' + first_sheet + '”' if first_sheet != sheet else ''}第 {first_row} 行"
                if first_digest == digest:
                    c["skipped"] += 1
                    row.repair("事件编号", no, f"与{where}完全相同，已跳过")
                else:
                    row.error("事件编号", no, f"事件编号与{where}重复且内容不同（已保留{where}，请核对后保留一行重新导入）")
                    rejected.append(row)
                continue
            if hit is None:
                tid = next_ticket
                next_ticket += 1
                new_tickets.append((tid,) + values)
                if events:
                    new_events += [(tid,) + e for e in events]
                if visits:
                    new_visits += [(tid,) + v for v in visits]
                if not inserted and "inserted" not in c:
                    c["inserted"] = 0  # (the counts keep the order in which each kind first occurred)
                inserted += 1
                existing[no] = (tid, values)
            else:
                tid, old = hit
                merged = tuple(v if p else o for v, o, p in zip(values, old, shape.provided))
                to_compare.append((tid, old, merged, events, visits))
            seen[tid] = (sheet, row.row_no, digest)
            marks.append((tid, sheet, row.row_no, digest))
        self.next_ticket = next_ticket
        if inserted:
            c["inserted"] += inserted
        if to_compare:
            changed = self._sync_children(to_compare, shape, new_events, new_visits)
            for tid, old, merged, _, _ in to_compare:
                if merged != old or tid in changed:
                    updates.append(merged[1:] + (tid,))
                    c["updated"] += 1
                else:
                    c["unchanged"] += 1
        self._insert("tickets", ("id",) + TICKET_COLUMNS, new_tickets)
        sets = ", ".join(f"{col} = ?" for col in TICKET_COLUMNS[1:])
        if updates and self.references is not None:
            self.references.check("tickets", TICKET_COLUMNS[1:] + ("id",), lambda i: {r[i] for r in updates})
        self._many(f"UPDATE tickets SET {sets} WHERE id = ?", updates)
        self._insert("ticket_events", ("ticket_id",) + EVENT_COLUMNS, new_events)
        self._insert("return_visits", ("ticket_id",) + VISIT_COLUMNS, new_visits)
        self._insert(self.t_rows, ("ticket_id", "sheet", "row_no", "digest"), marks)
        return rejected

    def _sync_children(self, items: list, shape: TicketShape, new_events: list, new_visits: list) -> set[int]:
        """Bring the events (kinds in scope) and visits of existing tickets to what their rows imply."""
        changed: set[int] = set()
        ids = [tid for tid, *_ in items]
        for table, columns, wanted_of, out, active in (
                ("ticket_events", EVENT_COLUMNS, lambda x: x[3], new_events, bool(shape.scope)),
                ("return_visits", VISIT_COLUMNS, lambda x: x[4], new_visits, shape.visits)):
            if not active:
                continue
            # kinds are filtered here, not in SQL: with a kind condition SQLite may pick the (kind, at) index
            # and scan every event of those kinds instead of the few of these tickets
            scope = shape.scope if table == "ticket_events" else None
            stored = defaultdict(list)
            for rec in self._select_in(f"SELECT id, ticket_id, {', '.join(columns)} FROM {table} "
                                       f"WHERE ticket_id IN ({{}})", ids):
                if scope is None or rec[2] in scope:
                    stored[rec[1]].append((rec[0], tuple(rec[2:])))
            deletes = []
            for item in items:
                tid = item[0]
                want = Counter(wanted_of(item))
                for sid, values in stored.get(tid, ()):
                    if want[values] > 0:
                        want[values] -= 1
                    else:
                        deletes.append((sid,))
                        changed.add(tid)
                for values, n in want.items():
                    if n > 0:
                        out.extend([(tid,) + values] * n)
                        changed.add(tid)
            self._many(f"DELETE FROM {table} WHERE id = ?", deletes)
            if deletes:
                self.counts[table]["removed"] += len(deletes)
        return changed

    # ---- child tables given row by row (the project's own export) --------------------------------------------
    def _ticket_ids(self, nos: list[str]) -> dict[str, int]:
        return dict((no, tid) for tid, no in self._select_in("SELECT id, ticket_no FROM tickets WHERE ticket_no IN ({})", nos))

    def children(self, rows: list[Row], table: str) -> list[Row]:
        """Event or visit rows keyed by ticket number: matched by value, inserted when new; stored rows of the
        touched tickets that no row matched are removed at the end of the file (`finish`)."""
        columns = EVENT_COLUMNS if table == "ticket_events" else VISIT_COLUMNS
        c = self.counts[table]
        ids = self._ticket_ids(list({r.item[0] for r in rows}))
        rejected, ok = [], []
        for r in rows:
            if r.item[0] not in ids:
                r.error("事件编号", r.item[0], "事件编号在工单中不存在（请先导入对应的工单）")
                rejected.append(r)
            else:
                ok.append((ids[r.item[0]], r.item[1]))
        tids = list({tid for tid, _ in ok})
        stored = defaultdict(list)
        for rec in [] if self.first[table] == 1 else self._select_in(
                f"SELECT id, ticket_id, {', '.join(columns)} FROM {table} WHERE ticket_id IN ({{}}) AND id < "
                f"{self.first[table]} AND id NOT IN (SELECT id FROM {self.t_match} WHERE tbl = '{table}')", tids):
            stored[(rec[1], tuple(rec[2:]))].append(rec[0])
        inserts, matched = [], []
        for tid, values in ok:
            hit = stored.get((tid, values))
            if hit:
                matched.append((table, hit.pop()))
                c["unchanged"] += 1
            else:
                inserts.append((tid,) + values)
                c["inserted"] += 1
        self._insert(table, ("ticket_id",) + columns, inserts)
        self._insert(self.t_match, ("tbl", "id"), matched)
        self._many(f"INSERT INTO {self.t_touch} (tbl, ticket_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                   [(table, t) for t in tids])
        return rejected

    def calls(self, rows: list[Row]) -> None:
        """Calls have no number: a file's calls replace the stored calls of the same platforms in the span of
        time the file covers (matched by value, so a re-import changes nothing)."""
        c = self.counts["calls"]
        items = [r.item for r in rows]
        for p, at, *_ in items:
            span = self.call_span.setdefault(p, [at, at])
            span[0], span[1] = min(span[0], at), max(span[1], at)
        lo, hi = min(i[1] for i in items), max(i[1] for i in items)
        stored = defaultdict(list)
        q = (f"SELECT id, {', '.join(CALL_COLUMNS)} FROM calls WHERE called_at >= ? AND called_at <= ? AND id < "
             f"{self.first['calls']} AND id NOT IN (SELECT id FROM {self.t_match} WHERE tbl = 'calls')")
        for rec in [] if self.first["calls"] == 1 else self.conn.exec_driver_sql(q.replace("?", self.ph), (lo, hi)).fetchall():
            stored[tuple(rec[1:])].append(rec[0])
        inserts, matched = [], []
        for values in items:
            hit = stored.get(values)
            if hit:
                matched.append(("calls", hit.pop()))
                c["unchanged"] += 1
            else:
                inserts.append(values)
                c["inserted"] += 1
        self._insert("calls", CALL_COLUMNS, inserts)
        self._insert(self.t_match, ("tbl", "id"), matched)

    def units(self, rows: list[Row], refs) -> None:
        c = self.counts["units"]
        for r in rows:
            name, group, region, platform, order = r.item
            found = self.conn.execute(text("SELECT id, unit_group, region, platform, sort_order FROM units WHERE name = :n"),
                                      {"n": name}).first()
            if self.references is not None:
                self.references.check("units", ("platform",), lambda i: {platform})
            if found is None:
                uid = self._scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM units")
                if order is None:
                    order = self._scalar("SELECT COALESCE(MAX(sort_order), -1) + 1 FROM units")
                self.conn.execute(text("INSERT INTO units (id, name, unit_group, region, platform, sort_order) "
                                       "VALUES (:i, :n, :g, :r, :p, :o)"),
                                  {"i": uid, "n": name, "g": group, "r": region, "p": platform, "o": order})
                refs.add_unit(uid, name, region, order)
                c["inserted"] += 1
            elif tuple(found[1:]) != (group, region, platform, order if order is not None else found[4]):
                self.conn.execute(text("UPDATE units SET unit_group = :g, region = :r, platform = :p, "
                                       "sort_order = :o WHERE id = :i"),
                                  {"i": found[0], "g": group, "r": region, "p": platform,
                                   "o": order if order is not None else found[4]})
                c["updated"] += 1
            else:
                c["unchanged"] += 1

    # ---- end of the file ----------------------------------------------------------------------------------
    def finish(self) -> None:
        for table in ("ticket_events", "return_visits"):
            n = self.conn.exec_driver_sql(
                f"DELETE FROM {table} WHERE id < {self.first[table]} AND ticket_id IN "
                f"(SELECT ticket_id FROM {self.t_touch} WHERE tbl = '{table}') AND id NOT IN "
                f"(SELECT id FROM {self.t_match} WHERE tbl = '{table}')").rowcount
            if n:
                self.counts[table]["removed"] += n
        for platform, (lo, hi) in self.call_span.items():
            n = self.conn.exec_driver_sql(
                (f"DELETE FROM calls WHERE platform = ? AND called_at >= ? AND called_at <= ? AND id < "
                 f"{self.first['calls']} AND id NOT IN (SELECT id FROM {self.t_match} WHERE tbl = 'calls')"
                 ).replace("?", self.ph), (platform, lo, hi)).rowcount
            if n:
                self.counts["calls"]["removed"] += n
        for t in (self.t_rows, self.t_match, self.t_touch, self.t_blocks):
            self.conn.exec_driver_sql(f"DROP TABLE IF EXISTS {t}")
        if self.references is not None:  # what the file added to the reference tables (refs.py), as SQLite checks it
            self.references.check_tables(("units", "unit_aliases", "subcategories"))
        for index in self.dropped:
            index.create(self.conn)
        if self.sqlite:
            self.conn.exec_driver_sql("PRAGMA cache_size = -2000")  # the pooled connection goes back as it was
        if not self.sqlite:
            for table in ("tickets", "units", "ticket_events", "return_visits", "calls"):
                self.conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))")
