"""An API client per role on a fresh store — SQLite and PostgreSQL — with a clock frozen before National Day 2022."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest
from api_helpers import UNIT_A, UNIT_B
from fastapi.testclient import TestClient

from hotline.api.app import create_app
from hotline.api.settings import ApiSettings
from hotline.service.clock import SteppingClock
from hotline.service.devstore import make_user
from hotline.service.transactions import service_engine


@dataclass
class Api:
    client: TestClient
    clock: SteppingClock
    engine: object
    url: str
    tokens: dict[str, str]

    def as_(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def get(self, who, path, **kw):
        return self.client.get(path, headers=self.as_(who) if who else {}, **kw)

    def post(self, who, path, json=None, **kw):
        return self.client.post(path, json=json, headers=self.as_(who) if who else {}, **kw)

    def patch(self, who, path, json=None, **kw):
        return self.client.patch(path, json=json, headers=self.as_(who) if who else {}, **kw)

    def ticket(self, who="operator", **fields):
        body = dict(appeal_type="consult", subcategory_id=1, content="市民来电反映：测试诉求。", unit_id=UNIT_A) | fields
        r = self.post(who, "/api/tickets", body)
        assert r.status_code == 201, r.text
        return r.json()


@pytest.fixture
def api(store_url):
    api_store = store_url
    clock = SteppingClock(datetime(2022, 9, 30, 9, 0))
    engine = service_engine(api_store, upgrade=False)
    tokens = {}
    for name, role, unit in (("operator", "operator", None), ("liaison_a", "liaison", UNIT_A),
                             ("liaison_b", "liaison", UNIT_B), ("analyst", "analyst", None), ("admin", "admin", None)):
        tokens[name] = make_user(engine, name, role, unit)[1]
    app = create_app(ApiSettings(db=api_store), engine=engine, clock=clock, url=api_store)
    with TestClient(app) as client:
        yield Api(client, clock, engine, api_store, tokens)
    engine.dispose()
