"""Writing a whole dataset into the store in one transaction (nothing half-written on failure)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy import Engine, delete

from hotline.store.schema import metadata

CHUNK = 20_000


def write_dataset(engine: Engine, tables: Mapping[str, list[dict]], progress: Callable[[str, int], None] | None = None) -> None:
    """Replace the contents of every table named in `tables` (children first on delete, parents first on insert)."""
    ordered = [t for t in metadata.sorted_tables if t.name in tables]
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(delete(table))
        for table in ordered:
            rows = tables[table.name]
            for i in range(0, len(rows), CHUNK):
                conn.execute(table.insert(), rows[i : i + CHUNK])
            if progress:
                progress(table.name, len(rows))
