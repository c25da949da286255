"""Every history the service writes is an exact path of the declared lifecycle (`check_history`), and the check
can tell: a history bent out of the declaration — a step dropped, two swapped, a state misrecorded — is flagged.

The service is one of three writers of `ticket_events` (the importer and the demo generator are the others);
all three are held to hotline/data/lifecycle.yaml through `hotline.domain.history.check_history`. The random
sequences of tests/service/test_properties.py check the same on whatever hypothesis tries; the walk here fires
every declared transition at least once, so no transition's events go unchecked.
"""

from __future__ import annotations

import pytest
from service_helpers import LIAISON_A, LIAISON_B, OPERATOR, UNIT_A, UNIT_B, req
from sqlalchemy import select

from hotline.domain.history import check_history
from hotline.service.context import Principal
from hotline.service.workflow import default_lifecycle
from hotline.store.schema import ticket_events

LC = default_lifecycle()
SLA_JOB = Principal("sla", "system")


def history(engine, tid: int) -> list[tuple[str, str | None, str | None]]:
    with engine.connect() as c:
        return [tuple(r) for r in c.execute(
            select(ticket_events.c.kind, ticket_events.c.from_state, ticket_events.c.to_state)
            .where(ticket_events.c.ticket_id == tid).order_by(ticket_events.c.id))]


class Walk:
    """Fires transitions through the service and remembers which ones it fired."""

    def __init__(self, svc):
        self.svc, self.fired, self.tickets = svc, set(), []

    def create(self, route: str, **data) -> int:
        out = self.svc.create(OPERATOR, dict(appeal_type="complaint", subcategory_id=1, content="市民反映：测试。",
                                             route=route, **data))
        self.fired.add("accept" if route == "online" else "accept_for_dispatch")
        if data.get("answer"):
            self.fired.add("resolve_online")
        if data.get("unit_id"):
            self.fired.add("dispatch")
        self.tickets.append(out["ticket_id"])
        return out["ticket_id"]

    def __call__(self, who: Principal, tid: int, *actions: str, **fields) -> None:
        for action in actions:
            self.svc.fire(who, tid, action, req(**fields))
            self.fired.add(action)


def walk_every_transition(svc) -> Walk:
    w = Walk(svc)
    t = w.create("dispatch", unit_id=UNIT_A)                      # 受理 → 派发
    w(LIAISON_A, t, "sign", "contact")
    w(OPERATOR, t, "remind")
    w(LIAISON_A, t, "request_extension", note="需协调", days=2)
    w(OPERATOR, t, "refuse_extension", note="可按期办结")
    w(LIAISON_A, t, "request_extension", note="需协调", days=2)
    w(OPERATOR, t, "approve_extension")
    w(LIAISON_A, t, "request_return", note="不属于本单位职责")
    w(OPERATOR, t, "refuse_return", note="属于本单位职责")
    w(LIAISON_A, t, "request_return", note="确不属于本单位职责")
    w(OPERATOR, t, "approve_return")
    w(OPERATOR, t, "reassign", unit_id=UNIT_B)
    w(LIAISON_B, t, "sign")
    w(LIAISON_B, t, "complete", note="已办结", contacted=True)   # writes 联系 and 反馈 with its own event
    w(OPERATOR, t, "visit", result="dissatisfied", method="phone")
    w(OPERATOR, t, "reopen")
    w(LIAISON_B, t, "sign")
    w(LIAISON_B, t, "complete", note="已再次办结", contacted=False)
    w(OPERATOR, t, "visit", result="satisfied", method="phone")
    w(OPERATOR, t, "archive")
    online = w.create("online", answer="已答复")                  # 受理 → 在线办结 → 回访 → 归档
    w(OPERATOR, online, "visit", result="satisfied", method="sms")
    w(OPERATOR, online, "archive")
    later = w.create("online")                                    # answered later: dispatched from 已受理
    w(OPERATOR, later, "dispatch", unit_id=UNIT_A)
    w(SLA_JOB, later, "remind")
    waiting = w.create("dispatch")                                # 待派发, dispatched afterwards
    w(OPERATOR, waiting, "dispatch", unit_id=UNIT_B)
    withdrawn = w.create("dispatch")                              # 待派发, then the citizen withdraws it: 撤销
    w(OPERATOR, withdrawn, "cancel", note="市民来电撤回诉求")
    elsewhere = w.create("online")                                # not this hotline's: 转出 to another channel
    w(OPERATOR, elsewhere, "refer_out", note="属司法诉讼事项，告知市民向法院反映")
    return w


def test_every_history_the_service_writes_is_a_declared_path(svc, engine):
    walk = walk_every_transition(svc)
    assert walk.fired == set(LC.transitions)                      # the walk leaves no transition out
    for tid in walk.tickets:
        assert check_history(LC, history(engine, tid)) == [], tid


def bent(events: list[tuple], how: str) -> tuple[list[tuple], int]:
    """`events` bent out of the lifecycle in one way; returns them and the 1-based index of the first bad event."""
    kinds = [e[0] for e in events]
    out = list(events)
    if how == "dispatch dropped":
        i = kinds.index("dispatch")
        del out[i]
        return out, i + 1
    if how == "sign before dispatch":
        i, j = kinds.index("dispatch"), kinds.index("sign")
        out[i], out[j] = out[j], out[i]
        return out, i + 1
    if how == "origin misrecorded":
        j = kinds.index("sign")
        out[j] = ("sign", "accepted", "signed")
        return out, j + 1
    if how == "feedback moves the state":
        j = kinds.index("feedback")
        out[j] = ("feedback", "signed", "completed")
        return out, j + 1
    if how == "reopen before a visit":
        j = kinds.index("complete")
        out.insert(j + 1, ("reopen", "completed", "dispatched"))
        return out, j + 2
    if how == "an event after archiving":
        out.append(("reminder", "archived", None))
        return out, len(out)
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["dispatch dropped", "sign before dispatch", "origin misrecorded",
                                 "feedback moves the state", "reopen before a visit", "an event after archiving"])
def test_the_check_flags_a_history_bent_out_of_the_lifecycle(svc, engine, how):
    walk = walk_every_transition(svc)
    written = history(engine, walk.tickets[0])
    assert check_history(LC, written) == []
    events, first_bad = bent(written, how)
    problems = check_history(LC, events)
    assert problems, how
    assert problems[0].startswith(f"第 {first_bad} 个事件"), problems


def test_a_missing_sign_is_forgiven_only_to_an_import(svc, engine):
    # vendor exports often lack 签收时间 (lifecycle.yaml imported_may_lack); the service has no such excuse
    walk = Walk(svc)
    t = walk.create("dispatch", unit_id=UNIT_A)
    walk(LIAISON_A, t, "sign")
    walk(LIAISON_A, t, "complete", note="已办结", contacted=True)
    # as an import without the column records it: no 签收 event, and the ticket goes on from 已派发
    unsigned = {"signed": "dispatched"}
    without_sign = [(k, unsigned.get(a, a), unsigned.get(b, b)) for k, a, b in history(engine, t) if k != "sign"]
    assert check_history(LC, without_sign, imported=True) == []
    assert check_history(LC, without_sign) != []
