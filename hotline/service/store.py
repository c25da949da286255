"""The service's view of the store: engines tuned for concurrent writers, write transactions, Ibis connections.

- SQLite: the driver's implicit transactions are turned off and write transactions start with BEGIN IMMEDIATE,
  so a transition takes the write lock *before* it reads the ticket; two writers queue instead of one failing at
  commit. Inside one process writers first queue on a Python lock: SQLite's own busy handler waits by sleeping
  (1, 2, 5, 10 … 100 ms), which under load turned a 2 ms transaction into a 400 ms p99. Other processes (the CLI,
  a second server) still wait through the busy timeout. Readers use plain BEGIN and, with WAL, never block.
- PostgreSQL: write transactions read the ticket with SELECT … FOR UPDATE; generated data is loaded with
  explicit ids, so the id sequences are moved past the data before the service inserts anything.
The metric engine and the report read the *same* database through Ibis (`ibis_connection`).
"""

from __future__ import annotations

from collections.abc import Iterator
import threading
import weakref
from contextlib import contextmanager, nullcontext
from urllib.parse import unquote, urlsplit

from sqlalchemy import Connection, Engine, event, text

from hotline.store.db import migrate, open_engine, sqlite_path
from hotline.store.schema import metadata

BUSY_TIMEOUT_MS = 30_000


def service_engine(url: str, *, create: bool = False, upgrade: bool = True) -> Engine:
    """An engine for the service on `url`; with `upgrade` the schema is brought to the newest revision."""
    engine = open_engine(url, create=create)
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


def sync_sequences(engine: Engine) -> None:
    """PostgreSQL: move each serial id sequence past the largest id (data loaded with explicit ids)."""
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            pk = list(table.primary_key.columns)
            if len(pk) != 1 or pk[0].name != "id" or pk[0].foreign_keys:
                continue
            seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}).scalar()
            if seq:
                conn.execute(text(f'SELECT setval(:s, COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'),
                             {"s": seq})


def ibis_connection(url: str):
    """An Ibis connection to the same database, for MetricEngine and ReportBuilder."""
    import ibis

    path = sqlite_path(url)
    if path is not None:
        return ibis.sqlite.connect(str(path))
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgresql"):
        raise ValueError(f"不支持的数据库 URL：{url} / unsupported database URL")
    return ibis.postgres.connect(host=parts.hostname or "localhost", port=parts.port or 5432,
                                 user=unquote(parts.username or "postgres"),
                                 password=unquote(parts.password) if parts.password else None,
                                 database=parts.path.lstrip("/") or None)


__all__ = ["service_engine", "write_tx", "read_tx", "sync_sequences", "ibis_connection", "migrate"]
