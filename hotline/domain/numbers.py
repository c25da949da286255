"""How the office rounds: two decimals, half up — as its spreadsheets print, and as the published tables add up.

Why not ``round()``: Python rounds half to even (``round(0.125, 2) == 0.12``), the office's Excel rounds half up
(0.13). A rate printed one hundredth off the office's own table is a wrong figure to a reader, and a scoring
total computed from raw instead of rounded parts differs from the published one (docs/scoring.md). Every layer
that rounds a figure (metrics, scoring) uses these two functions.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round2(x: float | None) -> float | None:
    """Two decimals, half up, of the number as printed (its shortest repr); None stays None."""
    if x is None:
        return None
    return float(Decimal(repr(float(x))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def pct(num: int, den: int) -> float | None:
    """``num`` as a percentage of ``den``, two decimals half up; None when there is no denominator."""
    return round2(100.0 * num / den) if den else None
