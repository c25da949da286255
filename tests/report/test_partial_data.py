"""Reports on stores that lack one kind of input: each defect of issue 13 on a small hand-made store.

Every store is the tiny store of tests/conftest.py (its October worked out by hand in
tests/metrics/test_definitions.py) with one kind of data taken away: no calls, no deadlines, no previous month,
no return visits, no county platform. Each report must say what it lacks (one line in its section, a 数据说明
line) and never state the figure the data cannot give — the sentences the issue quotes are asserted absent.
"""

from __future__ import annotations

import re

import ibis
import pytest

from hotline.render.text import CN_DIGITS, document
from hotline.report.build import ReportBuilder
from hotline.store.db import migrate, open_engine
from hotline.store.load import write_dataset

M = "2022-10"


def tiny_report(tmp_path, tables):
    path = tmp_path / "store.sqlite"
    engine = open_engine(f"sqlite:///{path}", create=True)
    migrate(engine)
    write_dataset(engine, tables)
    engine.dispose()
    report = ReportBuilder(ibis.sqlite.connect(str(path))).build(M)
    return report, document(report)


def body(doc) -> str:
    return "\n".join(b.text for b in doc.blocks if b.kind in ("heading", "para"))


def notes(doc) -> list[str]:
    return [item for b in doc.blocks if b.kind == "notes" for item in b.items]


def headings(doc) -> list[str]:
    return [b.text for b in doc.blocks if b.kind == "heading"]


def assert_numbered_through(doc) -> None:
    """一、二、… at the top level, （一）（二）… under each, 1. 2. … under those: no gap, no repeat."""
    expected = {1: lambda n: f"{CN_DIGITS[n]}、", 2: lambda n: f"（{CN_DIGITS[n]}）", 3: lambda n: f"{n}."}
    count = {1: 0, 2: 0, 3: 0}
    for b in doc.blocks:
        if b.kind != "heading":
            continue
        count[b.level] += 1
        for deeper in range(b.level + 1, 4):
            count[deeper] = 0
        assert b.text.startswith(expected[b.level](count[b.level])), (b.text, headings(doc))
    figures = [int(re.match(r"图(\d+)：", b.text).group(1)) for b in doc.blocks if b.kind == "figure"]
    assert figures == list(range(1, len(figures) + 1))
    assert [a.number for a in doc.annexes] == list(range(1, len(doc.annexes) + 1))


@pytest.fixture
def tables(tiny_dataset):
    return tiny_dataset()


def paragraphs(doc) -> str:
    return "\n".join(b.text for b in doc.blocks if b.kind == "para")


def comparable_september(tables) -> None:
    """September as a month of the same sources: an online ticket (#8, 小类A) and one of 乙区政府 (#9, 小类B)
    beside 甲单位's #5, so that every unit of October's tickets (and the online ones) had tickets then."""
    base = next(t for t in tables["tickets"] if t["id"] == 5)
    tables["tickets"] += [dict(base, id=8, ticket_no="22090500008099", accepted_at=base["accepted_at"].replace(day=5),
                               resolution="online", unit_id=None, appeal_type="consult"),
                          dict(base, id=9, ticket_no="22090600009099", accepted_at=base["accepted_at"].replace(day=6),
                               unit_id=2, subcategory_id=2)]


def test_the_whole_tiny_store_reports_every_section(tmp_path, tables):
    """The reference: with every input present, the sentences the other tests remove are there."""
    comparable_september(tables)
    report, doc = tiny_report(tmp_path, tables)
    text = body(doc)
    assert report.coverage.previous_month is True
    assert "接听群众来电 4 通，话务量环比上升 33.33%" in text  # 4 calls against 3 in September
    # 3 dispatched against 2 (#5, #9); visits 1 of 2 on time; no September visit, so no 环比 of the rate
    assert "转办来电诉求 3 件，环比上升 50.00%，按时办结率 50.00%。" in text
    assert "在线办结率为 25.00%，环比下降 8.33%。" in text  # 1 of 4 against 1 of 3
    # 小类B: 2 in October (#2, #3) against 1 (#9); 小类A: 2 against 2
    assert "小类B相关诉求明显增多，共受理 2 件，占诉求总量的 50.00%（上月 1 件）。" in text
    assert "热线系统内仍有 1 件工单超期未反馈" in text  # #6, due 8 August
    assert "（二）县（市）热线平台工单办理情况" in headings(doc)
    # the store's one county platform (韶山市, 1 call), not the registry's three
    assert "一个县级 12345 热线平台共接到有效来电 1 个" in text and "湘乡市" not in text
    # 图4: the store's one region unit 乙区政府 (dispatched #3 and #7), not Xiangtan's eight districts
    assert [p.name for p in report.hotspots.regions] == ["乙区"] and report.coverage.regions == "units"
    assert report.coverage.basis == "visited" and report.annex1.basis == "visited"
    assert_numbered_through(doc)


def test_no_calls(tmp_path, tables):
    tables["calls"] = []
    report, doc = tiny_report(tmp_path, tables)
    text = body(doc)
    assert "本月无来电数据。共受理诉求 4 件" in text
    assert "接听群众来电" not in text and "接通率为" not in text and "0 通" not in text
    # the county platform still has its ticket (#4): its section stays, without a call figure
    assert "本月无县级平台来电数据。县级平台在线办结率 100.00%。" in text and "有效来电" not in text
    assert report.coverage.calls is False and report.handling.county.calls is None
    assert any(n.startswith("1.来电：本月没有市级平台来电记录") for n in notes(doc))
    assert any("县级平台：本月没有县级平台来电记录" in n for n in notes(doc))
    assert_numbered_through(doc)


def test_no_deadlines(tmp_path, tables):
    for event in tables["ticket_events"]:
        event["due_at"] = None
    report, doc = tiny_report(tmp_path, tables)
    text = body(doc)
    assert "无超期未反馈工单" not in text and "超期未反馈，涉及" not in text
    assert "本月未反馈工单没有办理时限记录，无法判断是否超期。" in text
    assert "按时办结率" not in text  # only the completion figures remain
    total = report.annex1.total
    assert (total.valid, total.completed, total.late, total.on_time_rate) == (2, 2, None, None)
    assert all(r.late is None and r.on_time_rate is None for g in report.annex1.groups for r in g.rows)
    cells = [c.text for _, t in doc.annexes[0].parts for c in t.body[-1]]
    assert cells[1:5] == ["2", "2", "—", "—"]  # 有效, 已办结, 超时办结, 按时办结率
    assert "没有办理时限记录的单位，超时办结量、按时办结率以“—”表示" in "".join(doc.annexes[0].notes)
    joined = "".join(notes(doc))
    # the two October visits (#2, #5) lack a deadline; #6 and #7 are open at month end without one
    assert "2 件回访工单没有办理时限记录" in joined and "截至月末有 2 件未反馈的派发工单没有办理时限记录" in joined
    assert_numbered_through(doc)


def test_no_previous_month(tmp_path, tables):
    older = {5, 6}  # accepted in September and August
    tables["tickets"] = [t for t in tables["tickets"] if t["id"] not in older]
    tables["ticket_events"] = [e for e in tables["ticket_events"] if e["ticket_id"] not in older]
    tables["return_visits"] = [v for v in tables["return_visits"] if v["ticket_id"] not in older]
    tables["calls"] = [c for c in tables["calls"] if c["called_at"].month == 10]
    report, doc = tiny_report(tmp_path, tables)
    text = body(doc)
    assert "环比" not in text and "上月" not in text and "明显增多" not in text
    assert "接听群众来电 4 通；接通率为 75.00%。" in text
    assert "转办来电诉求 3 件，按时办结率 100.00%。" in text  # October's one visited dispatched ticket (#2) on time
    assert report.hotspots.hot_event_previous is None and report.coverage.previous_month is False
    assert report.handling.dispatched_mom.previous is None
    joined = "".join(notes(doc))
    assert "上月（2022-09）没有来电数据" in joined and "上月（2022-09）没有工单数据" in joined
    assert_numbered_through(doc)


def test_a_previous_month_of_other_units_only_is_not_compared(tmp_path, tables):
    """The tiny store as it is: September holds only 甲单位's ticket #5, while October's are #1 (online), #2 (甲单位),
    #3 and #7 (乙区政府): the sources of 3 of October's 4 tickets had nothing in September, which is partial."""
    report, doc = tiny_report(tmp_path, tables)
    text = body(doc)
    assert report.coverage.previous_month is False
    assert "明显增多" not in text and "上月" not in text and "上升 200.00%" not in text  # 3 dispatched against 1
    assert "转办来电诉求 3 件，按时办结率 50.00%。" in text
    assert "话务量环比上升 33.33%" in text  # the calls are compared: September has calls
    assert any("本月过半工单的承办单位在上月（2022-09）没有工单" in n for n in notes(doc))


def test_no_visits(tmp_path, tables):
    tables["return_visits"] = []
    report, doc = tiny_report(tmp_path, tables)
    text = body(doc)
    assert "本月无回访数据。" in text and "满意率" not in paragraphs(doc) and "回访 0" not in text
    assert "0 件回访不满意" not in "".join(report.requirements.paragraphs)
    # by acceptance time (test_definitions): 3 dispatched, 2 completed by 31 October, 1 of them late
    assert "转办来电诉求 3 件，截至月末已办结 2 件，办结率 66.67%，按时办结率 33.33%。" in text
    a = report.annex1
    assert a.basis == "accepted" and report.coverage.basis == "accepted"
    rows = {r.unit: (r.valid, r.completed, r.late, r.on_time_rate, r.contact_rate, r.visits, r.satisfaction_rate,
                     r.completion_rate) for g in a.groups for r in g.rows}
    assert rows == {"乙区政府": (2, 1, 1, 0.00, 0.00, None, None, 50.00),
                    "甲单位": (1, 1, 0, 100.00, 100.00, None, None, 100.00)}
    assert [g.group for g in a.groups] == ["region", "city_dept"]  # no public-service unit: its group is left out
    annex = doc.annexes[0]
    cells = [[c.text for c in row] for _, t in annex.parts for row in t.body]
    assert cells[0] == ["1", "乙区政府", "2", "1", "1", "0.00%", "0.00%", "—", "—", "—", "—", "—"]
    assert cells[-1][1:] == ["3", "2", "1", "33.33%", "33.33%", "—", "—", "—", "—", "—"]  # 总计
    assert any("以受理时间为截点" in n for n in annex.notes)
    assert not any("回访时间为截点" in n or "未评价量" in n for n in annex.notes)
    assert "本月无回访数据，未选取典型案例。" in text
    assert any(n.startswith("2.回访：本月没有派发工单回访记录") for n in notes(doc))  # 1. is the county's
    assert_numbered_through(doc)


def test_no_county_platform(tmp_path, tables):
    tables["platforms"] = [p for p in tables["platforms"] if p["level"] == "city"]
    tables["tickets"] = [t for t in tables["tickets"] if t["platform"] == "city"]
    tables["ticket_events"] = [e for e in tables["ticket_events"] if e["ticket_id"] != 4]
    tables["calls"] = [c for c in tables["calls"] if c["platform"] == "city"]
    tables["spot_checks"] = [dict(id=1, month="2022-09", ticket_no="22090100001099", unit_name="甲单位",
                                  content="内容", feedback="反馈", outcome="dissatisfied")]
    report, doc = tiny_report(tmp_path, tables)
    h = headings(doc)
    assert not any("县（市）" in x for x in h) and "（二）案例分析" in h
    assert report.handling.county is None and report.annex2 is None and report.coverage.counties is False
    # the spot checks are now 附件2, and the text that points to them says so
    assert report.annexes == ["annex1", "annex3"] and [a.key for a in doc.annexes] == ["annex1", "annex3"]
    assert "1 件工单所涉及的单位及具体情况见附件 2。" in report.difficulties.paragraphs[0]
    listed = next(b for b in doc.blocks if b.kind == "annexes").items
    assert listed[1].startswith("2.1-9月份省 12345监管平台")
    assert not any("县级平台" in n or "附件2 县级平台综合排名" in n for n in notes(doc))
    assert not any("热线平台暂未归并" in n for n in doc.annexes[0].notes)
    assert_numbered_through(doc)


def test_no_handling_unit(tmp_path, tables):
    """A message board's export: no ticket names a unit. 附件1 has no row, so it is not printed (nor listed)."""
    for t in tables["tickets"]:
        t["unit_id"] = None
    for e in tables["ticket_events"]:
        e["unit_id"] = None
    report, doc = tiny_report(tmp_path, tables)
    assert report.annex1.groups == [] and report.annexes == [] and doc.annexes == []
    assert not any(b.kind == "annexes" for b in doc.blocks)
    assert report.hotspots.units == [] and "各单位诉求热点情况" not in body(doc)
    # 图4 falls back to the tickets' 诉求发生地 (all 乙区)
    assert report.coverage.regions == "tickets" and [p.name for p in report.hotspots.regions] == ["乙区"]
    assert any("3 件派发工单没有承办单位" in n for n in notes(doc))  # October's #2, #3, #7
    # #6 is still overdue at month end: counted, with no unit to name
    assert "热线系统内仍有 1 件工单超期未反馈。其中 1 件没有承办单位记录。" in body(doc)
    assert "无超期未反馈工单" not in body(doc) and "涉及" not in "".join(report.difficulties.paragraphs)
    assert_numbered_through(doc)
