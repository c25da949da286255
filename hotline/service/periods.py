"""A month filter a client sends ("YYYY-MM") as the half-open window the store is filtered on.

Why one function: tickets, return visits, test calls and spot checks are all filtered by month, and a malformed
month must be refused the same way everywhere (`Invalid`, 422, with `Month.parse`'s message) — not a 500 in one
listing and an empty page in another.
"""

from __future__ import annotations

from datetime import datetime

from hotline.domain.month import Month
from hotline.service.errors import Invalid


def month_window(value: Month | str | None) -> tuple[datetime, datetime] | None:
    """[first day, first day of next month) for a month; None for no month; Invalid (Chinese) for anything else."""
    if not value:
        return None
    try:
        return Month.of(value).bounds
    except ValueError as exc:
        raise Invalid(str(exc)) from None
