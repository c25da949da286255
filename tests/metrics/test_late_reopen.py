"""超期办结 for reopened tickets (重办): each completion is judged against the deadline in force when it happened.

Hand-worked cases (dispatch deadline 10-10 23:59:59; the reopen on 10-15 sets a new deadline 10-20 23:59:59):
  11  completed 10-09 (on time), reopened, completed again 10-25 (after the new deadline)  → late
  12  completed 10-12 (late),    reopened, completed again 10-18 (in time)                 → late
  13  completed 10-09 (on time), reopened, completed again 10-18 (in time)                 → on time
  14  no reopen; extension to 10-12 approved, completed 10-11                             → on time
  15  no reopen; completed 10-11                                                           → late
The same body runs on SQLite and PostgreSQL-free DuckDB twice: deriving from the events, and reading the
facts persisted beside the Parquet export.
"""

from __future__ import annotations

from datetime import datetime as D

import ibis
import pytest

from hotline.metrics.parquet import duckdb_over_parquet, export_tables, facts_current
from hotline.metrics.sources import Sources
from hotline.store.db import migrate, open_engine
from hotline.store.load import write_dataset

DUE1, DUE2 = D(2022, 10, 10, 23, 59, 59), D(2022, 10, 20, 23, 59, 59)
EXPECTED_LATE = {11: True, 12: True, 13: False, 14: False, 15: True}


def reopen_tables(tiny_tables) -> dict:
    tables = tiny_tables()
    base = tables["tickets"][1]
    ev = tables["ticket_events"]

    def e(tid, kind, at, due=None):
        ev.append(dict(id=len(ev) + 1, ticket_id=tid, kind=kind, at=at, actor="x", unit_id=1, from_state=None,
                       to_state=None, due_at=due, note=None))

    for tid, first, second in ((11, D(2022, 10, 9, 9), D(2022, 10, 25, 9)), (12, D(2022, 10, 12, 9), D(2022, 10, 18, 9)),
                               (13, D(2022, 10, 9, 9), D(2022, 10, 18, 9))):
        e(tid, "dispatch", D(2022, 10, 4, 10), DUE1)
        e(tid, "feedback", first)
        e(tid, "complete", first)
        e(tid, "visit", D(2022, 10, 14, 9))
        e(tid, "reopen", D(2022, 10, 15, 9), DUE2)
        e(tid, "feedback", second)
        e(tid, "complete", second)
    e(14, "dispatch", D(2022, 10, 4, 10), DUE1)
    e(14, "extension_approved", D(2022, 10, 9, 9), D(2022, 10, 12, 23, 59, 59))
    e(14, "complete", D(2022, 10, 11, 9))
    e(15, "dispatch", D(2022, 10, 4, 10), DUE1)
    e(15, "complete", D(2022, 10, 11, 9))
    for tid in EXPECTED_LATE:
        tables["tickets"].append(dict(base, id=tid, ticket_no=f"2210040{tid:04d}099", civility=False))
    return tables


@pytest.fixture(scope="module")
def reopen_store(tmp_path_factory, tiny_dataset):
    path = tmp_path_factory.mktemp("reopen") / "reopen.sqlite"
    engine = open_engine(f"sqlite:///{path}", create=True)
    migrate(engine)
    write_dataset(engine, reopen_tables(tiny_dataset))
    engine.dispose()
    return path


@pytest.mark.parametrize("engine", ["sqlite", "duckdb-derived", "duckdb-persisted"])
def test_late_judged_per_completion(engine, reopen_store, tmp_path):
    con = ibis.sqlite.connect(str(reopen_store))
    if engine != "sqlite":
        export_tables(con, tmp_path, facts=engine == "duckdb-persisted")
        assert facts_current(tmp_path) is (True if engine == "duckdb-persisted" else None)
        con = duckdb_over_parquet(tmp_path)
    sources = Sources(con, window=(D(2022, 9, 1), D(2022, 11, 1)))
    assert sources.persisted_facts is (engine == "duckdb-persisted")
    t = sources["tickets"]
    got = dict(t.filter(t.ticket_id.isin(list(EXPECTED_LATE))).select("ticket_id", "late").execute()
               .itertuples(index=False, name=None))
    assert got == EXPECTED_LATE


def test_stale_facts_are_ignored(reopen_store, tmp_path, capsys):
    """Facts persisted for an older event file are not used: the report derives from the events and says so."""
    con = ibis.sqlite.connect(str(reopen_store))
    export_tables(con, tmp_path)
    older = tmp_path / "older.parquet"
    (tmp_path / "ticket_facts.parquet").rename(older)
    # the events change (a ticket gets one more event) after the facts were written
    events = con.table("ticket_events").execute()
    extra = events.iloc[[-1]].assign(id=events.id.max() + 1, kind="reminder", due_at=None)
    import pandas as pd
    pd.concat([events, extra]).to_parquet(tmp_path / "ticket_events.parquet", index=False)
    older.rename(tmp_path / "ticket_facts.parquet")
    assert facts_current(tmp_path) is False
    duck = duckdb_over_parquet(tmp_path)
    assert "不一致" in capsys.readouterr().err
    assert Sources(duck, window=(D(2022, 9, 1), D(2022, 11, 1))).persisted_facts is False
