"""Assessment schemes as data files (YAML or TOML), validated on load.

A scheme has parts with weights (percent of the total), each part indicators with points and a scoring
rule. A half-valid scheme is never used: `load_scheme` raises `SchemeError` naming the file, the key
(e.g. `parts[1].indicators[0].rule.target`) and what to fix. The rule kinds are in `rules.py`, the input
names a subject's indicators may read in `names.py`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from hotline.scoring import rules as R
from hotline.scoring.names import SUBJECTS, known_inputs, renamed


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
    key: str
    label: str
    weight: float
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Scheme:
    name: str
    subject: str
    parts: tuple[Part, ...]
    source: str
    ranking: dict = field(default_factory=dict)

    def inputs(self) -> set[str]:
        return {i.input for p in self.parts for i in p.indicators}


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
    if name not in known:
        raise SchemeError(f"{src}: {where}.input = {name!r} 不是已知指标 / unknown indicator; "
                          f"known: {', '.join(sorted(known))}")


def parse_scheme(doc: dict, src: str) -> Scheme:
    """Validate a scheme document: its structure, its rules, and its input names for its subject."""
    if not isinstance(doc, dict):
        raise SchemeError(f"{src}: 方案应为键值结构 / a scheme must be a mapping")
    extra = set(doc) - {"name", "subject", "parts", "ranking"}
    if extra:
        raise SchemeError(f"{src}: 未知键 / unknown keys {sorted(extra)}")
    name = _need(doc, "name", "scheme", src, str)
    subject = _need(doc, "subject", "scheme", src, str)
    if subject not in SUBJECTS:
        raise SchemeError(f"{src}: scheme.subject = {subject!r}，应为 {SUBJECTS} 之一 / must be one of {SUBJECTS}")
    parts_doc = _need(doc, "parts", "scheme", src, list)
    parts, weight_sum = [], 0.0
    for i, p in enumerate(parts_doc):
        where = f"parts[{i}]"
        weight = _need(p, "weight", where, src, (int, float))
        if not 0 < weight <= 100:
            raise SchemeError(f"{src}: {where}.weight = {weight}，应在 0–100 之间 / must be within 0–100")
        weight_sum += weight
        inds, points_sum = [], 0.0
        for j, ind in enumerate(_need(p, "indicators", where, src, list)):
            w = f"{where}.indicators[{j}]"
            points = _need(ind, "points", w, src, (int, float))
            inp = _need(ind, "input", w, src, str)
            _check_input(inp, subject, w, src)
            rule = _need(ind, "rule", w, src, dict)
            try:
                R.validate(rule, points)
            except R.RuleError as exc:
                raise SchemeError(f"{src}: {w}.rule: {exc}") from None
            points_sum += points
            inds.append(Indicator(_need(ind, "key", w, src, str), ind.get("label", ind["key"]), float(points), inp, rule))
        if abs(points_sum - 100) > 1e-9:
            raise SchemeError(f"{src}: {where} 各指标分值合计 {points_sum:g}，应为 100 / indicator points must sum to 100")
        parts.append(Part(_need(p, "key", where, src, str), p.get("label", p["key"]), float(weight), tuple(inds)))
    if abs(weight_sum - 100) > 1e-9:
        raise SchemeError(f"{src}: parts 权重合计 {weight_sum:g}%，应为 100% / part weights must sum to 100%")
    return Scheme(name, subject, tuple(parts), src, doc.get("ranking", {}))


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
