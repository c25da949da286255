"""Apply a scheme to each subject's inputs: indicator scores, part 折合 scores, totals and ranks.

Rounding follows the office's published tables: each indicator score to two decimals, a part's 折合 =
(sum of its rounded indicator scores) × weight, rounded; the total = the sum of the rounded parts.
That order matters: 湘乡市 五率一度 is 92.04 × 0.6 = 55.22 from rounded items, but 55.23 from raw ones.
A part given by points instead of a weight counts its subtotal as it is (`Part.weighted`); the total is out of
the scheme's declared `total`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hotline.scoring import rules as R
from hotline.scoring.scheme import Part, Scheme
from hotline.scoring.wording import describe


@dataclass
class IndicatorScore:
    key: str
    label: str
    points: float
    input: str
    value: object
    score: float
    explanation: str
    rule_words: str = ""  # the rule as the scheme states it (wording.describe)


@dataclass
class PartScore:
    key: str
    label: str
    weight: float
    raw: float
    weighted: float
    indicators: list[IndicatorScore] = field(default_factory=list)
    explanation: str = ""


@dataclass
class SubjectScore:
    subject: str
    total: float
    parts: list[PartScore]
    rank: int = 0


class ScoringError(ValueError):
    pass


def score_subject(scheme: Scheme, subject: str, inputs: dict) -> SubjectScore:
    parts = []
    for part in scheme.parts:
        inds = []
        for ind in part.indicators:
            value = inputs.get(ind.input)
            try:
                score, why = R.apply(ind.rule, ind.points, value)
            except R.RuleError as exc:
                raise ScoringError(f"{subject}：{part.label}/{ind.label}（{ind.input}）：{exc}") from None
            inds.append(IndicatorScore(ind.key, ind.label, ind.points, ind.input, value, score, why,
                                       describe(ind.rule, ind.points)))
        raw = R.round2(sum(i.score for i in inds))
        weighted = part.weighted(raw)
        parts.append(PartScore(part.key, part.label, part.weight, raw, weighted, inds,
                               _part_explanation(scheme, part, raw, weighted)))
    return SubjectScore(subject, R.round2(sum(p.weighted for p in parts)), parts)


def _part_explanation(scheme: Scheme, part: Part, raw: float, weighted: float) -> str:
    if part.by_points:
        return f"小计 {raw:.2f}（本部分 {part.full:g} 分，按原分计入总分）"
    scale = "" if scheme.total == 100 else f" × {scheme.total:g}/100"
    return f"小计 {raw:.2f} × {part.weight:g}%{scale} = {weighted:.2f}"


def rank(scheme: Scheme, inputs: dict[str, dict]) -> list[SubjectScore]:
    """Score every subject; rank by total (ties share a rank, listed in input order)."""
    scores = [score_subject(scheme, s, i) for s, i in inputs.items()]
    ordered = sorted(scores, key=lambda s: -s.total)
    for i, s in enumerate(ordered):
        s.rank = ordered[i - 1].rank if i and s.total == ordered[i - 1].total else i + 1
    return ordered


def red_black(scores: list[SubjectScore], n: int) -> tuple[list[SubjectScore], list[SubjectScore]]:
    """红榜 (top n) and 黑榜 (bottom n), without overlap when there are fewer than 2n subjects."""
    n = min(n, len(scores) // 2)
    return scores[:n], list(reversed(scores[-n:])) if n else []
