"""附件1 (the city's handling units, grouped) and 附件3 (the province's spot checks) for the report model.

Kept apart from the body sections because they are tables with headers and notes of the office's own
wording (data/report.yaml), which the model carries so the renderers lay them out as they are. 附件1 is read on
the month's basis (`coverage.BASES`): the seed's visit time, or acceptance time when the month has no visits.
"""

from __future__ import annotations

import ibis

from hotline.domain.codes import LABELS
from hotline.domain.month import Month
from hotline.domain.numbers import pct
from hotline.metrics.engine import MetricEngine
from hotline.report import model as M
from hotline.report.coverage import BASES, Basis
from hotline.report.wording import COVERAGE_FLAGS, Annex1Words


def _unit_row(seq: int, unit: str, vals: dict, basis: Basis, coverage: M.Coverage, judged: bool) -> M.UnitRow:
    """A row of 附件1 on the month's basis: a column the data cannot give is None (printed —); `judged`: every
    ticket of the row has a deadline, so its late count and on-time rate mean what they say."""
    valid, completed = vals[basis.valid].num, vals[basis.completed].num
    visit = {name: vals[name] for name in basis.visit_metrics}
    return M.UnitRow(
        seq=seq, unit=unit, valid=valid, completed=completed if coverage.completions else None,
        late=vals[basis.late].num if judged else None, on_time_rate=vals[basis.on_time].rate if judged else None,
        contact_rate=vals[basis.contact].rate if coverage.contacts else None,
        visits=visit["visits"].num if visit else None,
        satisfied_total=visit["visit_satisfied_total"].num if visit else None,
        unrated=visit["visit_unrated"].num if visit else None,
        dissatisfied=visit["visit_dissatisfied"].num if visit else None,
        satisfaction_rate=visit["satisfaction_rate"].rate if visit else None,
        completion_rate=pct(completed, valid) if coverage.completions else None)


def annex1(engine: MetricEngine, month: str, words: Annex1Words, coverage: M.Coverage) -> M.Annex1:
    """Each group's units by valid tickets (ties in registry order), numbered through, and the total row; on the
    basis of the month's coverage (visit time, or acceptance time when the month has no visits). A group with no
    unit in the month is left out."""
    basis = BASES[coverage.basis]
    names = [basis.valid, basis.completed, basis.late, basis.on_time, basis.contact, basis.without_deadline,
             *basis.visit_metrics]
    rows = engine.by(names, month, ["unit", "unit_group", "unit_order"])
    judged = coverage.completions  # and, per unit, none of its tickets without a deadline
    groups, seq = [], 0
    for code, title in LABELS["unit_group"].items():
        members = sorted([r for r in rows if r["unit_group"] == code],
                         key=lambda r: (-r[basis.valid].num, r["unit_order"]))
        out = []
        for r in members:
            seq += 1
            out.append(_unit_row(seq, r["unit"], r, basis, coverage, judged and r[basis.without_deadline].num == 0))
        if not out:
            continue
        header = [words.seq_column, words.name_column.get(code, words.default_name_column), *words.columns]
        groups.append(M.UnitGroup(group=code, title=words.group_title.format(group=title, count=len(out)),
                                  header=header, rows=out))
    totals = {n: engine.value(n, month) for n in names}
    flags = {flag: getattr(coverage, flag) for flag in COVERAGE_FLAGS}
    return M.Annex1(title=words.title.format(month=Month.parse(month).label), basis=coverage.basis, groups=groups,
                    total=_unit_row(0, words.total, totals, basis, coverage, coverage.on_time),
                    notes=words.notes_for(flags))


def annex3(con: ibis.BaseBackend, month: str) -> tuple[list[M.SpotCheckRow], str]:
    """Provincial spot checks from January to the month before (the seed's 1-9月份 for October)."""
    this = Month.parse(month)
    prev = this.previous()
    sc = con.table("spot_checks")
    in_year = (sc.month >= str(this.first_of_year())) & (sc.month <= str(prev))
    df = sc.filter(in_year).order_by(["month", "id"]).execute()
    rows = [M.SpotCheckRow(seq=i + 1, month=Month.parse(r.month).label, ticket_no=r.ticket_no, unit=r.unit_name,
                           content=r.content, feedback=r.feedback, outcome=r.outcome)
            for i, r in enumerate(df.itertuples())]
    last = prev.month if prev.year == this.year else 12
    return rows, f"1-{last}月份"
