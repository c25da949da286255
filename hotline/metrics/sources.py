"""The semantic sources metrics read, built with Ibis from the canonical tables on any backend.

- `calls`: one row per inbound call.
- `tickets`: one row per ticket with its taxonomy, handling unit and facts derived from its events
  (deadline, completion, feedback, contact, hops, returns, late).
- `visits`: one row per return visit (or SMS evaluation) with the ticket's columns.

The derived tables are materialised once per connection (temporary tables) so that the report's many
small queries do not re-aggregate the event log each time.
"""

from __future__ import annotations

import itertools

import ibis
from ibis import _

_counter = itertools.count()
SIGN_WITHIN_SECONDS = 24 * 3600  # 及时签收: signed within 24 hours of dispatch


def relevant_tickets(con: ibis.BaseBackend, start, end) -> ibis.Table:
    """Ids of the tickets a report on [start, end) can touch: accepted or visited in the window, or dispatched
    before its end and still without feedback at its start (the overdue backlog spans months)."""
    t, ev, rv = con.table("tickets"), con.table("ticket_events"), con.table("return_visits")
    visited = rv.filter(rv.visited_at >= start, rv.visited_at < end).ticket_id
    answered = ev.filter(ev.kind == "feedback", ev.at < start).ticket_id
    keep = ((t.accepted_at >= start) & (t.accepted_at < end)) | t.id.isin(visited) | (
        (t.resolution == "dispatched") & (t.accepted_at < end) & ~t.id.isin(answered))
    return t.filter(keep).select(keep_id=t.id)


def event_facts(con: ibis.BaseBackend, keep: ibis.Table | None = None) -> ibis.Table:
    ev = con.table("ticket_events")
    if keep is not None:
        ev = ev.filter(ev.ticket_id.isin(keep.keep_id))
    routed = ev.kind.isin(["dispatch", "reassign"])
    return ev.group_by("ticket_id").aggregate(
        due_at=ev.due_at.max(),
        dispatched_at=ev.at.min(where=ev.kind == "dispatch"),
        signed_at=ev.at.min(where=ev.kind == "sign"),
        feedback_at=ev.at.min(where=ev.kind == "feedback"),
        completed_at=ev.at.min(where=ev.kind == "complete"),
        contacted=(ev.kind == "contact").any(),
        hops=routed.ifelse(1, 0).sum(),
        returns=(ev.kind == "return").ifelse(1, 0).sum(),
        reminders=(ev.kind == "reminder").ifelse(1, 0).sum(),
        visited=(ev.kind == "visit").any(),
    )


def ticket_facts(con: ibis.BaseBackend, keep: ibis.Table | None = None) -> ibis.Table:
    """One row per ticket (all of them, or the ids in `keep`) with taxonomy, unit and event-derived facts."""
    t = con.table("tickets")
    if keep is not None:
        t = t.filter(t.id.isin(keep.keep_id))
    sub = con.table("subcategories").select(
        subcategory_id="id", subcategory="name", sub_short="short_name", sub_topic="topic",
        civility_theme="civility_theme", sub_order="sort_order", category_id="category_id")
    cat = con.table("categories").select(category_id="id", category="name", cat_order="sort_order")
    unit = con.table("units").select(unit_id="id", unit="name", unit_group="unit_group", unit_region="region",
                                     unit_order="sort_order")
    facts = event_facts(con, keep)
    j = (
        t.join(sub, "subcategory_id")
        .join(cat, "category_id")
        .left_join(unit, "unit_id")
        .left_join(facts, t.id == facts.ticket_id)
    )
    return j.select(
        ticket_id=t.id, ticket_no=t.ticket_no, platform=t.platform, accepted_at=t.accepted_at, channel=t.channel,
        appeal_type=t.appeal_type, region=t.region, civility=t.civility, resolution=t.resolution, state=t.state,
        subcategory=_.subcategory, sub_short=_.sub_short, sub_topic=_.sub_topic, civility_theme=_.civility_theme,
        sub_order=_.sub_order, category=_.category, cat_order=_.cat_order, unit=_.unit, unit_group=_.unit_group,
        unit_region=_.unit_region, unit_order=_.unit_order, due_at=_.due_at, dispatched_at=_.dispatched_at,
        signed_at=_.signed_at, feedback_at=_.feedback_at, completed_at=_.completed_at,
        contacted=_.contacted.fill_null(False), hops=_.hops.fill_null(0), returns=_.returns.fill_null(0),
        reminders=_.reminders.fill_null(0), visited=_.visited.fill_null(False),
        completed=_.completed_at.notnull(),
        signed_in_time=(_.signed_at.notnull() & _.dispatched_at.notnull()
                        & ((_.signed_at.epoch_seconds() - _.dispatched_at.epoch_seconds()) <= SIGN_WITHIN_SECONDS)
                        ).fill_null(False),
        late=(_.completed_at.notnull() & _.due_at.notnull() & (_.completed_at > _.due_at)).fill_null(False),
    )


_SQLITE_TYPES = {"Timestamp": "TIMESTAMP", "Boolean": "BOOLEAN", "Int64": "INTEGER", "Int32": "INTEGER",
                 "Int16": "INTEGER", "Int8": "INTEGER", "Float64": "REAL", "String": "TEXT", "Date": "DATE"}


def materialise(con: ibis.BaseBackend, expr: ibis.Table, prefix: str, index: tuple[str, ...] = ()) -> ibis.Table:
    """Store `expr` as a temporary table. On SQLite a plain CREATE TEMP TABLE AS (ibis's create_table adds
    NOT NULL constraints it infers and inserts slowly), plus indexes on the month-filter columns."""
    name = f"_hotline_{prefix}_{next(_counter)}"
    if con.name == "sqlite":
        cols = ", ".join(f'"{c}" {_SQLITE_TYPES.get(type(t).__name__, "TEXT")}' for c, t in expr.schema().items())
        con.raw_sql(f'CREATE TEMP TABLE "{name}" ({cols})')
        con.raw_sql(f'INSERT INTO "temp"."{name}" {ibis.to_sql(expr, dialect="sqlite")}')
        for cols in index:
            cols = cols.split(",")
            con.raw_sql(f'CREATE INDEX "temp"."ix_{name}_{"_".join(cols)}" ON "{name}" ({", ".join(map(repr, cols))})'
                        .replace("'", '"'))
        return con.table(name, database="temp")
    return con.create_table(name, expr, temp=True)


class Sources:
    """The three sources on one backend connection, materialised once.

    With a `window` (start, end) only what a report on that window can touch is materialised — the cost then
    follows the months reported, not the whole history (10M tickets over a year: about 1/6 for two months).
    """

    def __init__(self, con: ibis.BaseBackend, materialise_tables: bool = True, window: tuple | None = None):
        self.con = con
        self.window = window
        keep = relevant_tickets(con, *window) if window else None
        if keep is not None and materialise_tables:  # used twice (tickets and their events): compute it once
            keep = materialise(con, keep, "keep", ("keep_id",))
        tickets = ticket_facts(con, keep)
        if materialise_tables:
            tickets = materialise(con, tickets, "ticket_facts", ("ticket_id",))
        visits_raw = con.table("return_visits")
        visits = visits_raw.join(tickets, visits_raw.ticket_id == tickets.ticket_id).select(
            visit_id=visits_raw.id, visited_at=visits_raw.visited_at, method=visits_raw.method,
            result=visits_raw.result, **{c: tickets[c] for c in tickets.columns})
        if materialise_tables:
            visits = materialise(con, visits, "visit_facts")
        calls = con.table("calls")
        if window:
            calls = calls.filter(calls.called_at >= window[0], calls.called_at < window[1])
        if materialise_tables:
            calls = materialise(con, calls, "calls")
        self.tables = {"calls": calls, "tickets": tickets, "visits": visits}

    def __getitem__(self, name: str) -> ibis.Table:
        return self.tables[name]
