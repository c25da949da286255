"""A scoring rule in Chinese words, exactly as the scheme file states it: its kind and every option.

Why: `hotline score --explain` must let the office check a score against the published rule. The computation
alone ("20 − 0.2 × (95 − 86.20)") does not say which rule produced it, nor show an option that did not bite
this month (a cut-off, a floor); so each indicator's rule is printed beside its input and its computation.
"""

from __future__ import annotations

from hotline.scoring.rules import cutoff

KIND_WORDS = {
    "proportional": "按比例",
    "target_deduction": "达标扣分",
    "offset": "比率减基数",
    "piecewise": "分段计分",
    "entered": "录入",
    "fixed": "固定分",
    "call_average": "拨测平均",
}


def _piece(r: dict, last: bool) -> str:
    close = "]" if last and r["max"] == 100 else ")"
    return f"[{r['min']:g}%, {r['max']:g}%{close} 得 {r['score']:g} 分"


def _body(rule: dict, points: float) -> str:
    kind = rule["kind"]
    if kind == "proportional":
        return f"得分 = {points:g} × 比率"
    if kind == "target_deduction":
        return f"{rule['target']:g}% 及以上得满分，每低 1 个百分点扣 {rule['per_point']:g} 分"
    if kind == "offset":
        return f"得分 = 比率 − {rule['offset']:g}，最高 {points:g} 分，不足 0 分按 0 分"
    if kind == "piecewise":
        ranges = sorted(rule["ranges"], key=lambda r: r["min"])
        return "；".join(_piece(r, i == len(ranges) - 1) for i, r in enumerate(ranges))
    if kind == "entered":
        missing = f"未录入按 {rule['default']:g} 分" if "default" in rule else "必须录入"
        return f"由热线办录入得分（0–{points:g} 分），{missing}"
    if kind == "fixed":
        return f"固定 {rule['value']:g} 分"
    return "本月各次拨测该项得分的平均"


def describe(rule: dict, points: float) -> str:
    """e.g. `达标扣分（target_deduction）：95% 及以上得满分，每低 1 个百分点扣 0.2 分；最低 10 分`."""
    words = [_body(rule, points)]
    cut = cutoff(rule)
    if cut is not None:
        threshold, inclusive = cut
        words.append(f"{threshold:g}% 及以下得 0 分" if inclusive else f"低于 {threshold:g}% 得 0 分")
    if "floor" in rule:
        words.append(f"最低 {rule['floor']:g} 分")
    if "cap" in rule:
        words.append(f"最高 {rule['cap']:g} 分")
    return f"{KIND_WORDS[rule['kind']]}（{rule['kind']}）：" + "；".join(words)
