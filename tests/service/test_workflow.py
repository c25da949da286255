"""The lifecycle executed on a real store (SQLite and PostgreSQL), frozen clock across National Day 2022."""

from __future__ import annotations

import json
from datetime import datetime as D

import pytest
from service_helpers import ADMIN, LIAISON_A, LIAISON_B, OPERATOR, UNIT_A, UNIT_B, dispatched, req
from sqlalchemy import func, select

from hotline.service import audit
from hotline.service.errors import Conflict, Forbidden, Invalid, Refused
from hotline.store.schema import audit_log, return_visits, ticket_events, ticket_versions, tickets


def events(engine, tid):
    with engine.connect() as c:
        return [dict(r) for r in c.execute(select(ticket_events).where(ticket_events.c.ticket_id == tid)
                                           .order_by(ticket_events.c.id)).mappings()]


def ticket(engine, tid):
    with engine.connect() as c:
        return dict(c.execute(select(tickets).where(tickets.c.id == tid)).mappings().one())


def test_full_path_writes_one_event_per_step(svc, engine, clock):
    tid = dispatched(svc, "complaint")
    assert ticket(engine, tid)["ticket_no"].startswith("220930") and ticket(engine, tid)["ticket_no"].endswith("099")
    clock.advance(hours=1)
    svc.fire(LIAISON_A, tid, "sign")
    clock.now = D(2022, 10, 8, 10)
    svc.fire(LIAISON_A, tid, "contact", req(note="电话联系市民了解情况"))
    clock.now = D(2022, 10, 9, 15)
    out = svc.fire(LIAISON_A, tid, "complete", req(note="已现场处理完毕", contacted=True))
    assert out["state"] == "completed"
    clock.now = D(2022, 10, 10, 9)
    svc.fire(OPERATOR, tid, "visit", req(result="satisfied", method="phone"))
    out = svc.fire(OPERATOR, tid, "archive")
    assert out == {**out, "state": "archived", "state_label": "已归档", "version": 6}

    evs = events(engine, tid)
    assert [e["kind"] for e in evs] == ["accept", "dispatch", "sign", "contact", "feedback", "complete", "visit",
                                        "archive"]
    assert [(e["from_state"], e["to_state"]) for e in evs] == [
        (None, "pending_dispatch"), ("pending_dispatch", "dispatched"), ("dispatched", "signed"), ("signed", None),
        ("signed", None), ("signed", "completed"), ("completed", "visited"), ("visited", "archived")]
    assert [e["actor"] for e in evs] == ["op1", "op1", "li_a", "li_a", "li_a", "li_a", "op1", "op1"]
    assert evs[1]["due_at"] == D(2022, 10, 12, 23, 59, 59) and evs[1]["unit_id"] == UNIT_A
    assert evs[4]["note"] == "已现场处理完毕" and evs[4]["at"] == D(2022, 10, 9, 15)
    assert all(e["unit_id"] == UNIT_A for e in evs[1:])
    t = ticket(engine, tid)
    assert (t["state"], t["unit_id"], t["resolution"]) == ("archived", UNIT_A, "dispatched")
    with engine.connect() as c:
        assert c.execute(select(return_visits.c.result).where(return_visits.c.ticket_id == tid)).scalar() == "satisfied"
        actions = c.execute(select(audit_log.c.action).where(audit_log.c.entity_id == str(tid))
                            .order_by(audit_log.c.id)).scalars().all()
    assert actions == ["ticket.create", "transition.dispatch", "transition.sign", "transition.contact",
                       "transition.complete", "transition.visit", "transition.archive"]


def test_online_resolution_in_one_transaction(svc, engine):
    out = svc.create(OPERATOR, dict(appeal_type="consult", subcategory_id=1, content="咨询社保卡补办流程",
                                    route="online", answer="可持身份证到社保卡服务网点补办。"))
    t = ticket(engine, out["ticket_id"])
    assert (t["state"], t["resolution"], t["unit_id"]) == ("resolved_online", "online", None)
    assert [(e["kind"], e["to_state"]) for e in events(engine, t["id"])] == [("accept", "accepted"),
                                                                             ("resolve_online", "resolved_online")]


def test_return_within_two_working_days_across_the_holiday(svc, engine, clock):
    tid = dispatched(svc)                         # Friday 09-30 09:00
    clock.now = D(2022, 9, 30, 14)
    svc.fire(LIAISON_A, tid, "sign")
    clock.now = D(2022, 10, 10, 9)                # 3rd working day after signing
    with pytest.raises(Refused) as late:
        svc.fire(LIAISON_A, tid, "request_return", req(note="不属于我单位职责"))
    assert "2 个工作日内" in late.value.message and "已过 3 个工作日" in late.value.message
    assert late.value.extra["state"] == "signed"
    assert ticket(engine, tid)["state"] == "signed" and len(events(engine, tid)) == 3  # nothing written

    tid2 = dispatched(svc)
    clock.now = D(2022, 10, 10, 9, 30)
    svc.fire(LIAISON_A, tid2, "sign")
    clock.now = D(2022, 10, 12, 16)               # 2nd working day: allowed
    svc.fire(LIAISON_A, tid2, "request_return", req(note="经核实不属于我单位职责"))
    svc.fire(OPERATOR, tid2, "approve_return")
    with pytest.raises(Refused, match="刚刚退回"):
        svc.fire(OPERATOR, tid2, "reassign", req(unit_id=UNIT_A))
    with pytest.raises(Invalid, match="承办单位"):
        svc.fire(OPERATOR, tid2, "reassign")
    out = svc.fire(OPERATOR, tid2, "reassign", req(unit_id=UNIT_B))
    assert out["events"][0]["due_at"] == D(2022, 10, 17, 23, 59, 59)  # 3 working days from Wednesday 10-12
    t = ticket(engine, tid2)
    assert (t["state"], t["unit_id"]) == ("dispatched", UNIT_B)
    with pytest.raises(Forbidden):                # the returning unit has lost the ticket
        svc.fire(LIAISON_A, tid2, "sign")
    svc.fire(LIAISON_B, tid2, "sign")
    with engine.connect() as c:
        facts = svc.facts(c, tid2)
    assert (facts.hops, facts.returns, facts.returned_by_unit_id) == (2, 1, UNIT_A)


def test_refused_return_keeps_the_ticket_with_the_unit(svc, clock):
    tid = dispatched(svc)
    svc.fire(LIAISON_A, tid, "sign")
    svc.fire(LIAISON_A, tid, "request_return", req(note="不属于我单位"))
    with pytest.raises(Invalid, match="说明"):
        svc.fire(OPERATOR, tid, "refuse_return")
    assert svc.fire(OPERATOR, tid, "refuse_return", req(note="属于你单位职责，请办理"))["state"] == "signed"


def test_extension_before_the_deadline_and_capped(svc, engine, clock):
    tid = dispatched(svc)                         # consult, due 10-10 23:59:59
    svc.fire(LIAISON_A, tid, "sign")
    clock.now = D(2022, 10, 10, 20)
    with pytest.raises(Refused, match="1 至 5 个工作日"):
        svc.fire(LIAISON_A, tid, "request_extension", req(note="需协调多部门", days=8))
    svc.fire(LIAISON_A, tid, "request_extension", req(note="需协调多部门", days=3))
    out = svc.fire(OPERATOR, tid, "approve_extension")
    assert out["events"][0]["due_at"] == D(2022, 10, 13, 23, 59, 59)
    assert out["events"][0]["note"] == "批准延期 3 个工作日"
    with pytest.raises(Refused, match="最多延期 1 次"):
        svc.fire(LIAISON_A, tid, "request_extension", req(note="再延", days=1))

    late = dispatched(svc)                        # dispatched 10-10 20:00, due 10-13
    svc.fire(LIAISON_A, late, "sign")
    clock.now = D(2022, 10, 14, 9)
    with pytest.raises(Refused, match="时限届满前"):
        svc.fire(LIAISON_A, late, "request_extension", req(note="来不及了", days=2))


def test_refused_extension_keeps_the_deadline(svc, engine, clock):
    tid = dispatched(svc)
    svc.fire(LIAISON_A, tid, "sign")
    svc.fire(LIAISON_A, tid, "request_extension", req(note="需要更多时间", days=2))
    svc.fire(OPERATOR, tid, "refuse_extension", req(note="诉求简单，请按时办结"))
    with engine.connect() as c:
        assert svc.facts(c, tid).due_at == D(2022, 10, 10, 23, 59, 59)


def test_reopen_after_a_dissatisfied_visit(svc, engine, clock):
    tid = dispatched(svc, "complaint")
    svc.fire(LIAISON_A, tid, "sign")
    svc.fire(LIAISON_A, tid, "complete", req(note="已处理", contacted=False))
    assert [e["kind"] for e in events(engine, tid)][-2:] == ["feedback", "complete"]  # no contact event
    svc.fire(OPERATOR, tid, "visit", req(result="dissatisfied", method="sms", note="市民表示问题未解决"))
    clock.now = D(2022, 10, 8, 9)
    out = svc.fire(OPERATOR, tid, "reopen")
    assert out["state"] == "dispatched" and out["events"][0]["due_at"] == D(2022, 10, 13, 23, 59, 59)
    svc.fire(LIAISON_A, tid, "sign")
    svc.fire(LIAISON_A, tid, "complete", req(note="再次上门处理", contacted=True))
    svc.fire(OPERATOR, tid, "visit", req(result="satisfied", method="phone"))
    with pytest.raises(Refused, match="回访不满意"):
        svc.fire(OPERATOR, tid, "reopen")
    assert svc.fire(OPERATOR, tid, "archive")["state"] == "archived"


def test_roles_and_units(svc, engine):
    tid = dispatched(svc)
    with pytest.raises(Forbidden, match="无权访问其他单位"):
        svc.fire(LIAISON_B, tid, "sign")
    with pytest.raises(Forbidden, match="话务员无权执行“签收”"):
        svc.fire(OPERATOR, tid, "sign")
    svc.fire(LIAISON_A, tid, "sign")
    svc.fire(LIAISON_A, tid, "request_return", req(note="不属于我单位"))
    with pytest.raises(Forbidden, match="联络员无权执行“同意退单”"):
        svc.fire(LIAISON_A, tid, "approve_return")
    assert svc.fire(ADMIN, tid, "approve_return")["state"] == "returned"
    with pytest.raises(Invalid, match="未知操作"):
        svc.fire(ADMIN, tid, "teleport")


def test_wrong_state_and_stale_version_are_conflicts(svc, engine):
    tid = dispatched(svc)
    with pytest.raises(Conflict) as wrong:
        svc.fire(LIAISON_A, tid, "complete", req(note="x", contacted=True))
    assert (wrong.value.state, wrong.value.version) == ("dispatched", 1)
    assert "当前状态为“已派发”" in wrong.value.message
    svc.fire(LIAISON_A, tid, "sign", expected_version=1)
    with pytest.raises(Conflict) as stale:
        svc.fire(LIAISON_A, tid, "contact", expected_version=1)
    assert (stale.value.state, stale.value.version) == ("signed", 2)


def test_a_failed_transition_writes_nothing(svc, engine, monkeypatch):
    tid = dispatched(svc)
    before = (ticket(engine, tid), events(engine, tid))

    def boom(*a, **k):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(audit, "record", boom)
    with pytest.raises(RuntimeError):
        svc.fire(LIAISON_A, tid, "sign")
    assert (ticket(engine, tid), events(engine, tid)) == before
    with engine.connect() as c:
        assert c.execute(select(ticket_versions.c.version).where(ticket_versions.c.ticket_id == tid)).scalar() == 1


def test_acting_on_generated_tickets_without_a_version_row(svc, engine):
    """Imported/generated tickets have no ticket_versions row: version 0, first action inserts it."""
    tid = dispatched(svc)
    with engine.begin() as c:
        c.execute(ticket_versions.delete())
    out = svc.fire(LIAISON_A, tid, "sign", expected_version=0)
    assert out["version"] == 1


def test_audit_detail_is_json_with_the_request(svc, engine):
    tid = dispatched(svc)
    svc.fire(LIAISON_A, tid, "sign")
    with engine.connect() as c:
        row = c.execute(select(audit_log).where(audit_log.c.action == "transition.sign")).mappings().one()
        n = c.execute(select(func.count()).select_from(audit_log)).scalar()
    assert json.loads(row["detail"]) == {"from": "dispatched", "to": "signed", "version": 2, "request": {}}
    assert row["actor"] == "li_a" and n == 3
