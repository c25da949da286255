"""The metrics and report endpoints are the CLI's metric engine and report builder, reading the live store."""

from __future__ import annotations

import shutil
from datetime import datetime as D

import ibis
import pytest
from api_helpers import UNIT_A, UNIT_B
from fastapi.testclient import TestClient

from hotline.api.app import create_app
from hotline.api.settings import ApiSettings
from hotline.metrics.engine import MetricEngine
from hotline.report.build import ReportBuilder
from hotline.service.clock import SteppingClock
from hotline.service.devstore import make_user
from hotline.service.transactions import service_engine
from hotline.store.db import ibis_connect


def handle(api, unit, result, contacted=True, late=False):
    t = api.ticket(unit_id=unit)
    path = f"/api/tickets/{t['id']}/transitions"
    liaison = "liaison_a" if unit == UNIT_A else "liaison_b"
    assert api.post(liaison, path, {"action": "sign"}).status_code == 200
    if late:
        api.clock.advance(days=12)
    assert api.post(liaison, path, {"action": "complete", "note": "已办理", "contacted": contacted}).status_code == 200
    assert api.post("operator", f"/api/tickets/{t['id']}/visits", {"result": result}).status_code == 201
    if late:
        api.clock.advance(days=-12)
    return t["id"]


def test_metrics_come_from_the_events_the_api_wrote(api):
    api.clock.now = D(2022, 10, 10, 9)
    handle(api, UNIT_A, "satisfied")
    handle(api, UNIT_A, "dissatisfied", contacted=False)
    handle(api, UNIT_B, "unrated", late=True)
    api.ticket(route="online", unit_id=None, answer="已答复")
    m = {x["name"]: x for x in api.get("analyst", "/api/metrics", params={"month": "2022-10"}).json()}
    assert m["accepted"]["num"] == 4 and m["dispatched"]["num"] == 3 and m["online_resolved"]["num"] == 1
    assert (m["visits"]["num"], m["visit_dissatisfied"]["num"], m["late_completed"]["num"]) == (3, 1, 1)
    assert (m["contact_rate"]["num"], m["contact_rate"]["den"], m["contact_rate"]["rate"]) == (2, 3, 66.67)
    assert m["satisfaction_rate"]["rate"] == 66.67 and m["on_time_rate"]["rate"] == 66.67
    # …and they are exactly what the metric engine says on the same database
    engine = MetricEngine(ibis_connect(api.url))
    for name, row in m.items():
        v = engine.value(name, "2022-10")
        assert (row["num"], row["den"]) == (v.num, v.den), name
    by_unit = api.get("analyst", "/api/metrics/visits", params={"month": "2022-10", "by": "unit"}).json()
    assert by_unit == [{"group": "市公安局", "num": 2, "den": None, "rate": None, "value": 2},
                       {"group": "市城管局", "num": 1, "den": None, "rate": None, "value": 1}]
    bad = api.get("analyst", "/api/metrics/overall_satisfaction_rate", params={"month": "2022-10", "by": "unit"})
    assert bad.status_code == 422 and "不能分组" in bad.json()["detail"]
    assert api.get("analyst", "/api/metrics/nope", params={"month": "2022-10"}).status_code == 422
    # the monthly report on the live store is the report builder's model of these same rows
    r = api.get("analyst", "/api/reports/2022-10")
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["handling"]["accepted"], report["handling"]["dispatched"], report["handling"]["visits"]) == (4, 3, 3)
    assert report == ReportBuilder(ibis_connect(api.url)).build("2022-10").model_dump(mode="json")
    assert api.get("analyst", "/api/reports/2021-01").status_code == 422


@pytest.mark.slow
def test_report_endpoint_equals_the_cli_report_on_the_seed_store(seed_store, tmp_path):
    path = tmp_path / "seed.sqlite"
    shutil.copyfile(seed_store, path)
    url = f"sqlite:///{path}"
    engine = service_engine(url)  # migrates the generated store to the service's schema
    token = make_user(engine, "analyst", "analyst")[1]
    liaison = make_user(engine, "zigui", "liaison", "市资规局")[1]
    clock = SteppingClock(D(2022, 11, 3, 9))
    app = create_app(ApiSettings(db=url), engine=engine, clock=clock, url=url)
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(app) as client:
        got = client.get("/api/reports/2022-10", headers=auth).json()
        expected = ReportBuilder(ibis.sqlite.connect(str(path))).build("2022-10").model_dump(mode="json")
        assert got == expected
        assert got["handling"]["accepted"] == 54792 and got["handling"]["overdue_total"] == 281
        backlog = client.get("/api/sla/backlog", headers=auth).json()
        assert backlog["total"] == 281 and backlog["units"][0] == {"unit": "市资规局", "count": 277,
                                                                    "topics": "违章搭建、私搭乱建"}
        # 市资规局 answers one backlog ticket today: the live backlog drops, October's snapshot does not
        mine = client.get("/api/tickets", params={"state": "signed", "page_size": 1},
                          headers={"Authorization": f"Bearer {liaison}"}).json()["items"][0]
        r = client.post(f"/api/tickets/{mine['id']}/transitions", headers={"Authorization": f"Bearer {liaison}"},
                        json={"action": "complete", "note": "已拆除违章搭建", "contacted": True})
        assert r.status_code == 200
        assert client.get("/api/sla/backlog", headers=auth).json()["total"] == 280
        again = client.get("/api/reports/2022-10", headers=auth).json()
        assert again["handling"]["overdue_total"] == 281
    engine.dispose()
