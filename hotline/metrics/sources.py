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
from ibis.common.exceptions import TableNotFound

_counter = itertools.count()
SIGN_WITHIN_SECONDS = 24 * 3600  # 及时签收: signed within 24 hours of dispatch
# the event kinds `event_facts` reads (besides any event's due_at)
FACT_EVENT_KINDS = ("dispatch", "reassign", "sign", "feedback", "complete", "contact", "return", "reminder", "visit",
                    "reopen")


FACTS_TABLE = "ticket_facts"  # ticket rows with their event facts, persisted beside a Parquet export
VISIT_FACTS_TABLE = "visit_facts"  # each return visit with its ticket's row, persisted beside it
RETURN_FACTS_TABLE = "return_facts"  # each return with the returning unit's signing before it, persisted beside it
PERSISTED_TABLES = (FACTS_TABLE, VISIT_FACTS_TABLE, RETURN_FACTS_TABLE)
VISIT_COLUMNS = ("visit_id", "visited_at", "method", "result")
TICKET_COLUMNS = ("ticket_no", "platform", "accepted_at", "channel", "appeal_type", "region", "civility",
                  "resolution", "state", "subcategory_id", "unit_id")


def relevant_tickets(con: ibis.BaseBackend, start, end) -> ibis.Table:
    """Ids of the tickets a report on [start, end) can touch: accepted or visited in the window, or dispatched
    before its start and still without feedback then (the overdue backlog spans months).

    Written as a union of three index-friendly parts (acceptance range, visit range, the older dispatched
    tickets) rather than one filter with ORs, which made SQLite read every ticket row."""
    t, ev, rv = con.table("tickets"), con.table("ticket_events"), con.table("return_visits")
    answered = ev.filter(ev.kind == "feedback", ev.at < start).ticket_id
    accepted = t.filter(t.accepted_at >= start, t.accepted_at < end).select(keep_id=t.id)
    visited = rv.filter(rv.visited_at >= start, rv.visited_at < end).select(keep_id=rv.ticket_id)
    backlog = t.filter(t.accepted_at < start, t.resolution == "dispatched", ~t.id.isin(answered)).select(keep_id=t.id)
    return accepted.union(visited, backlog, distinct=True)


def persisted_window(facts: ibis.Table, visit_facts: ibis.Table, start, end) -> ibis.Table:
    """The same tickets as `relevant_tickets`, read from persisted facts: the window's tickets (a range of the
    file, which is in acceptance order, so row groups outside it are skipped) plus the few older ones visited in
    the window (found in the visit facts' window, which carry the acceptance time) or dispatched before its end
    and still without feedback at its start (finding those scans the file's older part)."""
    in_window = facts.filter(facts.accepted_at >= start, facts.accepted_at < end)
    vf = visit_facts
    visited_older = vf.filter(vf.visited_at >= start, vf.visited_at < end, vf.accepted_at < start).ticket_id
    still_open = (facts.dispatched_at.notnull() & (facts.dispatched_at < end)
                  & (facts.feedback_at.isnull() | (facts.feedback_at >= start)))
    older = facts.filter(facts.accepted_at < start, still_open | facts.ticket_id.isin(visited_older))
    return in_window.union(older, distinct=False)


def has_reopen(con: ibis.BaseBackend) -> bool:
    """Whether any ticket was ever reopened (one indexed lookup; on Parquet a scan of one column)."""
    ev = con.table("ticket_events")
    return bool(con.execute(ev.filter(ev.kind == "reopen").limit(1).count()))


def event_facts(con: ibis.BaseBackend, keep: ibis.Table | None = None) -> ibis.Table:
    """One row per ticket with events: what its event log says (deadline, first dispatch/sign/feedback/completion,
    contact, hops, returns, reminders, visit) and the two derived flags the metrics read.

    `late` (超期办结): a completion after the deadline in force when it happened. A ticket reopened (重办) after a
    dissatisfied visit gets a new, later deadline, so its first completion is judged against the deadline
    before the first reopen and its last completion against the final one; either late makes the ticket late.
    """
    ev = con.table("ticket_events")
    # only events that carry a fact: most of the log is 受理 and 在线办结 rows, which set none of these columns
    # (a ticket without such events gets the defaults from the join in ticket_rows, as it would from them)
    ev = ev.filter(ev.kind.isin(FACT_EVENT_KINDS) | ev.due_at.notnull())
    if keep is not None:
        ev = ev.filter(ev.ticket_id.isin(keep.keep_id))
    if has_reopen(con):
        reopened = ev.filter(ev.kind == "reopen").group_by(reopen_ticket=ev.ticket_id).aggregate(
            first_reopen_at=ev.at.min())
        e = ev.left_join(reopened, ev.ticket_id == reopened.reopen_ticket).select(
            ev.ticket_id, ev.kind, ev.at, ev.due_at, reopened.first_reopen_at)
        before_reopen = e.first_reopen_at.isnull() | (e.at < e.first_reopen_at)
    else:  # no ticket was ever reopened: every due_at is "before the first reopen" (and the join is skipped)
        e, before_reopen = ev, ibis.literal(True)
    complete = e.kind == "complete"
    agg = e.group_by("ticket_id").aggregate(
        due_at=e.due_at.max(),
        first_due_at=e.due_at.max(where=before_reopen),
        dispatched_at=e.at.min(where=e.kind == "dispatch"),
        signed_at=e.at.min(where=e.kind == "sign"),
        feedback_at=e.at.min(where=e.kind == "feedback"),
        completed_at=e.at.min(where=complete),
        last_completed_at=e.at.max(where=complete),
        contacted=(e.kind == "contact").any(),
        hops=e.kind.isin(["dispatch", "reassign"]).ifelse(1, 0).sum().cast("int64"),
        returns=(e.kind == "return").ifelse(1, 0).sum().cast("int64"),
        reminders=(e.kind == "reminder").ifelse(1, 0).sum().cast("int64"),
        visited=(e.kind == "visit").any(),
    )
    late_first = agg.completed_at.notnull() & agg.first_due_at.notnull() & (agg.completed_at > agg.first_due_at)
    late_last = agg.last_completed_at.notnull() & agg.due_at.notnull() & (agg.last_completed_at > agg.due_at)
    signed_in_time = (agg.signed_at.notnull() & agg.dispatched_at.notnull()
                      & ((agg.signed_at.epoch_seconds() - agg.dispatched_at.epoch_seconds()) <= SIGN_WITHIN_SECONDS))
    return agg.select(
        "ticket_id", "due_at", "dispatched_at", "signed_at", "feedback_at", "completed_at", "contacted", "hops",
        "returns", "reminders", "visited", late=(late_first | late_last).fill_null(False),
        signed_in_time=signed_in_time.fill_null(False))


def ticket_rows(con: ibis.BaseBackend, keep: ibis.Table | None = None) -> ibis.Table:
    """One row per ticket (all of them, or the ids in `keep`): its own columns and its event facts, ids only
    (no names) — the shape persisted as `ticket_facts`."""
    t = con.table("tickets")
    if keep is not None:
        t = t.filter(t.id.isin(keep.keep_id))
    facts = event_facts(con, keep)
    j = t.left_join(facts, t.id == facts.ticket_id)
    return j.select(
        ticket_id=t.id, **{c: t[c] for c in TICKET_COLUMNS},
        due_at=_.due_at, dispatched_at=_.dispatched_at, signed_at=_.signed_at, feedback_at=_.feedback_at,
        completed_at=_.completed_at, contacted=_.contacted.fill_null(False), hops=_.hops.fill_null(0),
        returns=_.returns.fill_null(0), reminders=_.reminders.fill_null(0), visited=_.visited.fill_null(False),
        signed_in_time=_.signed_in_time.fill_null(False), late=_.late.fill_null(False),
    )


def visit_rows(visits: ibis.Table, rows: ibis.Table) -> ibis.Table:
    """Each return visit with its ticket's row (`rows`: ticket rows, named or not)."""
    return visits.join(rows, visits.ticket_id == rows.ticket_id).select(
        visit_id=visits.id, visited_at=visits.visited_at, method=visits.method, result=visits.result,
        **{c: rows[c] for c in rows.columns})


def with_names(con: ibis.BaseBackend, rows: ibis.Table, extra: tuple[str, ...] = ()) -> ibis.Table:
    """Ticket rows (with `extra` columns, e.g. a visit's) joined to the taxonomy and unit names and orders the
    metrics group and sort by."""
    sub = con.table("subcategories").select(
        subcategory_id="id", subcategory="name", sub_short="short_name", sub_topic="topic",
        civility_theme="civility_theme", sub_order="sort_order", category_id="category_id")
    cat = con.table("categories").select(category_id="id", category="name", cat_order="sort_order")
    unit = con.table("units").select(unit_id="id", unit="name", unit_group="unit_group", unit_region="region",
                                     unit_order="sort_order")
    j = rows.join(sub, "subcategory_id").join(cat, "category_id").left_join(unit, "unit_id")
    return j.select(
        *extra, "ticket_id", "ticket_no", "platform", "accepted_at", "channel", "appeal_type", "region", "civility",
        "resolution", "state", "subcategory", "sub_short", "sub_topic", "civility_theme", "sub_order", "category",
        "cat_order", "unit", "unit_group", "unit_region", "unit_order", "due_at", "dispatched_at", "signed_at",
        "feedback_at", "completed_at", "contacted", "hops", "returns", "reminders", "visited",
        completed=rows.completed_at.notnull(), signed_in_time=rows.signed_in_time, late=rows.late,
    )


def ticket_facts(con: ibis.BaseBackend, keep: ibis.Table | None = None) -> ibis.Table:
    """One row per ticket (all of them, or the ids in `keep`) with taxonomy, unit and event-derived facts."""
    return with_names(con, ticket_rows(con, keep))


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


def return_facts(con: ibis.BaseBackend, start=None, end=None) -> ibis.Table:
    """Each `return` event (of [start, end), or all) with the returning unit's latest `sign` of the ticket at or
    before it (`signed_at`, empty if it never signed): what the 2-working-day return rule (退单时限) is judged
    on. Only the returned tickets' signings are read."""
    ev = con.table("ticket_events")
    r = ev.filter(ev.kind == "return")
    if start is not None:
        r = r.filter(r.at >= start, r.at < end)
    # the returned tickets' events, found by ticket (the kind is tested in the aggregate: filtering on it here
    # made SQLite walk every signing of the store through the kind index, for each return)
    s = ev.filter(ev.ticket_id.isin(r.ticket_id))
    if end is not None:
        s = s.filter(s.at < end)
    s = s.select(s_ticket=s.ticket_id, s_unit=s.unit_id, s_at=s.at, s_kind=s.kind)
    j = r.left_join(s, (r.ticket_id == s.s_ticket) & (r.unit_id == s.s_unit) & (s.s_at <= r.at))
    return j.group_by(return_id=r.id, ticket_id=r.ticket_id, unit_id=r.unit_id, returned_at=r.at).aggregate(
        signed_at=j.s_at.max(where=j.s_kind == "sign"))


def persisted_facts(con: ibis.BaseBackend) -> dict[str, ibis.Table] | None:
    """The persisted facts (ticket, visit and return facts), when the backend holds them all
    (see hotline/metrics/parquet.py)."""
    try:
        return {name: con.table(name) for name in PERSISTED_TABLES}
    except TableNotFound:
        return None


class Sources:
    """The three sources on one backend connection, materialised once.

    With a `window` (start, end) only what a report on that window can touch is materialised — the cost then
    follows the months reported, not the whole history (10M tickets over a year: about 1/6 for two months).

    Where the backend holds persisted facts (`ticket_facts`, `visit_facts`: written beside a Parquet export and
    registered only while they match the tickets, events and visits) they are read in place instead: no event
    log aggregation, no join of visits to tickets, and each query scans only the window's row groups of the
    needed columns — which DuckDB does faster than copying 1.7M wide rows into a temporary table first.
    """

    def __init__(self, con: ibis.BaseBackend, materialise_tables: bool = True, window: tuple | None = None):
        self.con = con
        self.window = window
        persisted = self.persisted = persisted_facts(con)
        calls = con.table("calls")
        if window:
            calls = calls.filter(calls.called_at >= window[0], calls.called_at < window[1])
        if persisted is not None:
            facts, visit_facts = persisted[FACTS_TABLE], persisted[VISIT_FACTS_TABLE]
            # the older part is left as a view: month-filtered queries prune it statically (their acceptance
            # range excludes it), so only the overdue snapshot and the narratives pay its scan
            rows = persisted_window(facts, visit_facts, *window) if window else facts
            if window:  # visits are counted by visit time or by their ticket's acceptance time (口径)
                v, (start, end) = visit_facts, window
                visit_facts = v.filter(v.visited_at >= start,  # implied by both; lets the scan skip older row groups
                                       (v.visited_at < end) | ((v.accepted_at >= start) & (v.accepted_at < end)))
            self.tables = {"calls": calls, "tickets": with_names(con, rows),
                           "visits": with_names(con, visit_facts, VISIT_COLUMNS)}
            return
        keep = relevant_tickets(con, *window) if window else None
        if keep is not None and materialise_tables:  # used twice (tickets and their events): compute it once
            keep = materialise(con, keep, "keep", ("keep_id",))
        tickets = ticket_facts(con, keep)
        if materialise_tables:
            tickets = materialise(con, tickets, "ticket_facts", ("ticket_id",))
        visits = con.table("return_visits")
        visits = visit_rows(visits, tickets)
        if window:  # visited in the window, or the ticket accepted in it (its visits may come later)
            # (filtered after the join: SQLite then looks the visits up by ticket, its fastest plan)
            start, end = window
            visits = visits.filter(((visits.visited_at >= start) & (visits.visited_at < end))
                                   | ((visits.accepted_at >= start) & (visits.accepted_at < end)))
        if materialise_tables:
            visits = materialise(con, visits, "visit_facts")
            calls = materialise(con, calls, "calls")
        self.tables = {"calls": calls, "tickets": tickets, "visits": visits}

    @property
    def persisted_facts(self) -> bool:
        """Whether this connection reads persisted facts (else they are derived from the tables)."""
        return self.persisted is not None

    def __getitem__(self, name: str) -> ibis.Table:
        return self.tables[name]

    def returns(self, start, end) -> ibis.Table:
        """`return_facts` for the returns of [start, end): read from the persisted facts, or derived."""
        if self.persisted is not None:
            rf = self.persisted[RETURN_FACTS_TABLE]
            return rf.filter(rf.returned_at >= start, rf.returned_at < end)
        return return_facts(self.con, start, end)
