"""Transactions and engines of the work-order service: engines tuned for concurrent writers, read and write
transactions, and `batch` (several statements in one round trip).

(Named for what it holds: the canonical schema and the opening of a store are the package `hotline.store`.)

- SQLite: the driver's implicit transactions are turned off and write transactions start with BEGIN IMMEDIATE,
  so a transition takes the write lock *before* it reads the ticket; two writers queue instead of one failing at
  commit. Inside one process writers first queue on a Python lock: SQLite's own busy handler waits by sleeping
  (1, 2, 5, 10 … 100 ms), which under load turned a 2 ms transaction into a 400 ms p99. Other processes (the CLI,
  a second server) still wait through the busy timeout. Readers use plain BEGIN and, with WAL, never block.
- PostgreSQL: a transition takes the ticket's row lock first (`UPDATE ticket_versions … RETURNING`, see
  workflow.py); generated data is loaded with explicit ids, so the id sequences are moved past the data before
  the service inserts anything. Statements that do not need each other's answers are sent together in one
  round trip (`batch`, psycopg's pipeline mode); they still run one after the other, in order, in the same
  transaction.
The metric engine and the report read the *same* database through Ibis (`hotline.store.db.ibis_connect`).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Executable

from hotline.store.db import migrate, open_engine, sync_sequences

BUSY_TIMEOUT_MS = 30_000
# Connections kept open for the service. FastAPI runs the (sync) routes in a thread pool of 40; with SQLAlchemy's
# default pool of 5 (+10 overflow, closed again on return) every burst above 5 concurrent requests opened and
# closed PostgreSQL connections — a backend fork, cold catalog caches and lost prepared statements each time
# (70 new sessions per 1,000 transactions with 8 clients). Connections are opened lazily, so a CLI command that
# uses one still opens one.
POOL_SIZE, POOL_OVERFLOW = 20, 20


def service_engine(url: str, *, create: bool = False, upgrade: bool = True, pool_size: int = POOL_SIZE) -> Engine:
    """An engine for the service on `url`; with `upgrade` the schema is brought to the newest revision."""
    engine = open_engine(url, create=create, pool_size=pool_size, max_overflow=POOL_OVERFLOW)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _manual_transactions(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (pysqlite's implicit BEGIN is deferred)
            dbapi_conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection):
            immediate = conn.get_execution_options().get("write_lock", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
    if engine.dialect.name == "sqlite":
        WRITE_LOCKS[engine] = threading.Lock()
    if upgrade:
        migrate(engine)
    if engine.dialect.name == "postgresql":
        sync_sequences(engine)
    return engine


WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()


@contextmanager
def write_tx(engine: Engine) -> Iterator[Connection]:
    """A transaction that will write: on SQLite it holds the write lock from its first statement."""
    lock = WRITE_LOCKS.get(engine) or nullcontext()
    with lock, engine.connect() as conn:
        conn.execution_options(write_lock=True)
        with conn.begin():
            yield conn


@contextmanager
def read_tx(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        with conn.begin():
            yield conn


@dataclass
class Outcome:
    """What one statement of a `batch` returned: its rows (as dicts, in order) and its row count — the rows it
    changed, or for a statement that returns rows, how many it returned."""

    rows: list[dict[str, Any]]
    rowcount: int

    def first(self) -> dict[str, Any] | None:
        return self.rows[0] if self.rows else None

    def scalar(self) -> Any:
        return next(iter(self.rows[0].values())) if self.rows else None


def batch(conn: Connection, items: Sequence[tuple[Executable, Mapping[str, Any]]]) -> list[Outcome]:
    """Run statements in order inside `conn`'s transaction and return what each returned.

    On PostgreSQL (psycopg) they travel in one round trip (pipeline mode): the server still runs them one after
    the other, so a statement sees the locks and rows of those before it, but the client stops waiting for each
    answer before sending the next — a transition used to wait seven times; BEGIN, its two batches and COMMIT
    now wait four. It also skips SQLAlchemy's per-execution work (the statements are compiled once, below).
    An error fails the batch with the SQLAlchemy exception `conn.execute` would raise (IntegrityError, …) and
    leaves the transaction to be rolled back. Elsewhere (SQLite: no network, nothing to save) it is a loop over
    `conn.execute`."""
    if _pipelined(conn):
        return _pg_batch(conn, items)
    out = []
    for stmt, params in items:
        res = conn.execute(stmt, params)
        if res.returns_rows:  # counted from the rows, as psycopg does (pysqlite reports 0 for UPDATE … RETURNING)
            rows = [dict(m) for m in res.mappings()]
            out.append(Outcome(rows, len(rows)))
        else:
            out.append(Outcome([], res.rowcount))
    return out


def _pipelined(conn: Connection) -> bool:
    dialect = conn.dialect
    if dialect.name != "postgresql" or dialect.driver != "psycopg":
        return False
    return _pipeline_supported()


_PIPELINE_SUPPORTED: list[bool] = []


def _pipeline_supported() -> bool:
    if not _PIPELINE_SUPPORTED:
        import psycopg

        _PIPELINE_SUPPORTED.append(psycopg.Pipeline.is_supported())
    return _PIPELINE_SUPPORTED[0]


@dataclass
class _Plan:
    sql: str
    processors: Mapping[str, Any]
    escaped: Mapping[str, str]
    compiled: Any
    result_types: list[Any]
    shape: tuple[list[str], list[Any] | None] | None = None  # result column names and processors, on first use


_PLANS: dict[tuple[Any, ...], _Plan] = {}


def _plan(conn: Connection, stmt: Executable, params: Mapping[str, Any]) -> _Plan:
    """The statement compiled as `conn.execute` would compile it (column keys = the parameter names), once."""
    keys = tuple(sorted(params))
    key = (conn.dialect, stmt, keys)  # the dialect itself, not its id: a key must not outlive what it names
    plan = _PLANS.get(key)
    if plan is None:
        compiled = stmt.compile(dialect=conn.dialect, column_keys=list(keys))
        if compiled.positional:
            raise RuntimeError("batch() expects a named paramstyle (psycopg)")
        plan = _Plan(sql=compiled.string, processors=dict(compiled._bind_processors),
                     escaped=dict(compiled.escaped_bind_names or {}), compiled=compiled,
                     result_types=[c[3] for c in getattr(compiled, "_result_columns", ())])
        if len(_PLANS) > 512:  # statements are module-level constants; this only guards against misuse
            _PLANS.clear()
        _PLANS[key] = plan
    return plan


def _bind(plan: _Plan, params: Mapping[str, Any]) -> dict[str, Any]:
    values = plan.compiled.construct_params(params, escape_names=False)
    for name, proc in plan.processors.items():
        if name in values:
            values[name] = proc(values[name])
    if plan.escaped:
        values = {plan.escaped.get(k, k): v for k, v in values.items()}
    return values


def _pg_batch(conn: Connection, items: Sequence[tuple[Executable, Mapping[str, Any]]]) -> list[Outcome]:
    import psycopg

    if not conn.in_transaction():
        conn.begin()  # what conn.execute's autobegin would do: the caller commits or rolls back as usual
    raw = conn.connection.driver_connection
    plans = [_plan(conn, stmt, params) for stmt, params in items]
    cursors = []
    try:
        with raw.pipeline():
            for plan, (_, params) in zip(plans, items):
                cur = raw.cursor()
                cur.execute(plan.sql, _bind(plan, params))
                cursors.append(cur)
        out = []
        for plan, cur in zip(plans, cursors):
            rows: list[dict[str, Any]] = []
            if cur.pgresult is not None and cur.pgresult.nfields:
                if plan.shape is None:  # the same SQL always answers with the same columns: look them up once
                    description = cur.description
                    procs = [t._cached_result_processor(conn.dialect, d.type_code) if t is not None else None
                             for t, d in zip(plan.result_types or [None] * len(description), description)]
                    plan.shape = ([d.name for d in description], procs if any(procs) else None)
                names, procs = plan.shape
                fetched = cur.fetchall()
                if procs:
                    fetched = [tuple(p(v) if p else v for p, v in zip(procs, r)) for r in fetched]
                rows = [dict(zip(names, r)) for r in fetched]
            out.append(Outcome(rows, cur.rowcount))
            cur.close()
        return out
    except psycopg.Error as err:
        if raw.closed or raw.broken:
            conn.invalidate()
        raise DBAPIError.instance("; ".join(p.sql for p in plans), None, err, psycopg.Error,
                                  dialect=conn.dialect) from err
