"""Persist the event-derived facts beside a Parquet export, so that reports need not re-aggregate the event
log (27M events for 10M tickets) nor join visits to tickets every time.

Three files, each exactly what the other engines compute per report (hotline/metrics/sources.py):
- `ticket_facts.parquet` = `ticket_rows`: each ticket's own columns (no content, no caller) with its event
  facts, in acceptance order (so a month is a range of row groups);
- `visit_facts.parquet` = `visit_rows`: each return visit with its ticket's row, in visit order;
- `return_facts.parquet` = `return_facts`: each return with the returning unit's signing before it.
They carry a stamp of the ticket, event and visit files they derive from; `duckdb_over_parquet` ignores them
once any of those changes.
"""

from __future__ import annotations

from pathlib import Path

import ibis

from hotline.metrics.sources import (FACTS_TABLE, PERSISTED_TABLES, RETURN_FACTS_TABLE, VISIT_FACTS_TABLE,
                                     return_facts, ticket_rows, visit_rows)
from hotline.store.parquet import FACTS_FILES, ROW_GROUP_ROWS, STAMP_KEY, duckdb_over_parquet, source_stamp


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
