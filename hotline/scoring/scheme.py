"""Assessment schemes as data files (YAML or TOML), validated on load.

A scheme declares its `total` (100 unless it says otherwise: Lianyungang's county table is out of 150) and
has parts, each with indicators that carry points and a scoring rule. A part states its share of the total
in one of the two ways published rules do: `weight` (a percent of the total; the part is scored out of 100,
as Xiangtan's 附件2: "交办工单办理评分 × 10%") or `points` (its full score in the total's own points; its
indicators' points add up to it, as "数据质量 30 分"). Both are checked against the declared total.

A half-valid scheme is never used: `load_scheme` raises `SchemeError` naming the file, the key
(e.g. `parts[1].indicators[0].rule.target`) and what to fix. The rule kinds are in `rules.py`, the input
names a subject's indicators may read in `names.py`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from hotline.domain.profile import Profile
from hotline.scoring import rules as R
from hotline.scoring.names import SUBJECTS, is_entered, known_inputs, renamed


class SchemeError(ValueError):
    pass


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    points: float
    input: str
    rule: dict


@dataclass(frozen=True)
class Part:
    """`weight`: the part's percent of the total (as declared, or its points' share); `full`: its full score in
    the total's points; `by_points`: declared by `points` (its indicators add up to `full`, and its subtotal
    counts as it is) rather than by `weight` (its indicators add up to 100, and its subtotal is scaled)."""

    key: str
    label: str
    weight: float
    full: float
    by_points: bool
    indicators: tuple[Indicator, ...]

    def weighted(self, subtotal: float) -> float:
        """The part's 折合: its rounded subtotal brought to its share of the total."""
        return R.round2(subtotal if self.by_points else subtotal * self.full / 100)


@dataclass(frozen=True)
class Scheme:
    name: str
    subject: str
    parts: tuple[Part, ...]
    source: str
    ranking: dict = field(default_factory=dict)
    total: float = 100.0

    def inputs(self) -> set[str]:
        return {i.input for p in self.parts for i in p.indicators}

    def entered(self) -> dict[str, tuple[str, float]]:
        """The inputs the office enters by hand: `entered.*` name → (indicator label, its points)."""
        return {i.input: (i.label, i.points) for p in self.parts for i in p.indicators if i.input.startswith("entered.")}


def _need(d: dict, key: str, where: str, src: str, kind=None):
    if not isinstance(d, dict) or key not in d:
        raise SchemeError(f"{src}: {where}.{key} 缺失 / missing")
    v = d[key]
    if kind is not None and not isinstance(v, kind):
        raise SchemeError(f"{src}: {where}.{key} 类型应为 {kind} / must be {kind}, got {v!r}")
    return v


def _check_input(name: str, subject: str, where: str, src: str) -> None:
    new = renamed(subject, name)
    if new is not None:
        raise SchemeError(f"{src}: {where}.input = {name!r} 已更名为 {new!r}，请改用新名称 / "
                          f"renamed to {new!r} (docs/scoring.md, Inputs)")
    known = known_inputs(subject)
    if name not in known and not is_entered(name):
        raise SchemeError(f"{src}: {where}.input = {name!r} 不是已知指标 / unknown indicator; "
                          f"known: {', '.join(sorted(known))}, or entered.<name> for a score the office enters")


def _number(d: dict, key: str, where: str, src: str) -> float:
    v = _need(d, key, where, src)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise SchemeError(f"{src}: {where}.{key} = {v!r}，应为数字 / must be a number")
    return float(v)


def _indicator(ind: dict, subject: str, where: str, src: str) -> Indicator:
    points = _number(ind, "points", where, src)
    inp = _need(ind, "input", where, src, str)
    _check_input(inp, subject, where, src)
    rule = _need(ind, "rule", where, src, dict)
    if is_entered(inp) and rule.get("kind") != "entered":
        raise SchemeError(f"{src}: {where}.rule.kind = {rule.get('kind')!r}：录入项 {inp} 应使用 kind: entered / "
                          f"an entered input is scored by kind: entered")
    try:
        R.validate(rule, points)
    except R.RuleError as exc:
        key = f"rule.{exc.key}" if exc.key else "rule"
        raise SchemeError(f"{src}: {where}.{key}: {exc}") from None
    return Indicator(_need(ind, "key", where, src, str), ind.get("label", ind["key"]), points, inp, rule)


def _part(p: dict, subject: str, total: float, where: str, src: str) -> Part:
    """A part given by `weight` (percent of the total, indicators out of 100) or by `points` (out of its points)."""
    given = [k for k in ("weight", "points") if isinstance(p, dict) and k in p]
    if len(given) != 1:
        raise SchemeError(f"{src}: {where} 应写 weight（占总分的百分比）或 points（本部分分值）二者之一 / "
                          f"give exactly one of weight (percent of the total) or points (the part's full score)")
    by_points = given == ["points"]
    value = _number(p, given[0], where, src)
    top = total if by_points else 100
    if not 0 < value <= top:
        raise SchemeError(f"{src}: {where}.{given[0]} = {value:g}，应在 0–{top:g} 之间 / must be within 0–{top:g}")
    full = value if by_points else value * total / 100
    inds = tuple(_indicator(ind, subject, f"{where}.indicators[{j}]", src)
                 for j, ind in enumerate(_need(p, "indicators", where, src, list)))
    out_of = full if by_points else 100
    points_sum = sum(i.points for i in inds)
    if abs(points_sum - out_of) > 1e-9:
        whose = f"本部分 points {out_of:g}" if by_points else " 100"
        raise SchemeError(f"{src}: {where} 各指标分值合计 {points_sum:g}，应为{whose} / "
                          f"indicator points must sum to {out_of:g}")
    weight = value if not by_points else value * 100 / total
    return Part(_need(p, "key", where, src, str), p.get("label", p["key"]), weight, full, by_points, inds)


def parse_scheme(doc: dict, src: str) -> Scheme:
    """Validate a scheme document: its total, its structure, its rules, and its input names for its subject."""
    if not isinstance(doc, dict):
        raise SchemeError(f"{src}: 方案应为键值结构 / a scheme must be a mapping")
    extra = set(doc) - {"name", "subject", "total", "parts", "ranking"}
    if extra:
        raise SchemeError(f"{src}: 未知键 / unknown keys {sorted(extra)}")
    name = _need(doc, "name", "scheme", src, str)
    subject = _need(doc, "subject", "scheme", src, str)
    if subject not in SUBJECTS:
        raise SchemeError(f"{src}: scheme.subject = {subject!r}，应为 {SUBJECTS} 之一 / must be one of {SUBJECTS}")
    total = _number(doc, "total", "scheme", src) if "total" in doc else 100.0
    if total <= 0:
        raise SchemeError(f"{src}: scheme.total = {total:g}，应大于 0 / must be positive")
    parts = tuple(_part(p, subject, total, f"parts[{i}]", src)
                  for i, p in enumerate(_need(doc, "parts", "scheme", src, list)))
    full_sum = sum(p.full for p in parts)
    if abs(full_sum - total) > 1e-9 * total:
        if not any(p.by_points for p in parts):
            raise SchemeError(f"{src}: parts 权重合计 {sum(p.weight for p in parts):g}%，应为 100% / "
                              f"part weights must sum to 100%")
        raise SchemeError(f"{src}: parts 各部分满分合计 {full_sum:g} 分，应为方案总分 total {total:g} 分 / "
                          f"the parts' full scores must add up to the scheme's total {total:g}")
    return Scheme(name, subject, parts, src, doc.get("ranking", {}), total)


def load_scheme(path: str | Path) -> Scheme:
    """Load a user's scheme file (.yaml/.yml/.toml)."""
    path = Path(path)
    if not path.exists():
        raise SchemeError(f"方案文件不存在 / scheme file not found: {path}")
    text = path.read_text(encoding="utf-8")
    try:
        doc = tomllib.loads(text) if path.suffix == ".toml" else yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise SchemeError(f"{path}: 无法解析 / cannot parse: {exc}") from None
    return parse_scheme(doc, str(path))


def builtin_scheme(name: str) -> Scheme:
    text = resources.files("hotline.data").joinpath("schemes", f"{name}.yaml").read_text(encoding="utf-8")
    return parse_scheme(yaml.safe_load(text), f"builtin:{name}")


BUILTIN = {"county": "county_monthly", "unit": "unit_monthly"}


def default_scheme(subject: str) -> Scheme:
    """The built-in scheme for a subject (county or unit): the Xiangtan demo's."""
    return builtin_scheme(BUILTIN[subject])


def profile_schemes(profile: Profile) -> dict[str, Scheme]:
    """A city profile's schemes by subject, checked (SchemeError names the file and the key); a subject the
    profile gives no scheme for has none — no county ranking, no 红榜/黑榜."""
    out = {}
    for subject, doc in profile.schemes.items():
        scheme = parse_scheme(doc.content, doc.source)
        if scheme.subject != subject:
            raise SchemeError(f"{doc.source}: 列在 schemes.{subject} 下的方案 subject 为 {scheme.subject} / "
                              f"a scheme under schemes.{subject} must have subject: {subject}")
        out[subject] = scheme
    return out
