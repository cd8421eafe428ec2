"""Internal rate of return on dated cash flows: a pure-Python bracketing root finder.

Cash flows are seen from the borrower: the amount received is positive, every payment
(instalment, fee, guarantee fee paid to a third party …) negative. The rate r solves
``Σ cf / (1 + r) ** t = 0`` with ``t`` in periods (months for the periodic IRR, years of
365 days for XIRR, as spreadsheets do).
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Sequence
from datetime import date

from evidence_kit.errors import AnalysisError
from evidence_kit.i18n import _

# Rates per period tried when looking for a sign change; the first bracket wins, so the
# smallest positive root is found when several exist.
_GRID = (
    1e-6, 1e-4, 1e-3, 3e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5,
    1.0, 2.0, 5.0, 10.0, 100.0, 1e3, 1e4, 1e6, 1e9,
)  # fmt: skip


def _discount(amount: float, rate: float, t: float) -> float:
    try:
        return amount * math.exp(-t * math.log1p(rate))
    except OverflowError:
        # t < 0 with a huge rate: the early flow dominates everything.
        return math.copysign(math.inf, amount)


def npv(rate: float, flows: Sequence[tuple[float, float]]) -> float:
    """Net present value at ``rate`` per period of ``(t, amount)`` flows."""
    return math.fsum(_discount(amount, rate, t) for t, amount in flows)


def solve_rate(flows: Sequence[tuple[float, float]]) -> float:
    """The smallest positive rate per period at which the flows' NPV is zero.

    Raises ``AnalysisError`` when there is none: payments that do not exceed what was
    received, or no sign change within the search range.
    """
    received = math.fsum(a for _, a in flows if a > 0)
    paid = -math.fsum(a for _, a in flows if a < 0)
    if received <= 0 or paid <= 0:
        raise AnalysisError(
            _("the cash flows need both the amount received and at least one payment"),
            _("fill in the amount received and every payment ([[loan.payments]]) in case.toml"),
        )
    if paid <= received:
        raise AnalysisError(
            _(
                "payments so far ({paid}) do not exceed the amount received ({received}), "
                "so no cost of borrowing can be computed from them"
            ).format(paid=f"{paid:.2f}", received=f"{received:.2f}"),
            _(
                "if the loan is not paid off yet, fill in the current bill ([debt]) or add the "
                "remaining scheduled instalments as [[loan.payments]] in case.toml"
            ),
        )
    lo, f_lo = 0.0, npv(0.0, flows)  # = received - paid < 0
    for hi in _GRID:
        f_hi = npv(hi, flows)
        if f_hi == 0:
            return hi
        if f_hi > 0:
            return _bisect(flows, lo, hi, f_lo)
        lo, f_lo = hi, f_hi
    raise AnalysisError(
        _(
            "no interest rate makes these payments match the amount received "
            "(all payments on the day the money arrived, or before it?)"
        ),
        _("check the date the money arrived and the dates of the payments in case.toml"),
    )


def _bisect(flows: Sequence[tuple[float, float]], lo: float, hi: float, f_lo: float) -> float:
    # Bisection: slow but cannot diverge, and 200 halvings reach float resolution.
    for _step in range(200):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        f_mid = npv(mid, flows)
        if f_mid == 0:
            return mid
        if (f_mid < 0) == (f_lo < 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return (lo + hi) / 2


# ---------------------------------------------------------------- time axes


def add_months(start: date, months: int) -> date:
    """``start`` moved by whole months, clamped to the month's end (Jan 31 + 1 → Feb 28/29)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


def months_between(start: date, end: date) -> float:
    """Months from ``start`` to ``end``: whole months (same day of month, clamped at month
    end) plus the remaining days as a fraction of the month they fall in."""
    if end < start:
        return -months_between(end, start)
    whole = (end.year - start.year) * 12 + end.month - start.month
    while whole > 0 and add_months(start, whole) > end:
        whole -= 1
    anchor = add_months(start, whole)
    if anchor == end:
        return float(whole)
    span = (add_months(start, whole + 1) - anchor).days
    return whole + (end - anchor).days / span


def years_365(start: date, end: date) -> float:
    """Actual/365, as a spreadsheet's XIRR counts time."""
    return (end - start).days / 365.0
