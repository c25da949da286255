"""Parquet copies of the canonical tables, and DuckDB over them: the engine for large volumes.

Files are written in row groups of `ROW_GROUP_ROWS` rows: the tables are in time order (ids follow
insertion), so a month filter skips whole row groups by their min/max statistics, and two cores can scan
one file in parallel (DuckDB hands out work per row group).

Beside the tables an export may hold `ticket_facts.parquet` and `visit_facts.parquet`: every ticket with its
event-derived facts, and every return visit with its ticket's, computed once
(`hotline.metrics.persist.persist_facts`) so that a report reads them instead of re-aggregating the whole
event log. They are stamped with the ticket, event and visit files they derive from and are only used while
that stamp still matches: a folder whose tables changed afterwards falls back to deriving (and says so).
"""

from __future__ import annotations

import sys
from pathlib import Path

import ibis
import pyarrow.parquet as pq

from hotline.store.schema import metadata

ROW_GROUP_ROWS = 122_880  # DuckDB's own row-group size
FACTS_FILES = ("ticket_facts.parquet", "visit_facts.parquet", "return_facts.parquet")  # derived: hotline/metrics/persist.py
STAMP_KEY = b"hotline.source_stamp"


def write_parquet(expr: ibis.Table, path: Path) -> None:
    """Stream `expr` into `path` (written to a side file, then renamed: never a half-written file)."""
    part = path.with_name(path.name + ".part")
    batches = expr.to_pyarrow_batches(chunk_size=ROW_GROUP_ROWS)
    with pq.ParquetWriter(part, batches.schema) as writer:
        for batch in batches:
            if batch.num_rows:
                writer.write_batch(batch, row_group_size=ROW_GROUP_ROWS)
    part.replace(path)


def export_tables(con: ibis.BaseBackend, out: Path, facts: bool = True) -> int:
    """Every canonical table as `<name>.parquet`, then (unless `facts` is false) the persisted ticket facts."""
    out.mkdir(parents=True, exist_ok=True)
    names = [t.name for t in metadata.sorted_tables]
    for name in names:
        write_parquet(con.table(name), out / f"{name}.parquet")
    if facts:
        from hotline.metrics.persist import persist_facts  # the facts' definition lives with the metrics

        persist_facts(out)
    return len(names)


SOURCE_FILES = ("tickets.parquet", "ticket_events.parquet", "return_visits.parquet")  # what the facts derive from


def source_stamp(folder: Path) -> str:
    """What identifies the ticket, event and visit files' content cheaply (footers only): rows, id range, bytes."""
    parts = []
    for name in SOURCE_FILES:
        md = pq.read_metadata(Path(folder) / name)
        ids = [md.row_group(i).column(0).statistics for i in range(md.num_row_groups)]
        lo = min((s.min for s in ids if s is not None and s.has_min_max), default=None)
        hi = max((s.max for s in ids if s is not None and s.has_min_max), default=None)
        size = sum(md.row_group(i).total_byte_size for i in range(md.num_row_groups))
        parts.append(f"{name}:rows={md.num_rows};ids={lo}-{hi};bytes={size}")
    return ";".join(parts)


def facts_current(folder: Path) -> bool | None:
    """None: no persisted facts; True: they match the files they derive from; False: stale or incomplete."""
    paths = [Path(folder) / name for name in FACTS_FILES]
    if not any(p.exists() for p in paths):
        return None
    if not all(p.exists() for p in paths) or not all((Path(folder) / n).exists() for n in SOURCE_FILES):
        return False
    stamp = source_stamp(folder)
    return all((pq.read_metadata(p).metadata or {}).get(STAMP_KEY, b"").decode() == stamp for p in paths)


def duckdb_over_parquet(folder: Path, facts: bool = True) -> ibis.BaseBackend:
    """DuckDB with one view per Parquet file; the persisted facts only when `facts` and they are current."""
    con = ibis.duckdb.connect()
    for path in sorted(Path(folder).glob("*.parquet")):
        if path.name not in FACTS_FILES:
            con.read_parquet(path, table_name=path.stem)
    current = facts_current(folder) if facts else None
    if current:
        for name in FACTS_FILES:
            con.read_parquet(Path(folder) / name, table_name=name.removesuffix(".parquet"))
    elif current is False:
        print(f"注意：{folder} 中的 {'、'.join(FACTS_FILES)} 与工单、事件或回访表不一致（它们在其后被改动），"
              "本次从原表重新推导 / persisted facts are stale; deriving them from the tables instead", file=sys.stderr)
    return con
