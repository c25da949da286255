"""Opening the SQLite store while an import holds it in rollback-journal mode (hotline.ingest.pipeline)."""

from __future__ import annotations

import sqlite3

from hotline.store.db import open_engine


def test_a_connection_opened_while_an_import_holds_the_store_still_opens(tmp_path):
    """Each new connection asks for WAL; while an import holds the store with a rollback journal that request is
    refused ("database is locked"). The connection must still open (it reads once the import commits), and
    WAL is set again by the next connection after it."""
    path = tmp_path / "store.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    assert holder.execute("PRAGMA journal_mode = DELETE").fetchone() == ("delete",)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO t VALUES (1)")
    engine = open_engine(f"sqlite:///{path}", connect_args={"timeout": 0.1})
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # the rest of its setup ran
        holder.execute("COMMIT")
        assert conn.exec_driver_sql("SELECT x FROM t").all() == [(1,)]
    engine.dispose()
    holder.close()
    engine = open_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
