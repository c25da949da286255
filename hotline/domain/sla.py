"""SLA rules (办理时限) as data — `hotline/data/sla.yaml` — and the pure rules computed from them.

Every rule counts working days on `WorkingDays` (the State Council holiday schedule), never calendar days: a ticket
dispatched the day before National Day must not be overdue after the holiday. The functions here are pure (rules,
calendar, facts, now → answer) so the same code serves the transaction guards, `hotline sla run` and the tests,
and a refusal carries the reason users read, in Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from hotline.data import load_yaml
from hotline.domain.calendar import WorkingDays
from hotline.domain.codes import APPEAL_TYPES
from hotline.domain.facts import TicketFacts
from hotline.domain.registry import taxonomy

HANDLING_STATES = ("dispatched", "signed", "extension_requested", "return_requested")  # the unit holds the ticket


class SlaError(ValueError):
    pass


@dataclass(frozen=True)
class SlaRules:
    default_days: int = 3
    by_appeal_type: Mapping[str, int] = field(default_factory=dict)
    by_category: Mapping[str, int] = field(default_factory=dict)
    by_subcategory: Mapping[str, int] = field(default_factory=dict)
    sign_within_hours: int = 24
    return_within_days: int = 2
    extension_max_per_assignment: int = 1
    extension_max_days: int = 5
    reminder_first_after_days: int = 1
    reminder_repeat_days: int = 5
    remind_unsigned: bool = True

    def deadline_days(self, appeal_type: str, category: str | None = None, subcategory: str | None = None) -> int:
        """Working days to handle a ticket: subcategory rule, else category rule, else appeal type, else default."""
        if subcategory and subcategory in self.by_subcategory:
            return self.by_subcategory[subcategory]
        if category and category in self.by_category:
            return self.by_category[category]
        return self.by_appeal_type.get(appeal_type, self.default_days)

    def due_at(self, cal: WorkingDays, start: datetime, appeal_type: str, category: str | None = None,
               subcategory: str | None = None) -> datetime:
        return cal.add(start, self.deadline_days(appeal_type, category, subcategory))

    # ---- refusals (None = allowed) ----------------------------------------------------------------------
    def return_refusal(self, cal: WorkingDays, facts: TicketFacts, now: datetime) -> str | None:
        if facts.signed_at is None:
            return "工单尚未签收，不能申请退单"
        used = cal.elapsed(facts.signed_at, now)
        if used > self.return_within_days:
            return (f"已超过退单时限：须自签收后 {self.return_within_days} 个工作日内申请退回，"
                    f"本单于 {facts.signed_at:%Y-%m-%d %H:%M} 签收，至今已过 {used} 个工作日，请按时办结")
        return None

    def extension_deadline_refusal(self, facts: TicketFacts, now: datetime) -> str | None:
        """延期须在时限届满前申请 (the report calls an extension after the deadline a violation)."""
        if facts.due_at is not None and now > facts.due_at:
            return f"已超过办理时限（{facts.due_at:%Y-%m-%d %H:%M}），不能再申请延期；延期须在时限届满前申请"
        return None

    def extension_cap_refusal(self, facts: TicketFacts) -> str | None:
        if facts.extensions_approved >= self.extension_max_per_assignment:
            return f"本单已延期 {facts.extensions_approved} 次，每次派单最多延期 {self.extension_max_per_assignment} 次"
        return None

    def extension_days_refusal(self, days: int | None) -> str | None:
        if days is None:
            return "请填写延期天数（工作日）"
        if not 1 <= days <= self.extension_max_days:
            return f"延期天数须为 1 至 {self.extension_max_days} 个工作日，申请的是 {days} 个"
        return None

    # ---- overdue and reminders ----------------------------------------------------------------------------
    def is_overdue(self, state: str, facts: TicketFacts, now: datetime) -> bool:
        """超期: a unit holds the ticket, its deadline has passed and it has not replied in this assignment."""
        return (state in HANDLING_STATES and facts.due_at is not None and now > facts.due_at
                and not facts.feedback_in_assignment)

    def sign_overdue(self, state: str, facts: TicketFacts, now: datetime) -> bool:
        return (state == "dispatched" and facts.routed_at is not None
                and now > facts.routed_at + timedelta(hours=self.sign_within_hours))

    def reminder_note(self, cal: WorkingDays, state: str, facts: TicketFacts, now: datetime) -> str | None:
        """The reminder (催办) to write now, or None. Idempotent by construction: once written at `now`, the next
        one falls at least `reminder_repeat_days` working days later. Reminders go out on working days only:
        one due during a holiday waits for the first working day after it."""
        if not cal.is_workday(now):
            return None
        if self.is_overdue(state, facts, now):
            assert facts.due_at is not None
            last = facts.last_reminder_at if facts.last_reminder_at and facts.last_reminder_at > facts.due_at else None
            if last is None:
                when = cal.add(facts.due_at, self.reminder_first_after_days)
            else:
                when = cal.add(last, self.reminder_repeat_days)
            if now.date() >= when.date():
                used = cal.elapsed(facts.due_at, now)
                return f"工单已超过办理时限（{facts.due_at:%Y-%m-%d}）{used} 个工作日仍未反馈，请尽快办理并反馈"
            return None
        if self.remind_unsigned and self.sign_overdue(state, facts, now):
            assert facts.routed_at is not None
            if facts.last_reminder_at is None or facts.last_reminder_at < facts.routed_at:
                return f"工单派发已超过 {self.sign_within_hours} 小时仍未签收，请尽快签收办理"
        return None


def parse_rules(doc: Mapping[str, Any]) -> SlaRules:
    """Validate sla.yaml: positive integer days, known appeal types; problems fail at load time."""
    def days(value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise SlaError(f"sla.yaml {where}: {value!r} 应为正整数（工作日）/ must be a positive integer")
        return value

    dl = doc.get("deadlines") or {}
    by_type = {str(k): days(v, f"deadlines.by_appeal_type.{k}") for k, v in (dl.get("by_appeal_type") or {}).items()}
    unknown = set(by_type) - set(APPEAL_TYPES)
    if unknown:
        raise SlaError(f"sla.yaml deadlines.by_appeal_type: 未知诉求类型 {sorted(unknown)} / unknown appeal types")
    ext, ret, rem, sign = (doc.get(k) or {} for k in ("extensions", "returns", "reminders", "sign"))
    return SlaRules(
        default_days=days(dl.get("default_working_days", 3), "deadlines.default_working_days"),
        by_appeal_type=by_type,
        by_category={str(k): days(v, f"deadlines.by_category.{k}") for k, v in (dl.get("by_category") or {}).items()},
        by_subcategory={str(k): days(v, f"deadlines.by_subcategory.{k}")
                        for k, v in (dl.get("by_subcategory") or {}).items()},
        sign_within_hours=days(sign.get("within_hours", 24), "sign.within_hours"),
        return_within_days=days(ret.get("within_working_days", 2), "returns.within_working_days"),
        extension_max_per_assignment=days(ext.get("max_per_assignment", 1), "extensions.max_per_assignment"),
        extension_max_days=days(ext.get("max_working_days", 5), "extensions.max_working_days"),
        reminder_first_after_days=days(rem.get("first_after_working_days", 1), "reminders.first_after_working_days"),
        reminder_repeat_days=days(rem.get("repeat_every_working_days", 5), "reminders.repeat_every_working_days"),
        remind_unsigned=bool(rem.get("remind_unsigned", True)),
    )


@cache
def default_rules() -> SlaRules:
    """The shipped rules (`hotline/data/sla.yaml`), read once: the only source of deadlines for the service, the
    importer (unless a mapping sets its own) and the demo generator."""
    rules = parse_rules(load_yaml("sla.yaml"))
    cats, subs = taxonomy()
    unknown = sorted(set(rules.by_category) - set(cats)) + sorted(set(rules.by_subcategory) - set(subs))
    if unknown:
        raise SlaError(f"sla.yaml: 分类表中没有这些诉求分类 {unknown} / not in taxonomy.yaml")
    return rules
