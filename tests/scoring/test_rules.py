"""Each rule kind at its edges: exactly at the target, just below, at the cut-off; expected values by hand."""

import re

import pytest

from hotline.scoring.rules import RuleError, apply, validate

TD = {"kind": "target_deduction", "target": 95, "per_point": 0.2}


@pytest.mark.parametrize("rate,score", [(95.0, 20.0), (100.0, 20.0), (94.99, 20.0), (94.61, 19.92), (82.55, 17.51), (0.0, 1.0)])
def test_target_deduction(rate, score):
    # 20 − 0.2 × (95 − rate); 94.99 → 19.998 → 20.00 after rounding
    assert apply(TD, 20, rate)[0] == score


def test_target_deduction_floor():
    rule = {"kind": "target_deduction", "target": 98, "per_point": 0.5, "floor": 12.5}
    assert apply(rule, 25, 98.0)[0] == 25.0
    assert apply(rule, 25, 97.0)[0] == 24.5
    assert apply(rule, 25, 50.0)[0] == 12.5      # 25 − 24 = 1 → floored at 12.5


def test_offset_with_cutoff():
    rule = {"kind": "offset", "offset": 75, "cutoff": 75}
    assert apply(rule, 25, 100.0)[0] == 25.0
    assert apply(rule, 25, 99.56)[0] == 24.56
    assert apply(rule, 25, 75.0)[0] == 0.0       # at the cut-off: 75 − 75 = 0
    assert apply(rule, 25, 74.99)[0] == 0.0
    assert apply(rule, 10, 90.0)[0] == 10.0      # 15 capped at the points


def test_proportional_and_half_up():
    assert apply({"kind": "proportional"}, 10, 99.52)[0] == 9.95
    assert apply({"kind": "proportional"}, 10, 99.93)[0] == 9.99
    assert apply({"kind": "proportional"}, 10, 98.25)[0] == 9.83   # 9.825 → 9.83 (half up)


PIECES = {"kind": "piecewise", "ranges": [{"min": 0, "max": 80, "score": 0}, {"min": 80, "max": 90, "score": 40},
                                           {"min": 90, "max": 100, "score": 70}]}


@pytest.mark.parametrize("rate,score", [(79.99, 0), (80, 40), (89.99, 40), (90, 70), (100, 70)])
def test_piecewise_edges(rate, score):
    assert apply(PIECES, 70, rate)[0] == score


@pytest.mark.parametrize("ranges,msg", [
    ([{"min": 0, "max": 80, "score": 0}, {"min": 85, "max": 100, "score": 1}], "区间缺失"),
    ([{"min": 0, "max": 85, "score": 0}, {"min": 80, "max": 100, "score": 1}], "区间重叠"),
    ([{"min": 10, "max": 100, "score": 0}], "覆盖 0–100"),
])
def test_piecewise_validation(ranges, msg):
    with pytest.raises(RuleError, match=msg):
        validate({"kind": "piecewise", "ranges": ranges}, 10)


def test_entered_fixed_average():
    assert apply({"kind": "entered"}, 40, 38.89)[0] == 38.89
    assert apply({"kind": "entered", "default": 10}, 10, None)[0] == 10
    with pytest.raises(RuleError):
        apply({"kind": "entered"}, 40, None)
    with pytest.raises(RuleError, match="超出"):
        apply({"kind": "entered"}, 40, 41)
    assert apply({"kind": "fixed", "value": 30}, 30, None)[0] == 30
    assert apply({"kind": "call_average"}, 10, [10, 0, 10, 10])[0] == 7.5
    with pytest.raises(RuleError, match="拨测"):
        apply({"kind": "call_average"}, 10, [])


def test_rate_outside_range_is_an_error():
    with pytest.raises(RuleError, match="0–100"):
        apply(TD, 20, 101)
    with pytest.raises(RuleError, match="0–100"):
        apply(TD, 20, -1)


@pytest.mark.parametrize("cutoff,rate,score", [
    ({"at_or_below": 80}, 80.0, 0.0),      # "80% 及以下不得分": the threshold itself scores 0
    ({"at_or_below": 80}, 80.5, 16.1),     # 20 × 80.5%
    ({"below": 80}, 80.0, 16.0),           # "低于 80% 不得分": 80% itself scores 20 × 80%
    ({"below": 80}, 79.99, 0.0),
    (80, 80.0, 16.0),                      # a plain number keeps its old meaning: below
    (80, 79.99, 0.0),
])
def test_cutoff_inclusive_or_exclusive(cutoff, rate, score):
    assert apply({"kind": "proportional", "cutoff": cutoff}, 20, rate)[0] == score


def test_cutoff_explanation_says_which_side():
    assert apply({"kind": "proportional", "cutoff": {"at_or_below": 80}}, 20, 80.0)[1] == "80.00% 在 80% 及以下，得 0 分"
    assert apply({"kind": "proportional", "cutoff": {"below": 80}}, 20, 79.0)[1] == "79.00% 低于 80%，得 0 分"


@pytest.mark.parametrize("cutoff,msg", [
    ({"under": 80}, "{below: 数值}"),
    ({"below": 80, "at_or_below": 70}, "{at_or_below: 数值}"),
    ("80", "应写为"),
    ({"below": "80"}, "0–100 之间的数字"),
    ({"at_or_below": 120}, "0–100 之间的数字"),
    (True, "应写为"),
])
def test_bad_cutoff_names_the_key(cutoff, msg):
    with pytest.raises(RuleError, match=re.escape(msg)) as exc:
        validate({"kind": "proportional", "cutoff": cutoff}, 20)
    assert exc.value.key == "cutoff"


def test_bad_cutoff_in_a_scheme_file_names_file_and_key(tmp_path):
    import yaml

    from hotline.scoring.scheme import SchemeError, load_scheme

    doc = {"name": "x", "subject": "unit", "parts": [{"key": "p", "label": "部分", "weight": 100, "indicators": [
        {"key": "i", "label": "及时签收率", "points": 100, "input": "sign_on_time_rate",
         "rule": {"kind": "proportional", "cutoff": {"at_or_under": 80}}}]}]}
    path = tmp_path / "cut.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SchemeError) as exc:
        load_scheme(path)
    message = str(exc.value)
    assert message.startswith(f"{path}: parts[0].indicators[0].rule.cutoff: {{'at_or_under': 80}} 应写为")
    assert message.index("应写为") < message.index(" / ")
