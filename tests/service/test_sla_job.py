"""`run_sla`: reminders written on the next working day, idempotently; the overdue backlog by unit (图10)."""

from __future__ import annotations

from datetime import datetime as D

from service_helpers import LIAISON_A, LIAISON_C, UNIT_C, dispatched, req
from sqlalchemy import select

from hotline.service.sla_job import backlog, run_sla
from hotline.store.schema import ticket_events


def reminders(engine):
    with engine.connect() as c:
        return c.execute(select(ticket_events.c.ticket_id, ticket_events.c.at, ticket_events.c.actor)
                         .where(ticket_events.c.kind == "reminder").order_by(ticket_events.c.id)).all()


def setup_tickets(svc, clock):
    clock.now = D(2022, 9, 27, 10)
    a = dispatched(svc, unit_id=UNIT_C, sub=2)        # consult, due Friday 09-30
    svc.fire(LIAISON_C, a, "sign")
    clock.now = D(2022, 9, 30, 10)
    b = dispatched(svc)                               # consult, due 10-10
    svc.fire(LIAISON_A, b, "sign")
    c = dispatched(svc)                               # never signed
    d = dispatched(svc)
    svc.fire(LIAISON_A, d, "sign")
    svc.fire(LIAISON_A, d, "complete", req(note="已办结", contacted=True))
    return a, b, c, d


def test_reminders_on_working_days_idempotent(svc, engine, clock):
    a, b, c, d = setup_tickets(svc, clock)
    clock.now = D(2022, 10, 5, 10)                    # holiday: overdue, but nobody is urged
    s = run_sla(svc)
    assert (s.open_tickets, s.overdue, s.reminders_written) == (3, 1, 0)
    assert s.backlog == [{"unit": "市资规局", "count": 1, "topics": s.backlog[0]["topics"]}]

    clock.now = D(2022, 10, 8, 9)                     # first working day after the holiday (a Saturday)
    s = run_sla(svc)
    assert s.reminders_written == 2                   # a: overdue; c: not signed within 24 hours
    assert {r.ticket_id for r in reminders(engine)} == {a, c}
    assert all(r.actor == "sla" and r.at == D(2022, 10, 8, 9) for r in reminders(engine))
    again = run_sla(svc)                              # cron fires twice: nothing new
    assert (again.reminders_written, again.already_reminded) == (0, 1)
    assert len(reminders(engine)) == 2

    clock.now = D(2022, 10, 11, 9)                    # b and c are overdue now (due 10-10); a waits for 10-13
    s = run_sla(svc)
    assert s.reminders_written == 2 and {r.ticket_id for r in reminders(engine)[-2:]} == {b, c}
    assert s.overdue == 3 and [(u["unit"], u["count"]) for u in s.backlog] == [("市公安局", 2), ("市资规局", 1)]
    clock.now = D(2022, 10, 13, 9)
    assert run_sla(svc).reminders_written == 1        # a again, 5 working days after its first reminder
    lines = run_sla(svc).lines()
    assert lines[0] == "催办检查（截至 2022-10-13 09:00）" and any("超期未反馈工单" in x for x in lines)


def test_backlog_counts_feedback_before_the_cutoff(svc, engine, clock):
    a, b, c, d = setup_tickets(svc, clock)
    with engine.connect() as conn:
        assert backlog(conn, D(2022, 10, 11, 0, 0, 1)) == [
            {"unit": "市公安局", "count": 2, "topics": backlog(conn, D(2022, 10, 11, 0, 0, 1))[0]["topics"]},
            {"unit": "市资规局", "count": 1, "topics": backlog(conn, D(2022, 10, 11, 0, 0, 1))[1]["topics"]}]
    clock.now = D(2022, 10, 12, 9)
    svc.fire(LIAISON_A, b, "complete", req(note="已办结（超期）", contacted=True))
    with engine.connect() as conn:
        assert [u["count"] for u in backlog(conn, D(2022, 10, 12, 10))] == [1, 1]   # c (unsigned) and a
        assert [u["count"] for u in backlog(conn, D(2022, 10, 11, 10))] == [2, 1]   # as it stood the day before
