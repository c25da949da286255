"""The shipped registries as typed values: the appeal taxonomy (诉求分类) and the units registry (承办单位名录).

Why here: the report, the scoring, the generator, the importer and a fresh production store all need the same
registries, read the same way from ``hotline/data/taxonomy.yaml`` and ``hotline/data/units.yaml``. The rows the
store keeps for them are made from these values in one place (``hotline.store.reference``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from hotline.data import load_yaml


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


@dataclass(frozen=True)
class Platform:
    """A 12345 platform: the city's, or a county's own (自有平台)."""

    code: str
    name: str
    level: str  # city / county
    region: str | None = None
    ticket_suffix: str = "199"  # the last three digits of its 事件编号

    @property
    def short_name(self) -> str:
        """湘潭县12345热线 → 湘潭县 (how the report names a county platform)."""
        return self.name.replace("12345热线", "")


@dataclass(frozen=True)
class Registry:
    platforms: tuple[Platform, ...]
    regions: tuple[str, ...]  # display order of the regions (图4 and the text)
    units: dict[str, Unit]  # by name, in 附件1 order

    @property
    def counties(self) -> tuple[Platform, ...]:
        return tuple(p for p in self.platforms if p.level == "county")

    def ticket_suffix(self, platform: str) -> str:
        return ticket_suffix(self.platforms, platform)


def ticket_suffix(platforms: tuple[Platform, ...], platform: str) -> str:
    """The last three digits of a ticket number accepted on `platform` (199 for a platform not listed)."""
    return next((p.ticket_suffix for p in platforms if p.code == platform), Platform.ticket_suffix)


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
def unit_registry() -> Registry:
    """Platforms, region display order and units, as ``hotline/data/units.yaml`` lists them."""
    doc = load_yaml("units.yaml")
    platforms = tuple(Platform(p["code"], p["name"], p["level"], p.get("region"), str(p.get("ticket_suffix", "199")))
                      for p in doc["platforms"])
    units = {}
    for i, u in enumerate(doc["units"]):
        units[u["name"]] = Unit(u["name"], u["group"], u.get("region"), u.get("platform"),
                                tuple(u.get("aliases", [])), i)
    return Registry(platforms, tuple(doc["regions"]), units)
