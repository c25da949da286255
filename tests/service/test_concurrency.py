"""Two liaisons acting on one ticket at once: one wins, the other gets a Conflict carrying the current state.

Threads are released together by a barrier, many times over, on SQLite (BEGIN IMMEDIATE) and PostgreSQL
(SELECT … FOR UPDATE); afterwards every ticket has exactly the events of the winners — none lost, none doubled.
"""

from __future__ import annotations

import threading
from collections import Counter

from service_helpers import LIAISON_A, dispatched, req
from sqlalchemy import func, select

from hotline.service.context import Principal
from hotline.service.errors import Conflict
from hotline.store.schema import ticket_events, ticket_versions, tickets

ROUNDS = 12


def race(fn_a, fn_b):
    barrier = threading.Barrier(2)
    results = [None, None]

    def run(i, fn):
        barrier.wait()
        try:
            results[i] = ("ok", fn())
        except Conflict as exc:
            results[i] = ("conflict", exc)

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate((fn_a, fn_b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_liaisons_sign_at_once(svc, engine):
    colleague = Principal("li_a2", "liaison", unit_id=LIAISON_A.unit_id)
    ids = [dispatched(svc) for _ in range(ROUNDS)]
    for tid in ids:
        results = race(lambda: svc.fire(LIAISON_A, tid, "sign"), lambda: svc.fire(colleague, tid, "sign"))
        outcomes = Counter(r[0] for r in results)
        assert outcomes == {"ok": 1, "conflict": 1}, results
        loser = next(r[1] for r in results if r[0] == "conflict")
        assert loser.state == "signed" and loser.version == 2
        assert "已签收" in loser.message
    with engine.connect() as c:
        kinds = Counter(c.execute(select(ticket_events.c.kind).where(ticket_events.c.ticket_id.in_(ids))).scalars())
        states = set(c.execute(select(tickets.c.state).where(tickets.c.id.in_(ids))).scalars())
        versions = set(c.execute(select(ticket_versions.c.version).where(ticket_versions.c.ticket_id.in_(ids))).scalars())
    assert kinds == {"accept": ROUNDS, "dispatch": ROUNDS, "sign": ROUNDS}
    assert states == {"signed"} and versions == {2}


def test_same_state_actions_with_versions_do_not_duplicate(svc, engine):
    """Two 'contact' clicks on the version they both saw: one event, one 409."""
    tid = dispatched(svc)
    svc.fire(LIAISON_A, tid, "sign")
    for round_ in range(ROUNDS):
        seen = 2 + round_
        results = race(lambda: svc.fire(LIAISON_A, tid, "contact", req(note="联系"), expected_version=seen),
                       lambda: svc.fire(LIAISON_A, tid, "contact", req(note="联系"), expected_version=seen))
        assert Counter(r[0] for r in results) == {"ok": 1, "conflict": 1}
    with engine.connect() as c:
        n = c.execute(select(func.count()).select_from(ticket_events)
                      .where(ticket_events.c.ticket_id == tid, ticket_events.c.kind == "contact")).scalar()
    assert n == ROUNDS


def test_different_tickets_do_not_block_each_other(svc, engine):
    a, b = dispatched(svc), dispatched(svc)
    results = race(lambda: svc.fire(LIAISON_A, a, "sign"), lambda: svc.fire(LIAISON_A, b, "sign"))
    assert [r[0] for r in results] == ["ok", "ok"]
