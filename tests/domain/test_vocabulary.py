"""The shared vocabulary: months, code lists and their words, masking, rounding — one definition each."""

from __future__ import annotations

from datetime import datetime

import pytest

from hotline.data import load_yaml
from hotline.domain import codes
from hotline.domain.masking import mask_id_number, mask_phone, phone_digits, scrub_text
from hotline.domain.month import Month, MonthError
from hotline.domain.numbers import pct, round2

# ---- Month ----------------------------------------------------------------------------------------------------

def test_month_parses_and_prints_its_text():
    m = Month.parse("2022-10")
    assert (m.year, m.month) == (2022, 10) and str(m) == "2022-10"
    assert Month.of(m) is m and Month.of("2022-10") == m
    assert m.bounds == (datetime(2022, 10, 1), datetime(2022, 11, 1))
    assert (m.label, m.long_label) == ("10月", "2022 年 10 月")


def test_month_neighbours_cross_the_year():
    assert Month.parse("2022-01").previous() == Month(2021, 12)
    assert Month.parse("2022-12").next() == Month(2023, 1)
    assert Month.parse("2022-12").end == datetime(2023, 1, 1)
    assert Month.parse("2022-10").first_of_year() == Month(2022, 1)
    assert [str(m) for m in Month(2022, 11).until(Month(2023, 2))] == ["2022-11", "2022-12", "2023-01", "2023-02"]
    assert Month(2023, 2).until(Month(2022, 11)) == []
    assert Month.containing(datetime(2022, 10, 31, 23, 59)) == Month(2022, 10)
    assert sorted([Month(2023, 1), Month(2022, 12)]) == [Month(2022, 12), Month(2023, 1)]


@pytest.mark.parametrize("bad", ["2022-13", "2022-00", "2022-1", "22-10", "2022/10", "2022-10-01", "", "十月", None, 202210])
def test_month_refuses_what_is_not_a_month(bad):
    with pytest.raises(MonthError, match="YYYY-MM"):
        Month.parse(bad)


def test_month_error_is_a_value_error():  # callers that catch ValueError (the API's 422) keep working
    assert issubclass(MonthError, ValueError)


# ---- code lists ---------------------------------------------------------------------------------------------------

def test_code_lists_come_from_the_data_files():
    doc = load_yaml("codes.yaml")
    assert codes.APPEAL_TYPES == tuple(doc["appeal_type"]) == ("consult", "help", "complaint", "suggestion",
                                                                "invalid", "other")
    assert codes.label("appeal_type", "consult") == "咨询"
    assert codes.label("visit_result", "fairly_satisfied") == "基本满意"


def test_every_lifecycle_state_has_its_word():
    states = load_yaml("lifecycle.yaml")["states"]
    assert codes.STATES == tuple(states) and len(codes.STATES) == 13
    assert codes.label("state", "archived") == "已归档"  # the export used to write `archived` untranslated


def test_unknown_codes_are_shown_not_hidden():
    assert codes.label("state", "vendor_state") == "vendor_state"
    assert codes.label("state", None) == ""
    assert codes.listing("resolution") == "online 在线办结、dispatched 派发"


def test_labels_are_one_to_one():  # an import reads a word back to its code: two codes may not share a word
    for name, labels in codes.LABELS.items():
        assert len(set(labels.values())) == len(labels), name


# ---- masking ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, shown", [
    ("13812345621", "138****5621"), ("073158581234", "073*****1234"), ("0731-5858123", "073****8123"),
    ("12345678", "123*5678"), ("+86 138 1234 5621", "138****5621"), ("(0731)58581234", "073*****1234"),
    ("12345", "12345"), ("110", "110"),  # public service numbers are not personal
    ("138****5621", "138****5621"),  # masked already
    ("138abc45621", "***********"), ("", ""), (None, None),
])
def test_one_phone_rule(raw, shown):
    assert mask_phone(raw) == shown


def test_phone_digits_says_what_is_a_number():
    assert phone_digits(" 0731-5858 1234 ") == "073158581234"
    assert phone_digits("+8613812345621") == "13812345621"
    assert phone_digits("138abc45621") is None and phone_digits("-") is None


def test_id_numbers_and_free_text_by_role():
    assert mask_id_number("430302199001011234") == "430302********1234"
    text = "身份证430302199001011234，电话13812345678"
    assert scrub_text(text, "operator") == text
    assert scrub_text(text, "liaison") == "身份证430302********1234，电话13812345678"
    assert scrub_text(text, "analyst") == "身份证430302********1234，电话138****5678"


# ---- rounding -----------------------------------------------------------------------------------------------------

def test_half_up_as_the_office_prints():
    assert round(0.125, 2) == 0.12  # Python's own rounding is half-even: the reason this exists
    assert round2(0.125) == 0.13 and round2(2.675) == 2.68 and round2(None) is None
    assert pct(1, 8) == 12.5 and pct(1, 3) == 33.33 and pct(2, 3) == 66.67 and pct(5, 0) is None


# ---- closed without handling ------------------------------------------------------------------------------------

def test_cancelled_and_referred_out_are_never_completions():
    from hotline.domain.history import check_history, implied_events
    from hotline.domain.lifecycle import declared_lifecycle

    lc = declared_lifecycle()
    at = {"accepted_at": "t0", "dispatched_at": "t1", "signed_at": "t2", "feedback_at": "t3", "completed_at": "t4",
          "visited_at": "t5"}
    handled, state = implied_events(dispatched=True, unit_id=7, liaison="甲局联络员", **at)
    assert [e[0] for e in handled][-2:] == ["complete", "visit"] and state == "visited"
    for closed_as, kind in (("cancelled", "cancel"), ("referred_out", "refer_out")):
        events, state = implied_events(dispatched=True, unit_id=7, liaison="甲局联络员", feedback="转其他部门",
                                       closed_as=closed_as, **at)
        kinds = [e[0] for e in events]
        assert state == closed_as and kinds == ["accept", "dispatch", "sign", kind]  # no 反馈, 办结 or 回访
        assert events[-1][1] == "t4" and events[-1][7] == "转其他部门"  # closed at the close date, with its note
        assert check_history(lc, [(e[0], e[4], e[5]) for e in events]) == []
        online, state = implied_events(dispatched=False, completed_at="t4", closed_as=closed_as, accepted_at="t0")
        assert [e[0] for e in online] == ["accept", kind] and state == closed_as
    # and nothing may follow them: they are final
    assert check_history(lc, [("accept", None, "accepted"), ("cancel", "accepted", "cancelled"),
                              ("dispatch", "cancelled", "dispatched")]) != []
