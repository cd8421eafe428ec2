"""A repayment proposal from the budget, and tracking of an agreed plan against payments.

Proposal: affordable per month = income − essential expenses − other debts, less a 10 %
safety margin (kept so that one bad month does not break the plan; the figure says so),
rounded down to whole yuan. Instalments = ceil(outstanding after the requested waivers /
affordable), capped at 60 — the 5-year ceiling for individual plans in the credit-card rules
(信用卡办法 Art. 70 [S]); a debt that needs longer is reported as not fitting.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from evidence_kit.analysis.loan import Budget, Debt, Payment, field_label
from evidence_kit.analysis.rates import add_months
from evidence_kit.errors import ConfigError
from evidence_kit.i18n import _

MAX_INSTALMENTS = 60
DEFAULT_MARGIN = Decimal("0.10")
_CENT = Decimal("0.01")

# What a waiver request names → the [debt] line it removes.
WAIVER_ITEMS = {
    "罚息": "penalty",
    "penalty": "penalty",
    "违约金": "late_fee",
    "滞纳金": "late_fee",
    "late_fee": "late_fee",
    "利息": "interest",
    "interest": "interest",
    "费用": "other_fees",
    "服务费": "other_fees",
    "担保费": "other_fees",
    "会员费": "other_fees",
    "手续费": "other_fees",
    "其他费用": "other_fees",
    "other_fees": "other_fees",
    "fees": "other_fees",
}
_DEBT_LINES = ("principal", "interest", "penalty", "late_fee", "other_fees")


def money(amount: Decimal) -> str:
    """Yuan with two decimals, as the JSON output shows amounts."""
    return str(amount.quantize(_CENT))


@dataclass(frozen=True)
class Instalment:
    number: int
    due: date
    amount: Decimal

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "due": self.due.isoformat(), "amount": money(self.amount)}


@dataclass(frozen=True)
class Proposal:
    outstanding_before: Decimal
    waived: dict[str, Decimal]
    outstanding: Decimal
    surplus: Decimal  # income − essentials − other debts
    margin: Decimal  # fraction of the surplus kept back
    affordable: Decimal
    instalments: int
    per_instalment: Decimal
    fits: bool
    schedule: tuple[Instalment, ...]
    requests: tuple[str, ...]  # other requests (停息挂账 …) not tied to a [debt] line
    notes: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "outstanding_before_waivers": money(self.outstanding_before),
            "waived": {k: money(v) for k, v in self.waived.items()},
            "outstanding": money(self.outstanding),
            "surplus": money(self.surplus),
            "safety_margin": str(self.margin),
            "affordable_monthly": money(self.affordable),
            "instalments": self.instalments,
            "per_instalment": money(self.per_instalment),
            "fits_60_months": self.fits,
            "schedule": [i.to_json() for i in self.schedule],
            "other_requests": list(self.requests),
            "notes": list(self.notes),
        }


def _schedule(total: Decimal, n: int, first_due: date) -> tuple[Instalment, ...]:
    per = (total / n).quantize(_CENT, rounding=ROUND_CEILING)
    out = []
    for k in range(n):
        amount = per if k < n - 1 else total - per * (n - 1)
        out.append(Instalment(k + 1, add_months(first_due, k), amount))
    return tuple(out)


def propose_plan(
    debt: Debt,
    budget: Budget,
    waivers: Sequence[str],
    *,
    first_due: date,
    margin: Decimal = DEFAULT_MARGIN,
) -> Proposal:
    lines = {name: getattr(debt, name) for name in _DEBT_LINES}
    known = {name: value for name, value in lines.items() if value is not None}
    notes = []
    if known:
        before = sum(known.values(), Decimal(0))
    elif debt.overdue_amount is not None:
        before = debt.overdue_amount
        notes.append("[debt] 只填了逾期金额，没有分项，无法扣除申请减免的项目")
    else:
        raise ConfigError(
            _("{a} and {b} are both empty").format(
                a=field_label("debt.principal"), b=field_label("debt.overdue_amount")
            ),
            _(
                "fill in the parts of the bill (principal, interest, penalty interest, late fee, "
                "other fees) in case.toml"
            ),
        )

    waived: dict[str, Decimal] = {}
    requests = []
    for n, wish in enumerate(waivers, start=1):
        item = WAIVER_ITEMS.get(str(wish).strip())
        if item is None:
            requests.append(str(wish).strip())
        elif not known:
            continue
        elif lines[item] is None:
            notes.append(f"申请减免“{wish}”，但 [debt] 中没有对应金额（dispute.waivers[{n}]）")
        else:
            waived[item] = lines[item]
    outstanding = before - sum(waived.values(), Decimal(0))

    surplus = budget.monthly_income - budget.essential_expenses - budget.other_debts
    affordable = (surplus * (1 - margin)).quantize(Decimal(1), rounding=ROUND_FLOOR)
    notes.append(
        f"每月可负担金额 = 收入 − 必要支出 − 其他债务 = {surplus}，"
        f"再留出 {margin * 100:.0f}% 作为应急余量，取整为 {max(affordable, Decimal(0))} 元"
    )
    if outstanding <= 0:
        return Proposal(
            before, waived, Decimal(0), surplus, margin, affordable, 0, Decimal(0), True, (),
            tuple(requests), tuple(notes),
        )  # fmt: skip
    if affordable <= 0:
        notes.append("收支相抵后没有可用于还款的余额：可说明困难情况，申请停息挂账或延期")
        per = (outstanding / MAX_INSTALMENTS).quantize(_CENT, rounding=ROUND_CEILING)
        return Proposal(
            before, waived, outstanding, surplus, margin, max(affordable, Decimal(0)),
            MAX_INSTALMENTS, per, False, _schedule(outstanding, MAX_INSTALMENTS, first_due),
            tuple(requests), tuple(notes),
        )  # fmt: skip
    needed = math.ceil(outstanding / affordable)
    fits = needed <= MAX_INSTALMENTS
    n = min(needed, MAX_INSTALMENTS)
    schedule = _schedule(outstanding, n, first_due)
    if not fits:
        notes.append(
            f"按每月 {affordable} 元需要 {needed} 期，超过 60 期（5年）上限；"
            f"60 期每月需 {schedule[0].amount} 元"
        )
    return Proposal(
        before, waived, outstanding, surplus, margin, affordable, n, schedule[0].amount, fits,
        schedule, tuple(requests), tuple(notes),
    )  # fmt: skip


# ---------------------------------------------------------------- tracking an agreement


@dataclass(frozen=True)
class Agreement:
    first_due: date
    instalments: int
    amount: Decimal
    day_of_month: int | None = None  # defaults to first_due's day
    agreed_on: date | None = None  # payments before this date belong to the old schedule
    last_amount: Decimal | None = None  # a different final instalment, if agreed

    def schedule(self) -> tuple[Instalment, ...]:
        day = self.day_of_month or self.first_due.day
        out = []
        for k in range(self.instalments):
            month = add_months(self.first_due.replace(day=1), k)
            last = calendar.monthrange(month.year, month.month)[1]
            amount = self.amount
            if k == self.instalments - 1 and self.last_amount is not None:
                amount = self.last_amount
            out.append(Instalment(k + 1, month.replace(day=min(day, last)), amount))
        return tuple(out)


@dataclass(frozen=True)
class InstalmentStatus:
    instalment: Instalment
    paid: Decimal
    status: str  # paid | late | missed | due | upcoming
    paid_on: date | None

    def to_json(self) -> dict[str, Any]:
        return {
            **self.instalment.to_json(),
            "paid": money(self.paid),
            "status": self.status,
            "paid_on": self.paid_on.isoformat() if self.paid_on else None,
        }


@dataclass(frozen=True)
class PlanStatus:
    rows: tuple[InstalmentStatus, ...]
    total: Decimal
    paid: Decimal
    outstanding: Decimal
    arrears: Decimal  # due by today and not paid
    next_due: date | None
    next_amount: Decimal
    missed: tuple[int, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "instalments": [r.to_json() for r in self.rows],
            "total": money(self.total),
            "paid": money(self.paid),
            "outstanding": money(self.outstanding),
            "arrears": money(self.arrears),
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "next_amount": money(self.next_amount),
            "missed": list(self.missed),
        }


def track_plan(agreement: Agreement, payments: Sequence[Payment], today: date) -> PlanStatus:
    """Each instalment against the payments made (oldest instalment paid first)."""
    schedule = agreement.schedule()
    since = agreement.agreed_on or add_months(agreement.first_due, -1)
    made = sorted((p for p in payments if since <= p.date <= today), key=lambda p: p.date)
    cumulative = []  # (date, running total paid)
    running = Decimal(0)
    for p in made:
        running += p.amount
        cumulative.append((p.date, running))
    paid_total = running

    rows = []
    owed = Decimal(0)
    arrears_owed = Decimal(0)
    for inst in schedule:
        before = owed
        owed += inst.amount
        covered_on = next((d for d, total in cumulative if total >= owed), None)
        paid_here = max(Decimal(0), min(inst.amount, paid_total - before))
        if covered_on is not None:
            status = "paid" if covered_on <= inst.due else "late"
        elif inst.due < today:
            status = "missed"
        elif inst.due == today:
            status = "due"
        else:
            status = "upcoming"
        if inst.due <= today:
            arrears_owed = owed
        rows.append(InstalmentStatus(inst, paid_here, status, covered_on))

    total = sum((i.amount for i in schedule), Decimal(0))
    upcoming = next((r for r in rows if r.status in ("due", "upcoming")), None)
    arrears = max(Decimal(0), arrears_owed - paid_total)
    return PlanStatus(
        rows=tuple(rows),
        total=total,
        paid=paid_total,
        outstanding=max(Decimal(0), total - paid_total),
        arrears=arrears,
        next_due=upcoming.instalment.due if upcoming else None,
        next_amount=(upcoming.instalment.amount - upcoming.paid if upcoming else Decimal(0))
        + arrears,
        missed=tuple(r.instalment.number for r in rows if r.status == "missed"),
    )
