"""The work-order service follows its store's city profile: channels, SLA deadlines, calendar, ticket numbers."""

from __future__ import annotations

from datetime import datetime

import pytest
from service_helpers import OPERATOR

from hotline.domain.profile import load_profile
from hotline.service.clock import frozen
from hotline.service.errors import Invalid
from hotline.service.transactions import service_engine
from hotline.service.workflow import WorkOrderService
from hotline.store.init import init_store
from hotline.store.reference import ensure_reference_store

PROFILE = """city: 甲市
office: 甲市热线办
channels: {walk_in: 窗口来访}
calendar: weekdays
sla: {deadlines: {by_appeal_type: {complaint: 2}}}
units: [{name: 甲市公安局, group: city_dept}]
taxonomy: {categories: [{name: 治安类, subcategories: [{name: 治安管理}]}]}
"""


@pytest.fixture
def city(tmp_path):
    folder = tmp_path / "jia"
    folder.mkdir()
    (folder / "profile.yaml").write_text(PROFILE, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'jia.sqlite'}"
    init_store(url, load_profile(folder))
    engine = service_engine(url)
    ensure_reference_store(engine)  # nothing more to add: the profile's registries are there
    yield engine
    engine.dispose()


def test_channels_are_the_profiles(city):
    svc = WorkOrderService(city, clock=frozen(datetime(2022, 9, 30, 10)))
    made = svc.create(OPERATOR, dict(appeal_type="complaint", subcategory_id=1, content="窗口来访反映噪音问题。",
                                     channel="walk_in"))
    assert made["state"] == "pending_dispatch"
    with pytest.raises(Invalid) as err:
        svc.create(OPERATOR, dict(appeal_type="complaint", subcategory_id=1, content="传真反映。", channel="fax"))
    assert "walk_in 窗口来访" in err.value.message and "phone 电话" in err.value.message


def test_deadlines_follow_the_profiles_rules_and_calendar(city):
    svc = WorkOrderService(city, clock=frozen(datetime(2022, 9, 30, 10)))
    made = svc.create(OPERATOR, dict(appeal_type="complaint", subcategory_id=1, content="反映噪音问题。", unit_id=1))
    due = next(e for e in made["events"] if e["kind"] == "dispatch")["due_at"]
    # 2 working days from Friday 30 September on Monday–Friday: Tuesday 4 October — on China's calendar it would
    # have been 10 October (National Day holiday), with the shipped 5 days for a complaint later still
    assert str(due).startswith("2022-10-04 23:59:59")


def test_ticket_numbers_follow_the_profile(tmp_path):
    folder = tmp_path / "yi"
    folder.mkdir()
    (folder / "profile.yaml").write_text(PROFILE.replace("甲", "乙") + "ticket_no: {pattern: 'YI-\\\\d+'}\n",
                                         encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'yi.sqlite'}"
    init_store(url, load_profile(folder))
    engine = service_engine(url)
    svc = WorkOrderService(engine, clock=frozen(datetime(2022, 9, 30, 10)))
    with pytest.raises(Invalid) as err:
        svc.create(OPERATOR, dict(appeal_type="consult", subcategory_id=1, content="咨询。"))
    assert "YI-" in err.value.message and "ticket_no" in err.value.message
    engine.dispose()
