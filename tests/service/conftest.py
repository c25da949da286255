"""Service fixtures; the store itself (`store_url`: SQLite and PostgreSQL) comes from tests/conftest.py."""

from __future__ import annotations

from datetime import datetime

import pytest

from hotline.service.clock import SteppingClock
from hotline.service.transactions import service_engine
from hotline.service.workflow import WorkOrderService


@pytest.fixture
def engine(store_url):
    engine = service_engine(store_url, upgrade=False)
    yield engine
    engine.dispose()


@pytest.fixture
def clock():
    return SteppingClock(datetime(2022, 9, 30, 9, 0))  # the Friday before the 2022 National Day holiday


@pytest.fixture
def svc(engine, clock):
    return WorkOrderService(engine, clock=clock)
