"""Named guards the lifecycle YAML refers to. Each returns None (allowed) or the reason it refuses, in Chinese.

Why named functions instead of expressions in YAML: the rules need the working-day calendar and the event log,
and a refusal must say *why* to a liaison who may not know the 2-working-day return rule; code can do both,
and `hotline.service.workflow.default_lifecycle` checks that every guard the YAML names exists here.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import bindparam, select

from hotline.service.context import Context, reads_facts
from hotline.store.schema import units

_UNIT = select(units.c.id).where(units.c.id == bindparam("uid"))


def unit_exists(ctx: Context) -> str | None:
    uid = ctx.request.unit_id
    if ctx.conn.execute(_UNIT, {"uid": uid}).first() is None:
        return f"承办单位不存在（unit_id={uid}）"
    return None


@reads_facts
def different_unit(ctx: Context) -> str | None:
    if ctx.request.unit_id is not None and ctx.request.unit_id == ctx.facts.returned_by_unit_id:
        return "不能改派给刚刚退回本单的单位，请选择其他承办单位"
    return None


@reads_facts
def within_return_window(ctx: Context) -> str | None:
    return ctx.rules.return_refusal(ctx.calendar, ctx.facts, ctx.now)


@reads_facts
def before_deadline(ctx: Context) -> str | None:
    return ctx.rules.extension_deadline_refusal(ctx.facts, ctx.now)


@reads_facts
def extension_cap(ctx: Context) -> str | None:
    return ctx.rules.extension_cap_refusal(ctx.facts)


@reads_facts
def extension_days_cap(ctx: Context) -> str | None:
    days = ctx.request.days if ctx.request.days is not None else ctx.facts.requested_days
    return ctx.rules.extension_days_refusal(days)


@reads_facts
def last_visit_dissatisfied(ctx: Context) -> str | None:
    if ctx.facts.last_visit_result != "dissatisfied":
        return "只有回访不满意的工单才能重办"
    return None


def was_dispatched(ctx: Context) -> str | None:
    if ctx.ticket["resolution"] != "dispatched" or ctx.ticket["unit_id"] is None:
        return "在线办结的工单没有承办单位，不能重办派发"
    return None


GUARDS: dict[str, Callable[[Context], str | None]] = {
    f.__name__: f
    for f in (unit_exists, different_unit, within_return_window, before_deadline, extension_cap,
              extension_days_cap, last_visit_dissatisfied, was_dispatched)
}
