"""`hotline import` / `hotline export` as a person runs them: messages in Chinese, exit codes, no tracebacks."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from hotline.cli.main import app
from tests.ingest.conftest import HEADER, ROWS, rows, write_csv

runner = CliRunner()


def run(db, *args):
    return runner.invoke(app, ["--db", db, *map(str, args)])


def test_import_says_what_it_did(db, tmp_path):
    path = write_csv(tmp_path / "十月.csv", HEADER, ROWS, encoding="gbk", title="湘潭市12345热线工单明细表")
    r = run(db, "import", path, "--mapping", "platform_12345", "--report-dir", tmp_path / "out")
    assert r.exit_code == 0, r.output
    for text in ("编码 GBK", "表头在第 2 行", "工单：新增 3", "湘潭市雨湖区人民政府→雨湖区人民政府", "分析报告中将缺少"):
        assert text in r.output
    summary = json.loads((tmp_path / "out" / "十月.csv.summary.json").read_text(encoding="utf-8"))
    assert summary["counts"]["tickets"] == {"inserted": 3} and summary["encoding"] == "GBK"
    r = run(db, "import", path, "--mapping", "platform_12345", "--report-dir", tmp_path / "out")
    assert r.exit_code == 0 and "工单：未变 3" in r.output


def test_exit_codes(db, tmp_path):
    bad = [r[:] for r in ROWS]
    bad[0][1] = "不是日期"
    rejects = write_csv(tmp_path / "some-bad.csv", HEADER, bad)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    r = run(db, "import", rejects, "--mapping", "platform_12345", "--report-dir", tmp_path / "out")
    assert r.exit_code == 1 and "拒绝 1 行" in r.output and "some-bad.csv.rejects.xlsx" in r.output
    r = run(db, "import", empty, rejects, "--mapping", "platform_12345", "--report-dir", tmp_path / "out")
    assert r.exit_code == 2 and "empty.csv：导入失败，数据库未改动。文件为空" in r.output
    assert "1/2 个文件导入成功" in r.output and "Traceback" not in r.output
    r = run(db, "import", rejects, "--mapping", "no_such_vendor")
    assert r.exit_code == 2 and "没有名为 no_such_vendor 的内置映射" in r.output


def test_rejects_as_csv(db, tmp_path):
    bad = [r[:] for r in ROWS]
    bad[2][5] = "不存在的小类"
    r = run(db, "import", write_csv(tmp_path / "x.csv", HEADER, bad), "--mapping", "platform_12345",
            "--report-dir", tmp_path / "out", "--rejects-format", "csv")
    assert r.exit_code == 1
    text = (tmp_path / "out" / "x.csv.被拒绝-x.csv").read_text(encoding="utf-8-sig")
    assert "不存在的小类" in text and "不在分类体系中" in text and text.splitlines()[0].startswith("事件编号,受理时间")


def test_export_errors(db, tmp_path):
    assert "数据库不存在" in run(f"sqlite:///{tmp_path / 'none.sqlite'}", "export", "--out", tmp_path / "x.xlsx").output
    r = run(db, "export", "--month", "2022-13", "--out", tmp_path / "x.xlsx")
    assert r.exit_code == 2 and "YYYY-MM" in r.output
    r = run(db, "export", "--out", tmp_path / "x.docx")
    assert r.exit_code == 2 and "不支持的导出格式" in r.output
    assert not list(tmp_path.glob("x.*"))


def test_export_then_import_by_cli(db, tmp_path):
    run(db, "import", write_csv(tmp_path / "a.csv", HEADER, ROWS), "--mapping", "platform_12345", "--quiet",
        "--report-dir", tmp_path / "out")
    r = run(db, "export", "--month", "2022-10", "--format", "csv", "--out", tmp_path / "exp" / "十月.csv")
    assert r.exit_code == 0 and "工单：3 行" in r.output
    files = sorted((tmp_path / "exp").glob("*.csv"))
    assert [f.name for f in files] == ["十月-回访.csv", "十月-承办单位.csv", "十月-来电.csv", "十月-流转记录.csv", "十月.csv"]
    new = f"sqlite:///{tmp_path / 'new.sqlite'}"
    r = run(new, "import", *files, "--mapping", "hotline", "--quiet", "--report-dir", tmp_path / "out")
    assert r.exit_code == 0, r.output
    assert rows(new, "SELECT count(*) FROM ticket_events") == rows(db, "SELECT count(*) FROM ticket_events")
