"""The seed month's model carries what its documents print: 附件2's header and typed cells, the annexes' headers
and notes, the short names of the text, and the facts the narratives are drafted from.

Expected values are typed from ../shared/seeds/000_8e8a56a9f14bf8eb.txt (附件2 at lines 600–737, 疑难问题 at
273–330, the praised units at 185–192), not from a run of the code.
"""

import ibis
import pytest

from hotline.report.build import ReportBuilder
from hotline.report.evidence import gather_narrative_input

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def builder(seed_store):
    return ReportBuilder(ibis.sqlite.connect(str(seed_store)))


@pytest.fixture(scope="module")
def report(builder):
    return builder.build("2022-10")


def test_annex2_header_is_the_scheme_as_printed(report):
    h = report.annex2_header
    assert (h.rank_column, h.county_column, h.total_column, h.full_score) == ("排名", "县（市）", "总分", 100)
    assert [(g.label, [p.key for p in g.parts]) for g in h.groups] == [
        ("市本级工单办理情况", ["dispatch"]), ("县级热线平台办理情况", ["assessment_rates", "test_calls"])]
    assert [(p.label, p.weight) for p in h.parts] == [("交办工单办理评分", 10), ("五率一度评分", 60), ("拨测评分", 30)]
    assert [[(i.label, i.points) for i in p.indicators] for p in h.parts] == [
        [("按时办结率", 30), ("联系反馈当事人率", 30), ("回访满意率", 40)],
        [("接通率", 20), ("在线办结率", 10), ("按时办结率", 10), ("回访率", 10), ("满意率", 20), ("数据准确度", 30)],
        [("语音导航", 10), ("接通情况", 10), ("服务规范", 40), ("业务知识", 30), ("回访服务", 10)]]
    # a rate is printed above every score except 数据准确度 and the test calls
    assert [[i.shows_rate for i in p.indicators] for p in h.parts] == [
        [True] * 3, [True] * 5 + [False], [False] * 5]
    assert h.notes == ["综合排名按照县（市）自有平台“五率一度”评分、拨测评分和市级平台交办工单办理评分累加计算；",
                       "县（市）平台“五率一度”评分按省监管考核标准计算；", "交办工单办理评分参照季度考核评分进行。"]


SEED_ANNEX2 = {  # county: (rates above the scores, the scores), in column order, from the seed's table
    "韶山市": ([97.78, 100.00, 88.89, 94.61, 94.92, 100.00, 100.00, 86.60],
             [30.00, 30.00, 38.89, 19.92, 10.00, 10.00, 10.00, 14.64, 30, 10.00, 7.50, 32.75, 26.25, 10.00]),
    "湘乡市": ([100.00, 100.00, 81.13, 86.20, 77.47, 99.52, 98.23, 85.51],
             [30.00, 30.00, 36.13, 18.24, 10.00, 9.95, 9.65, 14.20, 30, 10.00, 10.00, 35.00, 21.25, 10.00]),
    "湘潭县": ([100.00, 100.00, 88.58, 82.55, 83.75, 99.93, 99.34, 91.05],
             [30.00, 30.00, 40.00, 17.51, 10.00, 9.99, 9.87, 16.42, 30, 10.00, 10.00, 23.25, 11.25, 10.00]),
}


def test_annex2_cells_are_the_seed_table(report):
    h = report.annex2_header
    for row in report.annex2:
        cells = [c for p in h.parts for c in row.indicators[p.key]]
        assert [c.key for c in cells] == [i.key for p in h.parts for i in p.indicators]
        rates, scores = SEED_ANNEX2[row.county]
        assert [c.rate for c in cells if c.rate is not None] == rates, row.county
        assert [c.score for c in cells] == scores, row.county


def test_annex2_is_json_and_back(report):
    from hotline.report.model import Report

    again = Report.model_validate(report.model_dump(mode="json"))
    assert again.annex2 == report.annex2 and again.annex2_header == report.annex2_header
    with pytest.raises(ValueError, match="annex2_header"):
        Report.model_validate({**report.model_dump(mode="json"), "annex2_header": None})


def test_annex_headers_and_short_names(report):
    regions, departments = report.annex1.groups[0].header, report.annex1.groups[1].header
    assert regions[:3] == ["序号", "地区", "有效工单量"] and departments[1] == "部门（单位）"
    assert regions[-1] == "回访满意率" and len(regions) == 12
    assert report.annex1.total.unit == "总计"
    assert report.annex3_header == ["序号", "月份", "事件编号", "承办单位", "事件内容", "反馈结果"]
    # the seed: 承办量大且满意率较高的单位分别是岳塘区、高新区、市人社局、市交通局、市生态环境局、湘潭交发集团
    assert set(report.handling.praised_short_names) == {"岳塘区", "高新区", "市人社局", "市交通局", "市生态环境局", "湘潭交发集团"}
    short = dict(zip(report.handling.praised_units, report.handling.praised_short_names))
    assert (short["岳塘区人民政府"], short["湘潭高新区管委会"], short["市人社局"]) == ("岳塘区", "高新区", "市人社局")
    assert report.title == "湘潭市 12345 政务服务便民热线\n2022 年 10 月运行情况分析报告"
    assert report.issued_on == "2022 年 11 月 10 日"


def test_narrative_facts_of_the_seed_month(builder, report):
    facts = gather_narrative_input(builder.con, builder.engine.sources, "2022-10", report.hotspots, report.handling,
                                   report.annex3, report.annex3_period)
    # 疑难问题（1）: 9 月 30 日, 流转 9 次; 市城管局 5 个工作日后退单、国安网络公司 4 个工作日后退单; 2 个工作日
    w = facts.most_routed
    assert (w.accepted_at.month, w.accepted_at.day, w.hops) == (9, 30, 9)
    assert [(x.unit, x.days) for x in w.late_returns] == [("市城管局", 5), ("国安网络公司", 4)]
    assert facts.return_window_days == 2
    # （2）疫情防控: the entries of 市卫健委 were not updated
    assert "市卫健委" in {e.owner for e in facts.stale_entries}
    # （3）: 4 calls to each county; 业务知识 0 for 湘潭县 2 and 湘乡市 1; 韶山市 1 call waited too long
    sheets = facts.call_sheets
    assert sorted(c.county for c in sheets) == sorted(["湘潭县", "湘乡市", "韶山市"] * 4)
    assert sorted(c.county for c in sheets if c.scores["knowledge"] == 0) == ["湘乡市", "湘潭县", "湘潭县"]
    assert [c.county for c in sheets if c.scores["connection"] == 0] == ["韶山市"]
    # 三、领导接听日: 10 月 21 日 潘永其, 13 个
    assert [(d.day.month, d.day.day, d.person, d.calls_answered) for d in facts.leader_days] == [(10, 21, "潘永其", 13)]
    # 典型案例（1）岳塘区…获赞
    assert facts.praised[0].unit == "岳塘区"
    assert (facts.spot_checks, facts.spot_check_period) == (17, "1-9月份")
