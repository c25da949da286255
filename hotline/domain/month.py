"""The report month (统计月份) as a value, instead of a bare ``"YYYY-MM"`` string re-parsed in every layer.

Why a value: every layer needs the same few answers about a month — its bounds (``[first day 00:00, first day
of the next month 00:00)``, the half-open window every metric filters on), the month before it (环比), how it is
printed (``10月``, ``2022 年 10 月``) — and each copy of the parsing used to answer a malformed month differently
(an IndexError here, a silently wrong month there). ``Month.parse`` is the one place that says what a month
looks like, with the message users read.

A ``Month`` prints as ``YYYY-MM`` (``str(month)``), so JSON, URLs, the CLI and the store's ``month`` columns
keep their format; functions that take a month accept either form through ``Month.of``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

_FORMAT = re.compile(r"(\d{4})-(\d{2})")


class MonthError(ValueError):
    """Not a month of the form YYYY-MM; the message is shown to users as it is."""


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.year <= 9999:
            raise MonthError(f"月份格式应为 YYYY-MM：{self.year:04d}-{self.month:02d} / month must look like 2022-10")

    # ---- making one ------------------------------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str) -> Month:
        """``"2022-10"`` → ``Month(2022, 10)``; anything else raises ``MonthError`` with the message users read."""
        m = _FORMAT.fullmatch(text.strip()) if isinstance(text, str) else None
        if m is None or not 1 <= int(m.group(2)) <= 12:
            raise MonthError(f"月份格式应为 YYYY-MM：{text!r} / month must look like 2022-10")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, value: Month | str) -> Month:
        """A ``Month`` from a ``Month`` or its ``YYYY-MM`` text."""
        return value if isinstance(value, Month) else cls.parse(value)

    @classmethod
    def containing(cls, moment: date | datetime) -> Month:
        return cls(moment.year, moment.month)

    # ---- what it is --------------------------------------------------------------------------------------------
    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def start(self) -> datetime:
        """The first moment of the month."""
        return datetime(self.year, self.month, 1)

    @property
    def end(self) -> datetime:
        """The first moment of the next month (exclusive end of the month's window)."""
        return self.next().start

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """``[start, end)``: the window a metric on this month filters its basis date with."""
        return self.start, self.end

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def first_of_year(self) -> Month:
        return Month(self.year, 1)

    def until(self, last: Month) -> list[Month]:
        """Every month from this one to ``last``, both included (empty when ``last`` is earlier)."""
        out, m = [], self
        while m <= last:
            out.append(m)
            m = m.next()
        return out

    # ---- how people read it -------------------------------------------------------------------------------------
    @property
    def label(self) -> str:
        """``10月`` — as a report names a month of its own year."""
        return f"{self.month}月"

    @property
    def long_label(self) -> str:
        """``2022 年 10 月`` — as a report's title names its month."""
        return f"{self.year} 年 {self.month} 月"
