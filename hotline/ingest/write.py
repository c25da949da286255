"""Idempotent loading of converted rows, inside the one transaction of a file (the reference way to write).

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
- **How rows reach a table is not decided here**: `Writer` hands every batch to its `inserts`. The reference
  `PlainInserts` is one parameter set per row, with the database checking every constraint; on SQLite the
  pipeline may give it the fast wing's `BulkInserts` instead (hotline.ingest.fast.bulk: many rows per INSERT,
  constraints checked a batch at a time), which writes the same rows. SQLite gets timestamps in exactly the
  text form SQLAlchemy writes, so rows loaded here compare equal to rows written elsewhere.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from typing import Protocol

from sqlalchemy import Connection, text

from hotline.ingest.convert import Row
from hotline.ingest.derive import (
    CALL_COLUMNS,
    EVENT_COLUMNS,
    TICKET_COLUMNS,
    VISIT_COLUMNS,
    TicketShape,
)

BATCH = 900  # parameters per IN (...) list: below every driver's limit
_names = itertools.count()

# Binding None: Python's sqlite3 looks None up in its adapter registry, finds nothing, then asks the protocol
# object for `__adapt__` — an AttributeError created and discarded for every NULL parameter, 40 % of the cost
# of an event row (four of its eight values are usually NULL). An adapter that returns None (the builtin
# `{}.get`, no Python frame) ends the lookup at the first step; None is then bound as NULL exactly as before.
sqlite3.adapters.setdefault((type(None), sqlite3.PrepareProtocol), {}.get)


def padded(values: list) -> list:
    """An IN (…) list lengthened to one of a few sizes by repeating its last value (same result). Why: Python's
    sqlite3 keeps the last 128 statements it prepared, and a statement for every odd length made memory grow
    with the file."""
    n = len(values)
    size = BATCH if n > BATCH // 2 else 1 << (n - 1).bit_length()
    return values + [values[-1]] * (size - n)


def select_in(conn: Connection, sql: str, values: list, ph: str = "?") -> Iterator:
    """The rows of `sql` (containing `IN ({})`) over `values`, a batch at a time (of the few sizes `padded`
    gives), lazily: a caller that needs only the first row stops the batches there."""
    for i in range(0, len(values), BATCH):
        part = padded(values[i:i + BATCH])
        # fetched whole before yielding: no statement is left open when the caller stops early
        yield from conn.exec_driver_sql(sql.format(", ".join([ph] * len(part))), tuple(part)).fetchall()


class Counts(Counter):
    """inserted / updated / unchanged / skipped / rejected / removed per table."""


class Inserts(Protocol):
    """How the writer's batches reach their tables."""

    def insert(self, table: str, columns: tuple, rows: list) -> None: ...

    def check(self, table: str, columns: tuple, rows: list) -> None:
        """`rows` (of `columns`) are about to be written other than by `insert` (an UPDATE; a unit added by a
        statement of its own): a chance to check them first."""

    def finish(self) -> None:
        """The file's rows are all written (still inside its transaction)."""


class PlainInserts:
    """The reference way: one parameter set per row (`executemany`); the database checks every constraint."""

    def __init__(self, writer: Writer):
        self.writer = writer

    def insert(self, table: str, columns: tuple, rows: list) -> None:
        self.writer.many(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)

    def check(self, table: str, columns: tuple, rows: list) -> None:
        pass

    def finish(self) -> None:
        pass


class Writer:
    def __init__(self, conn: Connection, inserts: Callable[[Writer], Inserts] = PlainInserts):
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self.ph = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        self.counts: dict[str, Counts] = defaultdict(Counts)
        self.serial = n = next(_names)  # names this file's temporary tables
        self.t_rows, self.t_match, self.t_touch = f"_imp_rows_{n}", f"_imp_match_{n}", f"_imp_touch_{n}"
        self.temporary = [self.t_rows, self.t_match, self.t_touch]  # dropped at the end of the file
        suffix = "" if self.sqlite else " ON COMMIT DROP"
        conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {self.t_rows} (ticket_id INTEGER PRIMARY KEY, sheet TEXT, "
                             f"row_no INTEGER, digest BIGINT){suffix}")
        conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {self.t_match} (tbl TEXT, id INTEGER, PRIMARY KEY (tbl, id)){suffix}")
        conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {self.t_touch} (tbl TEXT, ticket_id INTEGER, "
                             f"PRIMARY KEY (tbl, ticket_id)){suffix}")
        self.next_ticket = self._scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM tickets")
        self.first_ticket = self.next_ticket  # tickets from here on are this file's
        self.first = {t: self._scalar(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {t}")
                      for t in ("ticket_events", "return_visits", "calls")}
        self.call_span: dict[str, list] = {}
        # (sheet, row number, None) of tickets of this file that were inserted without a row mark: set by whoever
        # inserts them so (the fast wing's `PreparedTickets`, a block of row numbers per chunk)
        self.unmarked: Callable[[list[int]], dict[int, tuple]] | None = None
        self.inserts = inserts(self)

    # ---- small helpers ------------------------------------------------------------------------------------
    def _scalar(self, sql: str):
        return self.conn.exec_driver_sql(sql).scalar()

    def dbtime(self, value):
        """A timestamp as this database stores it: SQLite gets SQLAlchemy's text form, others the datetime."""
        return value.isoformat(" ", "microseconds") if self.sqlite else value

    def many(self, sql: str, rows: list) -> None:
        if rows:
            self.conn.exec_driver_sql(sql.replace("?", self.ph), rows)

    def _select_in(self, sql: str, values: list) -> list:
        """Run `sql` (containing `IN ({})`) over `values` in batches (of a few sizes: `padded`)."""
        return list(select_in(self.conn, sql, values, self.ph))

    def _insert(self, table: str, columns: tuple, rows: list) -> None:
        if rows:
            self.inserts.insert(table, columns, rows)

    def stored_digest(self, tid: int) -> int:
        """The digest `tickets` gives a row, of a ticket as stored (booleans come back as 0/1: equal, same hash).
        Only for tickets whose events and visits all came from their row (inserted by this file)."""
        one = self.conn.exec_driver_sql(f"SELECT {', '.join(TICKET_COLUMNS)} FROM tickets WHERE id = ?", (tid,)).first()
        events = self.conn.exec_driver_sql(f"SELECT {', '.join(EVENT_COLUMNS)} FROM ticket_events WHERE ticket_id = ? "
                                           "ORDER BY id", (tid,)).fetchall()
        visits = self.conn.exec_driver_sql(f"SELECT {', '.join(VISIT_COLUMNS)} FROM return_visits WHERE ticket_id = ? "
                                           "ORDER BY id", (tid,)).fetchall()
        return hash((tuple(one), tuple(map(tuple, events)), tuple(map(tuple, visits))))

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
        if late and self.unmarked is not None:
            seen.update(self.unmarked(late))
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
                if first_digest is None:  # inserted without a mark: as stored, it is exactly what its row gave
                    first_digest = self.stored_digest(hit[0])
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
        if updates:
            self.inserts.check("tickets", TICKET_COLUMNS[1:] + ("id",), updates)
        self.many(f"UPDATE tickets SET {sets} WHERE id = ?", updates)
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
            self.many(f"DELETE FROM {table} WHERE id = ?", deletes)
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
        self.many(f"INSERT INTO {self.t_touch} (tbl, ticket_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
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
            self.inserts.check("units", ("platform",), [(platform,)])
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
        for t in self.temporary:
            self.conn.exec_driver_sql(f"DROP TABLE IF EXISTS {t}")
        self.inserts.finish()
        if not self.sqlite:
            for table in ("tickets", "units", "ticket_events", "return_visits", "calls"):
                self.conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))")
