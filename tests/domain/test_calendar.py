"""Working-day calendar. Expected values are worked out by hand from the State Council's 2022 (and 2021)
holiday notices, not taken from the code:

2022 Spring Festival: 01-31 (Mon) .. 02-06 (Sun) off; 01-29 (Sat) and 01-30 (Sun) worked.
2022 National Day:    10-01 (Sat) .. 10-07 (Fri) off; 10-08 (Sat) and 10-09 (Sun) worked.
2021 National Day:    10-01 (Fri) .. 10-07 (Thu) off; 09-26 (Sun) and 10-09 (Sat) worked.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from importlib import resources

import chinese_calendar
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.domain.calendar import CalendarNotConfigured, WorkingDays, load_default_calendar


@pytest.fixture(scope="module")
def cal() -> WorkingDays:
    return WorkingDays.from_sources()


def eod(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 23, 59, 59)


# -- 2022 National Day ------------------------------------------------------------------------------


def test_national_day_2022_days(cal):
    assert cal.is_workday(date(2022, 9, 30))  # Friday before the holiday
    for day in range(1, 8):
        assert not cal.is_workday(date(2022, 10, day)), f"2022-10-{day:02d} is a holiday"
    assert cal.is_workday(date(2022, 10, 8))  # Saturday, worked in lieu
    assert cal.is_workday(date(2022, 10, 9))  # Sunday, worked in lieu
    assert cal.is_workday(date(2022, 10, 10))
    assert not cal.is_workday(date(2022, 10, 15))  # ordinary Saturday
    assert not cal.is_workday(datetime(2022, 10, 16, 8, 0))  # ordinary Sunday, given as datetime


def test_add_across_national_day_2022(cal):
    start = datetime(2022, 9, 30, 10, 0)
    assert cal.add(start, 1) == eod(2022, 10, 8)
    assert cal.add(start, 2) == eod(2022, 10, 9)
    assert cal.add(start, 3) == eod(2022, 10, 10)


def test_add_one_day_before_holiday(cal):
    assert cal.add(datetime(2022, 9, 29, 16, 30), 1) == eod(2022, 9, 30)


def test_add_friday_to_monday(cal):
    assert cal.add(datetime(2022, 10, 14, 9, 0), 1) == eod(2022, 10, 17)
    # starting on a weekend counts from the next working day too
    assert cal.add(datetime(2022, 10, 15, 9, 0), 1) == eod(2022, 10, 17)


def test_add_from_inside_holiday(cal):
    assert cal.add(datetime(2022, 10, 3, 12, 0), 1) == eod(2022, 10, 8)


def test_add_keeps_timezone_and_accepts_date(cal):
    cst = timezone(timedelta(hours=8))
    assert cal.add(datetime(2022, 9, 30, 10, 0, tzinfo=cst), 3) == datetime(2022, 10, 10, 23, 59, 59, tzinfo=cst)
    assert cal.add(date(2022, 9, 30), 3) == eod(2022, 10, 10)


# -- 2022 Spring Festival ---------------------------------------------------------------------------


def test_spring_festival_2022_days(cal):
    assert cal.is_workday(date(2022, 1, 28))  # Friday
    assert cal.is_workday(date(2022, 1, 29))  # Saturday, worked
    assert cal.is_workday(date(2022, 1, 30))  # Sunday, worked
    for d in (31,):
        assert not cal.is_workday(date(2022, 1, d))
    for d in range(1, 7):
        assert not cal.is_workday(date(2022, 2, d)), f"2022-02-{d:02d} is a holiday"
    assert cal.is_workday(date(2022, 2, 7))


def test_add_across_spring_festival_2022(cal):
    start = datetime(2022, 1, 28, 15, 0)
    assert cal.add(start, 1) == eod(2022, 1, 29)
    assert cal.add(start, 2) == eod(2022, 1, 30)
    assert cal.add(start, 3) == eod(2022, 2, 7)
    assert cal.add(datetime(2022, 1, 27, 9, 0), 4) == eod(2022, 2, 7)


# -- elapsed ------------------------------------------------------------------------------------------


def test_elapsed_return_within_two_working_days(cal):
    signed = datetime(2022, 9, 30, 10, 0)
    assert cal.elapsed(signed, datetime(2022, 9, 30, 17, 0)) == 0  # same day
    assert cal.elapsed(signed, datetime(2022, 10, 7, 9, 0)) == 0  # whole holiday
    assert cal.elapsed(signed, datetime(2022, 10, 8, 9, 0)) == 1
    assert cal.elapsed(signed, datetime(2022, 10, 9, 9, 0)) == 2  # allowed by the 2-day rule
    assert cal.elapsed(signed, datetime(2022, 10, 10, 9, 0)) == 3  # refused by the 2-day rule
    assert cal.elapsed(signed, datetime(2022, 10, 9, 9, 0)) <= 2 < cal.elapsed(signed, datetime(2022, 10, 10, 0, 1))


def test_elapsed_spring_festival(cal):
    assert cal.elapsed(datetime(2022, 1, 28, 9), datetime(2022, 2, 7, 9)) == 3  # 01-29, 01-30, 02-07
    assert cal.elapsed(datetime(2022, 1, 30, 9), datetime(2022, 2, 6, 23)) == 0


def test_elapsed_rejects_end_before_start(cal):
    with pytest.raises(ValueError):
        cal.elapsed(datetime(2022, 10, 10), datetime(2022, 10, 9))


def test_add_rejects_non_positive_n(cal):
    with pytest.raises(ValueError):
        cal.add(datetime(2022, 10, 10), 0)
    with pytest.raises(ValueError):
        cal.add(datetime(2022, 10, 10), -1)


_starts = st.datetimes(min_value=datetime(2010, 1, 1), max_value=datetime(2025, 12, 31, 23, 59, 59))


@settings(max_examples=500, deadline=None)
@given(start=_starts, n=st.integers(min_value=1, max_value=30))
def test_elapsed_inverts_add(cal, start, n):
    due = cal.add(start, n)
    assert due.time() == time(23, 59, 59)
    assert due.date() > start.date()
    assert cal.is_workday(due)
    assert cal.elapsed(start, due) == n
    # the day before the deadline has one working day fewer
    assert cal.elapsed(start, due - timedelta(days=1)) == n - 1


def _naive_elapsed(start: date, end: date) -> int:
    # independent oracle: day-by-day with chinesecalendar's own is_workday
    return sum(chinese_calendar.is_workday(start + timedelta(days=k)) for k in range(1, (end - start).days + 1))


@settings(max_examples=300, deadline=None)
@given(start=_starts, span=st.integers(min_value=0, max_value=60))
def test_elapsed_matches_day_by_day_oracle(cal, start, span):
    end = start + timedelta(days=span)
    assert cal.elapsed(start, end) == _naive_elapsed(start.date(), end.date())


# -- unconfigured years and overrides ----------------------------------------------------------------


def test_unconfigured_year_raises_with_year(cal):
    with pytest.raises(CalendarNotConfigured, match="2040") as info:
        cal.add(datetime(2040, 3, 1, 9), 1)
    assert isinstance(info.value, ValueError)
    assert "日历未配置" in str(info.value) and "calendar_overrides.yaml" in str(info.value)
    assert info.value.year == 2040
    with pytest.raises(CalendarNotConfigured, match="2040"):
        cal.is_workday(date(2040, 3, 1))
    # a span names the first missing year
    with pytest.raises(CalendarNotConfigured, match="2027"):
        cal.elapsed(datetime(2022, 10, 1), datetime(2040, 3, 1))
    with pytest.raises(CalendarNotConfigured, match="2003"):
        cal.is_workday(date(2003, 6, 2))


def test_running_off_the_last_configured_year_raises(cal):
    last = max(cal.years)
    with pytest.raises(CalendarNotConfigured, match=str(last + 1)):
        cal.add(datetime(last, 12, 31, 9), 1)


def test_covers_chinesecalendar_years(cal):
    assert set(range(2004, 2027)) <= cal.years
    assert cal.years == set(range(min(cal.years), max(cal.years) + 1))


def test_overrides_add_a_year():
    # 2040-01-01 is a Sunday.
    assert date(2040, 1, 1).weekday() == 6
    cal = WorkingDays.from_sources({2040: {"holidays": [date(2040, 1, 2)], "workdays": ["2040-01-07"]}})
    assert 2040 in cal.years
    assert not cal.is_workday(date(2040, 1, 2))  # Monday made a holiday
    assert cal.is_workday(date(2040, 1, 7))  # Saturday worked
    assert not cal.is_workday(date(2040, 1, 8))  # ordinary Sunday
    assert cal.add(datetime(2040, 1, 1, 9), 1) == eod(2040, 1, 3)
    assert cal.add(datetime(2040, 1, 6, 9), 1) == eod(2040, 1, 7)
    assert cal.add(datetime(2040, 1, 6, 9), 2) == eod(2040, 1, 9)
    assert cal.elapsed(datetime(2040, 1, 6, 9), datetime(2040, 1, 9, 9)) == 2
    # the years in between are still unknown: no jumping over the gap
    with pytest.raises(CalendarNotConfigured, match="2027"):
        cal.add(datetime(2026, 12, 31, 9), 1)
    with pytest.raises(CalendarNotConfigured, match="2027"):
        cal.elapsed(datetime(2026, 6, 1), datetime(2040, 1, 3))


def test_overrides_replace_a_year():
    cal = WorkingDays.from_sources({2022: {"holidays": ["2022-10-03"], "workdays": []}})
    assert not cal.is_workday(date(2022, 10, 3))
    assert cal.is_workday(date(2022, 10, 4))  # no longer a holiday
    assert not cal.is_workday(date(2022, 10, 8))  # no longer worked
    assert not cal.is_workday(date(2022, 1, 29))  # the whole year was replaced
    assert cal.is_workday(date(2022, 1, 31))  # Monday, a holiday only in the replaced data
    # 10-01 Sat, 10-02 Sun, 10-03 holiday; then 10-04, 10-05, 10-06
    assert cal.add(datetime(2022, 9, 30, 10), 3) == eod(2022, 10, 6)
    # other years keep chinesecalendar's data (2021 National Day)
    assert not cal.is_workday(date(2021, 10, 1))
    assert cal.is_workday(date(2021, 9, 26))
    assert cal.is_workday(date(2021, 10, 9))


@pytest.mark.parametrize(
    "overrides",
    [
        {2040: {"holidays": ["2041-01-01"]}},  # date outside its year
        {2040: {"holidays": ["2040-01-02"], "workdays": ["2040-01-02"]}},  # in both lists
        {2040: {"holidays": ["2040-13-01"]}},  # not a date
        {2040: {"holiday": ["2040-01-02"]}},  # misspelt key
        {"twenty": {"holidays": []}},  # not a year
    ],
)
def test_bad_overrides_rejected(overrides):
    with pytest.raises(ValueError):
        WorkingDays.from_sources(overrides)


# -- shipped data file --------------------------------------------------------------------------------


def test_default_calendar_loads_and_is_cached():
    cal = load_default_calendar()
    assert cal is load_default_calendar()
    assert set(range(2004, 2027)) <= cal.years
    assert cal.add(datetime(2022, 9, 30, 10), 3) == eod(2022, 10, 10)


def test_documented_example_parses():
    text = (resources.files("hotline") / "data" / "calendar_overrides.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "example" in line) + 1
    block = []
    for line in lines[start:]:
        if not line.startswith("#   "):
            break
        block.append(line[1:])
    doc = yaml.safe_load("\n".join(block))
    cal = WorkingDays.from_sources(doc["years"])
    assert 2027 in cal.years
    assert yaml.safe_load(text)["years"] == {} or all(int(y) > 2003 for y in yaml.safe_load(text)["years"])
