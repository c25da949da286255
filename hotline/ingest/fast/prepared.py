"""New tickets written from parameters laid out in advance, by the process that converted them.

Why: when a big sheet is converted in a second process (hotline.ingest.fast.parallel), this process has nothing left
to do but write — so everything that can be prepared is prepared there: each chunk's new tickets, events and
visits arrive as the parameter tuples of the writer's multi-row INSERTs. Here they are checked (constraints.py)
and executed as they are. Details that each save a measurable share of the write:
- tickets go in without their id: SQLite gives the next ones (max + 1), which are the ids `Writer.tickets` would
  give; events and visits name their ticket as an offset in the chunk (`?1 + ?`, ?1 the first id);
- NULL is laid out as the number 0.5 and read back by `CASE ?n WHEN 0.5 THEN NULL ELSE ?n END` (no value of
  these columns is a number with a fraction), booleans as 0/1: Python's sqlite3 binds a None three times, a
  bool ten times slower than a number. The events' empty columns hold 0.5 from the start (`FastTickets.null`):
  replacing millions of Nones afterwards would cost the converting process what it saves here;
- `INSERT OR FAIL` and no function calls (not `NULLIF`): a multi-row INSERT that may abort half-way makes
  SQLite keep a statement journal, a copy of every page the statement changes (and any function call counts as
  possibly aborting). With an index of ~100 insertion points (tickets by unit) that journal outgrew its 64 KB
  in memory on every statement: 2.7 GB written to a temporary file for a 1M-row file, 5–7 s. FAIL keeps the
  rows a failing statement inserted before the error, which is harmless here: any error fails the whole file
  and its transaction is rolled back;
- instead of a duplicate mark per ticket, one block per chunk keeps the tickets' row numbers; the digest of
  such a ticket, needed only when the file repeats it, is taken from the store, where it is exactly what its
  row gave (`Writer.stored_digest`).
"""

from __future__ import annotations

import struct
from functools import lru_cache
from itertools import chain

from hotline.ingest.derive import EVENT_COLUMNS, TICKET_COLUMNS, VISIT_COLUMNS
from hotline.ingest.fast.bulk import BulkInserts, statement_sizes
from hotline.ingest.write import Writer, select_in

NULL = 0.5
# table: (columns laid out — an offset first, but for tickets —, columns read through the NULL stand-in, columns whose Nones
# `lay_out` replaces, boolean columns)
LAYOUT = {
    "tickets": (TICKET_COLUMNS, ("caller_name", "caller_phone", "unit_id"), ("caller_name", "caller_phone", "unit_id"),
                ("civility",)),
    "ticket_events": (("ticket_id",) + EVENT_COLUMNS, ("unit_id", "from_state", "to_state", "due_at", "note"), (), ()),
    "return_visits": (("ticket_id",) + VISIT_COLUMNS, ("note",), ("note",), ()),
}
_NULLS, _BACK = {None: NULL}, {NULL: None}


def per_statement(table: str, multi_params: int) -> int:
    width = len(LAYOUT[table][0])
    return max(1, (multi_params if table == "tickets" else multi_params - 1) // width)


def lay_out(table: str, rows: list[tuple], per: int) -> list[tuple]:
    """`rows` (tuples of the table's laid-out columns) as the parameters of INSERTs of `per` rows each."""
    columns, _, mapped, booleans = LAYOUT[table]
    width, out = len(columns), []
    nulls, bools = [columns.index(c) for c in mapped], [columns.index(c) for c in booleans]
    i = 0
    for size in statement_sizes(len(rows), per):
        flat = list(chain.from_iterable(rows[i:i + size]))
        i += size
        for j in nulls:
            values = flat[j::width]
            flat[j::width] = map(_NULLS.get, values, values)
        for j in bools:
            flat[j::width] = map(int, flat[j::width])
        out.append(tuple(flat))
    return out


def rows_of(table: str, statements: list[tuple]) -> list[tuple]:
    """`lay_out` undone (booleans stay 0/1: stored, compared and hashed alike)."""
    width = len(LAYOUT[table][0])
    return [tuple(map(_BACK.get, row, row)) for params in statements
            for row in (params[j:j + width] for j in range(0, len(params), width))]


@lru_cache(maxsize=64)  # (a chunk's last statement of each table has a size of its own: built once per size)
def values_clause(columns: tuple, nullable: tuple, rows: int, offset: bool) -> str:
    """`(…), (…)` for `rows` laid-out rows, parameters numbered (a NULL stand-in column reads its own twice);
    with `offset`, ?1 is the chunk's first ticket id and each row's first value an offset from it."""
    out, k = [], 1 + offset
    for _ in range(rows):
        marks = []
        for i, c in enumerate(columns):
            if i == 0 and offset:
                marks.append(f"?1 + ?{k}")
            elif c in nullable:
                marks.append(f"CASE ?{k} WHEN {NULL} THEN NULL ELSE ?{k} END")
            else:
                marks.append(f"?{k}")
            k += 1
        out.append(f"({', '.join(marks)})")
    return ", ".join(out)


class PreparedTickets:
    """Writes laid-out new tickets for a `Writer` whose inserts are `BulkInserts` (SQLite only): made once per
    sheet converted in a second process."""

    def __init__(self, writer: Writer):
        if not isinstance(writer.inserts, BulkInserts):
            raise TypeError("laid-out tickets need the writer's BulkInserts (SQLite)")
        self.writer, self.bulk, self.conn = writer, writer.inserts, writer.conn
        self.t_blocks = f"_imp_blocks_{writer.serial}"  # row numbers of the tickets `add_new` inserted, a block per chunk
        self.conn.exec_driver_sql(f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.t_blocks} (first INTEGER PRIMARY KEY, "
                                  "sheet TEXT, row_nos BLOB)")
        if self.t_blocks not in writer.temporary:
            writer.temporary.append(self.t_blocks)
        writer.unmarked = self.block_marks

    def known(self, nos: list[str]) -> bool:
        """Whether any of these ticket numbers is stored (loaded before, or earlier in this file)."""
        return next(select_in(self.conn, "SELECT 1 FROM tickets WHERE ticket_no IN ({}) LIMIT 1", nos), None) is not None

    def touched_numbers(self) -> list[str]:
        """The numbers of the tickets this file has inserted or updated so far."""
        w = self.writer
        return [no for no, in self.conn.exec_driver_sql(f"SELECT ticket_no FROM tickets WHERE id >= {w.first_ticket} "
                                                        f"OR id IN (SELECT ticket_id FROM {w.t_rows})")]

    def add_new(self, sheet: str, n: int, tickets: list, events: list, visits: list, row_nos: bytes) -> None:
        """Insert `n` tickets known to be new (`known` said none is stored, none repeats) with their events and
        visits: the rows `Writer.tickets` would insert for them, in the same order, and the block of their row
        numbers."""
        w = self.writer
        c = w.counts["tickets"]
        base = w.next_ticket
        w.next_ticket = base + n
        if "inserted" not in c:
            c["inserted"] = 0
        c["inserted"] += n
        last = self._insert_laid_out("tickets", tickets)
        if last != base + n - 1:
            raise RuntimeError(f"ticket ids out of step: {last} after {n} from {base}")
        self._insert_laid_out("ticket_events", events, base)
        self._insert_laid_out("return_visits", visits, base)
        self.conn.exec_driver_sql(f"INSERT INTO {self.t_blocks} VALUES (?, ?, ?)", (base, sheet, row_nos))

    def _insert_laid_out(self, table: str, statements: list, base: int | None = None):
        """Multi-row INSERTs of laid-out parameters; constraints as `BulkInserts.insert`. Returns the last rowid.

        The CHECK constraints are verified here, not in the converting process: this one has time to spare
        while the other converts (and the column sets serve the foreign-key check too)."""
        if not statements:
            return None
        columns, nullable, _, _ = LAYOUT[table]
        width = len(columns)
        sets: dict[int, set] = {}

        def values_of(i: int) -> set:  # a column's values, NULL (the stand-in) left out
            if i not in sets:
                sets[i] = set(chain.from_iterable(p[i::width] for p in statements))
                sets[i].discard(NULL)
            return sets[i]

        bulk = self.bulk
        if bulk.references is not None:
            bulk.references.check(table, columns, lambda i: {base + v for v in values_of(i)}
                                  if i == 0 and base is not None else values_of(i))
        head = f"INSERT OR FAIL INTO {table} ({', '.join(columns)}) VALUES "
        bulk.ignore_checks(bulk.passes_checks(table, columns, values_of))  # (left as set: see there)
        sql, rows, result = None, 0, None
        for params in statements:
            if len(params) != rows * width:
                rows = len(params) // width
                sql = head + values_clause(columns, nullable, rows, base is not None)
            result = self.conn.exec_driver_sql(sql, params if base is None else (base,) + params)
        return result.lastrowid

    def block_marks(self, tids: list[int]) -> dict[int, tuple]:
        """(sheet, row number, None) of tickets inserted by `add_new`."""
        out = {}
        for tid in tids:
            rec = self.conn.exec_driver_sql(f"SELECT first, sheet, row_nos FROM {self.t_blocks} WHERE first <= ? "
                                            "ORDER BY first DESC LIMIT 1", (tid,)).first()
            if rec is not None and 8 * (tid - rec[0]) < len(rec[2]):
                out[tid] = (rec[1], struct.unpack_from("=q", rec[2], 8 * (tid - rec[0]))[0], None)
        return out
