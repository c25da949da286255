"""Compute the report model for one month from the metric engine (and a few record tables).

Every number comes from a metric declared in metrics.yaml; this module only chooses which metric, which
grouping and which month, and orders the results the way the seed report prints them. The body sections are
here; the annex tables are in `annexes.py`, 附件2 and the 红榜/黑榜 in `rankings.py`, the narratives' facts in
`evidence.py` and their drafting in `narrative.py`; the city's words and thresholds come from `wording.py`.
What the store holds for the month (calls, visits, deadlines, county platforms, regions…) is surveyed once by
`coverage.py`: a section whose inputs are absent is left out here and named in `missing`.
"""

from __future__ import annotations

from collections import defaultdict

import ibis

from hotline.data import load_yaml
from hotline.domain.codes import LABELS
from hotline.domain.month import Month
from hotline.domain.numbers import pct
from hotline.metrics.engine import Change, MetricEngine
from hotline.report import model as M
from hotline.report.annexes import annex1, annex3
from hotline.report.coverage import BASES, Survey, survey
from hotline.report.evidence import gather_narrative_input
from hotline.report.names import unit_short_name
from hotline.report.narrative import apply_overrides, draft_narratives
from hotline.report.rankings import county_ranking, unit_lists
from hotline.report.wording import Praise, Wording, wording
from hotline.scoring.engine import ScoringError

APPEAL_LABELS = {code: f"{word}类" for code, word in LABELS["appeal_type"].items()}  # 咨询类 …


class ReportError(ValueError):
    """Bad input for a report (month outside the data, empty month): shown to the user as is."""


def mom(c: Change, comparable: bool = True) -> M.MoM:
    """环比 in the model; against a month whose data is not comparable, no previous value and no change."""
    if not comparable:
        c = Change(c.current, None, None)
    return M.MoM(current=c.current, previous=c.previous, delta=c.delta, direction=c.direction, wording=c.wording)


def data_months(con: ibis.BaseBackend) -> list[str]:
    """The months the store covers: from the first call or ticket to the last (imports may lack calls)."""
    bounds = []
    for table, col in (("calls", "called_at"), ("tickets", "accepted_at")):
        t = con.table(table)
        # single-aggregate queries: SQLite answers each from the column's index
        first, last = t[col].min().execute(), t[col].max().execute()
        if first is not None and str(first) != "NaT":
            bounds += [first, last]
    if not bounds:
        return []
    first, last = min(bounds), max(bounds)
    return [str(m) for m in Month.containing(first).until(Month.containing(last))]


class ReportBuilder:
    def __init__(self, con: ibis.BaseBackend, engine: MetricEngine | None = None):
        self.con = con
        self.missing: list[str] = []
        self._engine = engine
        self._survey: Survey | None = None

    @property
    def survey(self) -> Survey:
        if self._survey is None:
            raise ReportError("report month not set")
        return self._survey

    @property
    def coverage(self) -> M.Coverage:
        return self.survey.coverage

    @property
    def engine(self) -> MetricEngine:
        if self._engine is None:
            raise ReportError("report month not set")
        return self._engine

    # ---- sections -------------------------------------------------------------------------------------
    def calls(self, month: str) -> M.CallsOverview:
        e = self.engine
        answer = e.value("answer_rate", month)
        accepted = e.value("accepted", month).num
        by_type = {r["appeal_type"]: r["accepted"].num for r in e.by(["accepted"], month, ["appeal_type"])}
        return M.CallsOverview(
            calls=e.value("calls", month).num, calls_mom=mom(e.mom("calls", month)),
            answered=answer.num, answer_rate=answer.rate, answer_rate_mom=mom(e.mom("answer_rate", month)),
            accepted=accepted,
            by_type=[M.Share(label=label, count=by_type.get(code, 0), share=pct(by_type.get(code, 0), accepted))
                     for code, label in APPEAL_LABELS.items()])

    def panels(self, metric: str, month: str, key: str, names: list[str] | None, n_units: int | None,
               where: dict) -> list[M.TopPanel]:
        """Top-3 subcategories of each region (in display order) or of the n largest units (ties in unit order)."""
        order = "unit_order" if key == "unit" else None
        ranked = self.engine.nested(metric, month, key, "sub_short", where, outer_order=order, inner_order="sub_order")
        groups = {g.label: g for g in ranked}
        if names is None:
            names = [g.label for g in ranked][:n_units]
        out = []
        for name in names:
            g = groups.get(name)
            top = [M.Share(label=s, count=c, share=pct(c, g.total)) for s, c in g.cells[:3]] if g else []
            out.append(M.TopPanel(name=name, total=g.total if g else 0, top=top))
        return out

    def hotspots(self, month: str) -> M.Hotspots:
        e = self.engine
        accepted = e.value("accepted", month).num
        cats = e.top("accepted", month, "category", 5, order="cat_order", share_of=accepted)
        subs = e.top("accepted", month, "subcategory", 10, order="sub_order", share_of=accepted)
        prev = {s: c for s, c, _ in e.top("accepted", Month.parse(month).previous(), "subcategory", None, order="sub_order")}
        all_subs = e.top("accepted", month, "subcategory", None, order="sub_order")
        hot = max(all_subs, key=lambda r: r[1] - prev.get(r[0], 0), default=None)
        regions = self.region_panels(month)
        leaders: dict[str, list] = defaultdict(list)
        for p in regions:
            if p.top:
                leaders[p.top[0].label].append({"region": p.name, "share": p.top[0].share})
        units = self.panels("dispatched", month, "unit", None, 5, {"unit_group": {"ne": "region"}})
        civility = e.value("civility_appeals", month).num
        themes = e.top("civility_appeals", month, "civility_theme", None, share_of=civility)
        return M.Hotspots(
            categories=[M.Share(label=a, count=b, share=c) for a, b, c in cats],
            subcategories=[M.Share(label=a, count=b, share=c) for a, b, c in subs],
            hot_event=M.Share(label=hot[0], count=hot[1], share=pct(hot[1], accepted)) if hot else None,
            hot_event_previous=prev.get(hot[0], 0) if hot and self.coverage.previous_month else None,
            regions=regions,
            region_leaders=[{"subcategory": k, "regions": v} for k, v in leaders.items()],
            units=units, civility=civility,
            civility_by_theme=[M.Share(label=a, count=b, share=c) for a, b, c in themes if a])

    def region_panels(self, month: str) -> list[M.TopPanel]:
        """图4: the dispatched tickets of each region's units, or (without them) the tickets by 诉求发生地."""
        regions = self.survey.regions
        if self.coverage.regions == "units":
            return self.panels("dispatched", month, "unit_region", regions, None, {"unit_group": "region"})
        if self.coverage.regions == "tickets":
            return self.panels("accepted", month, "region", regions, None, {})
        return []

    def online_hot(self, month: str) -> list[M.OnlineHot]:
        """图7: the five largest online categories, each with its main topic (and the second when ≥ 5%)."""
        out = []
        for g in self.engine.nested("online_resolved", month, "category", "sub_topic", None, "cat_order", "sub_order")[:5]:
            topics = [g.cells[0][0]] + [s for s, c in g.cells[1:2] if c >= 0.05 * g.total]
            out.append(M.OnlineHot(category=g.label, count=g.total, topics=topics))
        return out

    def dispatch_hot(self, month: str) -> list[M.DispatchHot]:
        """图8: the five largest dispatched categories with their main subcategory."""
        return [M.DispatchHot(category=g.label, count=g.total, main_subcategory=g.cells[0][0], main_count=g.cells[0][1])
                for g in self.engine.nested("dispatched", month, "category", "subcategory", None, "cat_order", "sub_order")[:5]]

    def overdue(self, month: str) -> tuple[list[M.OverdueUnit], int]:
        """图10: units with overdue-unanswered tickets at month end, with their two main subcategories; and how
        many such tickets name no unit."""
        e = self.engine
        named = [M.OverdueUnit(unit=g.label, count=g.total, topics="、".join(s for s, _ in g.cells[:2]))
                 for g in e.nested("overdue_unanswered", month, "unit", "subcategory", {"unit": {"is_null": False}},
                                   "unit_order", "sub_order")]
        return named, e.value("overdue_unanswered", month, {"unit": {"is_null": True}}).num

    def county(self, month: str) -> M.CountyFigures | None:
        """二（二）: the store's county platforms, when the month has their data."""
        if not self.coverage.counties:
            return None
        e = self.engine
        by = {r["platform"]: r["county_calls"].num for r in e.by(["county_calls"], month, ["platform"])}
        calls = e.value("county_calls", month).num or None
        return M.CountyFigures(
            calls=calls, calls_mom=mom(e.mom("county_calls", month)) if calls else None,
            by_county=[M.Share(label=p.short_name, count=by.get(p.code, 0), share=None) for p in self.survey.counties],
            answer_rate=e.value("county_answer_rate", month).rate,
            online_resolution_rate=e.value("county_online_resolution_rate", month).rate,
            on_time_rate=e.value("county_on_time_rate", month).rate,
            visit_rate=e.value("county_visit_rate", month).rate,
            satisfaction_rate=e.value("county_satisfaction_rate", month).rate)

    def on_time_mom(self, month: str) -> M.MoM | None:
        """环比 of the on-time rate: only when both months' tickets on the basis have their deadlines."""
        basis, prev = BASES[self.coverage.basis], Month.parse(month).previous()
        e = self.engine
        judged_before = not e.value(basis.without_deadline, prev).num and e.value(basis.completed, prev).num
        if not (self.coverage.on_time and judged_before):
            return None
        return mom(e.mom(basis.on_time, month), self.coverage.previous_month)

    def handling(self, month: str, annex1: M.Annex1, praise: Praise) -> M.Handling:
        e, cov = self.engine, self.coverage
        basis = BASES[cov.basis]
        online_rate = e.value("online_resolution_rate", month)
        dissatisfied = e.value("visit_dissatisfied", month).num
        praised = [r.unit for g in annex1.groups for r in g.rows if cov.visits
                   and r.valid >= praise.min_valid_tickets and (r.satisfaction_rate or 0) >= praise.min_satisfaction_rate
                   and pct(r.satisfied_total - r.unrated, r.visits) >= praise.min_rated_satisfied_share]
        overdue, overdue_without_unit = self.overdue(month)
        visit_units = sum(1 for g in annex1.groups for r in g.rows if r.visits)
        completion = e.value(basis.valid, month).num, e.value(basis.completed, month).num
        return M.Handling(
            accepted=e.value("accepted", month).num, online=online_rate.num, dispatched=e.value("dispatched", month).num,
            overall_satisfaction_rate=e.value("overall_satisfaction_rate", month).rate,
            online_satisfaction_rate=e.value("online_satisfaction_rate", month).rate,
            dispatch_satisfaction_rate=e.value("satisfaction_rate", month).rate,
            online_resolution_rate=online_rate.rate,
            online_resolution_rate_mom=mom(e.mom("online_resolution_rate", month), cov.previous_month),
            online_hot=self.online_hot(month), dispatched_mom=mom(e.mom("dispatched", month), cov.previous_month),
            on_time_rate=e.value(basis.on_time, month).rate if cov.on_time else None,
            on_time_rate_mom=self.on_time_mom(month),
            completed=completion[1] if cov.completions else None,
            completion_rate=pct(completion[1], completion[0]) if cov.completions else None,
            dispatch_hot=self.dispatch_hot(month), visits=e.value("visits", month).num, visit_units=visit_units,
            visit_satisfied=e.value("visit_satisfied", month).num,
            visit_fairly_satisfied=e.value("visit_fairly_satisfied", month).num, visit_dissatisfied=dissatisfied,
            praised_units=praised, praised_short_names=[unit_short_name(u) for u in praised],
            dissatisfied_hot=[M.Share(label=a, count=b, share=c) for a, b, c in
                              e.top("visit_dissatisfied", month, "sub_topic", 5, order="sub_order")],
            overdue_total=sum(o.count for o in overdue) + overdue_without_unit, overdue_units=overdue,
            overdue_without_unit=overdue_without_unit, county=self.county(month))

    def rankings(self, month: str, words: Wording) -> tuple[M.Annex2Header | None, list[M.CountyScoreRow] | None,
                                                            M.UnitLists | None]:
        """附件2 (with county data) and the 红榜/黑榜; a ranking whose inputs are missing is left out and named in
        `missing`."""
        header = rows = lists = None
        notes = words.data_notes
        try:
            if self.coverage.counties:
                header, rows = county_ranking(self.engine, month, words.annex2)
        except ScoringError as exc:
            self.missing.append(notes.county_ranking.format(error=exc))
        try:
            lists = unit_lists(self.engine, month)
        except ScoringError as exc:
            self.missing.append(notes.unit_lists.format(error=exc))
        return header, rows, lists

    # ---- the whole report -------------------------------------------------------------------------------
    def build(self, month: str, overrides: dict | None = None) -> M.Report:
        this = Month.parse(month)  # validates the format
        months = data_months(self.con)
        if not months:
            raise ReportError("数据库中没有来电或工单数据 / the store holds no calls or tickets")
        if month not in months:
            raise ReportError(f"{month} 不在数据覆盖范围（{months[0]} 至 {months[-1]}）/ "
                              f"{month} is outside the data ({months[0]} to {months[-1]})")
        if self._engine is None:  # only the month and the month before are materialised
            self._engine = MetricEngine(self.con, months=(this.previous(), this))
        if self.engine.value("accepted", month).num == 0:
            raise ReportError(f"{month} 没有受理工单 / no tickets accepted in {month}")
        words = wording()
        self._survey = survey(self.engine, self.con, month, words.data_notes)
        self.missing.extend(self.survey.notes)
        annexed = annex1(self.engine, month, words.annex1, self.coverage)
        hotspots, handling = self.hotspots(month), self.handling(month, annexed, words.praise)
        spot_checks, period = annex3(self.con, month)
        annex2_header, annex2, lists = self.rankings(month, words)
        annexes = M.annex_order(bool(annexed.groups), bool(annex2), bool(spot_checks))
        facts = gather_narrative_input(self.con, self.engine.sources, month, hotspots, handling, spot_checks, period,
                                       visits=self.coverage.visits,
                                       spot_check_annex=annexes.index("annex3") + 1 if spot_checks else None)
        narratives = apply_overrides(draft_narratives(facts, words.narratives), overrides or {})
        return M.Report(
            city=words.city, month=month, year=this.year, month_of_year=this.month, title=words.title.format(city=words.city, month=this.long_label),
            calls=self.calls(month), hotspots=hotspots, handling=handling, **narratives,
            annex1=annexed, annex2=annex2, annex2_header=annex2_header, unit_lists=lists,
            annex3=spot_checks, annex3_period=period, annex3_header=words.annex3.columns,
            issuing_office=load_yaml("seed_records.yaml")["issuing_office"],
            issued_on=_issue_date(month, words.issued_on_day), coverage=self.coverage, missing=self.missing)


def _issue_date(month: str, day: int) -> str:
    after = Month.parse(month).next()
    return f"{after.year} 年 {after.month} 月 {day} 日"
