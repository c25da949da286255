"""Stores for the service tests: every test body runs on SQLite and on PostgreSQL (one database per session)."""

from __future__ import annotations

import os

from datetime import datetime

import pytest

from hotline.service.clock import SteppingClock
from hotline.service.devstore import clone_sqlite, drop_postgres, prepare_postgres, reset, sqlite_template
from hotline.service.store import service_engine
from hotline.service.workflow import WorkOrderService


@pytest.fixture(scope="session")
def template(tmp_path_factory):
    return sqlite_template(tmp_path_factory.mktemp("service_template"))


@pytest.fixture(scope="session")
def pg_url(postgres_database_factory):
    # one database per test session, named after the process: two suites running at once (two engineers,
    # or CI beside a developer) must not drop each other's database
    url = postgres_database_factory(f"hotline_service_test_{os.getpid()}")
    prepare_postgres(url)
    yield url
    drop_postgres(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, template, tmp_path):
    if request.param == "sqlite":
        return clone_sqlite(template, tmp_path / "store.sqlite")
    url = request.getfixturevalue("pg_url")
    engine = service_engine(url, upgrade=False)
    reset(engine)
    engine.dispose()
    return url


@pytest.fixture
def engine(store_url):
    engine = service_engine(store_url, upgrade=False)
    yield engine
    engine.dispose()


@pytest.fixture
def clock():
    return SteppingClock(datetime(2022, 9, 30, 9, 0))  # the Friday before the 2022 National Day holiday


@pytest.fixture
def svc(engine, clock):
    return WorkOrderService(engine, clock=clock)
