"""The Chinese working-day calendar (工作日历), as a small pure object.

Modelled on FixMyStreet's ``WorkingDays``: a ``WorkingDays`` value knows which dates are statutory holidays
(法定节假日) and which weekend dates are worked in lieu (调休上班), and answers two questions quickly:

- ``add(start, n)``: the deadline of *n* working days counted from ``start``;
- ``elapsed(start, end)``: how many working days have passed between two moments.

Sources
-------
``WorkingDays.from_sources`` takes the State Council schedules from the ``chinesecalendar`` package
(``chinese_calendar.holidays`` / ``chinese_calendar.workdays``). The installed version (1.11.0) covers
**2004 to 2026** inclusive; a newer release may cover more, and the years are read from its data, not
hard-coded. Years the package does not know yet (2027 onwards, as of this writing) — or corrections —
come from ``hotline/data/calendar_overrides.yaml``; a year given there replaces the package's data for
that year entirely.

Any date in a year the calendar does not know raises ``CalendarNotConfigured``; the calendar never
guesses "Monday to Friday" for an unconfigured year, because a wrong deadline silently changes the
on-time rates the assessment ranks units by.

Speed
-----
On construction the workdays of all configured years are precomputed as a sorted list of date
ordinals, so ``add`` and ``elapsed`` are two ``bisect`` calls each (O(log n)), with no day-by-day loop.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from importlib import resources
from typing import Any

__all__ = [
    "CalendarNotConfigured",
    "WorkingDays",
    "load_default_calendar",
    "parse_overrides",
]

_END_OF_DAY = time(23, 59, 59)


class CalendarNotConfigured(ValueError):
    """A date falls in a year for which no holiday schedule is configured."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"日历未配置 {year} 年的节假日安排，请将国务院办公厅当年的节假日通知补入 calendar_overrides.yaml"
            f" / no holiday calendar configured for {year}; add it to calendar_overrides.yaml"
        )


def _as_date(value: date | datetime) -> date:
    # datetime is a subclass of date: take its calendar date, keep a plain date as is.
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True, repr=False)
class WorkingDays:
    """Working days under the Chinese State Council holiday schedule.

    ``holidays``: dates that are off as statutory holidays. Only the Monday–Friday entries change
    anything (weekend dates inside a holiday block, as ``chinesecalendar`` lists them, are off anyway).
    ``extra_workdays``: weekend dates that are worked (调休上班).
    ``years``: the years this calendar knows; every date outside them raises ``CalendarNotConfigured``.

    A date is a working day iff it is in ``extra_workdays``, or it is Monday–Friday and not in ``holidays``.
    """

    holidays: frozenset[date]
    extra_workdays: frozenset[date]
    years: frozenset[int]
    # Derived: sorted ordinals of every working day in the configured years.
    _workday_ordinals: list[int] = field(init=False, repr=False, compare=False, hash=False)
    _min_year: int = field(init=False, repr=False, compare=False, hash=False)
    _max_year: int = field(init=False, repr=False, compare=False, hash=False)
    _contiguous: bool = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        # Accept any iterables but store frozensets, so the value stays hashable and immutable.
        for name in ("holidays", "extra_workdays", "years"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        if not self.years:
            raise ValueError("a WorkingDays calendar needs at least one configured year")
        both = self.holidays & self.extra_workdays
        if both:
            raise ValueError(f"dates listed both as holiday and as workday: {sorted(both)}")
        stray = sorted(d for d in self.holidays | self.extra_workdays if d.year not in self.years)
        if stray:
            raise ValueError(f"holiday/workday dates outside the configured years {sorted(self.years)}: {stray}")

        ordinals: list[int] = []
        for year in sorted(self.years):
            day = date(year, 1, 1)
            one = timedelta(days=1)
            while day.year == year:
                if day in self.extra_workdays or (day.weekday() < 5 and day not in self.holidays):
                    ordinals.append(day.toordinal())
                day += one
        lo, hi = min(self.years), max(self.years)
        object.__setattr__(self, "_workday_ordinals", ordinals)
        object.__setattr__(self, "_min_year", lo)
        object.__setattr__(self, "_max_year", hi)
        object.__setattr__(self, "_contiguous", len(self.years) == hi - lo + 1)

    def __repr__(self) -> str:
        years = sorted(self.years)
        span = f"{years[0]}-{years[-1]}" if self._contiguous else ",".join(map(str, years))
        return (
            f"WorkingDays(years={span}, holidays={len(self.holidays)} dates, "
            f"extra_workdays={len(self.extra_workdays)} dates)"
        )

    # -- checks ---------------------------------------------------------------------------------

    def _check_span(self, first: int, last: int) -> None:
        """Raise CalendarNotConfigured unless every year in first..last is configured."""
        if self._contiguous and self._min_year <= first and last <= self._max_year:
            return
        for year in range(first, last + 1):
            if year not in self.years:
                raise CalendarNotConfigured(year)

    # -- queries --------------------------------------------------------------------------------

    def is_workday(self, d: date | datetime) -> bool:
        """Whether the calendar date of ``d`` is a working day."""
        d = _as_date(d)
        self._check_span(d.year, d.year)
        if d in self.extra_workdays:
            return True
        return d.weekday() < 5 and d not in self.holidays

    def add(self, start: date | datetime, n: int) -> datetime:
        """Deadline of ``n`` working days counted from ``start``.

        Returns the end (23:59:59, same tzinfo as ``start``) of the n-th working day strictly AFTER
        ``start``'s calendar date; whether ``start``'s own date is a working day does not matter.
        Example: dispatched 2022-09-30 with 3 working days → 2022-10-10 23:59:59 (10-01..10-07 are the
        National Day holiday, 10-08 and 10-09 are worked in lieu: 1st = 10-08, 2nd = 10-09, 3rd = 10-10).

        ``n`` must be >= 1. Raises ``CalendarNotConfigured`` if ``start`` or any day up to the deadline
        lies in an unconfigured year.
        """
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"n must be an int, got {type(n).__name__}")
        if n < 1:
            raise ValueError(f"n must be >= 1, got {n}")
        d = _as_date(start)
        self._check_span(d.year, d.year)
        ordinals = self._workday_ordinals
        index = bisect_right(ordinals, d.toordinal()) + n - 1
        if index >= len(ordinals):
            # Ran off the end of the known calendar: name the first unknown year after start.
            year = d.year + 1
            while year in self.years:
                year += 1
            raise CalendarNotConfigured(year)
        due = date.fromordinal(ordinals[index])
        if due.year - d.year > 1 or not self._contiguous:
            # The ordinal list skips unconfigured years; make sure we did not jump over one.
            self._check_span(d.year, due.year)
        tz = start.tzinfo if isinstance(start, datetime) else None
        return datetime(due.year, due.month, due.day, 23, 59, 59, tzinfo=tz)

    def elapsed(self, start: date | datetime, end: date | datetime) -> int:
        """Working days elapsed from ``start`` to ``end``, counted by calendar date.

        Precisely: the number of working days ``w`` with ``start.date() < w <= end.date()``. So it is 0
        when both fall on the same date, ``start``'s own date never counts, ``end``'s date counts if it is
        a working day, and times of day are ignored. It is the inverse of ``add``:
        ``elapsed(s, add(s, n)) == n`` for every ``n >= 1``. "Returned within 2 working days of signing"
        is ``elapsed(signed_at, returned_at) <= 2``.

        Raises ``ValueError`` if ``end``'s date is before ``start``'s date, and ``CalendarNotConfigured``
        if any year from ``start`` to ``end`` is not configured.
        """
        s, e = _as_date(start), _as_date(end)
        if e < s:
            raise ValueError(f"end {end} is before start {start}")
        self._check_span(s.year, e.year)
        ordinals = self._workday_ordinals
        return bisect_right(ordinals, e.toordinal()) - bisect_right(ordinals, s.toordinal())

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def from_sources(cls, overrides: Mapping[int, Mapping[str, Iterable[Any]]] | None = None) -> WorkingDays:
        """Build the calendar from ``chinesecalendar`` plus ``overrides``.

        ``chinesecalendar`` supplies every year from 2004 to the last year its data covers.
        ``overrides`` = ``{year: {"holidays": [dates], "workdays": [dates]}}`` adds later years or
        corrects earlier ones: a year given in overrides replaces chinesecalendar's data for that year
        entirely (both lists). Dates may be ``date`` objects or ISO strings and must lie in their year.
        """
        import chinese_calendar

        holidays: set[date] = set(chinese_calendar.holidays)
        workdays: set[date] = set(chinese_calendar.workdays)
        known = {d.year for d in holidays | workdays}
        years = set(range(min(known), max(known) + 1))

        for year, spec in parse_overrides(overrides or {}).items():
            holidays = {d for d in holidays if d.year != year} | spec["holidays"]
            workdays = {d for d in workdays if d.year != year} | spec["workdays"]
            years.add(year)
        return cls(holidays=frozenset(holidays), extra_workdays=frozenset(workdays), years=frozenset(years))


def _to_date(value: Any, year: int, kind: str) -> date:
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"calendar override {year} {kind}: {value!r} is not a YYYY-MM-DD date") from exc
    elif not isinstance(value, date):
        raise ValueError(f"calendar override {year} {kind}: {value!r} is not a date")
    if value.year != year:
        raise ValueError(f"calendar override {year} {kind}: {value} is not in {year}")
    return value


def parse_overrides(raw: Mapping[Any, Any]) -> dict[int, dict[str, frozenset[date]]]:
    """Validate ``{year: {"holidays": [...], "workdays": [...]}}`` into ``{int: {str: frozenset[date]}}``."""
    if not isinstance(raw, Mapping):
        raise ValueError(f"calendar overrides must be a mapping of year → {{holidays, workdays}}, got {raw!r}")
    parsed: dict[int, dict[str, frozenset[date]]] = {}
    for key, spec in raw.items():
        try:
            year = int(key)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"calendar override year {key!r} is not a year") from exc
        spec = spec or {}
        if not isinstance(spec, Mapping):
            raise ValueError(f"calendar override {year}: expected a mapping with holidays/workdays, got {spec!r}")
        unknown = set(spec) - {"holidays", "workdays"}
        if unknown:
            raise ValueError(f"calendar override {year}: unknown keys {sorted(unknown)} (use holidays, workdays)")
        parsed[year] = {
            kind: frozenset(_to_date(v, year, kind) for v in (spec.get(kind) or [])) for kind in ("holidays", "workdays")
        }
    return parsed


@functools.cache
def load_default_calendar() -> WorkingDays:
    """The calendar from chinesecalendar plus ``hotline/data/calendar_overrides.yaml`` (read once, cached)."""
    import yaml

    resource = resources.files("hotline") / "data" / "calendar_overrides.yaml"
    doc = yaml.safe_load(resource.read_text(encoding="utf-8")) or {}
    if not isinstance(doc, Mapping) or not isinstance(doc.get("years") or {}, Mapping):
        raise ValueError("calendar_overrides.yaml must have a top-level 'years:' mapping")
    return WorkingDays.from_sources(doc.get("years") or {})
