"""Beijing time as naive datetimes: every timestamp in the store is local (China Standard Time), no offset.

Services take a `Clock` (a zero-argument callable) so tests can freeze time across the National Day holiday.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

Clock = Callable[[], datetime]
CST = timezone(timedelta(hours=8), "CST")  # China has one zone and no daylight saving: a fixed offset is exact


def beijing_now() -> datetime:
    return datetime.now(CST).replace(tzinfo=None, microsecond=0)


def frozen(at: datetime) -> Clock:
    """A clock stopped at `at` (tests)."""
    return lambda: at


class SteppingClock:
    """A settable clock for tests and benchmarks: `clock.now = …` or `clock.advance(hours=3)`."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now
