"""The report of a real foreign export: the two NYC 311 samples imported with the `nyc311` mapping, as the trial of
issue 13 did. The store has tickets, units, close dates and some deadlines, but no calls, no return visits, no
contact records, no civility marks, no county data (its county platforms are the ones a new store is seeded
with) and an April that holds one agency's tickets only. The report must show what the data has — completion
figures in 附件1 and the text, the boroughs in 图4 — and none of the sentences that data cannot support.

Expected figures are counted here with SQL on the store, not taken from the report.
"""

from __future__ import annotations

import io
import re

import ibis
import pytest
from docx import Document
from pypdf import PdfReader

from hotline.domain.numbers import pct
from hotline.render import render
from hotline.render.text import document
from hotline.report.build import ReportBuilder
from tests.ingest.conftest import NYC_ANIMALS, NYC_NIGHT, load, new_store, rows

pytestmark = pytest.mark.slow

MAY = ("2022-05-01", "2022-06-01")
BOROUGHS = {"BRONX", "BROOKLYN", "MANHATTAN", "QUEENS", "STATEN ISLAND", "Unspecified"}
# the sentences of the trial's report that its data could not support
UNSUPPORTED = ["接听群众来电", "0 通", "无超期未反馈工单", "明显增多", "上月 0 件", "环比上升", "环比下降", "回访 0 件",
               "文明创建方面的反映和诉求共 0 件", "在线办结率为 0.00%", "县级 12345 热线平台", "湘潭县 0 个"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nyc")
    url = new_store(folder / "nyc.sqlite")
    load(url, [NYC_NIGHT, NYC_ANIMALS], "nyc311")
    return url


@pytest.fixture(scope="module")
def report(store):
    return ReportBuilder(ibis.sqlite.connect(store.removeprefix("sqlite:///"))).build("2022-05")


@pytest.fixture(scope="module")
def files(report):
    return render(report, ["docx", "html", "pdf"])


@pytest.fixture(scope="module")
def may_dispatched(store):
    """(dispatched tickets accepted in May, those of them completed before June), counted on the store."""
    where = "platform = 'city' AND resolution = 'dispatched' AND accepted_at >= ? AND accepted_at < ?"
    valid = rows(store, f"SELECT count(*) FROM tickets WHERE {where}", *MAY)[0][0]
    completed = rows(store, f"SELECT count(*) FROM tickets WHERE {where} AND id IN "
                            "(SELECT ticket_id FROM ticket_events WHERE kind = 'complete' AND at < ?)", *MAY, MAY[1])[0][0]
    return valid, completed


def test_no_sentence_asserts_what_the_data_cannot_show(report):
    doc = document(report)
    text = "\n".join(b.text for b in doc.blocks if b.kind in ("heading", "para"))
    for sentence in UNSUPPORTED:
        assert sentence not in text, sentence
    assert "本月无来电数据。" in text and "本月无回访数据。" in text and "本月无文明创建诉求记录。" in text
    assert "本月无在线办结工单。" in text
    assert not any("县（市）" in b.text for b in doc.blocks if b.kind == "heading")
    assert report.annex2 is None and [a.key for a in doc.annexes] == ["annex1"]
    assert not any("抽查" in b.text for b in doc.blocks)


def test_completion_figures_in_the_text_and_annex1(report, may_dispatched):
    valid, completed = may_dispatched
    assert valid > 900 and 0 < completed < valid  # the night file's NYPD rows are closed, others mostly open
    doc = document(report)
    text = "".join(b.text for b in doc.blocks if b.kind == "para")
    assert f"截至月末已办结 {completed} 件，办结率 {pct(completed, valid):.2f}%" in text
    total = report.annex1.total
    assert (report.annex1.basis, total.valid, total.completed) == ("accepted", valid, completed)
    assert (total.visits, total.satisfaction_rate, total.contact_rate) == (None, None, None)
    units = [r.unit for g in report.annex1.groups for r in g.rows]
    assert units[0] == "NYPD" and "湘潭市公安局" not in units  # the importing units, largest first
    assert sum(r.valid for g in report.annex1.groups for r in g.rows) == valid


def test_the_docx_annex_prints_dashes_not_zeros(files, may_dispatched):
    valid, completed = may_dispatched
    doc = Document(io.BytesIO(files["docx"]))
    table = doc.tables[0]
    total = [c.text for c in table.rows[-1].cells]
    assert total[2:] == [str(valid), str(completed)] + ["—"] * 8
    nypd = [c.text for c in table.rows[1].cells]
    assert nypd[1] == "NYPD" and nypd[7:] == ["—"] * 5
    paras = [p.text for p in doc.paragraphs]
    assert any("受理时间为截点" in p for p in paras)


def test_data_notes_close_every_format(files, report):
    assert len(report.missing) >= 5
    first = f"1.{report.missing[0]}"
    docx = [p.text for p in Document(io.BytesIO(files["docx"])).paragraphs]
    at = docx.index("数据说明：")
    assert docx[at + 1] == first + "；" and docx.index("2022 年 6 月 10 日") < at
    html = files["html"].decode("utf-8")
    assert '<div class="data-notes"><p>数据说明：</p>' in html and first in html
    pdf = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(files["pdf"])).pages))
    assert "数据说明：" in pdf and re.sub(r"\s+", "", first) in pdf
    for kind in ("来电", "回访", "环比", "按时办结率", "县级平台"):
        assert any(m.startswith(kind) for m in report.missing), kind


def test_figure4_is_the_boroughs_of_the_data(report):
    names = [p.name for p in report.hotspots.regions]
    assert report.coverage.regions == "tickets" and set(names) <= BOROUGHS and len(names) >= 5
    totals = [p.total for p in report.hotspots.regions]
    assert totals == sorted(totals, reverse=True)
