"""Where the DuckDB time goes: the pieces of `Sources` (hotline/metrics/sources.py) timed one by one on a
synthetic Parquet folder, with the engine's own SQL (compiled from its Ibis expressions).

    python benchmarks/profile_sources.py benchmarks/data/n10000000

Each step runs on its own fresh in-memory DuckDB connection over the folder, so no step reuses another's
tables or caches. Peak RSS is that of this process so far (it only grows). A diagnostic, not a benchmark.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import ibis

from hotline.metrics import sources as S
from hotline.metrics.parquet import duckdb_over_parquet

MONTH_START, PREV_START, END = "2022-10-01", "2022-09-01", "2022-11-01"


def main(folder: Path) -> None:
    print(f"{'seconds':>8}  {'peak RSS':>9}  step")

    def step(label: str, *sql: str) -> None:
        con = duckdb_over_parquet(folder)
        raw = con.con
        for q in sql[:-1]:
            raw.execute(q)
        t = time.perf_counter()
        raw.execute(sql[-1]).fetchall()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{time.perf_counter() - t:8.2f}  {rss:7.0f}MB  {label}", flush=True)
        con.disconnect()

    con = duckdb_over_parquet(folder)
    ef = ibis.to_sql(S.event_facts(con), dialect="duckdb")
    tf = ibis.to_sql(S.ticket_facts(con), dialect="duckdb")
    con.disconnect()
    step("scan: count the events of one kind (27M rows for 10M tickets)",
         "SELECT count(*) FROM ticket_events WHERE kind = 'dispatch'")
    step("event_facts: group the whole event log by ticket, computed not stored", f"SELECT max(COLUMNS(*)) FROM ({ef})")
    step("event_facts: the same, materialised (CREATE TEMP TABLE … AS)", f"CREATE TEMP TABLE ef AS {ef}")
    step("ticket_facts: aggregate + joins, computed not stored", f"SELECT max(COLUMNS(*)) FROM ({tf})")
    step("ticket_facts: materialised, all columns (what Sources does)", f"CREATE TEMP TABLE tf AS {tf}")
    step("visit_facts: materialised on top of ticket_facts (what Sources does)",
         f"CREATE TEMP TABLE tf AS {tf}",
         "CREATE TEMP TABLE vf AS SELECT v.id AS visit_id, v.visited_at, v.method, v.result, tf.* "
         "FROM return_visits v JOIN tf ON v.ticket_id = tf.ticket_id")
    step("calls: copied into a temp table (what Sources does)", "CREATE TEMP TABLE c AS SELECT * FROM calls")
    # What a month-scoped source would need: the month's and the previous month's tickets (acceptance basis),
    # the tickets visited in those months (visit basis), and the dispatched tickets still open at the month's
    # end (the overdue snapshot) — facts for ~1/6 of the tickets, and narrow.
    keep = (f"SELECT id AS ticket_id FROM tickets WHERE accepted_at >= TIMESTAMP '{PREV_START}' "
            f"AND accepted_at < TIMESTAMP '{END}' "
            f"UNION SELECT ticket_id FROM return_visits WHERE visited_at >= TIMESTAMP '{PREV_START}' "
            f"AND visited_at < TIMESTAMP '{END}' "
            f"UNION SELECT ticket_id FROM ticket_events WHERE kind IN ('dispatch', 'reassign', 'extension_approved', "
            f"'feedback') AND \"at\" < TIMESTAMP '{END}' GROUP BY ticket_id HAVING max(due_at) < TIMESTAMP '{END}' "
            f"AND coalesce(min(\"at\") FILTER (WHERE kind = 'feedback'), TIMESTAMP '9999-01-01') >= TIMESTAMP '{END}'")
    step("month-scoped alternative: the set of tickets the month needs", f"CREATE TEMP TABLE keep AS {keep}")
    scoped = ef.replace('"ticket_events"', "(SELECT * FROM ticket_events WHERE ticket_id IN (SELECT ticket_id FROM keep))")
    step("month-scoped alternative: narrow event facts for those tickets only",
         f"CREATE TEMP TABLE keep AS {keep}", f"CREATE TEMP TABLE ef AS {scoped}")

if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/data/n10000000"))
