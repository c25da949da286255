"""export → import (mapping `hotline`) gives identical tables, in every format; importing again changes nothing."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from typer.testing import CliRunner

from hotline.cli.main import app
from hotline.ingest.export import export
from hotline.store.db import open_engine
from tests.ingest.conftest import load

TABLES = ("return_visits", "ticket_events", "tickets", "calls")


def content(path, month: str | None) -> dict[str, list]:
    """Every row that belongs to the month, with ids replaced by the numbers and names they stand for."""
    con = sqlite3.connect(path)
    w = "1 = 1"
    c = "1 = 1"
    if month:
        lo, hi = f"{month}-01", (f"{month[:5]}{int(month[5:]) + 1:02d}-01" if month[5:] != "12" else f"{int(month[:4]) + 1}-01-01")
        w, c = f"t.accepted_at >= '{lo}' AND t.accepted_at < '{hi}'", f"called_at >= '{lo}' AND called_at < '{hi}'"
    out = {
        "tickets": con.execute(
            "SELECT t.ticket_no, t.platform, t.accepted_at, t.channel, t.appeal_type, s.name, t.region, t.civility, "
            "t.content, t.caller_name, t.caller_phone, t.resolution, u.name, t.state FROM tickets t "
            f"JOIN subcategories s ON s.id = t.subcategory_id LEFT JOIN units u ON u.id = t.unit_id WHERE {w}").fetchall(),
        "events": con.execute(
            "SELECT t.ticket_no, e.kind, e.at, e.actor, u.name, e.from_state, e.to_state, e.due_at, e.note FROM ticket_events e "
            f"JOIN tickets t ON t.id = e.ticket_id LEFT JOIN units u ON u.id = e.unit_id WHERE {w}").fetchall(),
        "visits": con.execute("SELECT t.ticket_no, v.visited_at, v.method, v.result, v.note FROM return_visits v "
                              f"JOIN tickets t ON t.id = v.ticket_id WHERE {w}").fetchall(),
        "calls": con.execute(f"SELECT platform, called_at, answered, wait_seconds, talk_seconds FROM calls WHERE {c}").fetchall(),
        "units": con.execute("SELECT name, unit_group, region, platform, sort_order FROM units").fetchall(),
    }
    con.close()
    return {k: sorted(v, key=repr) for k, v in out.items()}


def emptied_copy(source, target):
    """The same reference data (units, taxonomy, platforms), no tickets, events, visits or calls."""
    shutil.copy(source, target)
    con = sqlite3.connect(target)
    for t in TABLES:
        con.execute(f"DELETE FROM {t}")
    con.commit()
    con.close()
    return f"sqlite:///{target}"


def roundtrip(source, tmp_path, fmt: str, month: str | None):
    out = tmp_path / f"export.{fmt}"
    engine = open_engine(f"sqlite:///{source}")
    written = export(engine, month, fmt, out)
    engine.dispose()
    target = emptied_copy(source, tmp_path / "target.sqlite")
    files = sorted({p for p, _ in written.values()})
    first = load(target, files, "hotline")
    assert all(s.status == "loaded" and not s.rejected for s in first), [s.error for s in first]
    assert content(source, month) == content(target.removeprefix("sqlite:///"), month)
    return target, files, first, written


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "parquet"])
def test_roundtrip_tiny_store(tiny_store, tmp_path, fmt):
    target, files, first, written = roundtrip(tiny_store, tmp_path, fmt, None)
    assert written["tickets"][1] == 7 and written["events"][1] == 13 and written["calls"][1] == 8
    inserted = {t: c.get("inserted", 0) for s in first for t, c in s.counts.items()}
    assert inserted == {"units": 0, "tickets": 7, "ticket_events": 13, "return_visits": 4, "calls": 8}
    again = load(target, files, "hotline")
    for s in again:
        for table, counts in s.counts.items():
            assert set(counts) == {"unchanged"}, (table, counts)


def test_roundtrip_of_a_generated_month_in_a_new_store(seed_store, tmp_path):
    """The backlog months of the demo data (real taxonomy and units), into a store that does not exist yet."""
    out = tmp_path / "2022-06.xlsx"
    r = CliRunner().invoke(app, ["--db", f"sqlite:///{seed_store}", "export", "--month", "2022-06", "--out", str(out)])
    assert r.exit_code == 0, r.output
    new = tmp_path / "new.sqlite"
    r = CliRunner().invoke(app, ["--db", f"sqlite:///{new}", "import", str(out), "--mapping", "hotline", "--quiet",
                                 "--report-dir", str(tmp_path / "imports")])
    assert r.exit_code == 0, r.output
    source = content(seed_store, "2022-06")
    assert f"工单：新增 {len(source['tickets'])}" in r.output and len(source["tickets"]) > 5
    assert source == content(new, "2022-06")


@pytest.mark.slow
def test_roundtrip_of_the_generated_september(seed_store, tmp_path):
    target, files, first, written = roundtrip(seed_store, tmp_path, "parquet", "2022-09")
    assert written["tickets"][1] > 30_000 and written["calls"][1] > 50_000


def test_every_lifecycle_state_is_exported_in_chinese_and_read_back(tiny_store, tmp_path):
    # the export used to know 7 of the 11 states and wrote e.g. `archived` untranslated
    from python_calamine import CalamineWorkbook

    from hotline.domain.codes import STATES, label

    source = tmp_path / "states.sqlite"
    shutil.copy(tiny_store, source)
    wanted = ["pending_dispatch", "return_requested", "extension_requested", "archived", "returned",
              "resolved_online", "visited"]
    con = sqlite3.connect(source)
    for tid, state in enumerate(wanted, start=1):
        con.execute("UPDATE tickets SET state = ? WHERE id = ?", (state, tid))
    con.commit()
    con.close()
    _, files, _, _ = roundtrip(source, tmp_path, "xlsx", None)  # asserts the store read back is the same
    rows = CalamineWorkbook.from_path(str(files[0])).get_sheet_by_name("工单").to_python()
    column = rows[0].index("工单状态")
    written = {r[column] for r in rows[1:]}
    assert written == {label("state", s) for s in wanted}
    assert "已归档" in written and not written & set(STATES)  # words, never codes
