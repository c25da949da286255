"""Reference data (platforms, units, taxonomy) for a store that has none yet — a fresh production database.

`hotline generate` writes them with the demo data; a city that starts from an empty PostgreSQL database (or a test)
needs the same registries before the first ticket can name a unit or a subcategory.
"""

from __future__ import annotations

from sqlalchemy import Engine, func, insert, select

from hotline.store.schema import categories, platforms, subcategories, unit_aliases, units


def reference_tables() -> dict[str, list[dict]]:
    from hotline.generator.build import Builder

    b = Builder()
    b.reference()
    return {k: list(v) for k, v in b.ds.tables.items()}


def ensure_reference(engine: Engine) -> bool:
    """Write the shipped registries if the store has no units yet; True when it wrote them."""
    with engine.begin() as conn:
        if conn.execute(select(func.count()).select_from(units)).scalar():
            return False
        tables = reference_tables()
        for table in (platforms, units, unit_aliases, categories, subcategories):
            rows = tables.get(table.name) or []
            if rows:
                conn.execute(insert(table), rows)
    if engine.dialect.name == "postgresql":
        from hotline.service.store import sync_sequences

        sync_sequences(engine)
    return True
