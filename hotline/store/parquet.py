"""Parquet copies of the canonical tables: the files DuckDB reads for large volumes.

Files are written in row groups of `ROW_GROUP_ROWS` rows: the tables are in time order (ids follow insertion), so
a month filter skips whole row groups by their min/max statistics, and two cores can scan one file in parallel
(DuckDB hands out work per row group). What the metric engine adds beside them — the persisted facts, and DuckDB
over the folder — is in `hotline.metrics.parquet`.
"""

from __future__ import annotations

from pathlib import Path

import ibis
import pyarrow.parquet as pq

from hotline.store.schema import metadata

ROW_GROUP_ROWS = 122_880  # DuckDB's own row-group size


def write_parquet(expr: ibis.Table, path: Path) -> None:
    """Stream `expr` into `path` (written to a side file, then renamed: never a half-written file)."""
    part = path.with_name(path.name + ".part")
    batches = expr.to_pyarrow_batches(chunk_size=ROW_GROUP_ROWS)
    with pq.ParquetWriter(part, batches.schema) as writer:
        for batch in batches:
            if batch.num_rows:
                writer.write_batch(batch, row_group_size=ROW_GROUP_ROWS)
    part.replace(path)


def write_tables(con: ibis.BaseBackend, out: Path) -> int:
    """Every canonical table of the store behind `con` as `<out>/<name>.parquet`; returns how many."""
    out.mkdir(parents=True, exist_ok=True)
    names = [t.name for t in metadata.sorted_tables]
    for name in names:
        write_parquet(con.table(name), out / f"{name}.parquet")
    return len(names)
