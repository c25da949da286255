"""The shipped registries as rows of the store: platforms, units and their aliases, categories, subcategories.

Why one place: a store needs these rows before its first ticket can name a unit or a subcategory, and three
writers make stores — the demo generator, the importer (into an empty store) and the work-order service (a fresh
production database). They used to build the rows three times; the ids and orders must agree, because the
report ranks units and subcategories by them.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, func, insert, select

from hotline.domain.profile import Profile, load_profile
from hotline.store.db import sync_sequences
from hotline.store.profile import read_profile
from hotline.store.schema import categories, platforms, subcategories, unit_aliases, units


def reference_rows(profile: Profile | None = None) -> dict[str, list[dict]]:
    """The rows of the reference tables of `profile` (the built-in `xiangtan` by default), with their ids: units and
    subcategories numbered from 1 in the profile's order. An open taxonomy (none in the profile) gives no rows."""
    profile = profile or load_profile("xiangtan")
    cats, subs = profile.categories, profile.subcategories
    unit_id = {name: i + 1 for i, name in enumerate(profile.units)}
    cat_id = {c: i + 1 for i, c in enumerate(cats)}
    return {
        "platforms": [{"code": p.code, "name": p.name, "level": p.level} for p in profile.platforms],
        "units": [{"id": unit_id[name], "name": name, "unit_group": u.group, "region": u.region,
                   "platform": u.platform, "sort_order": u.sort_order} for name, u in profile.units.items()],
        "unit_aliases": [{"alias": a, "unit_id": unit_id[name]} for name, u in profile.units.items()
                         for a in u.aliases if a != name],
        "categories": [{"id": i, "name": c, "sort_order": i - 1} for c, i in cat_id.items()],
        "subcategories": [{"id": s.sort_order + 1, "category_id": cat_id[s.category], "name": name,
                           "short_name": s.short_name, "topic": s.topic, "civility_theme": s.civility_theme,
                           "sort_order": s.sort_order} for name, s in subs.items()],
    }


# each group is written when its first table is empty: (what the summary calls it, its tables in write order)
_GROUPS = (("热线平台", (platforms,)), ("承办单位名录", (units, unit_aliases)), ("诉求分类", (categories, subcategories)))


def ensure_reference(conn: Connection, profile: Profile | None = None) -> list[str]:
    """Fill the empty reference tables of a store (a fresh one) in `conn`'s transaction from `profile` (the store's
    own when not given); say what was added. A group is written only if its table is empty: a store whose units
    came from an import keeps them."""
    rows = reference_rows(profile or read_profile(conn))
    added = []
    for label, tables in _GROUPS:
        if conn.execute(select(func.count()).select_from(tables[0])).scalar():
            continue
        if not rows[tables[0].name]:  # nothing to write: an open taxonomy, units learned from imports
            continue
        for table in tables:
            if rows[table.name]:
                conn.execute(insert(table), rows[table.name])
        added.append(label)
    return added


def ensure_reference_store(engine: Engine, profile: Profile | None = None) -> list[str]:
    """`ensure_reference` in a transaction of its own; on PostgreSQL the id sequences are then moved past the rows."""
    with engine.begin() as conn:
        added = ensure_reference(conn, profile)
    if added and engine.dialect.name == "postgresql":
        sync_sequences(engine)
    return added
