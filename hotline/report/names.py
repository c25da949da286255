"""How the report's running text names units and counties, from the registry (units.yaml) and nowhere else.

The tables print a unit's full name (岳塘区人民政府); the text prints the place (岳塘区, 高新区), and a county's
own platform by its short name (湘潭县). The builder fills those names into the model, so the renderers and
the drafting never look the registry up.
"""

from __future__ import annotations

from hotline.domain.registry import unit_registry


def unit_short_name(name: str) -> str:
    """岳塘区人民政府 → 岳塘区, 湘潭高新区管委会 → 高新区 (a region unit's region); any other unit as it is."""
    unit = unit_registry().units.get(name)
    return unit.region if unit is not None and unit.group == "region" and unit.region else name


def platform_short_names() -> dict[str, str]:
    """platform code → how the text names it (shaoshan → 韶山市)."""
    return {p.code: p.short_name for p in unit_registry().platforms}


def county_units() -> dict[str, str]:
    """county name → the unit that is its government (湘潭县 → 湘潭县人民政府): the unit the city dispatches to."""
    return {u.region: u.name for u in unit_registry().units.values() if u.platform and u.region}
