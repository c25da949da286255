"""Reference data shipped with hotline (taxonomy, units registry, seed records), read once and cached."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


def load_yaml(name: str):
    return yaml.safe_load(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Subcategory:
    name: str
    category: str
    short_name: str
    topic: str
    civility_theme: str | None
    sort_order: int


@dataclass(frozen=True)
class Unit:
    name: str
    group: str
    region: str | None
    platform: str | None
    aliases: tuple[str, ...]
    sort_order: int


@cache
def taxonomy() -> tuple[list[str], dict[str, Subcategory]]:
    """(category names in order, subcategories by name in order)."""
    doc = load_yaml("taxonomy.yaml")
    cats, subs = [], {}
    for cat in doc["categories"]:
        cats.append(cat["name"])
        for s in cat["subcategories"]:
            name = s["name"]
            subs[name] = Subcategory(name, cat["name"], s.get("short", name), s.get("topic", name),
                                     s.get("civility"), len(subs))
    return cats, subs


@cache
def registry() -> tuple[list[dict], list[str], dict[str, Unit]]:
    """(platforms, region display order, units by name in 附件1 order)."""
    doc = load_yaml("units.yaml")
    units = {}
    for i, u in enumerate(doc["units"]):
        units[u["name"]] = Unit(u["name"], u["group"], u.get("region"), u.get("platform"),
                                tuple(u.get("aliases", [])), i)
    return doc["platforms"], doc["regions"], units
