"""The metric engine over a Parquet export: DuckDB with one view per file, and the facts persisted beside them.

Beside the tables (`hotline.store.parquet`) an export may hold the event-derived facts, so that reports need not
re-aggregate the event log (27M events for 10M tickets) nor join visits to tickets every time. Three files, each
exactly what the other engines compute per report (hotline/metrics/sources.py), written by `persist_facts`:
- `ticket_facts.parquet` = `ticket_rows`: each ticket's own columns (no content, no caller) with its event
  facts, in acceptance order (so a month is a range of row groups);
- `visit_facts.parquet` = `visit_rows`: each return visit with its ticket's row, in visit order;
- `return_facts.parquet` = `return_facts`: each return with the returning unit's signing before it.
They are stamped with the ticket, event and visit files they derive from and are only used while that stamp
still matches: a folder whose tables changed afterwards falls back to deriving (and says so).
"""

from __future__ import annotations

import sys
from pathlib import Path

import ibis
import pyarrow.parquet as pq

from hotline.metrics.sources import (
    FACTS_TABLE,
    PERSISTED_TABLES,
    RETURN_FACTS_TABLE,
    VISIT_FACTS_TABLE,
    return_facts,
    ticket_rows,
    visit_rows,
)
from hotline.store.parquet import ROW_GROUP_ROWS, write_tables

FACTS_FILES = ("ticket_facts.parquet", "visit_facts.parquet", "return_facts.parquet")  # written by persist_facts
SOURCE_FILES = ("tickets.parquet", "ticket_events.parquet", "return_visits.parquet")  # what the facts derive from
STAMP_KEY = b"hotline.source_stamp"


def export_tables(con: ibis.BaseBackend, out: Path, facts: bool = True) -> int:
    """Every canonical table as `<name>.parquet`, then (unless `facts` is false) the persisted facts."""
    n = write_tables(con, out)
    if facts:
        persist_facts(out)
    return n


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


def persist_facts(folder: Path) -> list[Path]:
    """Write the ticket, visit and return facts into `folder` (all or none); returns their paths."""
    folder = Path(folder)
    stamp = source_stamp(folder).replace("'", "")
    con = duckdb_over_parquet(folder, facts=False)
    written = []
    try:
        con.raw_sql("SET enable_progress_bar = false")

        def copy(expr: ibis.Table, name: str) -> None:
            path, part = folder / f"{name}.parquet", folder / f"{name}.parquet.part"
            con.raw_sql(f"COPY ({ibis.to_sql(expr, dialect='duckdb')}) TO '{part}' (FORMAT parquet, "
                        f"ROW_GROUP_SIZE {ROW_GROUP_ROWS}, KV_METADATA {{'{STAMP_KEY.decode()}': '{stamp}'}})")
            written.append((part, path))

        copy(ticket_rows(con).order_by(["accepted_at", "ticket_id"]), FACTS_TABLE)
        facts = con.read_parquet(folder / f"{FACTS_TABLE}.parquet.part", table_name="_facts_written")
        copy(visit_rows(con.table("return_visits"), facts).order_by(["visited_at", "visit_id"]), VISIT_FACTS_TABLE)
        copy(return_facts(con).order_by(["returned_at", "return_id"]), RETURN_FACTS_TABLE)
    finally:
        con.disconnect()
    assert [p.name for _, p in written] == [f"{t}.parquet" for t in PERSISTED_TABLES] == list(FACTS_FILES)
    for part, path in written:  # both or neither: renamed only once both are complete
        part.replace(path)
    return [path for _, path in written]
