"""Scoring rule kinds: pure functions from an input (a rate in %, an entered score, score sheets) to points.

Every rule returns (score, explanation) so `hotline score --explain` can show the rule, the input and the
deduction (the rule itself in words: `wording.py`). Common options on any rate rule: `cutoff` (score 0 under
a threshold), `floor` and `cap` (clamp the score).

A cut-off says whether the threshold itself scores 0, because published rules differ: "低于 75% 不得分"
is `cutoff: {below: 75}`, "80% 及以下不得分" is `cutoff: {at_or_below: 80}`. A plain number keeps its old
meaning, `below` (so `cutoff: 80.001` is no longer needed to make 80% score 0).

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
CUTOFF_SIDES = ("below", "at_or_below")


class RuleError(ValueError):
    """A rule that cannot be used; `key` names the option at fault (None: the rule as a whole)."""

    def __init__(self, message: str, key: str | None = None):
        super().__init__(message)
        self.key = key


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def cutoff(rule: dict) -> tuple[float, bool] | None:
    """The rule's cut-off as (threshold, inclusive), or None; a plain number means `below` (exclusive)."""
    c = rule.get("cutoff")
    if c is None:
        return None
    if isinstance(c, dict):
        (side, threshold), = c.items()
        return float(threshold), side == "at_or_below"
    return float(c), False


def _validate_cutoff(c) -> None:
    if _is_number(c):
        threshold = c
    elif isinstance(c, dict) and len(c) == 1 and next(iter(c)) in CUTOFF_SIDES:
        threshold = next(iter(c.values()))
    else:
        raise RuleError(f"{c!r} 应写为 {{below: 数值}}（低于该值得 0 分）或 {{at_or_below: 数值}}（该值及以下得 0 分） / "
                        "write {below: N} (0 under N) or {at_or_below: N} (0 at N and under)", "cutoff")
    if not _is_number(threshold) or not 0 <= threshold <= 100:
        raise RuleError(f"{c!r} 的界限应为 0–100 之间的数字 / the threshold must be a number within 0–100", "cutoff")


def round2(x: float) -> float:
    return float(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def validate(rule: dict, points: float) -> None:
    kind = rule.get("kind")
    if kind not in KINDS:
        raise RuleError(f"{kind!r} 不是已知的规则种类，可选 / unknown kind; use one of {', '.join(KINDS)}", "kind")
    unknown = set(rule) - OPTIONS
    if unknown:
        raise RuleError(f"未知选项 / unknown options {sorted(unknown)}")
    needed = {"target_deduction": ("target", "per_point"), "offset": ("offset",), "fixed": ("value",)}
    for k in needed.get(kind, ()):
        if not _is_number(rule.get(k)):
            raise RuleError("缺失或不是数字 / missing or not a number", k)
    if kind == "target_deduction" and not 0 <= rule["target"] <= 100:
        raise RuleError(f"{rule['target']} 应在 0–100 之间 / must be within 0–100", "target")
    if kind == "piecewise":
        ranges = rule.get("ranges")
        if not isinstance(ranges, list) or not ranges:
            raise RuleError("缺失 / missing", "ranges")
        if not all(isinstance(r, dict) and _is_number(r.get("min")) and _is_number(r.get("max")) for r in ranges):
            raise RuleError("每个区间应写 {min, max, score} / each range needs {min, max, score}", "ranges")
        spans = sorted((r["min"], r["max"], r.get("score")) for r in ranges)
        if spans[0][0] != 0 or spans[-1][1] != 100:
            raise RuleError(f"区间应覆盖 0–100，现为 {spans[0][0]}–{spans[-1][1]} / ranges must cover 0–100", "ranges")
        for (a0, a1, _), (b0, b1, _) in zip(spans, spans[1:]):
            if b0 < a1:
                raise RuleError(f"区间重叠 / overlapping ranges: [{a0}, {a1}) and [{b0}, {b1})", "ranges")
            if b0 > a1:
                raise RuleError(f"区间缺失 / missing range: [{a1}, {b0}) is not covered", "ranges")
        for lo, hi, score in spans:
            if not _is_number(score) or not 0 <= score <= points:
                raise RuleError(f"区间 [{lo}, {hi}) 的 score 应在 0–{points:g} 之间 / score must be within 0–{points:g}",
                                "ranges")
    for k in ("floor", "cap", "default"):
        if k in rule and not _is_number(rule[k]):
            raise RuleError("应为数字 / must be a number", k)
    if "cutoff" in rule:
        _validate_cutoff(rule["cutoff"])


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
    cut = cutoff(rule)
    if cut is not None and (value <= cut[0] if cut[1] else value < cut[0]):
        return 0.0, (f"{value:.2f}% 在 {cut[0]:g}% 及以下，得 0 分" if cut[1] else f"{value:.2f}% 低于 {cut[0]:g}%，得 0 分")
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
