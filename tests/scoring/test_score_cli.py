"""`hotline score`: the ranking of 附件2 on the command line, the namespaced input names and each rule as written in
--explain, an old input name refused with its new one; `hotline score enter` (one score, a records file) and
`hotline score entered`."""

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from hotline.cli.main import app

pytestmark = pytest.mark.slow
runner = CliRunner()
SCHEMES = Path(__file__).parent / "schemes"


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


@pytest.fixture
def store(seed_store, tmp_path):
    import shutil

    copy = tmp_path / "s.sqlite"
    shutil.copy(seed_store, copy)
    return f"sqlite:///{copy}"


def test_explain_prints_each_rule_as_written(seed_store):
    r = runner.invoke(app, ["--db", f"sqlite:///{seed_store}", "score", "--month", "2022-10", "--explain"])
    lines = r.output.splitlines()
    at = lines.index("        接通率（20 分，输入 province.answer_rate）：20 − 0.2 × (95 − 94.61) = 19.92")
    assert lines[at + 1] == "          规则：达标扣分（target_deduction）：95% 及以上得满分，每低 1 个百分点扣 0.2 分"
    unit = runner.invoke(app, ["--db", f"sqlite:///{seed_store}", "score", "--month", "2022-10", "--subject", "unit",
                               "--explain", "--scheme", str(SCHEMES / "lianyungang_unit.yaml")])
    assert unit.exit_code == 0, unit.output
    assert "规则：按比例（proportional）：得分 = 20 × 比率；80% 及以下得 0 分" in unit.output
    assert "规则：录入（entered）：由热线办录入得分（0–10 分），未录入按 10 分" in unit.output


def test_enter_one_score_then_score_with_it(store):
    r = runner.invoke(app, ["--db", store, "score", "enter", "--month", "2022-10", "--subject", "unit", "--name",
                            "市公安局", "--input", "entered.data_quality", "--value", "8.5", "--note", "数据项缺失"])
    assert r.exit_code == 0, r.output
    assert r.output.strip() == "已录入 2022-10 市公安局 entered.data_quality = 8.5 分（新录入）"
    scored = runner.invoke(app, ["--db", store, "score", "--month", "2022-10", "--subject", "unit", "--explain"])
    police = scored.output[scored.output.index("市公安局"):]
    assert "数据质量（10 分，输入 entered.data_quality）：录入 8.5 分" in police.split("\n红榜")[0]
    listed = runner.invoke(app, ["--db", store, "score", "entered", "--month", "2022-10", "--subject", "unit"])
    assert listed.output.startswith("2022-10  市公安局") and "（数据项缺失）" in listed.output


def test_a_records_file_scores_a_150_point_table(store, tmp_path):
    records = tmp_path / "data_quality.csv"   # 数据质量 as the province fed it back (values of its 2020 notice)
    records.write_text("month,subject,name,input,score,note\n"
                       "2022-10,county,韶山市,entered.data_quality,29.45,省平台反馈\n"
                       "2022-10,county,湘乡市,entered.data_quality,29.68,\n"
                       "2022-10,county,xiangtan_county,entered.data_quality,29.48,\n", encoding="utf-8")
    scheme = str(SCHEMES / "lianyungang_county.yaml")
    r = runner.invoke(app, ["--db", store, "score", "enter", "--file", str(records), "--scheme", scheme])
    assert r.exit_code == 0, r.output
    assert "已录入 2022-10 湘潭县 entered.data_quality = 29.48 分（新录入）" in r.output and "共 3 条" in r.output
    scored = runner.invoke(app, ["--db", store, "score", "--month", "2022-10", "--scheme", scheme])
    assert scored.exit_code == 0, scored.output
    assert scored.output.startswith("连云港市12345在线平台绩效考评（各县、赣榆区）（2022-10，满分 150 分）")
    # 韶山市 by hand (test_entered_inputs.py): 94.30 + 29.45 + 20 = 143.75
    assert any(line.split()[1:3] == ["韶山市", "143.75"] for line in scored.output.splitlines())


def test_a_records_file_with_a_bad_row_records_nothing(store, tmp_path):
    import sqlite3

    records = tmp_path / "scores.csv"
    records.write_text("month,subject,name,input,score\n"
                       "2022-10,unit,市公安局,entered.data_quality,8\n"
                       "2022-10,unit,市公安局局,entered.data_quality,8\n", encoding="utf-8")
    r = runner.invoke(app, ["--db", store, "score", "enter", "--file", str(records)])
    assert r.exit_code == 2
    assert f"{records}: 第 3 行 name：承办单位不存在：市公安局局（未录入任何一条）" in r.output
    with sqlite3.connect(store.removeprefix("sqlite:///")) as c:
        assert c.execute("SELECT count(*) FROM entered_scores WHERE unit_id IS NOT NULL").fetchone() == (0,)
