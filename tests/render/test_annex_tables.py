"""The annex tables are laid out from the model alone: change the header the model carries (another scheme's
parts, other column words) and the table follows, with no scheme or registry read by the renderer."""

import pytest

from hotline.render.charts import render_charts
from hotline.render.text import document
from hotline.report import model as M

pytestmark = pytest.mark.slow


def annex(doc, key):
    return next(a for a in doc.annexes if a.key == key)


def texts(row):
    return [c.text for c in row]


def test_annex2_follows_the_header_in_the_model(report):
    edited = report.model_copy(deep=True)
    h = edited.annex2_header
    # a scheme of two parts: the test calls dropped, 交办 reweighted, and one group over both parts
    dispatch, rates, _ = h.parts
    dispatch.weight, rates.weight = 40, 60
    rates.indicators[-1].shows_rate = True  # 数据准确度 now with a rate above it
    h.groups = [M.ColumnGroup(label="全部指标", parts=[dispatch, rates])]
    h.total_column, h.part_score_column = "合计", "小计"
    for row in edited.annex2:
        del row.indicators["test_calls"], row.parts["test_calls"]
        row.indicators["assessment_rates"][-1].rate = 55.5
    table = annex(document(edited), "annex2").parts[0][1]
    h1, h2, h3 = (texts(r) for r in table.header)
    assert h1 == ["排名", "县（市）", "全部指标", "合计（100分）"]
    assert [c.colspan for c in table.header[0]] == [1, 1, 3 + 1 + 6 + 1, 1]
    assert h2 == ["交办工单办理评分（40%）", "五率一度评分（60%）"]
    assert h3[-2:] == ["数据准确度（30分）", "小计"] and h3.count("小计") == 2
    top, bottom = texts(table.body[0]), texts(table.body[1])
    assert top[0:2] == ["1", "韶山市"] and top[-1] == "92.58"
    assert "55.50%" in top and bottom[-1] == "30.00"  # 数据准确度's score moved under its rate
    assert table.columns == 3 + 4 + 7


def test_annex1_and_annex3_headers_and_notes_come_from_the_model(report):
    edited = report.model_copy(deep=True)
    edited.annex1.groups[0].header[1] = "县市区"
    edited.annex1.total.unit = "合计"
    edited.annex1.notes = ["甲；", "乙。"]
    edited.annex3_header = ["编号", "月", "单号", "单位", "内容", "结果"]
    doc = document(edited)
    a1 = annex(doc, "annex1")
    assert texts(a1.parts[0][1].header[0])[:2] == ["序号", "县市区"]
    assert texts(a1.parts[-1][1].body[-1])[0] == "合计"
    assert a1.notes == ["注：1.甲；", "2.乙。"]
    assert texts(annex(doc, "annex3").parts[0][1].header[0]) == ["编号", "月", "单号", "单位", "内容", "结果"]


def test_county_chart_legend_from_the_header(report):
    edited = report.model_copy(deep=True)
    edited.annex2_header.groups[0].parts[0].label = "交办"
    png = render_charts(edited, ["county_scores"])["county_scores"]
    assert png != render_charts(report, ["county_scores"])["county_scores"]
