"""Each metric definition pinned by a hand-computed case (tests/conftest.py: tiny_tables), on every engine.

October 2022 by hand:
- calls: 4 city calls, 3 answered → 75.00%; September 3 of 3 → 100.00%: 来电 环比 +33.33%, 接通率 −25.00 points.
- tickets accepted in October on the city platform: #1 online, #2 and #3 dispatched, #7 dispatched → 4;
  online rate 1/4 = 25.00%. #4 is a county ticket and never counts for the city.
- October visits of dispatched tickets: #2 (satisfied, on time, contacted) and #5 (accepted in September,
  unrated, completed after its deadline, not contacted). #3 is visited in November, so it is not in October.
  → valid 2, late 1, on-time 1/2 = 50.00%, contact 50.00%, satisfied in total 2 (unrated counts) → 100.00%.
- online evaluations: #1 dissatisfied → 0.00%; overall (0 + 2) / (1 + 2) = 66.67%.
- overdue without feedback at the end of October: #6 (due 8 August, never answered). #7 is due in November.
- by acceptance time (the basis of a month without visits), October's dispatched city tickets #2, #3, #7:
  #2 completed 9 Oct before its deadline (10 Oct), contacted; #3 completed 13 Oct after its deadline (12 Oct);
  #7 not completed → completed 2, late 1, 办结率 2/3 = 66.67%, on time 1/3 = 33.33%, contact 1/3 = 33.33%.
  Every one has a deadline, and so do the open ones at month end (#6, #7): no gap.
"""

import pytest

from hotline.domain.numbers import pct, round2
from hotline.metrics.engine import MetricEngine

M = "2022-10"


@pytest.fixture(scope="module")
def engine(tiny_con):
    return MetricEngine(tiny_con)


@pytest.mark.parametrize("name,num,den,value", [
    ("calls", 4, None, 4),
    ("answer_rate", 3, 4, 75.00),
    ("accepted", 4, None, 4),
    ("online_resolved", 1, None, 1),
    ("dispatched", 3, None, 3),
    ("online_resolution_rate", 1, 4, 25.00),
    ("civility_appeals", 1, None, 1),
    ("valid_tickets", 2, None, 2),
    ("completed_tickets", 2, None, 2),
    ("late_completed", 1, None, 1),
    ("on_time_rate", 1, 2, 50.00),
    ("contact_rate", 1, 2, 50.00),
    ("visit_satisfied_total", 2, None, 2),
    ("visit_satisfied", 1, None, 1),
    ("visit_fairly_satisfied", 1, None, 1),
    ("visit_unrated", 1, None, 1),
    ("visit_dissatisfied", 0, None, 0),
    ("satisfaction_rate", 2, 2, 100.00),
    ("online_evaluations", 1, None, 1),
    ("online_satisfaction_rate", 0, 1, 0.00),
    ("overall_satisfaction_rate", 2, 3, 66.67),
    ("overdue_unanswered", 1, None, 1),
    ("county_calls", 1, None, 1),
    ("county_online_resolution_rate", 1, 1, 100.00),
    ("dispatched_completed", 2, None, 2),
    ("dispatched_late", 1, None, 1),
    ("completion_rate", 2, 3, 66.67),
    ("dispatched_on_time_rate", 1, 3, 33.33),
    ("dispatched_contact_rate", 1, 3, 33.33),
    ("dispatched_without_deadline", 0, None, 0),
    ("open_without_deadline", 0, None, 0),
])
def test_metric_value(engine, name, num, den, value):
    v = engine.value(name, M)
    assert (v.num, v.den, v.value) == (num, den, value)


def test_month_over_month(engine):
    calls = engine.mom("calls", M)
    assert (calls.current, calls.previous, calls.delta, calls.wording) == (4, 3, 33.33, "上升33.33%")
    rate = engine.mom("answer_rate", M)
    assert (rate.current, rate.previous, rate.delta, rate.wording) == (75.00, 100.00, -25.00, "下降25.00%")


def test_grouped_values_add_up(engine):
    rows = engine.by(["valid_tickets", "late_completed"], M, ["unit"])
    assert {r["unit"]: (r["valid_tickets"].num, r["late_completed"].num) for r in rows} == {"甲单位": (2, 1)}


def test_top_with_shares_breaks_ties_by_taxonomy_order(engine):
    # October dispatched: #2 小类B, #3 小类B, #7 小类A → B 2 (66.67%), A 1 (33.33%)
    assert engine.top("dispatched", M, "subcategory", 2, order="sub_order") == [("小类B", 2, 66.67), ("小类A", 1, 33.33)]


def test_rounding_is_half_up_to_two_decimals():
    assert pct(1, 800) == 0.13      # 0.125 → 0.13 (banker's rounding would give 0.12)
    assert pct(2, 3) == 66.67
    assert pct(7451, 7470) == 99.75
    assert round2(89.185) == 89.19
    assert pct(0, 0) is None


def test_nested_groups_rank_groups_and_cells(engine):
    # October dispatched by unit: 甲单位 #2 (小类B); 乙区政府 #3 (小类B) and #7 (小类A) → 乙区政府 first (2)
    groups = engine.nested("dispatched", M, "unit", "subcategory", inner_order="sub_order")
    assert [(g.label, g.total, g.cells) for g in groups] == [("乙区政府", 2, [("小类A", 1), ("小类B", 1)]),
                                                             ("甲单位", 1, [("小类B", 1)])]


def test_month_scoped_engine_agrees_and_refuses_other_months(tiny_con, engine):
    from hotline.metrics.engine import MetricError, load_metrics

    scoped = MetricEngine(tiny_con, months=("2022-09", "2022-10"))
    for name in load_metrics():
        assert scoped.value(name, M) == engine.value(name, M), name
        assert scoped.value(name, "2022-09") == engine.value(name, "2022-09"), name
    with pytest.raises(MetricError, match="2022-09, 2022-10"):
        scoped.value("accepted", "2022-08")


def test_data_gap_metrics(engine):
    # every October-visited dispatched ticket of the tiny store has a deadline and a unit
    assert engine.value("visits_without_deadline", M).num == 0
    assert engine.value("dispatched_without_unit", M).num == 0


def test_completion_by_acceptance_time_per_unit(engine):
    # 甲单位: #2 (completed, on time); 乙区政府: #3 (completed late) and #7 (open)
    rows = engine.by(["dispatched", "dispatched_completed", "dispatched_late", "completion_rate"], M, ["unit"])
    assert {r["unit"]: (r["dispatched"].num, r["dispatched_completed"].num, r["dispatched_late"].num,
                        r["completion_rate"].rate) for r in rows} == {"甲单位": (1, 1, 0, 100.00),
                                                                      "乙区政府": (2, 1, 1, 50.00)}
    # September: #5 completed 26 Sep after its deadline (23 Sep) → 1 of 1 completed, none on time
    assert (engine.value("completion_rate", "2022-09").rate, engine.value("dispatched_on_time_rate", "2022-09").rate) \
        == (100.00, 0.00)


def test_data_gap_metrics_count_the_gaps(tiny_store, tmp_path):
    import shutil
    import sqlite3

    import ibis

    copy = tmp_path / "gaps.sqlite"
    shutil.copy(tiny_store, copy)
    with sqlite3.connect(copy) as c:
        c.execute("UPDATE ticket_events SET due_at = NULL WHERE ticket_id = 2")   # visited in October
        c.execute("UPDATE tickets SET unit_id = NULL WHERE id = 7")               # dispatched in October
    e = MetricEngine(ibis.sqlite.connect(str(copy)))
    assert e.value("visits_without_deadline", M).num == 1
    assert e.value("dispatched_without_unit", M).num == 1


def test_completion_counts_to_the_month_end_and_deadline_gaps(tiny_store, tmp_path):
    import shutil
    import sqlite3

    import ibis

    copy = tmp_path / "late_close.sqlite"
    shutil.copy(tiny_store, copy)
    with sqlite3.connect(copy) as c:
        # #7 (accepted 30 Oct) is completed on 2 Nov: not completed at the end of October
        c.execute("INSERT INTO ticket_events (ticket_id, kind, at, actor, unit_id) "
                  "VALUES (7, 'complete', '2022-11-02 09:00:00.000000', 'x', 2)")
        c.execute("UPDATE ticket_events SET due_at = NULL WHERE ticket_id IN (3, 7)")  # 乙区政府's tickets
    e = MetricEngine(ibis.sqlite.connect(str(copy)))
    t = e.sources["tickets"]
    assert t.filter(t.ticket_id == 7).completed.execute().tolist() == [True]  # the store knows it is completed
    assert (e.value("dispatched_completed", M).num, e.value("completion_rate", M).rate) == (2, 66.67)
    # #3 and #7 lose their deadlines: both counted, #3 no longer late; #7 is still open at the end of October
    assert e.value("dispatched_without_deadline", M).num == 2
    assert e.value("dispatched_late", M).num == 0
    assert e.value("open_without_deadline", M).num == 1
