"""Executing the lifecycle: one transition = one transaction = the ticket's new state + its event rows + audit.

Concurrency, in three layers so that no store and no client mistake loses an update or duplicates an event:
1. the transaction takes the ticket first — BEGIN IMMEDIATE on SQLite; on PostgreSQL the row lock of
   `UPDATE ticket_versions … RETURNING` (or SELECT … FOR UPDATE of a ticket the service never touched) — so two
   requests on one ticket run one after the other, and the second sees the first's result (and gets 409);
2. that same statement bumps `ticket_versions`; a client that sends the version it saw gets 409 if anything
   happened since (and the bump rolls back with the refusal);
3. `tickets.state` is updated with `WHERE state = :seen`, so even a foreign writer cannot be overwritten.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from hotline.data import load_yaml
from hotline.domain.calendar import WorkingDays
from hotline.domain.codes import VISIT_METHODS, VISIT_RESULTS, label, listing
from hotline.domain.facts import TicketFacts, derive
from hotline.domain.lifecycle import Lifecycle, parse_lifecycle
from hotline.domain.profile import Profile
from hotline.domain.sla import SlaRules
from hotline.service import audit
from hotline.service.clock import Clock, beijing_now
from hotline.service.context import Context, Plan, Principal, TransitionRequest
from hotline.service.effects import EFFECTS
from hotline.service.errors import Conflict, Forbidden, Invalid, NotFound, Refused
from hotline.service.guards import GUARDS
from hotline.service.intake import create_ticket
from hotline.service.transactions import batch, write_tx
from hotline.store.profile import read_profile
from hotline.store.schema import (
    categories,
    return_visits,
    subcategories,
    ticket_events,
    ticket_versions,
    tickets,
)

NOTE_MAX = 4000
FIELD_LABELS = {"note": "说明", "unit_id": "承办单位", "days": "延期天数", "contacted": "是否联系诉求人",
                "result": "回访结果", "method": "回访方式"}

# Statements are built once: constructing and cache-keying SQLAlchemy expressions per call costs more than the
# SQLite work itself on the hot path (see benchmarks/service/README.md).
_LOAD = (select(tickets, categories.c.name.label("category"), subcategories.c.name.label("subcategory"),
                ticket_versions.c.version.label("_version"))
         .join(subcategories, subcategories.c.id == tickets.c.subcategory_id)
         .join(categories, categories.c.id == subcategories.c.category_id)
         .outerjoin(ticket_versions, ticket_versions.c.ticket_id == tickets.c.id)
         .where(tickets.c.id == bindparam("tid")))
_STATE = (select(tickets.c.state, ticket_versions.c.version)
          .outerjoin(ticket_versions, ticket_versions.c.ticket_id == tickets.c.id)
          .where(tickets.c.id == bindparam("tid")))
_EVENTS = (select(ticket_events.c.kind, ticket_events.c.at, ticket_events.c.due_at, ticket_events.c.unit_id,
                  ticket_events.c.note)
           .where(ticket_events.c.ticket_id == bindparam("tid")).order_by(ticket_events.c.id))
_LAST_VISIT = (select(return_visits.c.result).where(return_visits.c.ticket_id == bindparam("tid"))
               .order_by(return_visits.c.visited_at.desc(), return_visits.c.id.desc()).limit(1))
_CLAIM = (update(ticket_versions).where(ticket_versions.c.ticket_id == bindparam("tid"))
          .values(version=ticket_versions.c.version + 1, updated_at=bindparam("now"))
          .returning(ticket_versions.c.version))
_LOCK_TICKET = select(tickets.c.id).where(tickets.c.id == bindparam("tid")).with_for_update()
_FIRST_VERSION = insert(ticket_versions)


@functools.cache
def default_lifecycle() -> Lifecycle:
    """The shipped lifecycle, with every guard and effect it names checked against the code here (read once)."""
    return parse_lifecycle(load_yaml("lifecycle.yaml"), guards=GUARDS, effects=EFFECTS)


@functools.cache
def _set_state(columns: tuple[str, ...]):
    """`UPDATE tickets SET state = … [, column = …] WHERE id = … AND state = :seen`, built once per column set."""
    return (update(tickets).where(tickets.c.id == bindparam("tid"), tickets.c.state == bindparam("seen_state"))
            .values(state=bindparam("new_state"), **{c: bindparam(f"new_{c}") for c in columns}))


_INSERT_EVENT = insert(ticket_events).returning(ticket_events.c.id)


class WorkOrderService:
    """The lifecycle on one store. Thread-safe: every call opens its own connection and transaction."""

    def __init__(self, engine: Engine, *, clock: Clock = beijing_now, calendar: WorkingDays | None = None,
                 rules: SlaRules | None = None, lifecycle: Lifecycle | None = None, profile: Profile | None = None):
        """The store's city profile (`store_profile`) gives the calendar, the SLA rules, the channels and the
        ticket-number rule, unless a test passes its own."""
        self.engine = engine
        self.clock = clock
        self.profile = profile or read_profile(engine)
        self.calendar = calendar or self.profile.working_days()
        self.rules = rules or self.profile.sla
        self.lifecycle = lifecycle or default_lifecycle()

    # ---- public -------------------------------------------------------------------------------------------
    def fire(self, principal: Principal, ticket_id: int, action: str, request: TransitionRequest | None = None,
             expected_version: int | None = None) -> dict[str, Any]:
        """Fire transition `action` on a ticket; returns its new state, version and the events written."""
        with write_tx(self.engine) as conn:
            return self.fire_in(conn, principal, ticket_id, action, request or TransitionRequest(), expected_version)

    def create(self, principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
        """Accept an appeal (hotline.service.intake), dispatching or answering it in the same transaction."""
        with write_tx(self.engine) as conn:
            return create_ticket(conn, principal, data, lifecycle=self.lifecycle, profile=self.profile,
                                 now=self.clock(), fire=functools.partial(self.fire_in, conn, principal))

    # ---- inside a transaction ------------------------------------------------------------------------------
    def load_ticket(self, conn: Connection, ticket_id: int) -> dict[str, Any]:
        """The ticket row with its category names and `_version` (None when it has no version row yet)."""
        row = conn.execute(_LOAD, {"tid": ticket_id}).mappings().first()
        if row is None:
            raise NotFound(f"工单不存在（id={ticket_id}）")
        return dict(row)

    def facts(self, conn: Connection, ticket_id: int, *, with_visit: bool = True):
        evs = conn.execute(_EVENTS, {"tid": ticket_id}).all()
        last_visit = conn.execute(_LAST_VISIT, {"tid": ticket_id}).scalar() if with_visit else None
        return derive(evs, last_visit)

    def check_scope(self, principal: Principal, ticket: dict[str, Any]) -> None:
        """A liaison sees and acts only on tickets its unit currently handles."""
        if principal.role == "liaison" and ticket["unit_id"] != principal.unit_id:
            raise Forbidden("无权访问其他单位的工单")

    def fire_in(self, conn: Connection, principal: Principal, ticket_id: int, action: str, req: TransitionRequest,
                expected_version: int | None = None, *, prelude: list | None = None) -> dict[str, Any]:
        """Fire `action` inside the caller's transaction. `prelude`: the caller's pending writes, (statement,
        parameters) pairs sent ahead of the claim in its batch (ticket creation: one round trip less)."""
        lc = self.lifecycle
        tr = lc.transition(action)
        if tr is None:
            raise Invalid(f"未知操作：{action}（可选：{'、'.join(f'{t.name} {t.label}' for t in lc.transitions.values())}）")
        now = self.clock()
        with_visit = "last_visit_dissatisfied" in tr.guards
        version, ticket, facts = self.claim_and_load(conn, ticket_id, now, with_facts=_reads_facts(tr),
                                                     with_visit=with_visit, prelude=prelude)
        self.check_scope(principal, ticket)
        state = ticket["state"]
        if principal.role not in tr.roles:
            raise Forbidden(f"{label('role', principal.role)}无权执行“{tr.label}”")
        if expected_version is not None and expected_version != version:
            raise Conflict(f"工单已被他人更新（当前版本 {version}，状态“{lc.label(state)}”），请刷新后重试",
                           state=state, version=version)
        if state not in tr.sources:
            raise Conflict(f"工单当前状态为“{lc.label(state)}”，不能执行“{tr.label}”", state=state, version=version)
        self.validate(tr.requires, req)
        ctx = Context(conn=conn, ticket=ticket, transition=tr, request=req, principal=principal, now=now,
                      rules=self.rules, calendar=self.calendar,
                      load_facts=(lambda: facts) if facts is not None else
                      (lambda: self.facts(conn, ticket_id, with_visit=with_visit)))
        for g in tr.guards:
            reason = GUARDS[g](ctx)
            if reason:
                raise Refused(reason, state=state, version=version)
        target = tr.target_from(state)
        plan = Plan(event=dict(ticket_id=ticket_id, kind=tr.kind, at=now, actor=principal.username[:64],
                               unit_id=ticket["unit_id"] if ticket["resolution"] == "dispatched" else None,
                               from_state=state, to_state=target if tr.changes_state else None, due_at=None,
                               note=req.note))
        for e in tr.effects:
            EFFECTS[e](ctx, plan)
        new_version = version + 1
        # Everything the transition writes, in one batch (one round trip on PostgreSQL): the state change first,
        # guarded by the state this transaction read; if it did not apply, the whole batch is rolled back below.
        events = [*plan.before, plan.event]
        writes = [(_set_state(tuple(sorted(plan.ticket_updates))),
                   {"tid": ticket_id, "seen_state": state, "new_state": target,
                    **{f"new_{k}": v for k, v in plan.ticket_updates.items()}}),
                  *((_INSERT_EVENT, ev) for ev in events),
                  *((_insert_row(table), row) for table, row in plan.rows)]
        audit.record(conn, principal, f"transition.{tr.name}", "ticket", ticket_id, now,
                     {"from": state, "to": target, "version": new_version, "request": _public_request(req)},
                     defer=writes)
        outcomes = batch(conn, writes)
        if outcomes[0].rowcount != 1:
            raise Conflict("工单状态已被修改，请刷新后重试", state=state, version=version)
        written = [{"id": out.scalar(), **ev} for out, ev in zip(outcomes[1:], events)]
        return {"ticket_id": ticket_id, "state": target, "state_label": lc.label(target), "version": new_version,
                "events": written}

    def claim_and_load(self, conn: Connection, ticket_id: int, now: datetime, *, with_facts: bool = False,
                       with_visit: bool = False, prelude: list | None = None
                       ) -> tuple[int, dict[str, Any], TicketFacts | None]:
        """Claim the ticket and read it — and its event log when `with_facts` — in one batch.

        The claim, a conditional-free `UPDATE … SET version = version + 1 RETURNING version`, is both the row lock
        (a second transaction on the same ticket waits here, then sees the first one's result) and the read of the
        version, in one round trip; everything after it is rolled back with it if a check refuses the action. A
        ticket the service never touched has no version row: its `tickets` row is locked instead and the row
        created.

        The reads run after the claim, on the server, in the same transaction: a transaction that had to wait
        for the row lock reads what the one before it committed (PostgreSQL takes a new snapshot per statement in
        READ COMMITTED; SQLite holds the write lock since BEGIN IMMEDIATE). Returns the version before the
        bump, the ticket row (with category names) and the facts (None when not read)."""
        reads = [(_LOAD, {"tid": ticket_id})]
        if with_facts:
            reads.append((_EVENTS, {"tid": ticket_id}))
            if with_visit:
                reads.append((_LAST_VISIT, {"tid": ticket_id}))
        prelude = prelude or []
        out = batch(conn, [*prelude, (_CLAIM, {"tid": ticket_id, "now": now}), *reads])[len(prelude):]
        new = out[0].scalar()
        if new is None:  # a ticket the service never touched (or none at all): the slow path
            version = self._claim_untouched(conn, ticket_id, now)
            ticket = self.load_ticket(conn, ticket_id)
            ticket.pop("_version")
            return version, ticket, None
        ticket = out[1].first()
        if ticket is None:
            raise NotFound(f"工单不存在（id={ticket_id}）")
        ticket.pop("_version")
        facts = None
        if with_facts:
            facts = derive(out[2].rows, out[3].scalar() if with_visit else None)
        return new - 1, ticket, facts

    def _claim_untouched(self, conn: Connection, ticket_id: int, now: datetime) -> int:
        if conn.execute(_LOCK_TICKET if conn.dialect.name == "postgresql" else _STATE, {"tid": ticket_id}).first() is None:
            raise NotFound(f"工单不存在（id={ticket_id}）")
        try:
            with conn.begin_nested():
                conn.execute(_FIRST_VERSION, {"ticket_id": ticket_id, "version": 1, "updated_at": now})
        except IntegrityError:  # another transaction created it first and has committed: report what it did
            row = conn.execute(_STATE, {"tid": ticket_id}).first()
            raise Conflict("工单已被他人更新，请刷新后重试", state=row.state, version=row.version or 0) from None
        return 0

    @staticmethod
    def validate(requires: tuple[str, ...], req: TransitionRequest) -> None:
        missing = [r for r in requires if getattr(req, r) is None or getattr(req, r) == ""]
        if missing:
            raise Invalid("缺少必填项：" + "、".join(FIELD_LABELS[m] for m in missing))
        if req.note is not None and len(req.note) > NOTE_MAX:
            raise Invalid(f"说明不能超过 {NOTE_MAX} 个字")
        if req.result is not None and req.result not in VISIT_RESULTS:
            raise Invalid(f"回访结果应为 {listing('visit_result')} 之一")
        if req.method is not None and req.method not in VISIT_METHODS:
            raise Invalid(f"回访方式应为 {listing('visit_method')} 之一")
        if req.days is not None and req.days < 1:
            raise Invalid("延期天数须为正整数（工作日）")


@functools.cache
def _insert_row(name: str):
    """`INSERT INTO <name>` for an effect's extra row (built once per table)."""
    from hotline.store.schema import metadata

    return insert(metadata.tables[name])


@functools.cache
def _reads_facts(tr) -> bool:
    """Whether a guard or effect of `tr` reads the event log (marked with `context.reads_facts`)."""
    return any(getattr(GUARDS[g], "reads_facts", False) for g in tr.guards) or any(
        getattr(EFFECTS[e], "reads_facts", False) for e in tr.effects)


def _public_request(req: TransitionRequest) -> dict[str, Any]:
    return {k: v for k, v in vars(req).items() if v is not None}  # flat fields: asdict's deep copy is not needed
