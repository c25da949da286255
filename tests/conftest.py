"""Shared fixtures: a tiny hand-written store (for pinning metric definitions) and the generated seed month."""

from __future__ import annotations

import os
from datetime import datetime as dt
from pathlib import Path

import ibis
import pytest

from hotline.metrics.parquet import duckdb_over_parquet, export_tables
from hotline.store.db import migrate, open_engine
from hotline.store.load import write_dataset

D = dt


def tiny_tables() -> dict[str, list[dict]]:
    """Seven tickets whose every metric value is worked out by hand in tests/metrics/test_definitions.py."""
    units = [dict(id=1, name="甲单位", unit_group="city_dept", region=None, platform=None, sort_order=0),
             dict(id=2, name="乙区政府", unit_group="region", region="乙区", platform=None, sort_order=1)]
    cats = [dict(id=1, name="大类一", sort_order=0)]
    subs = [dict(id=1, category_id=1, name="小类A", short_name="A", topic="A", civility_theme=None, sort_order=0),
            dict(id=2, category_id=1, name="小类B", short_name="B", topic="B", civility_theme="主题", sort_order=1)]

    def ticket(i, platform, at, appeal, sub, resolution, unit, civility=False):
        return dict(id=i, ticket_no=f"{at:%y%m%d}{i:05d}099", platform=platform, accepted_at=at, channel="phone",
                    appeal_type=appeal, subcategory_id=sub, region="乙区", civility=civility, content="内容",
                    caller_name="王女士", caller_phone="138****0000", resolution=resolution, unit_id=unit, state="x")

    tickets = [
        ticket(1, "city", D(2022, 10, 3, 9), "consult", 1, "online", None),
        ticket(2, "city", D(2022, 10, 4, 9), "complaint", 2, "dispatched", 1, civility=True),
        ticket(3, "city", D(2022, 10, 5, 9), "help", 2, "dispatched", 2),
        ticket(4, "shaoshan", D(2022, 10, 5, 9), "consult", 1, "online", None),
        ticket(5, "city", D(2022, 9, 20, 9), "complaint", 1, "dispatched", 1),
        ticket(6, "city", D(2022, 8, 1, 9), "complaint", 1, "dispatched", 1),
        ticket(7, "city", D(2022, 10, 30, 9), "complaint", 1, "dispatched", 2),
    ]
    ev = []

    def e(tid, kind, at, unit=None, due=None):
        ev.append(dict(id=len(ev) + 1, ticket_id=tid, kind=kind, at=at, actor="x", unit_id=unit, from_state=None,
                       to_state=None, due_at=due, note=None))

    e(2, "dispatch", D(2022, 10, 4, 10), 1, D(2022, 10, 10, 23, 59, 59)); e(2, "contact", D(2022, 10, 8, 9), 1)
    e(2, "feedback", D(2022, 10, 9, 9), 1); e(2, "complete", D(2022, 10, 9, 9, 1), 1)
    e(3, "dispatch", D(2022, 10, 5, 10), 2, D(2022, 10, 12, 23, 59, 59))
    e(3, "feedback", D(2022, 10, 13, 9), 2); e(3, "complete", D(2022, 10, 13, 9, 1), 2)
    e(5, "dispatch", D(2022, 9, 20, 10), 1, D(2022, 9, 23, 23, 59, 59))
    e(5, "feedback", D(2022, 9, 26, 9), 1); e(5, "complete", D(2022, 9, 26, 9, 1), 1)
    e(6, "dispatch", D(2022, 8, 1, 10), 1, D(2022, 8, 8, 23, 59, 59)); e(6, "sign", D(2022, 8, 1, 12), 1)
    e(7, "dispatch", D(2022, 10, 30, 10), 2, D(2022, 11, 4, 23, 59, 59))
    visits = [dict(id=1, ticket_id=2, visited_at=D(2022, 10, 15, 9), method="sms", result="satisfied", note=None),
              dict(id=2, ticket_id=3, visited_at=D(2022, 11, 2, 9), method="sms", result="unrated", note=None),
              dict(id=3, ticket_id=1, visited_at=D(2022, 10, 3, 10), method="sms", result="dissatisfied", note=None),
              dict(id=4, ticket_id=5, visited_at=D(2022, 10, 3, 9), method="phone", result="unrated", note=None)]
    calls = ([dict(platform="city", called_at=D(2022, 10, d, 9), answered=d != 4, wait_seconds=5, talk_seconds=60)
              for d in (1, 2, 3, 4)]
             + [dict(platform="city", called_at=D(2022, 9, d, 9), answered=True, wait_seconds=5, talk_seconds=60)
                for d in (1, 2, 3)]
             + [dict(platform="shaoshan", called_at=D(2022, 10, 9, 9), answered=True, wait_seconds=5, talk_seconds=60)])
    platforms = [dict(code="city", name="市平台", level="city"), dict(code="shaoshan", name="韶山市12345热线", level="county")]
    return dict(platforms=platforms, units=units, categories=cats, subcategories=subs, tickets=tickets,
                ticket_events=ev, return_visits=visits, calls=calls)


@pytest.fixture(scope="session")
def tiny_dataset():
    """`tiny_tables` itself, for tests that extend the tiny data (a fresh copy per call)."""
    return tiny_tables


@pytest.fixture(scope="session")
def tiny_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "tiny.sqlite"
    engine = open_engine(f"sqlite:///{path}", create=True)
    migrate(engine)
    write_dataset(engine, tiny_tables())
    engine.dispose()
    return path


PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_database(name: str):
    """A fresh PostgreSQL database on the local server, or a loud skip when there is no server."""
    from sqlalchemy import create_engine, text

    try:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            c.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server on this machine (a user's laptop): say so, loudly
        pytest.skip(f"SKIPPED LOUDLY: PostgreSQL at 127.0.0.1:5432 is not reachable ({type(exc).__name__}); "
                    "the postgres engine was NOT tested")
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_postgres_database(name: str) -> None:
    """Drop a database `postgres_database` made (its connections closed first)."""
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def tiny_con(request, tiny_store, tmp_path_factory):
    """The same tiny data on each engine: one test body, every backend."""
    con = ibis.sqlite.connect(str(tiny_store))
    if request.param == "duckdb":
        folder = tmp_path_factory.mktemp("tiny_parquet")
        export_tables(con, folder)
        return duckdb_over_parquet(folder)
    if request.param == "postgres":
        name = f"hotline_tiny_test_{os.getpid()}"  # per process: two suites at once must not share it
        url = postgres_database(name)
        engine = open_engine(url, create=True)
        migrate(engine)
        write_dataset(engine, tiny_tables())
        engine.dispose()
        pg = ibis.postgres.connect(host="127.0.0.1", port=5432, user="postgres", database=name)
        request.addfinalizer(lambda: (pg.disconnect(), drop_postgres_database(name)))
        return pg
    return con


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory) -> Path:
    """The generated, seed-calibrated store (about half a minute to build)."""
    from hotline.generator.build import build_dataset

    path = tmp_path_factory.mktemp("seed") / "hotline.sqlite"
    engine = open_engine(f"sqlite:///{path}", create=True)
    migrate(engine)
    write_dataset(engine, build_dataset().tables)
    engine.dispose()
    return path


# ---- stores of the work-order service (tests/service and tests/api) ----------------------------------------
@pytest.fixture(scope="session")
def service_template(tmp_path_factory):
    from hotline.service.devstore import sqlite_template

    return sqlite_template(tmp_path_factory.mktemp("service_template"))


@pytest.fixture(scope="session")
def service_pg_url():
    # one database per test session, named after the process: two suites running at once (two engineers,
    # or CI beside a developer) must not drop each other's database
    import os

    from hotline.service.devstore import drop_postgres, prepare_postgres

    url = postgres_database(f"hotline_service_test_{os.getpid()}")
    prepare_postgres(url)
    yield url
    drop_postgres(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, service_template, tmp_path):
    """A fresh service store per test: a copy of the SQLite template, or the session's PostgreSQL reset."""
    from hotline.service.devstore import clone_sqlite, reset
    from hotline.service.transactions import service_engine

    if request.param == "sqlite":
        return clone_sqlite(service_template, tmp_path / "store.sqlite")
    url = request.getfixturevalue("service_pg_url")
    engine = service_engine(url, upgrade=False)
    reset(engine)
    engine.dispose()
    return url

