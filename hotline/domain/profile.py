"""A city profile: what makes one hotline's product different from another's, as data.

Why: the next city's office must adopt hotline without touching code. Everything that is theirs — the city and the
issuing office, their platforms (a city one, county ones if any), districts, handling units and their groups, appeal
taxonomy, extra channels, the working-day calendar, SLA rules, assessment schemes, the report's wording, the format
of their ticket numbers — is one profile file (plus the files it names), validated when loaded, with the file and the
key in every error. Only `city` and `office` are required; every other section has a default that works for a city
that knows nothing more yet (units, districts and categories are then learned from its imports).

The Xiangtan demo is the built-in profile `xiangtan` (`hotline/data/profiles/xiangtan/profile.yaml`). The format is
documented in docs/profile.md, whose examples a test loads.

A section given as a string is a file, relative to the profile file: `units: units.yaml`. Sections read by layers
above the domain (the report's wording, the assessment schemes) are kept here as their documents with their source,
and validated by those layers when a store is made from the profile (`hotline init`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from hotline.domain.calendar import WorkingDays, load_default_calendar, parse_overrides
from hotline.domain.codes import LABELS, UNIT_GROUPS
from hotline.domain.registry import Platform, Subcategory, Unit, ticket_suffix
from hotline.domain.sla import SlaError, SlaRules, default_rules, parse_rules

PROFILE_FILE = "profile.yaml"
BUILTIN = "profiles"  # hotline/data/profiles/<name>/profile.yaml
DEFAULT_HOTLINE = "12345 政务服务便民热线"
DEFAULT_LEGAL_BASIS = "根据《国务院办公厅关于进一步优化地方政务服务便民热线的指导意见》等文件精神"
TICKET_NO_MAX = 64  # the store's column (hotline/store/schema.py tickets.ticket_no)
SECTIONS = ("name", "city", "office", "hotline", "legal_basis", "platforms", "regions", "unit_groups", "units",
            "taxonomy", "channels", "calendar", "sla", "schemes", "ticket_no", "report")
CALENDARS = ("chinese", "weekdays")
SCHEME_SUBJECTS = ("county", "unit")
_CODE = re.compile(r"[a-z][a-z0-9_]*")


class ProfileError(ValueError):
    """The profile (or a file it names) is not usable; the message names the file and the key."""


@dataclass(frozen=True)
class TicketNumbers:
    """What a ticket number (事件编号) may look like: a regular expression it must match in full, or free text."""

    pattern: str | None = None
    max_length: int = TICKET_NO_MAX

    def problem(self, number: str) -> str | None:
        """Why `number` is not a ticket number of this hotline (Chinese), or None."""
        if not number or len(number) > self.max_length:
            return f"事件编号应为 1 至 {self.max_length} 个字符（“{number}”是 {len(number)} 个）"
        if self.pattern is not None and not re.fullmatch(self.pattern, number):
            return f"事件编号“{number}”不符合本热线的格式 {self.pattern}"
        return None


@dataclass(frozen=True)
class Document:
    """A section kept for a layer above the domain: its content and where it came from (for error messages)."""

    content: Any
    source: str


@dataclass(frozen=True)
class Profile:
    name: str
    city: str
    office: str
    source: str  # the profile file
    hotline: str = DEFAULT_HOTLINE
    legal_basis: str = DEFAULT_LEGAL_BASIS
    platforms: tuple[Platform, ...] = ()
    regions: tuple[str, ...] = ()
    unit_groups: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, Unit] = field(default_factory=dict)  # empty: learned from imports
    categories: tuple[str, ...] = ()  # empty: an open taxonomy, learned from imports
    subcategories: Mapping[str, Subcategory] = field(default_factory=dict)
    channels: Mapping[str, str] = field(default_factory=dict)  # code → word, the shipped ones and the profile's
    calendar: str | Mapping[str, Any] = "chinese"  # chinese, weekdays, or the profile's own {years: …}
    sla: SlaRules = field(default_factory=SlaRules)
    schemes: Mapping[str, Document] = field(default_factory=dict)  # subject → scheme document
    ticket_no: TicketNumbers = TicketNumbers()
    report: Document | None = None  # the report's wording (hotline/data/report.yaml's format); None: the defaults
    document: Mapping[str, Any] = field(default_factory=dict, repr=False)  # the profile with its files inlined

    @property
    def counties(self) -> tuple[Platform, ...]:
        return tuple(p for p in self.platforms if p.level == "county")

    def ticket_suffix(self, platform: str) -> str:
        """The last three digits of a ticket number the work-order service gives on `platform`."""
        return ticket_suffix(self.platforms, platform)

    @property
    def open_taxonomy(self) -> bool:
        return not self.subcategories

    def working_days(self) -> WorkingDays:
        """The profile's working-day calendar: the State Council's (default), Monday–Friday, or its own file."""
        if self.calendar == "chinese":
            return load_default_calendar()
        if self.calendar == "weekdays":
            return WorkingDays(frozenset(), frozenset(), frozenset(range(1990, 2101)))
        return _own_calendar(self.calendar, self.source)


# ---- loading ---------------------------------------------------------------------------------------------------


def builtin_profile_path(name: str) -> Path:
    path = Path(str(resources.files("hotline.data").joinpath(BUILTIN, name, PROFILE_FILE)))
    if not path.exists():
        known = sorted(p.name for p in Path(str(resources.files("hotline.data").joinpath(BUILTIN))).iterdir()
                       if (p / PROFILE_FILE).exists())
        raise ProfileError(f"没有名为 {name} 的内置城市配置（可用：{'、'.join(known)}）/ no built-in profile {name!r}")
    return path


def profile_from_document(doc: Mapping[str, Any], source: str) -> Profile:
    """A profile from its self-contained document (`Profile.document`, every file inlined), as a store keeps it."""
    if not isinstance(doc, Mapping):
        raise ProfileError(f"{source}：城市配置应为键值结构 / a profile must be a mapping")
    return _Parser(Path(source), doc).profile()


def load_profile(ref: str | Path) -> Profile:
    """A profile by built-in name (`xiangtan`), by its file, or by the folder holding its `profile.yaml`."""
    path = Path(ref)
    if path.is_dir():
        path = path / PROFILE_FILE
    elif not path.exists() and path.suffix not in (".yaml", ".yml") and "/" not in str(ref):
        path = builtin_profile_path(str(ref))
    if not path.exists():
        raise ProfileError(f"城市配置文件不存在：{path} / profile file not found")
    doc = _read(path, str(path))
    if not isinstance(doc, Mapping):
        raise ProfileError(f"{path}：城市配置应为键值结构（至少有 city: 与 office:）/ a profile must be a mapping")
    return _Parser(path, doc).profile()


def _read(path: Path, where: str) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ProfileError(f"{where}：无法解析 YAML / cannot parse: {exc}") from None
    except OSError as exc:
        raise ProfileError(f"{where}：无法读取 / cannot read: {exc}") from None


def _own_calendar(doc: Mapping[str, Any], source: str) -> WorkingDays:
    """A calendar of the profile's own holidays (`{years: {2024: {holidays: [...], workdays: [...]}}}`)."""
    try:
        years = parse_overrides(doc.get("years") or {})
        holidays = frozenset(d for y in years.values() for d in y.get("holidays", ()))
        workdays = frozenset(d for y in years.values() for d in y.get("workdays", ()))
        return WorkingDays(holidays, workdays, frozenset(years))
    except (ValueError, AttributeError) as exc:
        raise ProfileError(f"{source}: calendar：{exc}") from None


class _Parser:
    """Reads one profile document, section by section, naming the file and the key in every error."""

    def __init__(self, path: Path, doc: Mapping[str, Any]):
        self.path, self.doc, self.src = path, doc, str(path)
        self.resolved: dict[str, Any] = {k: v for k, v in doc.items()}  # files replaced by their content as read

    def fail(self, key: str, message: str):
        raise ProfileError(f"{self.src}: {key}：{message}")

    def text(self, key: str, default: str | None = None, required: bool = False) -> str:
        value = self.doc.get(key, default)
        if value is None and required:
            self.fail(key, "缺失（城市配置至少要有 city: 与 office:）/ missing")
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(key, f"应为文字，现为 {value!r} / must be text")
        return value.strip()

    def section(self, key: str) -> tuple[Any, str]:
        """The section's content and where it came from: inline, or the file a string names (a file that is a
        mapping with the section's own key gives that key's content: one file may hold several sections)."""
        value = self.doc.get(key)
        if isinstance(value, str) and value.endswith((".yaml", ".yml")):
            file = self.path.parent / value
            if not file.exists():
                self.fail(key, f"文件不存在：{file} / file not found")
            content = _read(file, f"{self.src}: {key} ({file})")
            if isinstance(content, Mapping) and key in content:
                content = content[key]
            self.resolved[key] = content
            return content, f"{self.src}: {key} ({file})"
        return value, f"{self.src}: {key}"

    def profile(self) -> Profile:
        unknown = sorted(set(self.doc) - set(SECTIONS))
        if unknown:
            self.fail(", ".join(unknown), f"未知的配置项；可用：{'、'.join(SECTIONS)} / unknown keys")
        city = self.text("city", required=True)
        groups = self.unit_groups()
        platforms = self.platforms(city)
        categories, subcategories = self.taxonomy()
        self.resolved["name"] = name = self.text("name", self.path.parent.name or city)
        return Profile(
            name=name, city=city, office=self.text("office", required=True),
            source=self.src, hotline=self.text("hotline", DEFAULT_HOTLINE),
            legal_basis=self.text("legal_basis", DEFAULT_LEGAL_BASIS), platforms=platforms,
            regions=self.regions(), unit_groups=groups, units=self.units(groups, platforms),
            categories=categories, subcategories=subcategories, channels=self.channels(), calendar=self.calendar(),
            sla=self.sla(subcategories, categories), schemes=self.schemes(), ticket_no=self.ticket_no(),
            report=self.report(), document=self.resolved)

    # ---- sections --------------------------------------------------------------------------------------------
    def platforms(self, city: str) -> tuple[Platform, ...]:
        value, where = self.section("platforms")
        if value is None:
            return (Platform("city", f"{city}12345热线", "city", None, "099"),)
        if not isinstance(value, list) or not value:
            self.fail("platforms", "应为平台列表（每项 code、name、level）/ must be a list of platforms")
        out, seen = [], set()
        for i, p in enumerate(value):
            key = f"platforms[{i}]"
            if not isinstance(p, Mapping) or not {"code", "name", "level"} <= set(p):
                self.fail(key, "每个平台要有 code、name、level / needs code, name, level")
            if p["level"] not in LABELS["platform_level"]:
                self.fail(f"{key}.level", f"应为 {'、'.join(LABELS['platform_level'])} 之一")
            if not _CODE.fullmatch(str(p["code"])) or p["code"] in seen:
                self.fail(f"{key}.code", f"{p['code']!r} 应为小写字母代码且不重复 / a unique lower-case code")
            seen.add(p["code"])
            out.append(Platform(str(p["code"]), str(p["name"]), str(p["level"]), p.get("region"),
                                str(p.get("ticket_suffix", "199"))))
        if sum(p.level == "city" for p in out) != 1:
            self.fail("platforms", f"应有且只有一个 level: city 的平台（{where}）/ exactly one city platform")
        return tuple(out)

    def regions(self) -> tuple[str, ...]:
        value, _ = self.section("regions")
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(r, str) and r for r in value):
            self.fail("regions", "应为县市区名称列表（展示次序）/ must be a list of region names")
        return tuple(value)

    def unit_groups(self) -> dict[str, str]:
        value, _ = self.section("unit_groups")
        groups = dict(LABELS["unit_group"])
        if value is None:
            return groups
        if not isinstance(value, Mapping):
            self.fail("unit_groups", f"应为 分组代码: 名称（可用代码：{'、'.join(UNIT_GROUPS)}）")
        for code, word in value.items():
            if code not in UNIT_GROUPS:
                self.fail(f"unit_groups.{code}", f"未知的单位分组；可用：{'、'.join(UNIT_GROUPS)}")
            groups[code] = str(word)
        return groups

    def units(self, groups: Mapping[str, str], platforms: tuple[Platform, ...]) -> dict[str, Unit]:
        value, where = self.section("units")
        if value is None:
            return {}
        items = value
        if not isinstance(items, list):
            self.fail("units", f"应为单位列表（{where}）/ must be a list of units")
        codes = {p.code for p in platforms}
        units: dict[str, Unit] = {}
        for i, u in enumerate(items):
            key = f"units[{i}]"
            if not isinstance(u, Mapping) or not u.get("name") or u.get("group") not in groups:
                self.fail(key, f"每个单位要有 name 和 group（{'、'.join(groups)}）（{where}）/ needs name and group")
            if u.get("platform") is not None and u["platform"] not in codes:
                self.fail(f"{key}.platform", f"{u['platform']!r} 不是 platforms 中的平台代码")
            if u["name"] in units:
                self.fail(f"{key}.name", f"单位“{u['name']}”重复")
            units[u["name"]] = Unit(u["name"], u["group"], u.get("region"), u.get("platform"),
                                    tuple(u.get("aliases", [])), i)
        return units

    def taxonomy(self) -> tuple[tuple[str, ...], dict[str, Subcategory]]:
        value, where = self.section("taxonomy")
        if value is None:
            return (), {}
        cats_doc = value.get("categories") if isinstance(value, Mapping) else None
        if not isinstance(cats_doc, list) or not cats_doc:
            self.fail("taxonomy", f"应有 categories: 列表，每个大类有 name 与 subcategories（{where}）")
        cats: list[str] = []
        subs: dict[str, Subcategory] = {}
        for i, cat in enumerate(cats_doc):
            if not isinstance(cat, Mapping) or not cat.get("name") or not isinstance(cat.get("subcategories"), list):
                self.fail(f"taxonomy.categories[{i}]", f"大类要有 name 与 subcategories 列表（{where}）")
            cats.append(cat["name"])
            for j, s in enumerate(cat["subcategories"]):
                name = s.get("name") if isinstance(s, Mapping) else None
                if not name or name in subs:
                    self.fail(f"taxonomy.categories[{i}].subcategories[{j}]", f"小类名称缺失或重复（{where}）")
                subs[name] = Subcategory(name, cat["name"], s.get("short", name), s.get("topic", name),
                                         s.get("civility"), len(subs))
        return tuple(cats), subs

    def channels(self) -> dict[str, str]:
        value, _ = self.section("channels")
        channels = dict(LABELS["channel"])
        if value is None:
            return channels
        if not isinstance(value, Mapping):
            self.fail("channels", "应为 渠道代码: 名称（如 walk_in: 窗口）/ must map codes to words")
        for code, word in value.items():
            if not _CODE.fullmatch(str(code)) or not isinstance(word, str) or not word:
                self.fail(f"channels.{code}", "渠道代码应为小写字母、数字与下划线，名称为文字")
            channels[str(code)] = word
        return channels

    def calendar(self) -> str | Mapping[str, Any]:
        value = self.doc.get("calendar", "chinese")
        if value in CALENDARS:
            return value
        if isinstance(value, Mapping) and set(value) == {"file"}:
            file = self.path.parent / str(value["file"])
            if not file.exists():
                self.fail("calendar.file", f"文件不存在：{file}")
            value = {"years": (_read(file, f"{self.src}: calendar.file ({file})") or {}).get("years") or {}}
            self.resolved["calendar"] = value
        if isinstance(value, Mapping) and set(value) == {"years"}:
            _own_calendar(value, self.src)  # checked now, not on the first deadline
            return value
        self.fail("calendar", f"应为 chinese（国务院节假日安排，含调休）、weekdays（周一至周五）或 {{file: 节假日文件}}，现为 {value!r}")

    def sla(self, subcategories: Mapping[str, Subcategory], categories: tuple[str, ...]) -> SlaRules:
        value, where = self.section("sla")
        if value is None:
            return default_rules()
        try:
            rules = parse_rules(value)
        except SlaError as exc:
            raise ProfileError(f"{where}：{exc}") from None
        if subcategories:
            unknown = sorted(set(rules.by_category) - set(categories)) + sorted(set(rules.by_subcategory) - set(subcategories))
            if unknown:
                raise ProfileError(f"{where}：分类表中没有这些诉求分类 {unknown} / not in the profile's taxonomy")
        return rules

    def schemes(self) -> dict[str, Document]:
        value = self.doc.get("schemes")
        if value is None:
            return {}
        if not isinstance(value, Mapping) or not set(value) <= set(SCHEME_SUBJECTS):
            self.fail("schemes", f"应为 {{county: 方案文件, unit: 方案文件}}（可只给其一）/ subjects: {SCHEME_SUBJECTS}")
        out, inlined = {}, {}
        for subject, ref in value.items():
            if isinstance(ref, Mapping):  # inline (as a store keeps it)
                out[subject] = Document(ref, f"{self.src}: schemes.{subject}")
            else:
                file = self.path.parent / str(ref)
                if not file.exists():
                    self.fail(f"schemes.{subject}", f"文件不存在：{file}")
                out[subject] = Document(_read(file, f"{self.src}: schemes.{subject}"), str(file))
            inlined[subject] = out[subject].content
        self.resolved["schemes"] = inlined
        return out

    def ticket_no(self) -> TicketNumbers:
        value = self.doc.get("ticket_no")
        if value is None:
            return TicketNumbers()
        if not isinstance(value, Mapping) or not set(value) <= {"pattern", "max_length"}:
            self.fail("ticket_no", "应为 {pattern: 正则表达式, max_length: 最大长度}（均可省略）")
        pattern = value.get("pattern")
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                self.fail("ticket_no.pattern", f"不是有效的正则表达式：{exc}")
        length = value.get("max_length", TICKET_NO_MAX)
        if not isinstance(length, int) or not 1 <= length <= TICKET_NO_MAX:
            self.fail("ticket_no.max_length", f"应为 1 至 {TICKET_NO_MAX} 的整数")
        return TicketNumbers(pattern, length)

    def report(self) -> Document | None:
        value, where = self.section("report")
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.fail("report", f"应为报告措辞（格式同 hotline/data/report.yaml）（{where}）")
        return Document(value, where)
