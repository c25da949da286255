"""A ticket's history: the events its milestones imply, and whether a history is a path the lifecycle allows.

Why one `implied_events`: an export row and a generated ticket are both *summaries* of a ticket's life (受理时间,
派发时间, 签收时间, 办结时间, 回访时间 …), while the store keeps the life itself as `ticket_events`, from which every
duration and on-time figure is derived. The reference importer, the importer's fast path and the demo generator
all expand a summary into events; they used to do it with three hand-written copies of the same rules, which
could drift from each other and from the declared lifecycle. Now they call this function, and
`check_history` (tested on what each of them writes) says the result is a path `hotline/data/lifecycle.yaml`
allows.

The events are tuples in `EVENT_FIELDS` order — the order of the store's columns, which the importer writes as
they are. Times are passed through untouched (the importer hands them over in the text form SQLite stores, the
generator as datetimes), so the function never compares them: which milestones exist is the caller's business,
what they imply is this function's.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable
from typing import Any

from hotline.domain.codes import EVENT_KINDS
from hotline.domain.lifecycle import Lifecycle, Transition

EVENT_FIELDS = ("kind", "at", "actor", "unit_id", "from_state", "to_state", "due_at", "note")
ALL_KINDS = frozenset(EVENT_KINDS)
OPERATOR, DISPATCHER, VISITOR = "话务员", "派单员", "回访员"
CONTACT_NOTE = "已联系诉求人"
CLOSED_WITHOUT_HANDLING = {"cancelled": "cancel", "referred_out": "refer_out"}  # final state → the event closing it


def liaison_of(unit_name: str | None) -> str:
    """Who acts for a unit in its events: 市公安局联络员 (承办单位联络员 when the unit is not known)."""
    return f"{unit_name}联络员" if unit_name else "承办单位联络员"


def implied_events(accepted_at: Any, *, dispatched: bool, unit_id: int | None = None, liaison: str = "",
                   dispatched_at: Any = None, due_at: Any = None, signed_at: Any = None, contacted_at: Any = None,
                   feedback_at: Any = None, feedback: str | None = None, completed_at: Any = None,
                   visited_at: Any = None, kinds: Collection[str] = ALL_KINDS, null: Any = None,
                   contact_note: str = CONTACT_NOTE, closed_as: str | None = None) -> tuple[list[tuple], str]:
    """The events a ticket's milestones imply, in the order they happened, and the state they leave it in.

    - online (`dispatched` false): 受理 → 在线办结 (at `completed_at`, else at acceptance). A return visit of an
      online ticket is an SMS evaluation: it writes a `return_visits` row, no event.
    - dispatched: 受理 → 派发 (at `dispatched_at`, with `due_at`) → 签收 → 联系 → 反馈 → 办结 → 回访, each only
      when its milestone is given. Without `dispatched_at` nor `unit_id` nothing after 受理 is known.
    `closed_as`: `cancelled` or `referred_out` when the ticket was closed without being handled (撤销, 转出): its
    close (`completed_at`) is then that event, never 办结, and nothing after it.
    `kinds`: the event kinds the caller is the truth for (an import writes only what its file says; a kind outside
    them is neither written nor replaced, and the state does not move past it). `null`: what an empty column holds
    (the importer's writer takes a stand-in for NULL). A caller that expands many tickets with the same `kinds`,
    `null` and `contact_note` makes an `EventExpansion` once and calls it positionally.
    """
    expand = EventExpansion(kinds, null, contact_note)
    if not dispatched:
        return expand.online(accepted_at, completed_at, closed_as)
    return expand.dispatched(accepted_at, unit_id, liaison, dispatched_at, due_at, signed_at, contacted_at,
                             feedback_at, feedback, completed_at, visited_at, closed_as)


class EventExpansion:
    """`implied_events` with the caller's fixed choices made once — the definition itself; `implied_events` is its
    keyword front door. Why a class: the importer expands a million rows with the same choices, and a call with a
    dozen keywords (and the `kinds` tests) per row cost its converting process, which sets the pace, about 4 %
    (benchmarks/ingest/README.md, fourth round)."""

    __slots__ = ("null", "contact_note", "accept", "online_done", "dispatch", "sign", "contact", "feedback", "complete",
                 "visit")

    def __init__(self, kinds: Collection[str] = ALL_KINDS, null: Any = None, contact_note: str = CONTACT_NOTE):
        self.null, self.contact_note = null, contact_note
        self.accept, self.online_done, self.dispatch = "accept" in kinds, "resolve_online" in kinds, "dispatch" in kinds
        self.sign, self.contact, self.feedback = "sign" in kinds, "contact" in kinds, "feedback" in kinds
        self.complete, self.visit = "complete" in kinds, "visit" in kinds

    def online(self, accepted_at: Any, completed_at: Any = None, closed_as: str | None = None
               ) -> tuple[list[tuple], str]:
        N = self.null
        events = [("accept", accepted_at, OPERATOR, N, N, "accepted", N, N)] if self.accept else []
        if closed_as is not None:
            return self._closed(events, closed_as, completed_at or accepted_at, "accepted", N, N)
        if self.online_done:
            events.append(("resolve_online", completed_at or accepted_at, OPERATOR, N, "accepted", "resolved_online",
                           N, N))
        return events, "resolved_online"

    def dispatched(self, accepted_at: Any, unit_id: int | None, liaison: str, dispatched_at: Any, due_at: Any,
                   signed_at: Any, contacted_at: Any, feedback_at: Any, feedback: str | None, completed_at: Any,
                   visited_at: Any, closed_as: str | None = None) -> tuple[list[tuple], str]:
        N = self.null
        events = [("accept", accepted_at, OPERATOR, N, N, "accepted", N, N)] if self.accept else []
        if unit_id is None and dispatched_at is None:
            return events, "accepted"
        if self.dispatch:
            events.append(("dispatch", dispatched_at or accepted_at, DISPATCHER, unit_id, "accepted", "dispatched",
                           N if due_at is None else due_at, N))
        state = "dispatched"
        if signed_at is not None and self.sign:
            events.append(("sign", signed_at, liaison, unit_id, state, "signed", N, N))
            state = "signed"
        if contacted_at is not None and self.contact:
            events.append(("contact", contacted_at, liaison, unit_id, N, N, N, self.contact_note))
        if closed_as is not None:
            at = completed_at or feedback_at or signed_at or dispatched_at or accepted_at
            return self._closed(events, closed_as, at, state, unit_id, N if feedback is None else feedback)
        if feedback_at is not None and self.feedback:
            events.append(("feedback", feedback_at, liaison, unit_id, state, state, N, N if feedback is None else feedback))
        if completed_at is not None and self.complete:
            events.append(("complete", completed_at, liaison, unit_id, state, "completed", N, N))
            state = "completed"
        if visited_at is not None and self.visit:
            events.append(("visit", visited_at, VISITOR, unit_id, state, "visited", N, N))
            state = "visited"
        return events, state

    def _closed(self, events: list[tuple], closed_as: str, at: Any, state: str, unit_id: Any, note: Any
                ) -> tuple[list[tuple], str]:
        """The ticket closed without being handled (撤销 or 转出) at `at`: written where 办结 would be."""
        kind = CLOSED_WITHOUT_HANDLING[closed_as]
        if self.complete:  # a file that is the truth for 办结 is the truth for how the ticket closed
            events.append((kind, at, OPERATOR, unit_id, state, closed_as, self.null, note))
        return events, closed_as


# ---- checking a history -------------------------------------------------------------------------------------


def _firing(lc: Lifecycle, state: str, kind: str, to_state: str | None) -> Transition | None:
    """The transition an event of `kind` (moving to `to_state`, when recorded) is, fired in `state`."""
    for t in lc.transitions.values():
        if t.kind == kind and state in t.sources and (to_state is None or t.target_from(state) == to_state):
            return t
    return None


def _recorded_with(lc: Lifecycle, state: str, kind: str) -> bool:
    """An event some transition that may fire in `state` writes beside its own (反馈 with 办结)."""
    return any(state in t.sources and kind in t.also_records for t in lc.transitions.values())


def _after_gap(lc: Lifecycle, state: str, kind: str, to_state: str | None) -> tuple[str, Transition | None] | None:
    """Past steps an import may lack (`imported_may_lack`): the first state from which the event can happen, with
    the transition it is there (None for an event recorded with another one), or None if no such state exists."""
    steps = [lc.transitions[name] for name in lc.imported_may_lack]
    seen, queue = {state}, deque([state])
    while queue:
        s = queue.popleft()
        for t in steps:
            if s in t.sources and t.changes_state and t.target not in seen:
                nxt = t.target
                hit = _firing(lc, nxt, kind, to_state)
                if hit is not None or _recorded_with(lc, nxt, kind):
                    return nxt, hit
                seen.add(nxt)
                queue.append(nxt)
    return None


def check_history(lc: Lifecycle, events: Iterable[tuple[str, str | None, str | None]], *,
                  imported: bool = False) -> list[str]:
    """Problems with one ticket's events `(kind, from_state, to_state)`, in the order written; empty if the history
    is a path the lifecycle allows.

    An event is allowed when a transition of its kind may fire in the ticket's current state (and leads to the
    state it records), or when a transition that may fire there records it beside its own (`also_records`). A
    state-changing event must record the state it left. With `imported`, the steps `imported_may_lack` may be
    missing before an event: its recorded origin is then the last state the history showed."""
    problems: list[str] = []
    state = lc.initial
    for i, (kind, from_state, to_state) in enumerate(events, 1):
        where = f"第 {i} 个事件 {kind}（{from_state or '—'} → {to_state or '—'}）"
        t = _firing(lc, state, kind, to_state)
        gap = None
        if t is None and not _recorded_with(lc, state, kind) and imported:
            gap = _after_gap(lc, state, kind, to_state)
            if gap is not None:
                t = gap[1]
        if t is None and gap is None and not _recorded_with(lc, state, kind):
            problems.append(f"{where}：流程不允许在“{lc.label(state)}”（{state}）时发生")
            continue
        if t is None:  # recorded with another transition: the state does not move
            if to_state is not None and to_state != state and (gap is None or to_state != gap[0]):
                problems.append(f"{where}：应不改变状态（当前 {state}）")
            continue
        if t.changes_state and from_state is not None and from_state != state:
            problems.append(f"{where}：记录的原状态与实际状态 {state} 不符")
        if t.changes_state:
            state = t.target
    return problems
