"""Opening the store: SQLite (WAL) embedded by default, PostgreSQL by URL; schema via Alembic; the same database
through Ibis for the metric engine (`ibis_connect`)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import unquote, urlsplit

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect, text

from hotline.store.schema import metadata

MIGRATIONS = Path(__file__).parent / "migrations"
DEFAULT_URL = "sqlite:///var/hotline.sqlite"


class StoreError(RuntimeError):
    """A store problem worth a clear message to the user (Chinese first, English after)."""


def sqlite_path(url: str) -> Path | None:
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///"))
    return None


def open_engine(url: str, *, create: bool = False, **engine_options) -> Engine:
    """Engine for `url`. With create=False a missing SQLite file is an error, not a silent empty database.

    `engine_options` go to `sqlalchemy.create_engine` (the service sizes its PostgreSQL connection pool)."""
    path = sqlite_path(url)
    if path is not None and not create and not path.exists():
        raise StoreError(f"数据库不存在：{path}（请先运行 hotline generate 或 hotline import）/ database not found: {path}")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, **engine_options)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # WAL: readers never block the writer
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL"):
                try:
                    cur.execute(f"PRAGMA {pragma}")
                except sqlite3.OperationalError:  # "database is locked": a big import holds the store with a
                    pass  # rollback journal (hotline.ingest.fast.session.rollback_journal) and sets WAL back when it
                    # ends; this connection opens anyway (synchronous stays FULL) and reads once it commits
            cur.close()

    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def require_schema(engine: Engine) -> None:
    if "tickets" not in inspect(engine).get_table_names():
        raise StoreError("数据库中没有工单表，请先运行 hotline generate / the database has no tickets table; run hotline generate")


def sync_sequences(engine: Engine) -> None:
    """PostgreSQL: move each serial id sequence past the largest id (rows written with explicit ids)."""
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            pk = list(table.primary_key.columns)
            if len(pk) != 1 or pk[0].name != "id" or pk[0].foreign_keys:
                continue
            seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}).scalar()
            if seq:
                conn.execute(text(f'SELECT setval(:s, COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'),
                             {"s": seq})


def ibis_connect(url: str):
    """An Ibis connection to the store at `url` (SQLite file or PostgreSQL), for the metric engine and the report."""
    import ibis

    path = sqlite_path(url)
    if path is not None:
        return ibis.sqlite.connect(str(path))
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgresql"):
        raise StoreError(f"不支持的数据库 URL：{url} / unsupported database URL")
    return ibis.postgres.connect(host=parts.hostname or "localhost", port=parts.port or 5432,
                                 user=unquote(parts.username or "postgres"),
                                 password=unquote(parts.password) if parts.password else None,
                                 database=parts.path.lstrip("/") or None)
