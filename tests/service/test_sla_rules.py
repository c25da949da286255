"""SLA rules on the working-day calendar, with a frozen clock across the 2022 National Day holiday.

2022-10-01..10-07 are off; Saturday 10-08 and Sunday 10-09 are worked in lieu. Friday 09-30 is the last working
day before the holiday.
"""

from __future__ import annotations

from datetime import datetime as D

import pytest

from hotline.domain.calendar import load_default_calendar
from hotline.domain.facts import TicketFacts
from hotline.domain.sla import SlaError, default_rules, parse_rules

CAL = load_default_calendar()
RULES = default_rules()


@pytest.mark.parametrize("appeal_type, due", [
    ("consult", D(2022, 10, 10, 23, 59, 59)),     # 10-08, 10-09 (worked weekend), 10-10
    ("help", D(2022, 10, 10, 23, 59, 59)),
    ("other", D(2022, 10, 10, 23, 59, 59)),
    ("complaint", D(2022, 10, 12, 23, 59, 59)),   # … 10-11, 10-12
    ("suggestion", D(2022, 10, 12, 23, 59, 59)),
])
def test_deadline_across_national_day(appeal_type, due):
    assert RULES.due_at(CAL, D(2022, 9, 30, 10, 0), appeal_type) == due


def test_category_and_subcategory_rules_take_precedence():
    rules = parse_rules({"deadlines": {"by_appeal_type": {"complaint": 5}, "by_category": {"突发事件管理类": 2},
                                       "by_subcategory": {"疫情等突发公共卫生事件": 1}}})
    assert rules.deadline_days("complaint") == 5
    assert rules.deadline_days("complaint", "突发事件管理类") == 2
    assert rules.deadline_days("complaint", "突发事件管理类", "疫情等突发公共卫生事件") == 1
    assert rules.due_at(CAL, D(2022, 9, 30, 10), "complaint", "突发事件管理类", "疫情等突发公共卫生事件") == \
        D(2022, 10, 8, 23, 59, 59)


@pytest.mark.parametrize("bad", [{"deadlines": {"by_appeal_type": {"complaint": 0}}},
                                 {"deadlines": {"by_appeal_type": {"gripe": 3}}},
                                 {"returns": {"within_working_days": "two"}}])
def test_bad_rules_rejected(bad):
    with pytest.raises(SlaError):
        parse_rules(bad)


SIGNED = TicketFacts(signed_at=D(2022, 9, 30, 14, 0), due_at=D(2022, 10, 10, 23, 59, 59))


@pytest.mark.parametrize("now, allowed", [
    (D(2022, 9, 30, 18, 0), True),    # same day: 0 working days used
    (D(2022, 10, 5, 10, 0), True),    # holiday: still 0
    (D(2022, 10, 8, 10, 0), True),    # 1st working day
    (D(2022, 10, 9, 23, 59), True),   # 2nd working day, the last one allowed
    (D(2022, 10, 10, 0, 1), False),   # 3rd working day: too late
    (D(2022, 10, 14, 9, 0), False),
])
def test_return_window_two_working_days_after_signing(now, allowed):
    reason = RULES.return_refusal(CAL, SIGNED, now)
    assert (reason is None) == allowed
    if not allowed:
        assert "2 个工作日内" in reason and "2022-09-30 14:00 签收" in reason


def test_late_return_reason_counts_working_days():
    reason = RULES.return_refusal(CAL, SIGNED, D(2022, 10, 12, 9, 0))
    assert "已过 5 个工作日" in reason  # 10-08, 10-09, 10-10, 10-11, 10-12


def test_overdue_only_after_the_deadline_and_without_feedback():
    f = TicketFacts(due_at=D(2022, 10, 10, 23, 59, 59), routed_at=D(2022, 9, 30, 10), signed_at=D(2022, 9, 30, 11))
    assert not RULES.is_overdue("signed", f, D(2022, 10, 7, 12))        # the holiday does not count
    assert not RULES.is_overdue("signed", f, D(2022, 10, 10, 23, 59, 59))
    assert RULES.is_overdue("signed", f, D(2022, 10, 11, 0, 0, 1))
    answered = TicketFacts(due_at=f.due_at, feedback_in_assignment=True)
    assert not RULES.is_overdue("signed", answered, D(2022, 10, 11, 9))
    assert not RULES.is_overdue("completed", f, D(2022, 10, 11, 9))
    assert not RULES.is_overdue("returned", f, D(2022, 10, 11, 9))    # the hotline holds a returned ticket


def test_reminder_on_the_next_working_day_after_the_deadline():
    # due Friday 09-30: overdue through the whole holiday, urged on Saturday 10-08 (worked in lieu)
    f = TicketFacts(due_at=D(2022, 9, 30, 23, 59, 59), routed_at=D(2022, 9, 27, 10), signed_at=D(2022, 9, 27, 11))
    for day in range(1, 8):
        assert RULES.reminder_note(CAL, "signed", f, D(2022, 10, day, 10)) is None
    note = RULES.reminder_note(CAL, "signed", f, D(2022, 10, 8, 9))
    assert note and "请尽快办理并反馈" in note and "2022-09-30" in note and "1 个工作日" in note


def test_reminders_repeat_every_five_working_days_and_are_idempotent():
    due = D(2022, 9, 30, 23, 59, 59)
    reminded = TicketFacts(due_at=due, routed_at=D(2022, 9, 27, 10), last_reminder_at=D(2022, 10, 8, 9))
    for now in (D(2022, 10, 8, 9, 5), D(2022, 10, 9, 9), D(2022, 10, 12, 17)):
        assert RULES.reminder_note(CAL, "signed", reminded, now) is None
    assert RULES.reminder_note(CAL, "signed", reminded, D(2022, 10, 13, 9))  # 10-09,10,11,12,13


def test_unsigned_ticket_reminded_once_after_24_hours_on_a_working_day():
    f = TicketFacts(due_at=D(2022, 10, 10, 23, 59, 59), routed_at=D(2022, 9, 30, 10))
    assert RULES.reminder_note(CAL, "dispatched", f, D(2022, 9, 30, 18)) is None
    assert RULES.reminder_note(CAL, "dispatched", f, D(2022, 10, 3, 10)) is None    # 24 h passed, but a holiday
    assert "未签收" in RULES.reminder_note(CAL, "dispatched", f, D(2022, 10, 8, 9))
    once = TicketFacts(due_at=f.due_at, routed_at=f.routed_at, last_reminder_at=D(2022, 10, 8, 9))
    assert RULES.reminder_note(CAL, "dispatched", once, D(2022, 10, 9, 9)) is None


def test_extension_rules():
    f = TicketFacts(due_at=D(2022, 10, 10, 23, 59, 59), signed_at=D(2022, 9, 30, 11))
    assert RULES.extension_deadline_refusal(f, D(2022, 10, 10, 23, 0)) is None
    assert "时限届满前" in RULES.extension_deadline_refusal(f, D(2022, 10, 11, 8, 0))
    assert RULES.extension_cap_refusal(f) is None
    capped = TicketFacts(due_at=f.due_at, extensions_approved=1)
    assert "最多延期 1 次" in RULES.extension_cap_refusal(capped)
    assert RULES.extension_days_refusal(5) is None
    assert "1 至 5 个工作日" in RULES.extension_days_refusal(6)
