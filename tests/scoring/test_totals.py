"""A scheme declares its total (default 100); parts state their share by `weight` (percent) or `points`, and both
are checked against the declared total; the 折合 arithmetic and 附件2's 总分 header follow. Expected values by hand."""

import pytest
import yaml

from hotline.report.rankings import annex2_header
from hotline.report.wording import Annex2Words
from hotline.scoring.engine import score_subject
from hotline.scoring.scheme import SchemeError, builtin_scheme, load_scheme, parse_scheme


def indicator(key, points, rule=None, input="province.on_time_rate"):
    return {"key": key, "label": key, "points": points, "input": input, "rule": rule or {"kind": "proportional"}}


def weighted_150():
    """Two parts by weight in a 150-point scheme: each scored out of 100, then scaled to its share of 150."""
    return {"name": "百五十分制（权重）", "subject": "county", "total": 150, "parts": [
        {"key": "a", "label": "甲", "weight": 60, "indicators": [indicator("a1", 100)]},
        {"key": "b", "label": "乙", "weight": 40, "indicators": [
            indicator("b1", 50, input="province.answer_rate"), indicator("b2", 50, input="province.visit_rate")]}]}


def test_weights_of_a_150_point_scheme():
    scheme = parse_scheme(weighted_150(), "w150.yaml")
    assert scheme.total == 150 and [p.full for p in scheme.parts] == [90, 60]
    s = score_subject(scheme, "县", {"province.on_time_rate": 92.04, "province.answer_rate": 80.0,
                                    "province.visit_rate": 90.0})
    # 甲: 92.04 × 90 / 100 = 82.836 → 82.84; 乙: (40 + 45) = 85 × 60 / 100 = 51.00; total 133.84
    assert [(p.raw, p.weighted) for p in s.parts] == [(92.04, 82.84), (85.0, 51.0)]
    assert s.total == 133.84
    assert s.parts[0].explanation == "小计 92.04 × 60% × 150/100 = 82.84"


def test_points_parts_count_as_written():
    doc = {"name": "分值制", "subject": "county", "total": 150, "parts": [
        {"key": "a", "label": "甲", "points": 120, "indicators": [indicator("a1", 100), indicator(
            "a2", 20, {"kind": "entered", "default": 20}, "entered.x")]},
        {"key": "b", "label": "乙", "points": 30, "indicators": [indicator("b1", 30, {"kind": "entered"}, "entered.y")]}]}
    scheme = parse_scheme(doc, "p150.yaml")
    s = score_subject(scheme, "县", {"province.on_time_rate": 95.5, "entered.y": 27.5})
    # 甲: 95.50 + 20 (default) = 115.50, as it is; 乙: 27.50; total 143.00
    assert [p.weighted for p in s.parts] == [115.5, 27.5] and s.total == 143.0
    assert s.parts[1].explanation == "小计 27.50（本部分 30 分，按原分计入总分）"
    assert [round(p.weight, 2) for p in scheme.parts] == [80.0, 20.0]   # each part's percent of the total


def by_points(part: dict, points: float) -> None:
    del part["weight"]
    part["points"] = points
    part["indicators"] = [indicator("a1", points)]


@pytest.mark.parametrize("mutate,where,msg", [
    # 甲 by points 80 + 乙 40% of 150 = 60: 140 of a declared 150
    (lambda d: by_points(d["parts"][0], 80), "parts 各部分满分合计 140 分，应为方案总分 total 150 分", " / "),
    (lambda d: d["parts"][0].update(weight=50), "parts 权重合计 90%", "应为 100%"),
    # weights are percents: the same parts fit any declared total

    (lambda d: d["parts"][0].update(points=30), "parts[0]", "应写 weight（占总分的百分比）或 points"),
    (lambda d: d["parts"][0].pop("weight"), "parts[0]", "二者之一"),
    (lambda d: d.update(total=0), "scheme.total = 0", "应大于 0"),
    (lambda d: d.update(total="150"), "scheme.total = '150'", "应为数字"),
    (lambda d: d["parts"][1]["indicators"][0].update(points=45), "parts[1] 各指标分值合计 95", "应为 100"),
])
def test_totals_checked_with_file_and_key(tmp_path, mutate, where, msg):
    doc = weighted_150()
    mutate(doc)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SchemeError) as exc:
        load_scheme(path)
    text = str(exc.value)
    assert text.startswith(f"{path}: ") and where in text and msg in text


def test_points_part_indicators_must_add_up_to_its_points():
    doc = {"name": "x", "subject": "county", "total": 150, "parts": [
        {"key": "a", "label": "甲", "points": 120, "indicators": [indicator("a1", 100)]},
        {"key": "b", "label": "乙", "points": 30, "indicators": [indicator("b1", 30, input="province.visit_rate")]}]}
    with pytest.raises(SchemeError, match=r"x.yaml: parts\[0\] 各指标分值合计 100，应为本部分 points 120"):
        parse_scheme(doc, "x.yaml")


def test_a_scheme_without_total_is_out_of_100():
    scheme = builtin_scheme("county_monthly")
    assert scheme.total == 100 and [p.full for p in scheme.parts] == [10, 60, 30]


def test_annex2_header_prints_the_declared_total():
    words = Annex2Words(rank_column="排名", county_column="县市区", part_score_column="折合得分",
                        total_column="总分", column_groups={}, other_group="县级热线平台办理情况",
                        rates_above={}, notes=[])
    assert annex2_header(parse_scheme(weighted_150(), "w150.yaml"), words).full_score == 150
    assert annex2_header(builtin_scheme("county_monthly"), words).full_score == 100
