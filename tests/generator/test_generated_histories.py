"""Every history the generator writes is an exact path of the declared lifecycle (hotline/data/lifecycle.yaml).

The generator writes its tickets' lives through `implied_events` plus a few hand-told stories; the report reads
durations, returns and reminders from those events, and the work-order service would refuse any step the
lifecycle does not allow. So the seed store's histories are checked as written (by event id), the way the
service's own would be: `check_history(..., imported=False)` — no missing steps tolerated.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from itertools import groupby
from operator import itemgetter

from hotline.domain.history import check_history
from hotline.domain.lifecycle import declared_lifecycle


@cache
def _problems(shape: tuple[tuple[str, str | None, str | None], ...]) -> tuple[str, ...]:
    """check_history of one sequence of (kind, from_state, to_state); most tickets share a few shapes."""
    return tuple(check_history(declared_lifecycle(), shape, imported=False))


def histories(rows) -> dict[int, tuple]:
    """Per ticket, its events as (kind, from_state, to_state): `rows` are (ticket_id, kind, from_state, to_state)
    ordered by ticket, then by event id."""
    return {tid: tuple((k, f, t) for _, k, f, t in events) for tid, events in groupby(rows, key=itemgetter(0))}


def history_problems(rows) -> dict[int, tuple[str, ...]]:
    """Per ticket whose history the lifecycle does not allow, the problems found."""
    return {tid: p for tid, shape in histories(rows).items() if (p := _problems(shape))}


def test_every_generated_history_is_an_exact_lifecycle_path(seed_store):
    con = sqlite3.connect(seed_store)
    try:
        rows = con.execute("SELECT ticket_id, kind, from_state, to_state FROM ticket_events ORDER BY ticket_id, id")
        written = histories(rows)
        states = dict(con.execute("SELECT id, state FROM tickets"))
    finally:
        con.close()
    offenders = {tid: p for tid, shape in written.items() if (p := _problems(shape))}
    first = "; ".join(f"工单 {tid}: {' / '.join(p[:2])}" for tid, p in list(offenders.items())[:5])
    assert not offenders, f"{len(offenders)} 个工单的事件不符合流程定义，例如 {first}"
    assert written.keys() == states.keys()  # no ticket escapes the check by having no events
    # the state the history leads to (the last state an event records) is the ticket's state
    last = {tid: [t for _, _, t in shape if t is not None][-1] for tid, shape in written.items()}
    assert [tid for tid in states if last[tid] != states[tid]] == []


def test_the_check_finds_a_history_the_lifecycle_forbids():
    accept = ("accept", None, "accepted")
    dispatch = ("dispatch", "accepted", "dispatched")
    sign = ("sign", "dispatched", "signed")
    rows = [
        (1, *accept), (1, *dispatch), (1, *sign), (1, "return_request", "signed", "return_requested"),
        (1, "return", "return_requested", "returned"), (1, "reassign", "returned", "dispatched"), (1, *sign),
        (2, *accept), (2, *dispatch), (2, *sign), (2, "return", "signed", "returned"),  # no 退单申请
        (3, *accept), (3, *dispatch), (3, "complete", "dispatched", "completed"),  # never signed
        (4, *accept), (4, *dispatch), (4, "reminder", None, None), (4, *sign), (4, "contact", None, None),
        (4, "feedback", "signed", "signed"), (4, "complete", "signed", "completed"),
    ]
    found = history_problems(rows)
    assert sorted(found) == [2, 3]
    assert "return" in found[2][0] and "已签收" in found[2][0]
    assert "complete" in found[3][0]
