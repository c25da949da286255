"""The same import on PostgreSQL (driver placeholders, sequences, temporary tables that drop at commit)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from hotline.generator.vendor_export import write_csv
from hotline.ingest.mapping import load_mapping
from hotline.ingest.pipeline import ImportOptions, import_files
from hotline.store.db import migrate, open_engine
from tests.conftest import drop_postgres_database, postgres_database

pytestmark = pytest.mark.postgres


def test_import_twice_on_postgres(tmp_path):
    name = f"hotline_ingest_test_{os.getpid()}"
    url = postgres_database(name)
    engine = open_engine(url, create=True)
    migrate(engine)
    path = write_csv(tmp_path / "工单.csv", 1500)
    options = ImportOptions(load_mapping("platform_12345"), out_dir=tmp_path / "imports")
    first, = import_files(engine, [path], options)
    assert first.status == "loaded", first.error
    assert first.counts["tickets"] == {"inserted": 1500}
    again, = import_files(engine, [path], options)
    assert again.counts["tickets"] == {"unchanged": 1500}
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM tickets")).scalar() == 1500
        events = c.execute(text("SELECT count(*) FROM ticket_events")).scalar()
        # sequences follow the explicit ids: a later plain insert gets a fresh id
        nxt = c.execute(text("SELECT nextval(pg_get_serial_sequence('tickets', 'id'))")).scalar()
        assert nxt == 1501 and events > 3000
    engine.dispose()
    drop_postgres_database(name)
