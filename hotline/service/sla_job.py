"""The SLA job (`hotline sla run`, for cron) and the overdue-unanswered backlog by unit (the report's 图10).

The job scans tickets a unit holds, decides per ticket whether a reminder (催办) is due now (`SlaRules.reminder_note`)
and writes it through the ordinary `remind` transition, with the version it read: a second run, or two runs at
once, cannot write the same reminder twice. The backlog uses the metric engine's definition of 超期未反馈
(deadline passed, no feedback before the cut-off) so the API, the job and the monthly report agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, case, func, or_, select

from hotline.domain.sla import HANDLING_STATES
from hotline.service.auth import SLA_JOB
from hotline.service.context import TransitionRequest
from hotline.service.errors import Conflict, Refused
from hotline.service.ticket_queries import facts_for
from hotline.service.transactions import read_tx
from hotline.service.workflow import WorkOrderService
from hotline.store.schema import subcategories, ticket_events, ticket_versions, tickets, units

CHUNK = 500


@dataclass
class SlaSummary:
    now: datetime
    open_tickets: int = 0
    overdue: int = 0
    sign_overdue: int = 0
    reminders_written: int = 0
    already_reminded: int = 0
    skipped_conflicts: int = 0
    backlog: list[dict] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"催办检查（截至 {self.now:%Y-%m-%d %H:%M}）",
               f"  承办单位办理中的工单 {self.open_tickets} 件：超期未反馈 {self.overdue} 件，超时未签收 {self.sign_overdue} 件",
               f"  本次写入催办 {self.reminders_written} 条；已催办、未到下次催办日的 {self.already_reminded} 件"
               + (f"；处理中被他人更新而跳过 {self.skipped_conflicts} 件" if self.skipped_conflicts else "")]
        total = sum(b["count"] for b in self.backlog)
        out.append(f"超期未反馈工单 {total} 件，涉及 {len(self.backlog)} 家承办单位（同报告图10）：")
        out += [f"  {b['unit']} {b['count']} 件　{b['topics']}" for b in self.backlog]
        return out


def backlog(conn: Connection, now: datetime, platform: str | None = "city", *, live: bool = False) -> list[dict]:
    """超期未反馈 by unit at `now`: dispatched, deadline before `now`, no feedback before `now`.

    `now` is exclusive for feedback, as the month-end cut-off of the metric is; `live=True` also counts feedback
    given at `now` itself (the API's "right now" view, where a reply written this second is a reply)."""
    ev = ticket_events
    facts = (select(ev.c.ticket_id, func.max(ev.c.due_at).label("due_at"),
                    func.min(case((ev.c.kind == "feedback", ev.c.at))).label("feedback_at"))
             .group_by(ev.c.ticket_id).subquery())
    answered_by = now + timedelta(seconds=1) if live else now
    conds = [tickets.c.resolution == "dispatched", tickets.c.accepted_at < now, facts.c.due_at < now,
             or_(facts.c.feedback_at.is_(None), facts.c.feedback_at >= answered_by)]
    if platform:
        conds.append(tickets.c.platform == platform)
    rows = conn.execute(
        select(units.c.name, units.c.sort_order, subcategories.c.name.label("sub"),
               subcategories.c.sort_order.label("sub_order"), func.count().label("n"))
        .select_from(tickets.join(facts, facts.c.ticket_id == tickets.c.id)
                     .join(units, units.c.id == tickets.c.unit_id)
                     .join(subcategories, subcategories.c.id == tickets.c.subcategory_id))
        .where(and_(*conds))
        .group_by(units.c.name, units.c.sort_order, subcategories.c.name, subcategories.c.sort_order)).all()
    per: dict[tuple, list] = defaultdict(list)
    for r in rows:
        per[(r.name, r.sort_order)].append((r.n, r.sub_order, r.sub))
    ranked = sorted(per, key=lambda k: (-sum(n for n, _, _ in per[k]), k[1]))
    return [{"unit": k[0], "count": sum(n for n, _, _ in per[k]),
             "topics": "、".join(s for _, _, s in sorted(per[k], key=lambda x: (-x[0], x[1]))[:2])} for k in ranked]


def run_sla(svc: WorkOrderService) -> SlaSummary:
    """Write every reminder due at `svc.clock()` and summarise; safe to run as often as cron likes."""
    now = svc.clock()
    summary = SlaSummary(now=now)
    with read_tx(svc.engine) as conn:
        open_rows = conn.execute(
            select(tickets.c.id, tickets.c.state, func.coalesce(ticket_versions.c.version, 0).label("version"))
            .outerjoin(ticket_versions, ticket_versions.c.ticket_id == tickets.c.id)
            .where(tickets.c.state.in_(HANDLING_STATES)).order_by(tickets.c.id)).all()
        due: list[tuple[int, int, str]] = []
        for i in range(0, len(open_rows), CHUNK):
            chunk = open_rows[i:i + CHUNK]
            facts = facts_for(conn, [r.id for r in chunk])
            for r in chunk:
                f = facts[r.id]
                summary.open_tickets += 1
                overdue = svc.rules.is_overdue(r.state, f, now)
                summary.overdue += overdue
                summary.sign_overdue += svc.rules.sign_overdue(r.state, f, now)
                note = svc.rules.reminder_note(svc.calendar, r.state, f, now)
                if note:
                    due.append((r.id, r.version, note))
                elif overdue:
                    summary.already_reminded += 1
        summary.backlog = backlog(conn, now, live=True)
    for ticket_id, version, note in due:
        try:
            svc.fire(SLA_JOB, ticket_id, "remind", TransitionRequest(note=note), expected_version=version)
            summary.reminders_written += 1
        except (Conflict, Refused):
            summary.skipped_conflicts += 1
    return summary

