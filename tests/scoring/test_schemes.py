"""Schemes as data: validation errors name the file and key; the docs' example works; 附件2 is reproduced."""

import re
from pathlib import Path

import ibis
import pytest
import yaml

from hotline.metrics.engine import MetricEngine
from hotline.scoring.engine import rank, red_black
from hotline.scoring.inputs import county_inputs, unit_inputs
from hotline.scoring.names import is_entered, known_inputs
from hotline.scoring.scheme import SchemeError, builtin_scheme, load_scheme, parse_scheme

DOCS = Path(__file__).parents[2] / "docs" / "scoring.md"


def base_doc():
    return yaml.safe_load((Path(__file__).parents[2] / "hotline/data/schemes/county_monthly.yaml").read_text("utf-8"))


def test_builtin_schemes_load():
    for name, subject in (("county_monthly", "county"), ("unit_monthly", "unit")):
        scheme = builtin_scheme(name)
        assert scheme.subject == subject
        assert {i for i in scheme.inputs() if not is_entered(i)} <= known_inputs(subject)


@pytest.mark.parametrize("mutate,msg", [
    (lambda d: d["parts"][0].update(weight=20), "权重合计 110"),
    (lambda d: d["parts"][1]["indicators"][0].update(input="no_such_rate"), "parts[1].indicators[0].input"),
    (lambda d: d["parts"][1]["indicators"][0]["rule"].update(kind="magic"), "parts[1].indicators[0].rule"),
    (lambda d: d["parts"][1]["indicators"][0].update(points=25), "合计 105"),
    (lambda d: d["parts"][1]["indicators"][0]["rule"].pop("target"), "target"),
    (lambda d: d.update(subject="street"), "scheme.subject"),
    # a county's inputs are not a unit's: the first unknown one is named (entered.* names are any subject's)
    (lambda d: d.update(subject="unit"), "parts[1].indicators[0].input = 'province.answer_rate' 不是已知指标"),
])
def test_bad_scheme_named_precisely(tmp_path, mutate, msg):
    doc = base_doc()
    mutate(doc)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SchemeError) as exc:
        load_scheme(path)
    assert str(path) in str(exc.value) and msg in str(exc.value)


def test_scheme_written_from_the_docs_works(seed_store):
    block = re.search(r"## Example: a scheme written from this page\n\n```yaml\n(.*?)```", DOCS.read_text("utf-8"), re.S)
    scheme = parse_scheme(yaml.safe_load(block.group(1)), "docs example")
    engine = MetricEngine(ibis.sqlite.connect(str(seed_store)))
    inputs = unit_inputs(engine, "2022-10", scheme.ranking["min_volume"])
    ranked = rank(scheme, inputs)
    assert len(ranked) == len(inputs) > 30
    top = ranked[0]
    # recompute the top unit's score by hand from its inputs
    i = inputs[top.subject]
    sat = i["satisfaction_rate"]
    sat_pts = 0 if sat < 80 else 40 if sat < 90 else 60 if sat < 95 else 70
    contact = 0 if i["contact_rate"] < 70 else min(30, i["contact_rate"] - 70)
    on_time = max(20, 50 - 2 * max(0, 98 - i["on_time_rate"]))
    expect = round(round(50 * i["sign_on_time_rate"] / 100 + on_time, 2) * 0.4, 2) + round(round(sat_pts + contact, 2) * 0.6, 2)
    assert top.total == pytest.approx(expect, abs=0.011)
    red, black = red_black(ranked, 3)
    assert len(red) == len(black) == 3 and red[0].total >= black[0].total


def test_every_scheme_in_the_docs_loads():
    blocks = re.findall(r"```yaml\n(.*?)```", DOCS.read_text("utf-8"), re.S)
    schemes = [parse_scheme(yaml.safe_load(b), f"docs/scoring.md yaml block {i}") for i, b in enumerate(blocks)]
    assert [s.total for s in schemes] == [100, 150]


def test_the_150_point_example_of_the_docs():
    block = re.search(r"## Example: a table out of 150, by points\n.*?```yaml\n(.*?)```", DOCS.read_text("utf-8"), re.S)
    scheme = parse_scheme(yaml.safe_load(block.group(1)), "docs 150")
    assert [p.full for p in scheme.parts] == [100, 30, 20]
    (s,) = rank(scheme, {"县": {"province.on_time_rate": 96.0, "province.satisfaction_rate": 80.0,
                               "entered.data_quality": 28.5, "test_calls.voice_navigation": [10, 10],
                               "test_calls.connection": [10, 0]}})
    # by hand: 工单办理 (96 − 50 = 46) + 0 (80% 及以下) + 10 (答复规范 default) = 56; 数据质量 28.5; 拨测 10 + 5 = 15
    assert [p.weighted for p in s.parts] == [56.0, 28.5, 15.0] and s.total == 99.5


def test_annex2_reproduced_exactly(seed_store):
    engine = MetricEngine(ibis.sqlite.connect(str(seed_store)))
    scheme = builtin_scheme("county_monthly")
    inputs = county_inputs(engine, "2022-10")
    ranked = rank(scheme, inputs)
    # 附件2, typed from the seed: rank, county, 总分, 交办 折合, 五率一度 折合, 拨测 折合, and every item score
    assert [(s.rank, s.subject, s.total) for s in ranked] == [(1, "韶山市", 92.58), (2, "湘乡市", 90.71), (3, "湘潭县", 85.62)]
    assert [[p.weighted for p in s.parts] for s in ranked] == [[9.89, 56.74, 25.95], [9.61, 55.22, 25.88], [10.00, 56.27, 19.35]]
    items = [[i.score for p in s.parts for i in p.indicators] for s in ranked]
    assert items == [
        [30.00, 30.00, 38.89, 19.92, 10.00, 10.00, 10.00, 14.64, 30, 10.00, 7.50, 32.75, 26.25, 10.00],
        [30.00, 30.00, 36.13, 18.24, 10.00, 9.95, 9.65, 14.20, 30, 10.00, 10.00, 35.00, 21.25, 10.00],
        [30.00, 30.00, 40.00, 17.51, 10.00, 9.99, 9.87, 16.42, 30, 10.00, 10.00, 23.25, 11.25, 10.00],
    ]
    assert [[inputs[s.subject][f"province.{k}"] for k in ("answer_rate", "online_resolution_rate", "on_time_rate",
                                                          "visit_rate", "satisfaction_rate")] for s in ranked] == [
        [94.61, 94.92, 100.00, 100.00, 86.60], [86.20, 77.47, 99.52, 98.23, 85.51], [82.55, 83.75, 99.93, 99.34, 91.05]]


def test_county_without_test_calls_is_named(seed_store, tmp_path):
    import shutil
    import sqlite3

    from hotline.scoring.engine import ScoringError

    copy = tmp_path / "s.sqlite"
    shutil.copy(seed_store, copy)
    with sqlite3.connect(copy) as c:
        c.execute("DELETE FROM test_calls WHERE platform = 'shaoshan'")
    engine = MetricEngine(ibis.sqlite.connect(str(copy)))
    inputs = county_inputs(engine, "2022-10")
    with pytest.raises(ScoringError, match="韶山市.*拨测"):
        rank(builtin_scheme("county_monthly"), inputs)


@pytest.mark.parametrize("subject,old,new", [
    ("county", "on_time_rate", "province.on_time_rate"), ("county", "answer_rate", "province.answer_rate"),
    ("county", "data_accuracy_score", "entered.data_accuracy"),
    ("county", "dispatch_satisfaction_score", "entered.dispatch_satisfaction"),
    ("unit", "data_quality_score", "entered.data_quality"),
])
def test_an_old_input_name_fails_naming_the_new_one(tmp_path, subject, old, new):
    doc = {"name": "旧方案", "subject": subject, "parts": [{"key": "p", "label": "部分", "weight": 100, "indicators": [
        {"key": "i", "label": "指标", "points": 100, "input": old, "rule": {"kind": "entered", "default": 0}}]}]}
    path = tmp_path / "old.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SchemeError) as exc:
        load_scheme(path)
    message = str(exc.value)
    assert f"{path}: parts[0].indicators[0].input = '{old}' 已更名为 '{new}'" in message
    assert message.index("已更名") < message.index(" / ")  # Chinese first


def test_on_time_rate_is_still_our_metric_for_units():
    # bare names are metrics of metrics.yaml: a unit scheme keeps reading on_time_rate
    doc = {"name": "单位", "subject": "unit", "parts": [{"key": "p", "label": "部分", "weight": 100, "indicators": [
        {"key": "i", "label": "按时办结率", "points": 100, "input": "on_time_rate", "rule": {"kind": "proportional"}}]}]}
    assert parse_scheme(doc, "unit.yaml").inputs() == {"on_time_rate"}
