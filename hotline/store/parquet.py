"""Parquet copies of the canonical tables, and DuckDB over them: the engine for large volumes."""

from __future__ import annotations

from pathlib import Path

import ibis

from hotline.store.schema import metadata


def export_tables(con: ibis.BaseBackend, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    names = [t.name for t in metadata.sorted_tables]
    for name in names:
        con.table(name).to_parquet(out / f"{name}.parquet")
    return len(names)


def duckdb_over_parquet(folder: Path) -> ibis.BaseBackend:
    con = ibis.duckdb.connect()
    for path in sorted(Path(folder).glob("*.parquet")):
        con.read_parquet(path, table_name=path.stem)
    return con
