"""What the drafted sections are written from: the facts gathered from the store, typed, in one place.

Why: the drafting (`narrative.py`) is then a pure function — facts in, paragraphs out — that a test can
feed by hand, and every query behind a narrative is here to read (praised tickets, the ticket with the most
routing hops, late returns, stale knowledge-base entries, test calls, leader days). The report's own
figures the paragraphs quote (the hot event, the overdue units, …) come in from the sections already built.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import ibis
from ibis import _

from hotline.domain.calendar import load_default_calendar
from hotline.domain.month import Month
from hotline.domain.sla import default_rules
from hotline.metrics.sources import Sources
from hotline.report import model as M
from hotline.report.names import platform_short_names, unit_short_name
from hotline.scoring.names import TEST_CALL_ITEMS

PRAISE_MARK = "非常满意"  # a unit's feedback note quoting the caller's praise
PRAISED_CANDIDATES = 20  # praised tickets read (one per unit is kept)
ROUTING_MIN_HOPS = 3  # a ticket routed at least this many times is a 疑难问题 candidate
LOOKBACK = timedelta(days=31)  # tickets accepted late last month still count for this month's routing problems


@dataclass(frozen=True)
class PraisedCase:
    ticket_no: str
    unit: str  # as the text names it (岳塘区)
    subcategory: str
    content: str  # the caller's appeal
    praise: str  # the unit's feedback note quoting the praise


@dataclass(frozen=True)
class LateReturn:
    ticket_id: int
    unit: str
    days: int  # working days from signing to returning
    at: datetime


@dataclass(frozen=True)
class RoutedTicket:
    ticket_no: str
    subcategory: str
    accepted_at: datetime
    hops: int
    late_returns: tuple[LateReturn, ...]


@dataclass(frozen=True)
class StaleEntry:
    title: str
    owner: str  # the unit that should have updated it


@dataclass(frozen=True)
class CallSheet:
    """One test call (拨测) and its score sheet."""

    county: str  # the platform called, as the text names it (韶山市)
    scores: dict[str, float]  # item → score (TEST_CALL_ITEMS)
    remark: str


@dataclass(frozen=True)
class LeaderDay:
    day: date
    unit: str
    title: str
    person: str
    calls_answered: int
    topics: str


@dataclass(frozen=True)
class NarrativeInput:
    """Everything the five drafted sections say, for one month."""

    praised: tuple[PraisedCase, ...]  # one per unit, in 附件1 unit order
    most_routed: RoutedTicket | None
    late_returns: tuple[LateReturn, ...]  # returns made this month after the window
    return_window_days: int
    hot_event: M.Share | None
    stale_entries: tuple[StaleEntry, ...]  # knowledge-base entries of the hot event past their review date
    call_sheets: tuple[CallSheet, ...]  # the month's test calls, by platform, then time
    leader_days: tuple[LeaderDay, ...]
    spot_checks: int
    spot_check_period: str
    overdue_total: int
    overdue_units: tuple[str, ...]
    visit_dissatisfied: int | None  # None: the month has no visits
    spot_check_annex: int | None = None  # the 附件 number of the spot-check table (附件3 when 附件2 is printed)


def _datetime(value) -> datetime:
    return value.to_pydatetime() if hasattr(value, "to_pydatetime") else value


def _date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def late_returns(sources: Sources, start: datetime, end: datetime, window_days: int) -> list[LateReturn]:
    """Returns of [start, end) made more than `window_days` working days after the returning unit signed (each
    judged against the unit's signing before it, `return_facts`)."""
    cal = load_default_calendar()
    units = sources.con.table("units").select(unit_id="id", unit="name")
    rows = (sources.returns(start, end).filter(_.signed_at.notnull()).left_join(units, "unit_id")
            .select("ticket_id", "unit", "signed_at", "returned_at").order_by(["ticket_id", "returned_at"]).execute())
    out = []
    for r in rows.itertuples():
        days = cal.elapsed(_datetime(r.signed_at), _datetime(r.returned_at))
        if days > window_days:
            out.append(LateReturn(int(r.ticket_id), r.unit, days, _datetime(r.returned_at)))
    return out


def praised_cases(con: ibis.BaseBackend, sources: Sources, start: datetime, end: datetime) -> list[PraisedCase]:
    """Satisfied visits of the month to city tickets whose feedback quotes the caller's praise, one per unit."""
    visits = sources["visits"]
    ev = con.table("ticket_events")
    fb = ev.filter(ev.kind == "feedback").select(fb_ticket="ticket_id", note="note")
    df = (visits.filter(visits.visited_at >= start, visits.visited_at < end, visits.result == "satisfied",
                        visits.platform == "city", visits.resolution == "dispatched")
          .join(fb, visits.ticket_id == fb.fb_ticket)
          .filter(fb.note.contains(PRAISE_MARK))
          .select("ticket_no", "unit", "unit_order", "subcategory", "note", "ticket_id")
          .order_by(["unit_order", "ticket_no"]).limit(PRAISED_CANDIDATES).execute())
    first = df.drop_duplicates("unit")
    if first.empty:
        return []
    tickets = con.table("tickets")
    ids = [int(i) for i in first["ticket_id"]]
    content = dict(tickets.filter(tickets.id.isin(ids)).select("id", "content").execute().itertuples(index=False))
    return [PraisedCase(r.ticket_no, unit_short_name(r.unit), r.subcategory, content[int(r.ticket_id)], r.note)
            for r in first.itertuples()]


def most_routed(sources: Sources, start: datetime, end: datetime, late: list[LateReturn]) -> RoutedTicket | None:
    """The city ticket accepted since a month before `start` with the most routing hops (at least three)."""
    t = sources["tickets"]
    window = t.filter(t.platform == "city", t.hops >= ROUTING_MIN_HOPS, t.accepted_at >= start - LOOKBACK,
                      t.accepted_at < end)
    worst = window.order_by([window.hops.desc(), window.ticket_no]).limit(1).execute()
    if not len(worst):
        return None
    w = worst.iloc[0]
    return RoutedTicket(w.ticket_no, w.subcategory, _datetime(w.accepted_at), int(w.hops),
                        tuple(x for x in late if x.ticket_id == w.ticket_id))


def stale_entries(con: ibis.BaseBackend, subcategory: str, end: datetime) -> list[StaleEntry]:
    """Knowledge-base entries of a subcategory whose review date passed before `end`."""
    kb = con.table("kb_entries")
    subs = con.table("subcategories").select(sub_id="id", sub_name="name")
    units = con.table("units").select(owner_id="id", owner="name")
    rows = (kb.join(subs, kb.subcategory_id == subs.sub_id).join(units, kb.owner_unit_id == units.owner_id)
            .filter(subs.sub_name == subcategory).select("title", "updated_at", "review_days", "owner").execute())
    return [StaleEntry(r.title, r.owner) for r in rows.itertuples()
            if _datetime(r.updated_at) + timedelta(days=int(r.review_days)) < end]


def call_sheets(con: ibis.BaseBackend, start: datetime, end: datetime) -> list[CallSheet]:
    tc = con.table("test_calls")
    rows = tc.filter(tc.called_at >= start, tc.called_at < end).order_by(["platform", "called_at"]).execute()
    names = platform_short_names()
    return [CallSheet(names.get(r.platform, r.platform), {i: float(getattr(r, i)) for i in TEST_CALL_ITEMS},
                     r.remark or "") for r in rows.itertuples()]


def leader_days(con: ibis.BaseBackend, start: datetime, end: datetime) -> list[LeaderDay]:
    ld = con.table("leader_days")
    units = con.table("units").select(uid="id", name="name")
    rows = (ld.join(units, ld.unit_id == units.uid).filter(ld.day >= start.date(), ld.day < end.date())
            .order_by(["day", "id"]).execute())
    return [LeaderDay(_date(r.day), r.name, r.title, r.person, int(r.calls_answered), r.topics)
            for r in rows.itertuples()]


def gather_narrative_input(con: ibis.BaseBackend, sources: Sources, month: str, hotspots: M.Hotspots,
                           handling: M.Handling, spot_checks: list[M.SpotCheckRow], spot_check_period: str, *,
                           visits: bool = True, spot_check_annex: int | None = None) -> NarrativeInput:
    """The facts of the month (`visits`: whether it has return visits; `spot_check_annex`: the 附件 number of the
    spot-check table as printed)."""
    start, end = Month.parse(month).bounds
    window = default_rules().return_within_days
    late = late_returns(sources, start - LOOKBACK, end, window)
    hot = hotspots.hot_event
    return NarrativeInput(
        praised=tuple(praised_cases(con, sources, start, end)),
        most_routed=most_routed(sources, start, end, late),
        late_returns=tuple(x for x in late if x.at >= start), return_window_days=window,
        hot_event=hot, stale_entries=tuple(stale_entries(con, hot.label, end)) if hot else (),
        call_sheets=tuple(call_sheets(con, start, end)), leader_days=tuple(leader_days(con, start, end)),
        spot_checks=len(spot_checks), spot_check_period=spot_check_period,
        overdue_total=handling.overdue_total, overdue_units=tuple(o.unit for o in handling.overdue_units),
        visit_dissatisfied=handling.visit_dissatisfied if visits else None, spot_check_annex=spot_check_annex)
