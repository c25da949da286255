"""Entered scores through the service (SQLite and PostgreSQL): checked against the schemes in force, subjects
looked up in the store, a month's score replaced with the previous one in the audit row, and a batch with one bad
row writes nothing."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import func, select

from hotline.domain.profile import load_profile
from hotline.scoring.entries import Entry, in_force
from hotline.service.auth import CLI
from hotline.service.entered_scores import list_scores, record, record_one
from hotline.service.errors import Invalid
from hotline.service.transactions import read_tx, write_tx
from hotline.store.schema import audit_log, entered_scores

NOW = datetime(2022, 11, 2, 9, 30)

XIANGTAN = load_profile("xiangtan")  # the demo's store: its profile gives both schemes


def police(score=8.5, **extra):
    return {"month": "2022-10", "subject": "unit", "name": "市公安局", "input": "entered.data_quality",
            "score": score, "note": "数据项缺失"} | extra


def test_record_replace_and_list(engine):
    with write_tx(engine) as conn:
        first = record_one(conn, CLI, police(), NOW, in_force(XIANGTAN))
        county = record_one(conn, CLI, {"month": "2022-10", "subject": "county", "name": "韶山市",
                                        "input": "entered.data_accuracy", "score": 29}, NOW, in_force(XIANGTAN))
    assert (first["name"], first["score"], first["previous"], first["entered_by"]) == ("市公安局", 8.5, None, "cli")
    assert county["name"] == "韶山市" and county["previous"] is None
    with write_tx(engine) as conn:   # the same month, unit and input again: replaced, not added
        again = record_one(conn, CLI, police(9.0, name="湘潭市公安局"), NOW, in_force(XIANGTAN))  # an alias of 市公安局
    assert again["id"] == first["id"] and again["previous"] == 8.5 and again["name"] == "市公安局"
    with read_tx(engine) as conn:
        listed = list_scores(conn, "2022-10")
        units_only = list_scores(conn, "2022-10", "unit")
        log = conn.execute(select(audit_log.c.action, audit_log.c.detail).where(audit_log.c.entity == "entered_score")
                           .order_by(audit_log.c.id)).all()
    assert [(r["subject"], r["name"], r["input"], r["score"]) for r in listed] == [
        ("county", "韶山市", "entered.data_accuracy", 29.0), ("unit", "市公安局", "entered.data_quality", 9.0)]
    assert [r["name"] for r in units_only] == ["市公安局"]
    assert [a for a, _ in log] == ["entered_score.create", "entered_score.create", "entered_score.update"]
    assert json.loads(log[-1][1]) == {"month": "2022-10", "subject": "unit", "name": "市公安局",
                                          "input": "entered.data_quality", "score": 9.0, "previous": 8.5}


@pytest.mark.parametrize("change,message", [
    ({"name": "市公安"}, "承办单位不存在：市公安"),
    ({"subject": "county", "name": "韶山", "input": "entered.data_accuracy"}, "县级平台不存在：韶山"),
    ({"input": "entered.data_qualty"}, "不是方案《承办单位月度考核》的录入项"),
    ({"score": 10.5}, "超出「数据质量」的分值 0–10"),
    ({"month": "2022-13"}, "月份格式应为 YYYY-MM"),
])
def test_refused_with_the_reason(engine, change, message):
    with pytest.raises(Invalid, match=message), write_tx(engine) as conn:
        record_one(conn, CLI, police() | change, NOW, in_force(XIANGTAN))


def test_a_batch_with_one_unknown_subject_writes_nothing(engine):
    good = Entry("2022-10", "unit", "市城管局", "entered.data_quality", 9.0)
    bad = Entry("2022-10", "unit", "不存在局", "entered.data_quality", 9.0)
    with pytest.raises(Invalid) as exc, write_tx(engine) as conn:
        record(conn, CLI, [("第 2 行", good), ("第 3 行", bad)], NOW)
    assert exc.value.message == "第 3 行 name：承办单位不存在：不存在局（未录入任何一条）"
    with read_tx(engine) as conn:
        assert conn.execute(select(func.count()).select_from(entered_scores)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar() == 0
