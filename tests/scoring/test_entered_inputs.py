"""Entered scores are inputs of every subject: a unit's (数据质量) and a county's under any name its scheme uses,
read from entered_scores for the month; the seed's county scores live there too (附件2: test_schemes.py)."""

import shutil
import sqlite3
from pathlib import Path

import ibis
import pytest

from hotline.metrics.engine import MetricEngine
from hotline.scoring.engine import ScoringError, rank
from hotline.scoring.inputs import county_inputs, unit_inputs
from hotline.scoring.scheme import builtin_scheme, load_scheme

SCHEMES = Path(__file__).parent / "schemes"
ROW = ("INSERT INTO entered_scores (month, platform, unit_id, input, score, note, entered_by, entered_at) "
       "VALUES (?, ?, ?, ?, ?, NULL, 'test', '2022-11-02 09:00:00')")


@pytest.fixture(scope="module")
def store(seed_store, tmp_path_factory):
    copy = tmp_path_factory.mktemp("entered") / "s.sqlite"
    shutil.copy(seed_store, copy)
    with sqlite3.connect(copy) as c:
        police = c.execute("SELECT id FROM units WHERE name = '市公安局'").fetchone()[0]
        c.execute(ROW, ("2022-10", None, police, "entered.data_quality", 8.5))
        c.execute(ROW, ("2022-09", None, police, "entered.data_quality", 2.0))   # another month: not read
        c.execute(ROW, ("2022-10", "shaoshan", None, "entered.data_quality", 29.45))
    return MetricEngine(ibis.sqlite.connect(str(copy)))


def test_seed_county_scores_come_from_entered_scores(store):
    shaoshan = county_inputs(store, "2022-10")["韶山市"]
    # the office's 交办 and 数据准确度 scores of 附件2 (hotline/generator/office_records.py)
    assert [shaoshan[f"entered.{k}"] for k in ("dispatch_on_time", "dispatch_contact", "dispatch_satisfaction",
                                                "data_accuracy")] == [30, 30, 38.89, 30]


def test_a_units_entered_score_counts(store):
    scheme = builtin_scheme("unit_monthly")
    inputs = unit_inputs(store, "2022-10", 10)
    assert inputs["市公安局"]["entered.data_quality"] == 8.5
    assert "entered.data_quality" not in inputs["市城管局"]          # not entered: the rule's default (10)
    with_score = {s.subject: s.total for s in rank(scheme, inputs)}
    without = {s.subject: s.total for s in rank(scheme, {**inputs, "市公安局": {
        k: v for k, v in inputs["市公安局"].items() if k != "entered.data_quality"}})}
    # one part of weight 100: 8.5 entered instead of the default 10 takes exactly 1.5 off
    assert with_score["市公安局"] == pytest.approx(without["市公安局"] - 1.5, abs=1e-9)
    assert with_score["市城管局"] == without["市城管局"]


def test_a_county_scheme_reads_its_own_entered_names(store):
    scheme = load_scheme(SCHEMES / "lianyungang_county.yaml")
    inputs = county_inputs(store, "2022-10")
    with pytest.raises(ScoringError, match=r"湘(潭县|乡市).*entered.data_quality.*未录入"):
        rank(scheme, inputs)       # 数据质量 has no default: a county without it is named
    (shaoshan,) = rank(scheme, {"韶山市": inputs["韶山市"]})
    # by hand from 韶山市's province rates (附件2): 按时办结 100.00 → min(25, 100 − 75) = 25; 满意率 86.60 →
    # 25 − 0.5 × (98 − 86.60) = 19.30; 答复规范 10 and 其余 40 by default → 94.30; 数据质量 29.45; 其他 20
    assert [p.weighted for p in shaoshan.parts] == [94.3, 29.45, 20.0] and shaoshan.total == 143.75
