"""Scoring rule kinds: pure functions from an input (a rate in %, an entered score, score sheets) to points.

Every rule returns (score, explanation) so `hotline score --explain` can show the rule, the input and the
deduction. Common options on any rate rule: `cutoff` (0 below it), `floor` and `cap` (clamp the score).

kinds:
  proportional     points × rate / 100
  target_deduction full points at or above `target`; `per_point` off for each percentage point below
  offset           rate − `offset`, capped at the points (0 when negative)
  piecewise        `ranges`: [{min, max, score}] covering 0–100 without gaps or overlaps (min inclusive)
  entered          a score entered by the office (input value), 0 ≤ score ≤ points; `default` if absent
  fixed            always `value`
  call_average     average of one item over the month's test-call sheets
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

KINDS = ("proportional", "target_deduction", "offset", "piecewise", "entered", "fixed", "call_average")
RATE_KINDS = ("proportional", "target_deduction", "offset", "piecewise")
OPTIONS = {"kind", "target", "per_point", "offset", "ranges", "default", "value", "cutoff", "floor", "cap"}


class RuleError(ValueError):
    pass


def round2(x: float) -> float:
    return float(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def validate(rule: dict, points: float) -> None:
    kind = rule.get("kind")
    if kind not in KINDS:
        raise RuleError(f"kind = {kind!r}，可选 / use one of {', '.join(KINDS)}")
    unknown = set(rule) - OPTIONS
    if unknown:
        raise RuleError(f"未知选项 / unknown options {sorted(unknown)}")
    if kind == "target_deduction":
        for k in ("target", "per_point"):
            if not isinstance(rule.get(k), (int, float)):
                raise RuleError(f"{k} 缺失或不是数字 / {k} missing or not a number")
        if not 0 <= rule["target"] <= 100:
            raise RuleError(f"target = {rule['target']}，应在 0–100 之间 / must be within 0–100")
    if kind == "offset" and not isinstance(rule.get("offset"), (int, float)):
        raise RuleError("offset 缺失 / missing")
    if kind == "fixed" and not isinstance(rule.get("value"), (int, float)):
        raise RuleError("value 缺失 / missing")
    if kind == "piecewise":
        ranges = rule.get("ranges")
        if not isinstance(ranges, list) or not ranges:
            raise RuleError("ranges 缺失 / missing")
        spans = sorted((r["min"], r["max"], r.get("score")) for r in ranges)
        if spans[0][0] != 0 or spans[-1][1] != 100:
            raise RuleError(f"区间应覆盖 0–100，现为 {spans[0][0]}–{spans[-1][1]} / ranges must cover 0–100")
        for (a0, a1, _), (b0, b1, _) in zip(spans, spans[1:]):
            if b0 < a1:
                raise RuleError(f"区间重叠 / overlapping ranges: [{a0}, {a1}) and [{b0}, {b1})")
            if b0 > a1:
                raise RuleError(f"区间缺失 / missing range: [{a1}, {b0}) is not covered")
        for lo, hi, score in spans:
            if not isinstance(score, (int, float)) or not 0 <= score <= points:
                raise RuleError(f"区间 [{lo}, {hi}) 的 score 应在 0–{points:g} 之间 / score must be within 0–{points:g}")
    for k in ("cutoff", "floor", "cap"):
        if k in rule and not isinstance(rule[k], (int, float)):
            raise RuleError(f"{k} 应为数字 / must be a number")


def apply(rule: dict, points: float, value) -> tuple[float, str]:
    """Score `value` under `rule`; value is a rate in %, an entered score, or a list of per-call item scores."""
    kind = rule["kind"]
    if kind == "fixed":
        return round2(rule["value"]), f"固定 {rule['value']:g} 分"
    if kind == "entered":
        if value is None:
            if "default" in rule:
                return round2(rule["default"]), f"未录入，按默认 {rule['default']:g} 分"
            raise RuleError("需要录入分值但未录入 / an entered score is required")
        if not 0 <= value <= points:
            raise RuleError(f"录入分值 {value} 超出 0–{points:g} / entered score outside 0–{points:g}")
        return round2(value), f"录入 {value:g} 分"
    if kind == "call_average":
        if not value:
            raise RuleError("本月没有拨测记录 / no test calls this month")
        avg = sum(value) / len(value)
        return round2(avg), f"{len(value)} 通拨测平均：{'、'.join(f'{v:g}' for v in value)} → {round2(avg):.2f}"
    if value is None:
        raise RuleError("缺少该项比率 / the rate is missing")
    if not 0 <= value <= 100:
        raise RuleError(f"比率 {value} 超出 0–100% / rate outside 0–100%")
    if "cutoff" in rule and value < rule["cutoff"]:
        return 0.0, f"{value:.2f}% 低于 {rule['cutoff']:g}%，得 0 分"
    if kind == "proportional":
        score, why = points * value / 100, f"{points:g} × {value:.2f}%"
    elif kind == "target_deduction":
        gap = max(0.0, rule["target"] - value)
        score = points - rule["per_point"] * gap
        why = (f"{value:.2f}% ≥ {rule['target']:g}%，满分" if gap == 0 else
               f"{points:g} − {rule['per_point']:g} × ({rule['target']:g} − {value:.2f})")
    elif kind == "offset":
        score, why = max(0.0, min(points, value - rule["offset"])), f"{value:.2f} − {rule['offset']:g}，封顶 {points:g}"
    else:  # piecewise
        score = next(r["score"] for r in rule["ranges"] if r["min"] <= value < r["max"] or (value == 100 == r["max"]))
        why = f"{value:.2f}% 所在区间得 {score:g} 分"
    if "floor" in rule and score < rule["floor"]:
        score, why = rule["floor"], why + f"，保底 {rule['floor']:g}"
    if "cap" in rule and score > rule["cap"]:
        score, why = rule["cap"], why + f"，封顶 {rule['cap']:g}"
    score = max(0.0, score)
    return round2(score), f"{why} = {round2(score):.2f}"
