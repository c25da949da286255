"""Bad input gives a clear Chinese + English message, a non-zero exit, no traceback, and nothing half-written."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from hotline.cli.main import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def assert_user_error(result, *needles):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "错误" in result.output and "error" in result.output
    for n in needles:
        assert n in result.output


def test_missing_database(tmp_path):
    r = run("--db", f"sqlite:///{tmp_path / 'none.sqlite'}", "report", "--month", "2022-10", "--out", str(tmp_path))
    assert_user_error(r, "数据库不存在", "none.sqlite")
    assert not list(tmp_path.glob("report-*"))


@pytest.mark.parametrize("month", ["2022-13", "202210", "Oct-2022", "2022-1"])
def test_malformed_month(tiny_store, tmp_path, month):
    r = run("--db", f"sqlite:///{tiny_store}", "report", "--month", month, "--out", str(tmp_path))
    assert_user_error(r, "YYYY-MM", month)
    assert not list(tmp_path.iterdir())


def test_month_before_the_data(tiny_store, tmp_path):
    r = run("--db", f"sqlite:///{tiny_store}", "report", "--month", "2021-01", "--out", str(tmp_path))
    assert_user_error(r, "2021-01", "2022-08", "2022-10")  # the tiny store spans 2022-08 (oldest ticket) to 2022-10
    assert not list(tmp_path.iterdir())


def test_empty_month(tiny_store, tmp_path):
    # the tiny store has calls in September but its only September ticket was accepted... on the 20th, so
    # make a copy whose September tickets are gone: calls without tickets is an empty month
    import sqlite3

    copy = tmp_path / "copy.sqlite"
    shutil.copy(tiny_store, copy)
    with sqlite3.connect(copy) as c:
        c.execute("DELETE FROM return_visits WHERE ticket_id IN (SELECT id FROM tickets WHERE accepted_at < '2022-10-01' AND accepted_at >= '2022-09-01')")
        c.execute("DELETE FROM ticket_events WHERE ticket_id IN (SELECT id FROM tickets WHERE accepted_at < '2022-10-01' AND accepted_at >= '2022-09-01')")
        c.execute("DELETE FROM tickets WHERE accepted_at < '2022-10-01' AND accepted_at >= '2022-09-01'")
    out = tmp_path / "out"
    r = run("--db", f"sqlite:///{copy}", "report", "--month", "2022-09", "--out", str(out))
    assert_user_error(r, "2022-09", "没有受理工单")
    assert not out.exists()


def test_generate_refuses_to_overwrite(tiny_store):
    r = run("--db", f"sqlite:///{tiny_store}", "generate")
    assert_user_error(r, "--force")


def test_bad_overrides_file(tiny_store, tmp_path):
    bad = tmp_path / "edits.yaml"
    bad.write_text("unknown_section: [文字]\n", encoding="utf-8")
    r = run("--db", f"sqlite:///{tiny_store}", "report", "--month", "2022-10", "--out", str(tmp_path / "o"),
            "--overrides", str(bad))
    assert r.exit_code == 2 and "unknown_section" in r.output


def test_report_on_tiny_store_writes_json(tiny_store, tmp_path):
    r = run("--db", f"sqlite:///{tiny_store}", "report", "--month", "2022-10", "--out", str(tmp_path))
    assert r.exit_code == 0, r.output
    data = json.loads((tmp_path / "report-2022-10.json").read_text(encoding="utf-8"))
    assert data["calls"]["calls"] == 4 and data["annex1"]["total"]["valid"] == 2


def test_overrides_replace_drafted_sections(tiny_store, tmp_path):
    edits = tmp_path / "edits.yaml"
    edits.write_text("requirements:\n  - （一）人工撰写的第一条要求。\n  - （二）第二条。\n", encoding="utf-8")
    r = run("--db", f"sqlite:///{tiny_store}", "report", "--month", "2022-10", "--out", str(tmp_path), "--overrides", str(edits))
    assert r.exit_code == 0, r.output
    data = json.loads((tmp_path / "report-2022-10.json").read_text(encoding="utf-8"))
    assert data["requirements"]["paragraphs"] == ["（一）人工撰写的第一条要求。", "（二）第二条。"]
    assert data["requirements"]["source"] == "override"
    assert data["typical_cases"]["source"] == "drafted"


def test_sections_without_inputs_are_marked_missing(tiny_store, tmp_path):
    import sqlite3

    copy = tmp_path / "nocalls.sqlite"
    shutil.copy(tiny_store, copy)
    with sqlite3.connect(copy) as c:
        c.execute("DELETE FROM calls")
    r = run("--db", f"sqlite:///{copy}", "report", "--month", "2022-10", "--out", str(tmp_path))
    assert r.exit_code == 0, r.output
    data = json.loads((tmp_path / "report-2022-10.json").read_text(encoding="utf-8"))
    assert any("来电" in m for m in data["missing"]) and any("县级平台" in m for m in data["missing"])
    assert data["calls"]["answer_rate"] is None
