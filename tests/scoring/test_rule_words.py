"""The rule in Chinese words as the scheme file states it: every kind, every option; the words written by hand."""

from pathlib import Path

import pytest

from hotline.scoring.scheme import builtin_scheme, load_scheme
from hotline.scoring.wording import KIND_WORDS, describe


@pytest.mark.parametrize("rule,points,words", [
    ({"kind": "proportional"}, 10, "按比例（proportional）：得分 = 10 × 比率"),
    ({"kind": "target_deduction", "target": 95, "per_point": 0.2}, 20,
     "达标扣分（target_deduction）：95% 及以上得满分，每低 1 个百分点扣 0.2 分"),
    ({"kind": "target_deduction", "target": 98, "per_point": 0.5, "floor": 12.5}, 25,
     "达标扣分（target_deduction）：98% 及以上得满分，每低 1 个百分点扣 0.5 分；最低 12.5 分"),
    ({"kind": "offset", "offset": 75, "cutoff": 75}, 25,
     "比率减基数（offset）：得分 = 比率 − 75，最高 25 分，不足 0 分按 0 分；低于 75% 得 0 分"),
    ({"kind": "proportional", "cutoff": {"at_or_below": 80}, "cap": 18}, 20,
     "按比例（proportional）：得分 = 20 × 比率；80% 及以下得 0 分；最高 18 分"),
    ({"kind": "proportional", "cutoff": {"below": 60}}, 20, "按比例（proportional）：得分 = 20 × 比率；低于 60% 得 0 分"),
    ({"kind": "piecewise", "ranges": [{"min": 80, "max": 100, "score": 40}, {"min": 0, "max": 80, "score": 0}]}, 40,
     "分段计分（piecewise）：[0%, 80%) 得 0 分；[80%, 100%] 得 40 分"),
    ({"kind": "entered"}, 30, "录入（entered）：由热线办录入得分（0–30 分），必须录入"),
    ({"kind": "entered", "default": 10}, 10, "录入（entered）：由热线办录入得分（0–10 分），未录入按 10 分"),
    ({"kind": "fixed", "value": 30}, 30, "固定分（fixed）：固定 30 分"),
    ({"kind": "call_average"}, 40, "拨测平均（call_average）：本月各次拨测该项得分的平均"),
])
def test_each_kind_in_words(rule, points, words):
    assert describe(rule, points) == words


def test_every_kind_has_words_and_every_shipped_rule_is_described():
    from hotline.scoring.rules import KINDS

    assert set(KIND_WORDS) == set(KINDS)
    schemes = [builtin_scheme("county_monthly"), builtin_scheme("unit_monthly"),
               *(load_scheme(p) for p in sorted((Path(__file__).parent / "schemes").glob("*.yaml")))]
    for scheme in schemes:
        for part in scheme.parts:
            for ind in part.indicators:
                assert describe(ind.rule, ind.points).startswith(KIND_WORDS[ind.rule["kind"]])
