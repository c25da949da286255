"""`hotline user …`, `hotline sla run --now …`, `hotline serve`: thin commands over the service, errors in Chinese."""

from __future__ import annotations

from datetime import datetime as D

import uvicorn
from fastapi.testclient import TestClient
from service_helpers import LIAISON_C, UNIT_C, dispatched
from typer.testing import CliRunner

from hotline.cli.main import app

runner = CliRunner()


def cli(url, *args):
    return runner.invoke(app, ["--db", url, *args])


def test_user_add_token_revoke(store_url):
    r = cli(store_url, "user", "add", "wang", "--role", "liaison", "--unit", "市资规局", "--name", "王芳")
    assert r.exit_code == 0, r.output
    token = r.output.strip().splitlines()[-1]
    assert token.startswith("hl_")
    r = cli(store_url, "user", "add", "li", "--role", "liaison")
    assert r.exit_code == 2 and "联络员必须指定所属承办单位" in r.output and "Traceback" not in r.output
    r = cli(store_url, "user", "add", "x", "--role", "mayor")
    assert r.exit_code == 2 and "未知角色" in r.output
    assert cli(store_url, "user", "add", "wang", "--role", "analyst").exit_code == 2  # exists
    listed = cli(store_url, "user", "list").output
    assert "wang" in listed and "联络员" in listed and "市资规局" in listed
    second = cli(store_url, "user", "token", "wang").output.strip()
    assert second.startswith("hl_") and second != token
    assert "已吊销 wang 的 2 个令牌" in cli(store_url, "user", "revoke", "wang").output
    assert cli(store_url, "user", "token", "nobody").exit_code == 2


def test_sla_run_for_cron(store_url, svc, clock):
    clock.now = D(2022, 9, 27, 10)
    tid = dispatched(svc, unit_id=UNIT_C)
    svc.fire(LIAISON_C, tid, "sign")
    r = cli(store_url, "sla", "run", "--now", "2022-10-08T09:00")
    assert r.exit_code == 0, r.output
    assert "本次写入催办 1 条" in r.output and "市资规局 1 件" in r.output
    again = cli(store_url, "sla", "run", "--now", "2022-10-08T09:30")
    assert "本次写入催办 0 条" in again.output and "已催办、未到下次催办日的 1 件" in again.output
    bad = cli(store_url, "sla", "run", "--now", "yesterday")
    assert bad.exit_code == 2 and "ISO" in bad.output


def test_missing_store_is_a_clear_error(tmp_path):
    r = cli(f"sqlite:///{tmp_path / 'none.sqlite'}", "serve")
    assert r.exit_code == 2 and "数据库不存在" in r.output


def test_serve_starts_the_api_on_the_store(store_url, monkeypatch):
    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda api, **kw: seen.update(api=api, **kw))
    r = cli(store_url, "serve", "--port", "9911")
    assert r.exit_code == 0, r.output
    assert seen["port"] == 9911 and seen["host"] == "127.0.0.1"
    with TestClient(seen["api"]) as client:
        assert client.get("/openapi.json").json()["info"]["title"].startswith("hotline")
        assert client.get("/api/tickets").status_code == 401


def test_serve_init_creates_an_empty_store_with_the_registries(tmp_path, monkeypatch):
    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda api, **kw: seen.update(api=api))
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    assert cli(url, "serve", "--init").exit_code == 0
    token = cli(url, "user", "add", "op", "--role", "operator").output.strip().splitlines()[-1]
    with TestClient(seen["api"]) as client:
        r = client.post("/api/tickets", headers={"Authorization": f"Bearer {token}"},
                        json={"appeal_type": "help", "subcategory_id": 1, "content": "求助", "unit_id": 1})
        assert r.status_code == 201 and r.json()["unit"] == "岳塘区人民政府"
