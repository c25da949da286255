"""Lianyungang's published assessment, transcribed as fixture schemes (tests/scoring/schemes/, sources in their
comments): the item scores its monthly 绩效考评情况通报 printed come out of the rules as written — above all
"80% 及以下不得分", which needs an inclusive cut-off — and its county table totals 150.

Every expected value below is the figure printed in a notice, not one computed by the code.
"""

from pathlib import Path

import pytest

from hotline.scoring.engine import rank
from hotline.scoring.scheme import load_scheme

SCHEMES = Path(__file__).parent / "schemes"


@pytest.fixture(scope="module")
def unit_scheme():
    return load_scheme(SCHEMES / "lianyungang_unit.yaml")


def item(scheme, key):
    return next(i for p in scheme.parts for i in p.indicators if i.key == key)


def score(scheme, key, value):
    from hotline.scoring.rules import apply

    ind = item(scheme, key)
    return apply(ind.rule, ind.points, value)[0]


@pytest.mark.parametrize("key,rate,published", [
    ("sign", 80.00, 0.0),           # 2022年2月 市体育局 及时签收率 80%，得分为 0 分
    ("sign", 77.27, 0.0),           # 2022年2月 万联能源集团 77.27%，0 分
    ("on_time", 89.82, 14.82),      # 2023年1月 市交通局 按时办结率 89.82%，14.82 分
    ("on_time", 80.00, 5.0),        # 2021年7月 市碱业公司 5 件中 1 件超时（80%），5 分
    ("on_time", 66.67, 0.0),        # 2022年2月 市碱业公司 66.67%，0 分
    ("satisfaction", 87.50, 19.75),  # 2023年1月 市交通局 省派工单满意率 87.5%，19.75 分
    ("satisfaction", 83.33, 17.67),  # 2023年1月 新奥燃气 83.33%，17.67 分
    ("satisfaction", 50.00, 12.5),   # 2023年1月 农发集团 50%，12.5 分
    ("satisfaction", 75.00, 13.5),   # 2022年8月 新奥燃气 75%，13.5 分
    ("satisfaction", 71.43, 12.5),   # 2022年8月 市自来水公司 71.43%，12.5 分
])
def test_published_item_scores(unit_scheme, key, rate, published):
    assert score(unit_scheme, key, rate) == published


def test_eighty_percent_scores_zero_only_with_an_inclusive_cutoff(unit_scheme):
    # the notice's 80% → 0 is what `at_or_below` says; `below` (and the old plain number) would give 20 × 80% = 16
    rule = item(unit_scheme, "sign").rule
    assert rule["cutoff"] == {"at_or_below": 80}
    from hotline.scoring.rules import apply

    assert apply({**rule, "cutoff": {"below": 80}}, 20, 80.0)[0] == 16.0
    assert apply({**rule, "cutoff": 80}, 20, 80.0)[0] == 16.0
    assert score(unit_scheme, "sign", 80.01) == 16.0   # 20 × 80.01% = 16.002: just above the line scores


def test_reply_norms_deduction_is_an_entered_score(unit_scheme):
    # 2022年2月 市体育局：答复不规范，得 9 分 — an entered score; a unit without a deduction keeps the full 10
    inputs = {"sign_on_time_rate": 100.0, "on_time_rate": 100.0, "satisfaction_rate": 100.0}
    scored = {s.subject: s for s in rank(unit_scheme, {"市体育局": {**inputs, "entered.reply_norms": 9.0},
                                                       "市医保局": inputs})}
    assert scored["市医保局"].total == 100.0
    assert scored["市体育局"].total == 99.0   # 20 + 25 + 25 + 9 + 20


def test_county_table_is_out_of_150():
    scheme = load_scheme(SCHEMES / "lianyungang_county.yaml")
    assert scheme.total == 150 and [p.full for p in scheme.parts] == [100, 30, 20]
    inputs = {"province.on_time_rate": 96.5, "province.satisfaction_rate": 90.0, "entered.reply_norms": 9.0,
              "entered.data_quality": 29.45}
    (county,) = rank(scheme, {"东海县": inputs})
    # by hand: 工单办理 (96.5 − 75) + (25 − 0.5 × 8) + 9 + 40 (未录入，按满分) = 91.50; 数据质量 29.45; 其他 20
    assert [p.weighted for p in county.parts] == [91.5, 29.45, 20.0]
    assert county.total == 140.95
