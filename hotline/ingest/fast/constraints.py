"""The store's constraints checked here, a batch at a time, so that SQLite can skip checking them row by row.

Why: an import inserts millions of rows. For each one SQLite evaluates every CHECK (re-building a lookup table
for `kind IN ('accept', …)` each time) and looks up every foreign key in its parent table — together about
a third of the cost of an inserted row. The same checks on a whole batch in Python cost a few set operations.

- **CHECK constraints** are read from the table's own definition in the store (`check_constraints`). When every
  row of a batch passes, the writer inserts it with `PRAGMA ignore_check_constraints` (off again before anything
  else writes: `BulkInserts.ignore_checks`); otherwise SQLite checks as before, so a bad value fails the file with the same error.
- **Foreign keys**: `PRAGMA foreign_keys` cannot change inside a transaction, so the import switches them off
  for its connection before the file's transaction and back on after it (pipeline). `References` then checks
  every foreign key of every row the writer inserts or updates, read from the store (`foreign_key_list`), and
  refuses a bad batch exactly as SQLite would have: an IntegrityError “FOREIGN KEY constraint failed” before it
  is written, which fails the file. The small reference tables the import may add to (units, aliases,
  subcategories) are checked by SQLite itself at the end of the file (`foreign_key_check`).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from hotline.ingest.write import select_in

_CHECK_IN = re.compile(r"(\w+) IN \(((?:'(?:[^']|'')*'(?:, )?)+)\)")
_CHECK_LENGTH = re.compile(r"length\((\w+)\) = (\d+)")
_CHECK_LENGTH_RANGE = re.compile(r"length\((\w+)\) BETWEEN (\d+) AND (\d+)", re.IGNORECASE)
_QUOTED = re.compile(r"'((?:[^']|'')*)'")


def check_constraints(create_sql: str) -> list[tuple[str, frozenset | None, range | None]] | None:
    """The CHECK constraints of a CREATE TABLE statement as (column, allowed texts, or allowed lengths);
    None if one of them has another form (then SQLite alone evaluates them).

    Reads the forms the schema uses and has used: `col IN ('a', 'b')`, `length(col) BETWEEN 1 AND 64`, and a store
    made before migration 0003, `length(col) = 14`. NULL passes them all, as in SQL (a CHECK that evaluates to NULL
    is satisfied)."""
    out = []
    for expr in _check_expressions(create_sql):
        if m := _CHECK_IN.fullmatch(expr):
            out.append((m.group(1), frozenset(v.replace("''", "'") for v in _QUOTED.findall(m.group(2))), None))
        elif m := _CHECK_LENGTH.fullmatch(expr):
            out.append((m.group(1), None, range(int(m.group(2)), int(m.group(2)) + 1)))
        elif m := _CHECK_LENGTH_RANGE.fullmatch(expr):
            out.append((m.group(1), None, range(int(m.group(2)), int(m.group(3)) + 1)))
        else:
            return None
    return out


def _check_expressions(sql: str) -> list[str]:
    """The text inside each CHECK ( … ), parentheses balanced, quoted strings skipped."""
    out = []
    for m in re.finditer(r"\bCHECK\s*\(", sql, re.IGNORECASE):
        depth, i, quote = 1, m.end(), None
        while i < len(sql) and depth:
            ch = sql[i]
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "'\"":
                quote = ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            i += 1
        out.append(sql[m.end():i - 1].strip())
    return out


def passes_checks(checks: list | None, columns: tuple, values_of: Callable[[int], set]) -> bool:
    """Whether a batch satisfies every constraint of `checks` (False when there are none or one cannot be
    read); `values_of(i)` gives the distinct values of the batch's column i."""
    if not checks:
        return False  # nothing to gain, or a constraint only SQLite can evaluate
    for column, allowed, length in checks:
        if column not in columns:
            return False
        values = values_of(columns.index(column))
        if allowed is not None:
            if not values - allowed <= {None}:
                return False
        else:
            values = values - {None} if None in values else values
            if not (set(map(type, values)) <= {str} and all(n in length for n in set(map(len, values)))):
                return False
    return True


class References:
    """Foreign keys of the rows the writer inserts or updates, checked while SQLite's own are off."""

    def __init__(self, conn: Connection, new_tickets: Callable[[], range]):
        self.conn = conn
        self.new_tickets = new_tickets  # ids of the tickets this file inserted so far: they exist
        self.keys: dict[str, list[tuple[str, str, str]]] = {}
        self.known: dict[tuple[str, str], set] = {}  # keys found in the (small) parent tables

    def of(self, table: str) -> list[tuple[str, str, str]]:
        """(column, parent table, parent column) for each foreign key of `table`."""
        if table not in self.keys:
            keys = []
            for _, seq, parent, column, key, *_ in self.conn.exec_driver_sql(f"PRAGMA foreign_key_list({table})"):
                if seq:
                    raise NotImplementedError(f"{table}: composite foreign key")
                if key is None:  # the parent's primary key
                    key = next(r[1] for r in self.conn.exec_driver_sql(f"PRAGMA table_info({parent})") if r[5])
                keys.append((column, parent, key))
            self.keys[table] = keys
        return self.keys[table]

    def check(self, table: str, columns: tuple, values_of: Callable[[int], set]) -> None:
        """Raise what SQLite would if one of the batch's values has no parent row."""
        for column, parent, key in self.of(table):
            if column in columns:
                values = set(values_of(columns.index(column)))
                values.discard(None)
                if values and not self._exist(parent, key, values):
                    raise _refused(f"INSERT INTO {table}")

    def check_tables(self, tables: tuple[str, ...]) -> None:
        """SQLite's own check of whole (small) tables."""
        for table in tables:
            if self.conn.exec_driver_sql(f"PRAGMA foreign_key_check({table})").first() is not None:
                raise _refused(f"PRAGMA foreign_key_check({table})")

    def _exist(self, parent: str, key: str, values: set) -> bool:
        known = self.known.setdefault((parent, key), set())
        missing = values - known
        if parent == "tickets" and missing:
            new = self.new_tickets()
            missing = {v for v in missing if not (v.__class__ is int and new.start <= v < new.stop)}
        if not missing:
            return True
        found = {v for v, in select_in(self.conn, f"SELECT {key} FROM {parent} WHERE {key} IN ({{}})", list(missing))}
        if parent != "tickets":  # reference tables are small: their keys are remembered (never the tickets)
            known |= found
        return missing <= found


def _refused(statement: str) -> IntegrityError:
    return IntegrityError(statement, None, sqlite3.IntegrityError("FOREIGN KEY constraint failed"))
