"""`hotline score`: the ranking of 附件2 on the command line, the namespaced input names in --explain, and an old
input name refused with its new one."""

import pytest
import yaml
from typer.testing import CliRunner

from hotline.cli.main import app

pytestmark = pytest.mark.slow
runner = CliRunner()


def test_explain_names_the_province_figures(seed_store):
    r = runner.invoke(app, ["--db", f"sqlite:///{seed_store}", "score", "--month", "2022-10", "--explain"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    # 附件2 of the seed: 韶山市 92.58, 湘乡市 90.71, 湘潭县 85.62
    assert [line.split()[:3] for line in lines if line[:1].isdigit()] == [
        ["1", "韶山市", "92.58"], ["2", "湘乡市", "90.71"], ["3", "湘潭县", "85.62"]]
    assert "按时办结率（10 分，输入 province.on_time_rate）：10 × 100.00% = 10.00" in r.output
    assert "数据准确度（30 分，输入 entered.data_accuracy）：录入 30 分" in r.output
    assert "输入 on_time_rate" not in r.output


def test_a_scheme_with_an_old_input_name_is_refused(seed_store, tmp_path):
    doc = {"name": "旧方案", "subject": "county", "parts": [{"key": "p", "label": "五率", "weight": 100, "indicators": [
        {"key": "t", "label": "按时办结率", "points": 100, "input": "on_time_rate", "rule": {"kind": "proportional"}}]}]}
    path = tmp_path / "old.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    r = runner.invoke(app, ["--db", f"sqlite:///{seed_store}", "score", "--month", "2022-10", "--scheme", str(path)])
    assert r.exit_code != 0
    assert "'on_time_rate' 已更名为 'province.on_time_rate'" in r.output
