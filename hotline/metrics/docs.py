"""Render the metric catalogue (docs/metrics.md) from metrics.yaml, so the docs cannot drift from the code."""

from __future__ import annotations

from hotline.metrics.engine import load_metrics

BASIS_LABELS = {"called_at": "来电时间", "accepted_at": "受理时间", "visited_at": "回访时间", "snapshot": "月末时点"}
SOURCE_LABELS = {"calls": "来电 calls", "tickets": "工单 tickets", "visits": "回访 visits"}


def _spec(d: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in d.items()) if d else "—"


def render_markdown() -> str:
    lines = [
        "# 指标口径 — metric catalogue",
        "",
        "Generated from `hotline/data/metrics.yaml` by `python -m hotline.metrics.docs` (a test checks this file",
        "is current). Every figure of the report, the API and the dashboard is one of these metrics. Rates are",
        "percentages printed with two decimals, rounded half up; 环比 of a count is the relative change, of a",
        "rate the difference of the printed rates in percentage points (see docs/seed-arithmetic.md).",
        "",
        "| 指标 name | 中文名 | 口径 definition | 数据源 source | 基准日期 basis | 筛选 filter | 分子 numerator |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in load_metrics().values():
        if m.kind == "ratio_of":
            num = " + ".join(m.numerator_metrics) + " ÷ (" + " + ".join(m.denominator_metrics) + ")"
            lines.append(f"| `{m.name}` | {m.label} | {m.definition} | — | — | — | {num} |")
            continue
        num = _spec(m.numerator) if m.kind == "ratio" else "（计数）"
        lines.append(f"| `{m.name}` | {m.label} | {m.definition} | {SOURCE_LABELS[m.source]} | "
                     f"{BASIS_LABELS.get(m.basis, m.basis)} | {_spec(m.filter)} | {num} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    from pathlib import Path

    Path("docs/metrics.md").write_text(render_markdown(), encoding="utf-8")
