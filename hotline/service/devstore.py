"""Throw-away stores for tests and benchmarks: a migrated SQLite template with the reference registries,
cheap clones of it, a reset for a shared PostgreSQL database, and users with tokens.

Why in the package: the test suite, the schemathesis fuzz run and `benchmarks/service` all need the same
"empty city" (54 units, the taxonomy, no tickets); building it once and copying a file is ~100× faster than
migrating per test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import Engine, delete

from hotline.service.auth import CLI, issue_token
from hotline.service.clock import beijing_now
from hotline.service.context import Principal
from hotline.service.transactions import service_engine, write_tx
from hotline.service.users import add_user, resolve_unit
from hotline.store.db import sync_sequences
from hotline.store.reference import ensure_reference_store
from hotline.store.schema import (
    api_tokens,
    audit_log,
    entered_scores,
    kb_entries,
    return_visits,
    spot_checks,
    test_calls,
    ticket_contacts,
    ticket_events,
    ticket_versions,
    tickets,
    users,
)

MUTABLE = (audit_log, api_tokens, users, ticket_versions, ticket_contacts, return_visits, ticket_events, tickets,
           kb_entries, test_calls, spot_checks, entered_scores)


def sqlite_template(folder: Path) -> Path:
    """A migrated SQLite store holding only the reference registries."""
    path = folder / "template.sqlite"
    if not path.exists():
        engine = service_engine(f"sqlite:///{path}", create=True)
        ensure_reference_store(engine)
        with engine.connect() as conn:  # fold the WAL into the main file so a plain copy is complete
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
    return path


def clone_sqlite(template: Path, dest: Path) -> str:
    shutil.copyfile(template, dest)
    return f"sqlite:///{dest}"


def prepare_postgres(url: str) -> None:
    """Migrate a fresh PostgreSQL database and load the registries."""
    engine = service_engine(url, create=True)
    ensure_reference_store(engine)
    engine.dispose()


def reset(engine: Engine) -> None:
    """Delete everything but the registries (PostgreSQL tests share one database per session)."""
    with engine.begin() as conn:
        for table in MUTABLE:
            conn.execute(delete(table))
    if engine.dialect.name == "postgresql":
        sync_sequences(engine)


def make_user(engine: Engine, username: str, role: str, unit: int | str | None = None,
              display_name: str | None = None) -> tuple[Principal, str]:
    """A user and a fresh token; returns (principal, token)."""
    now = beijing_now()
    with write_tx(engine) as conn:
        uid = add_user(conn, CLI, username=username, role=role, now=now, display_name=display_name, unit=unit)
        token = issue_token(conn, CLI, uid, now, label="test")
    with engine.connect() as conn:
        unit_id = resolve_unit(conn, unit)
    return Principal(username=username, role=role, user_id=uid, unit_id=unit_id, display_name=display_name), token


def drop_postgres(url: str, admin_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/test") -> None:
    """Drop a per-session test database (connections closed by force; PostgreSQL 13+)."""
    from sqlalchemy import create_engine, text

    name = url.rsplit("/", 1)[1]
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
