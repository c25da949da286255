"""The lifecycle declaration is checked when loaded: a broken rule fails at start-up, naming the problem."""

from __future__ import annotations

import copy

import pytest

from hotline.data import load_yaml
from hotline.domain.codes import EVENT_KINDS
from hotline.domain.lifecycle import LifecycleError, parse_lifecycle
from hotline.service.effects import EFFECTS
from hotline.service.guards import GUARDS
from hotline.service.workflow import default_lifecycle


def doc():
    return copy.deepcopy(load_yaml("lifecycle.yaml"))


def parse(d):
    return parse_lifecycle(d, guards=GUARDS, effects=EFFECTS)


def test_shipped_lifecycle_loads():
    lc = default_lifecycle()
    for state in ("accepted", "resolved_online", "pending_dispatch", "dispatched", "signed", "return_requested",
                  "returned", "extension_requested", "completed", "visited", "archived"):
        assert state in lc.states
    assert lc.final == {"archived", "cancelled", "referred_out"}  # 归档, and closed without handling
    assert all(t.kind in EVENT_KINDS for t in lc.transitions.values())
    # the spine of the seed's flow, in order
    path = [("new", "accept_for_dispatch"), ("pending_dispatch", "dispatch"), ("dispatched", "sign"),
            ("signed", "request_return"), ("return_requested", "approve_return"), ("returned", "reassign"),
            ("dispatched", "sign"), ("signed", "request_extension"), ("extension_requested", "approve_extension"),
            ("signed", "complete"), ("completed", "visit"), ("visited", "reopen"), ("dispatched", "sign"),
            ("signed", "complete"), ("completed", "visit"), ("visited", "archive")]
    state = "new"
    for expected, name in path:
        assert state == expected
        state = lc.transitions[name].target_from(state)
    assert state == "archived"


def test_generator_states_are_declared():
    # the demo data's states must be states of the service, so it can act on generated tickets
    lc = default_lifecycle()
    for s in ("accepted", "resolved_online", "dispatched", "signed", "returned", "completed", "visited"):
        assert s in lc.states


@pytest.mark.parametrize("mutate, needle", [
    (lambda d: d["states"].update(limbo="悬空"), "state 'limbo' is unreachable"),
    (lambda d: d["transitions"]["sign"]["roles"].append("mayor"), "unknown role 'mayor'"),
    (lambda d: d["transitions"]["sign"].update(kind="teleport"), "unknown event kind 'teleport'"),
    (lambda d: d["transitions"]["sign"].update(to="nowhere"), "unknown target state 'nowhere'"),
    (lambda d: d["transitions"]["sign"].update({"from": ["limbo"]}), "unknown source state 'limbo'"),
    (lambda d: d["transitions"]["request_return"].update(guards=["within_a_week"]), "unknown guard 'within_a_week'"),
    (lambda d: d["transitions"]["dispatch"].update(effects=["teleport_unit"]), "unknown effect 'teleport_unit'"),
    (lambda d: d["transitions"]["complete"].update(requires=["signature"]), "unknown requirement 'signature'"),
    (lambda d: d["transitions"]["sign"].update(roles=[]), "no role may fire it"),
    (lambda d: [d["transitions"].pop(k) for k in ("archive", "reopen")], "state 'visited' is a dead end"),
    (lambda d: d["transitions"]["archive"].update({"from": ["archived"]}), "fires from final state"),
])
def test_inconsistent_declarations_fail_at_load(mutate, needle):
    d = doc()
    mutate(d)
    with pytest.raises(LifecycleError) as err:
        parse(d)
    assert needle in str(err.value)
    assert "工单流程定义有误" in str(err.value)


def test_every_problem_is_listed_at_once():
    d = doc()
    d["transitions"]["sign"]["roles"] = ["mayor"]
    d["transitions"]["dispatch"]["kind"] = "teleport"
    with pytest.raises(LifecycleError) as err:
        parse(d)
    assert "mayor" in str(err.value) and "teleport" in str(err.value)
