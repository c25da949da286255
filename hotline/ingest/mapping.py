"""Mappings as data: which columns of a platform's export hold which canonical field, and how its wording maps.

Why data and not code: every city's platform (and every vendor version) names its columns differently —
事件编号 or 工单编号, 受理时间 or 来电时间 — and words its values differently (满意度评价: 非常满意). A hotline office
must be able to describe its own export in a YAML file, from docs/import.md alone, without touching Python.
The shipped mappings live in hotline/data/mappings/; `--mapping NAME` finds them, `--mapping FILE` reads a file.

A mapping may `extends:` another one (a shipped name or a path): dictionaries merge key by key, and the
child's value wins; lists are replaced. Every mapping implicitly extends `common` (shared value wording).
Loading checks everything it can (unknown tables, fields, codes, bad regular expressions) and fails with the
location of the mistake, in Chinese, before any file is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from hotline.ingest.fields import LABELS, OPEN_CODES, REQUIRED, TABLES
from hotline.ingest.values import key


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names the file and the key."""


@dataclass
class TableSpec:
    kind: str
    columns: dict[str, list[str]]  # field → header synonyms, preferred first
    compose: dict[str, str] = field(default_factory=dict)  # field → template over source headers: "{留言主题}"
    constants: dict[str, Any] = field(default_factory=dict)  # field → fixed raw value
    ticket_no_extract: re.Pattern | None = None
    ticket_no_format: str | None = None
    derive_events: bool = True
    deadline: str = "column"  # column | computed | none


@dataclass
class Rules:
    """Keyword rules: the first rule one of whose words occurs in the searched text wins."""

    source: list[str]
    rules: list[tuple[str, list[str]]]
    default: str | None


@dataclass
class Mapping:
    name: str
    title: str
    origin: str
    tables: dict[str, TableSpec]
    values: dict[str, dict[str, str]]  # codes table → {key(wording): code}
    bools: dict[str, bool]
    date_order: str = "ymd"
    defaults: dict[str, Any] = field(default_factory=dict)
    units_unknown: str = "reject"  # reject | create
    units_group: str = "city_dept"
    unit_aliases: dict[str, str] = field(default_factory=dict)
    unit_rewrite: list[tuple[re.Pattern, str]] = field(default_factory=list)
    region_aliases: dict[str, str] = field(default_factory=dict)
    region_extract: re.Pattern | None = None
    region_default: str = "市本级"
    region_from_unit: bool = True
    subcategory_unknown: str = "reject"  # reject | other
    subcategory_aliases: dict[str, str] = field(default_factory=dict)
    classify: dict[str, Rules] = field(default_factory=dict)  # "subcategory" / "appeal_type" → rules
    deadline_days: dict[str, int] = field(default_factory=dict)
    platform_aliases: dict[str, str] = field(default_factory=dict)
    clean_text: bool = True  # trim lines of free text (False: keep it byte for byte, the project's own format)

    def code(self, table: str, raw: str) -> str | None:
        """The code for a wording, or None if the mapping does not know it."""
        return self.values.get(table, {}).get(key(raw))


BUILTIN = "hotline.data.mappings"


def builtin_names() -> list[str]:
    folder = resources.files("hotline.data").joinpath("mappings")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml") and p.name != "common.yaml")


def _read(ref: str, base: Path | None) -> tuple[dict, str]:
    path = Path(ref)
    if base is not None and not path.is_absolute() and (base / path).exists():
        path = base / path
    if ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref or path.is_file():
        if not path.exists():
            raise MappingError(f"映射文件不存在：{ref} / mapping file not found")
        text, origin = path.read_text(encoding="utf-8"), str(path)
    else:
        res = resources.files("hotline.data").joinpath("mappings", f"{ref}.yaml")
        if not res.is_file():
            raise MappingError(f"没有名为 {ref} 的内置映射（可用：{'、'.join(builtin_names())}）/ unknown mapping {ref}")
        text, origin = res.read_text(encoding="utf-8"), ref
    try:
        doc = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise MappingError(f"{origin}：YAML 格式错误 / invalid YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise MappingError(f"{origin}：顶层应为键值对 / top level must be a mapping")
    return doc, origin


def _merge(parent: dict, child: dict) -> dict:
    out = dict(parent)
    for k, v in child.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def load_mapping(ref: str) -> Mapping:
    """A shipped mapping by name (platform_12345, hotline, tipdm, nyc311) or a YAML file by path."""
    chain, seen, base = [], set(), None
    while ref:
        if ref in seen:
            raise MappingError(f"映射继承出现循环：{ref} / extends loop")
        seen.add(ref)
        doc, origin = _read(ref, base)
        chain.append((doc, origin))
        base = Path(origin).parent if Path(origin).is_file() else base
        ref = doc.get("extends") or ("common" if origin != "common" else None)
    merged: dict = {}
    for doc, _ in reversed(chain):
        merged = _merge(merged, {k: v for k, v in doc.items() if k != "extends"})
    return _build(merged, chain[0][1])


def _need(cond: bool, origin: str, where: str, what: str) -> None:
    if not cond:
        raise MappingError(f"{origin}：{where} {what} / invalid mapping at {where}")


def _regex(text: Any, origin: str, where: str) -> re.Pattern:
    try:
        return re.compile(str(text))
    except re.error as exc:
        raise MappingError(f"{origin}：{where} 不是有效的正则表达式（{exc}）/ bad regular expression") from None


def _strs(v: Any) -> list[str]:
    return [str(x) for x in v] if isinstance(v, list) else [str(v)]


def _build(doc: dict, origin: str) -> Mapping:
    known = {"name", "title", "description", "tables", "values", "bools", "dates", "defaults", "units", "regions",
             "subcategories", "classify", "deadline_days", "platforms", "clean_text"}
    unknown = set(doc) - known
    _need(not unknown, origin, "、".join(sorted(map(str, unknown))), "是未知的键（可用：" + "、".join(sorted(known)) + "）")
    tables = {}
    for kind, spec in (doc.get("tables") or {}).items():
        _need(kind in TABLES, origin, f"tables.{kind}", f"不是已知的表（可用：{'、'.join(TABLES)}）")
        spec = spec or {}
        fields = TABLES[kind]
        cols = {}
        for f, syn in (spec.get("columns") or {}).items():
            _need(f in fields, origin, f"tables.{kind}.columns.{f}", f"不是已知字段（可用：{'、'.join(fields)}）")
            cols[f] = _strs(syn)
        compose = {}
        for f, tpl in (spec.get("compose") or {}).items():
            _need(f in fields, origin, f"tables.{kind}.compose.{f}", "不是已知字段")
            compose[f] = str(tpl)
        consts = dict(spec.get("constants") or {})
        for f in consts:
            _need(f in fields, origin, f"tables.{kind}.constants.{f}", "不是已知字段")
        tno = spec.get("ticket_no") or {}
        if tno.get("format"):
            try:
                str(tno["format"]).format(value="1", accepted_at=datetime(2022, 10, 8, 9, 32, 9))
            except (KeyError, IndexError, ValueError, AttributeError) as exc:
                raise MappingError(f"{origin}：tables.{kind}.ticket_no.format 无法使用（{exc}）；"
                                   "只能引用 {value} 与 {accepted_at} / bad format") from None
        deadline = spec.get("deadline", "column")
        _need(deadline in ("column", "computed", "none"), origin, f"tables.{kind}.deadline", "应为 column、computed 或 none")
        for f in REQUIRED[kind]:
            _need(f in cols or f in compose or f in consts, origin, f"tables.{kind}", f"缺少必需字段 {f} 的列名")
        tables[kind] = TableSpec(
            kind, cols, compose, consts,
            _regex(tno["extract"], origin, f"tables.{kind}.ticket_no.extract") if tno.get("extract") else None,
            tno.get("format"), bool(spec.get("derive_events", kind == "tickets")), deadline)
    _need(bool(tables), origin, "tables", "至少要定义一张表（如 tickets）")

    values: dict[str, dict[str, str]] = {}
    for table, labels in LABELS.items():
        values[table] = {key(code): code for code in labels} | {key(label): code for code, label in labels.items()}
    for table, words in (doc.get("values") or {}).items():
        _need(table in LABELS, origin, f"values.{table}", f"不是已知的代码表（可用：{'、'.join(LABELS)}）")
        for word, code in (words or {}).items():
            ok = code in LABELS[table] or (table in OPEN_CODES and re.fullmatch(r"[a-z_]+", str(code)))
            _need(bool(ok), origin, f"values.{table}.{word}", f"的代码 {code} 无效（可用：{'、'.join(LABELS[table])}）")
            values[table][key(str(word))] = str(code)
    bools = {key(str(k)): bool(v) for k, v in (doc.get("bools") or {}).items()}

    units = doc.get("units") or {}
    _need(units.get("unknown", "reject") in ("reject", "create"), origin, "units.unknown", "应为 reject 或 create")
    _need(units.get("create_group", "city_dept") in LABELS["unit_group"], origin, "units.create_group", "不是有效的单位类别")
    rewrite = []
    for i, r in enumerate(units.get("rewrite") or []):
        _need(isinstance(r, dict) and "pattern" in r, origin, f"units.rewrite[{i}]", "应为 {pattern: 正则, replace: 替换}")
        rewrite.append((_regex(r["pattern"], origin, f"units.rewrite[{i}]"), str(r.get("replace", ""))))
    regions = doc.get("regions") or {}
    subs = doc.get("subcategories") or {}
    _need(subs.get("unknown", "reject") in ("reject", "other"), origin, "subcategories.unknown", "应为 reject 或 other")
    classify = {}
    for target, spec in (doc.get("classify") or {}).items():
        _need(target in ("subcategory", "appeal_type"), origin, f"classify.{target}", "只能是 subcategory 或 appeal_type")
        rules = []
        for i, r in enumerate(spec.get("rules") or []):
            _need(isinstance(r, dict) and len(r) == 1, origin, f"classify.{target}.rules[{i}]", "应为 {目标: [关键词…]}")
            (to, words), = r.items()
            if target == "appeal_type":
                _need(to in LABELS["appeal_type"], origin, f"classify.appeal_type.rules[{i}]", f"{to} 不是诉求类型代码")
            rules.append((str(to), _strs(words)))
        classify[target] = Rules(_strs(spec.get("from", ["title", "content"])), rules, spec.get("default"))
    order = (doc.get("dates") or {}).get("order", "ymd")
    _need(order in ("ymd", "mdy", "dmy"), origin, "dates.order", "应为 ymd、mdy 或 dmy")
    return Mapping(
        name=str(doc.get("name") or origin), title=str(doc.get("title") or doc.get("name") or origin), origin=origin,
        tables=tables, values=values, bools=bools, date_order=order, defaults=dict(doc.get("defaults") or {}),
        units_unknown=units.get("unknown", "reject"), units_group=units.get("create_group", "city_dept"),
        unit_aliases={str(k): str(v) for k, v in (units.get("aliases") or {}).items()}, unit_rewrite=rewrite,
        region_aliases={key(str(k)): str(v) for k, v in (regions.get("aliases") or {}).items()},
        region_extract=_regex(regions["extract"], origin, "regions.extract") if regions.get("extract") else None,
        region_default=str(regions.get("default", "市本级")), region_from_unit=bool(regions.get("from_unit", True)),
        subcategory_unknown=subs.get("unknown", "reject"),
        subcategory_aliases={key(str(k)): str(v) for k, v in (subs.get("aliases") or {}).items()},
        classify=classify, deadline_days={str(k): int(v) for k, v in (doc.get("deadline_days") or {}).items()},
        platform_aliases={key(str(k)): str(v) for k, v in (doc.get("platforms") or {}).items()},
        clean_text=bool(doc.get("clean_text", True)),
    )
