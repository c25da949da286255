"""What the store holds for a report month: the one place that decides which sections have their inputs.

Why: a report on partial data — an import with no calls, no return visits, no deadlines, no county platforms —
must not print a figure its data cannot support ("接听群众来电 0 通", "无超期未反馈工单", "上月 0 件"). `survey`
asks the metric engine once per kind of input; the model carries the answer (`Report.coverage`) and the notes
(`Report.missing`, printed as 数据说明); the builder leaves out what is absent and the template follows the flags.

Where the city profile will later decide (its platforms, its regions), the store's own rows stand in: the county
platforms are the store's `platforms` of level county, the regions of 图4 those of the store's region units (in the
registry's display order where it lists them), else the 诉求发生地 found in the month's tickets.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis

from hotline.domain.month import Month
from hotline.domain.registry import Platform, unit_registry
from hotline.metrics.engine import MetricEngine
from hotline.report import model as M
from hotline.report.wording import DataNotes


@dataclass(frozen=True)
class Basis:
    """The metrics 附件1 and the handling rates are read from, on one basis date (口径)."""

    valid: str
    completed: str
    late: str
    on_time: str
    contact: str
    without_deadline: str
    visit_metrics: tuple[str, ...]  # the visit columns (none on the acceptance basis)


VISIT_COLUMNS = ("visits", "visit_satisfied_total", "visit_unrated", "visit_dissatisfied", "satisfaction_rate")
BASES = {
    # the seed's 口径: tickets visited in the month (附件1 以回访时间为截点)
    "visited": Basis("valid_tickets", "completed_tickets", "late_completed", "on_time_rate", "contact_rate",
                     "visits_without_deadline", VISIT_COLUMNS),
    # a month without visits: the dispatched tickets accepted in it, completed by its end
    "accepted": Basis("dispatched", "dispatched_completed", "dispatched_late", "dispatched_on_time_rate",
                      "dispatched_contact_rate", "dispatched_without_deadline", ()),
}


def county_platforms(con: ibis.BaseBackend) -> list[Platform]:
    """The store's county platforms, in the registry's order where it lists them, then by code."""
    rank = {p.code: i for i, p in enumerate(unit_registry().platforms)}
    rows = con.table("platforms").execute().itertuples()
    found = [Platform(r.code, r.name, r.level) for r in rows if r.level == "county"]
    return sorted(found, key=lambda p: (rank.get(p.code, len(rank)), p.code))


def unit_regions(con: ibis.BaseBackend) -> list[str]:
    """The regions of the store's region units (县市区、园区), in the registry's display order where it lists them,
    then in the units' own order."""
    units = con.table("units")
    rows = units.filter(units.unit_group == "region", units.region.notnull()).order_by("sort_order").execute()
    order = {r: i for i, r in enumerate(unit_registry().regions)}
    found = list(dict.fromkeys(rows["region"]))
    return sorted(found, key=lambda r: (order.get(r, len(order)), found.index(r)))


@dataclass(frozen=True)
class Survey:
    coverage: M.Coverage
    notes: list[str]  # 数据说明, in the order of data_notes in report.yaml
    counties: list[Platform]  # the county platforms the section lists (empty without county data)
    regions: list[str]  # 图4's regions, in display order (empty when none is known)


def _regions(engine: MetricEngine, con: ibis.BaseBackend, month: str) -> tuple[str, list[str]]:
    """图4: the store's region units when the month dispatched to any of them, else the tickets' 诉求发生地."""
    if engine.by(["dispatched"], month, ["unit_region"], {"unit_group": "region"}):
        return "units", unit_regions(con)
    found = [(r["region"], r["accepted"].num) for r in engine.by(["accepted"], month, ["region"]) if r["region"]]
    if found:
        return "tickets", [name for name, _ in sorted(found, key=lambda x: (-x[1], x[0]))]
    return "none", []


def _unit(value) -> str | None:
    return None if value is None or value != value else value  # NULL arrives as None or NaN (DuckDB)


def _comparable(engine: MetricEngine, month: str, prev: Month) -> bool:
    """Whether last month's tickets can be compared with this month's: the units that handled more than half of
    this month's tickets (the online ones count as the platform's own) had tickets last month too. A store that
    holds last month only from some sources (one file covering May, another since 2010) fails it."""
    before = {_unit(r["unit"]) for r in engine.by(["accepted"], prev, ["unit"])}
    now = [(_unit(r["unit"]), r["accepted"].num) for r in engine.by(["accepted"], month, ["unit"])]
    return 2 * sum(n for unit, n in now if unit in before) > sum(n for _, n in now)


def survey(engine: MetricEngine, con: ibis.BaseBackend, month: str, words: DataNotes) -> Survey:
    """Which inputs the month has, and a note for each it lacks."""
    e, prev = engine, Month.parse(month).previous()
    notes: list[str] = []

    def present(gap: bool, note: str) -> bool:
        """Whether the input is there: False, and its note kept, when there is a `gap`."""
        if gap:
            notes.append(note)
        return not gap

    visits = e.value("visits", month).num > 0
    basis = BASES["visited" if visits else "accepted"]
    calls = present(e.value("calls", month).num == 0, words.no_calls)
    present(calls and e.value("calls", prev).num == 0, words.no_previous_calls.format(month=prev))
    previous = _comparable(e, month, prev)
    if not previous:
        gap = words.no_previous_tickets if e.value("accepted", prev).num == 0 else words.partial_previous_tickets
        notes.append(gap.format(month=prev))
    present(not visits, words.no_visits)
    online = e.value("online_resolved", month).num > 0
    online_evaluations = e.value("online_evaluations", month).num > 0
    present(online and not online_evaluations, words.no_online_evaluations)
    completions = present(e.value(basis.completed, month).num == 0, words.no_completions)
    without_deadline = e.value(basis.without_deadline, month).num
    deadline_note = words.no_deadline_visited if visits else words.no_deadline_accepted
    on_time = completions and present(without_deadline > 0, deadline_note.format(count=without_deadline))
    open_without = e.value("open_without_deadline", month).num
    overdue = present(open_without > 0, words.open_without_deadline.format(count=open_without))
    contacts = present(e.value(basis.contact, month).num == 0, words.no_contacts)
    civility = present(e.value("civility_appeals", month).num == 0, words.no_civility)
    without_unit = e.value("dispatched_without_unit", month).num
    present(without_unit > 0, words.without_unit.format(count=without_unit))
    platforms = county_platforms(con)
    county_calls = e.value("county_calls", month).num
    county_tickets = e.value("county_online_resolution_rate", month).den or 0
    county_data = bool(platforms) and (county_calls > 0 or county_tickets > 0)
    present(bool(platforms) and not county_data, words.no_county_data)
    present(county_data and county_calls == 0, words.no_county_calls)
    regions_from, regions = _regions(engine, con, month)
    coverage = M.Coverage(calls=calls, previous_month=previous, online=online, online_evaluations=online_evaluations,
                          visits=visits, basis="visited" if visits else "accepted", completions=completions,
                          on_time=on_time, contacts=contacts, overdue=overdue, civility=civility,
                          regions=regions_from, counties=county_data)
    return Survey(coverage, notes, platforms if county_data else [], regions)
