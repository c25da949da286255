"""Named effects the lifecycle YAML refers to: what a transition writes besides its own event row.

They only fill the `Plan` (ticket column updates, extra events, extra rows); the workflow writes the plan in
one transaction, so an effect can never leave half a change behind.
"""

from __future__ import annotations

from collections.abc import Callable

from hotline.domain.codes import label
from hotline.domain.facts import requested_days_note
from hotline.service.context import Context, Plan, reads_facts


def mark_online(ctx: Context, plan: Plan) -> None:
    plan.ticket_updates["resolution"] = "online"


def assign_unit(ctx: Context, plan: Plan) -> None:
    plan.ticket_updates.update(unit_id=ctx.request.unit_id, resolution="dispatched")
    plan.event["unit_id"] = ctx.request.unit_id


def set_deadline(ctx: Context, plan: Plan) -> None:
    t = ctx.ticket
    plan.event["due_at"] = ctx.rules.due_at(ctx.calendar, ctx.now, t["appeal_type"], t.get("category"),
                                            t.get("subcategory"))


@reads_facts
def extend_deadline(ctx: Context, plan: Plan) -> None:
    days = ctx.request.days if ctx.request.days is not None else ctx.facts.requested_days
    base = ctx.facts.due_at or ctx.now
    plan.event["due_at"] = ctx.calendar.add(base, days)
    plan.event["note"] = plan.event.get("note") or f"批准延期 {days} 个工作日"


def record_requested_days(ctx: Context, plan: Plan) -> None:
    plan.event["note"] = requested_days_note(ctx.request.days, ctx.request.note or "")


def _extra(ctx: Context, plan: Plan, kind: str, note: str | None) -> dict:
    return dict(plan.event, kind=kind, to_state=None, due_at=None, note=note)


@reads_facts
def record_contact(ctx: Context, plan: Plan) -> None:
    if ctx.request.contacted and not ctx.facts.contacted_in_assignment:
        plan.before.append(_extra(ctx, plan, "contact", "已联系诉求人"))


def record_feedback(ctx: Context, plan: Plan) -> None:
    plan.before.append(_extra(ctx, plan, "feedback", ctx.request.note))
    plan.event["note"] = None if ctx.request.contacted else "未联系诉求人"


def record_visit(ctx: Context, plan: Plan) -> None:
    r = ctx.request
    plan.rows.append(("return_visits", {"ticket_id": ctx.ticket["id"], "visited_at": ctx.now, "method": r.method,
                                        "result": r.result, "note": r.note}))
    plan.event["note"] = f"回访结果：{label('visit_result', r.result)}" + (f"；{r.note}" if r.note else "")


EFFECTS: dict[str, Callable[[Context, Plan], None]] = {
    f.__name__: f
    for f in (mark_online, assign_unit, set_deadline, extend_deadline, record_requested_days, record_contact,
              record_feedback, record_visit)
}
