"""附件1 (the city's handling units, grouped) and 附件3 (the province's spot checks) for the report model.

Kept apart from the body sections because they are tables with headers and notes of the office's own
wording (data/report.yaml), which the model carries so the renderers lay them out as they are.
"""

from __future__ import annotations

import ibis

from hotline.domain.codes import LABELS
from hotline.domain.month import Month
from hotline.metrics.engine import MetricEngine
from hotline.report import model as M
from hotline.report.wording import Annex1Words

UNIT_METRICS = ["valid_tickets", "completed_tickets", "late_completed", "on_time_rate", "contact_rate", "visits",
                "visit_satisfied_total", "visit_unrated", "visit_dissatisfied", "satisfaction_rate"]


def _unit_row(seq: int, unit: str, vals: dict) -> M.UnitRow:
    return M.UnitRow(seq=seq, unit=unit, valid=vals["valid_tickets"].num, completed=vals["completed_tickets"].num,
                     late=vals["late_completed"].num, on_time_rate=vals["on_time_rate"].rate,
                     contact_rate=vals["contact_rate"].rate, visits=vals["visits"].num,
                     satisfied_total=vals["visit_satisfied_total"].num, unrated=vals["visit_unrated"].num,
                     dissatisfied=vals["visit_dissatisfied"].num, satisfaction_rate=vals["satisfaction_rate"].rate)


def annex1(engine: MetricEngine, month: str, words: Annex1Words) -> M.Annex1:
    """Each group's units by valid tickets (ties in registry order), numbered through, and the total row."""
    rows = engine.by(UNIT_METRICS, month, ["unit", "unit_group", "unit_order"])
    groups, seq = [], 0
    for code, title in LABELS["unit_group"].items():
        members = sorted([r for r in rows if r["unit_group"] == code],
                         key=lambda r: (-r["valid_tickets"].num, r["unit_order"]))
        out = []
        for r in members:
            seq += 1
            out.append(_unit_row(seq, r["unit"], r))
        header = [words.seq_column, words.name_column.get(code, words.default_name_column), *words.columns]
        groups.append(M.UnitGroup(group=code, title=words.group_title.format(group=title, count=len(out)),
                                  header=header, rows=out))
    totals = {n: engine.value(n, month) for n in UNIT_METRICS}
    return M.Annex1(title=words.title.format(month=Month.parse(month).label), groups=groups,
                    total=_unit_row(0, words.total, totals), notes=words.notes)


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
