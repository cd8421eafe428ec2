"""The lender's true cost: annualised rates from the actual cash flows, and how they compare
with 24 %, 36 % and 4 × the one-year LPR.

PBOC Announcement 〔2021〕 No. 3 lets an annualised rate be stated two ways: compound (the
internal-rate-of-return method, ``(1 + i) ** 12 - 1``) or simple (``i × 12``, which must be
labelled 单利). Both are computed from the monthly IRR of the cash flows as they happened: the
amount actually received on its date, every payment and fee on its date. When payments do not
fall on whole months from the date the money arrived, XIRR on the real dates (Actual/365) is
the headline rate and the monthly figures use fractional months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from evidence_kit.analysis.loan import LenderType, Loan, PaymentKind
from evidence_kit.analysis.lpr import LprTable, LprValue, override_value
from evidence_kit.analysis.rates import months_between, solve_rate, years_365
from evidence_kit.errors import AnalysisError
from evidence_kit.i18n import _

_CENT = Decimal("0.01")
# Old private-lending rules ("two lines, three zones") were replaced on this date.
_PRIVATE_LENDING_REFORM = date(2020, 8, 20)
# 金规〔2025〕9号 (bank internet-assisted lending) takes effect on this date.
_ZHUDAI_RULE = date(2025, 10, 1)
_FINANCIAL = {
    LenderType.BANK,
    LenderType.CONSUMER_FINANCE,
    LenderType.MICROLOAN,
    LenderType.GUARANTOR,
}


def percent(rate: float) -> Decimal:
    """A rate as a fraction (0.128) → percent with two decimals (Decimal("12.80"))."""
    return Decimal(repr(rate * 100)).quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CashFlow:
    date: date
    amount: Decimal  # borrower's view: + received, − paid
    kind: str  # "received" or a PaymentKind value
    months: float  # time from the date the money arrived
    exhibit: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "amount": str(self.amount),
            "kind": self.kind,
            "months": round(self.months, 4),
            "exhibit": self.exhibit,
        }


@dataclass(frozen=True)
class Comparison:
    threshold: str  # "24%", "36%", "4×LPR"
    threshold_rate: Decimal  # percent per year
    rate: Decimal  # the rate compared: the simple (单利) annual rate
    exceeds: bool
    exceeds_effective: bool  # the compound rate exceeds it
    binding: str  # binding | argument | not-applicable
    basis: str
    status: str  # source tag of the rule: [L] [G] [S] [U], combined like "[G/S]"

    def to_json(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "threshold_rate": str(self.threshold_rate),
            "rate": str(self.rate),
            "exceeds": self.exceeds,
            "exceeds_effective": self.exceeds_effective,
            "binding": self.binding,
            "basis": self.basis,
            "status": self.status,
        }


@dataclass(frozen=True)
class CostReport:
    flows: tuple[CashFlow, ...]
    received: Decimal
    paid: Decimal
    charges: Decimal  # paid − received: everything the loan cost
    fees_by_kind: dict[str, Decimal]
    monthly_irr: float
    apr_nominal: Decimal  # percent, simple (单利) = monthly IRR × 12
    apr_effective: Decimal  # percent, compound (复利, IRR method) = (1 + i)^12 − 1
    xirr: Decimal  # percent, effective annual on actual dates, Actual/365
    regular: bool  # every flow falls on a whole month from the date the money arrived
    headline: str  # "apr_effective" or "xirr": the figure to quote
    flat_monthly_rate: Decimal  # percent per month, charges / contract amount / months
    flat_basis: str
    stated_rate: Decimal | None
    demand: Demand | None
    lpr: LprValue | None
    comparisons: tuple[Comparison, ...]
    notes: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "apr_nominal": str(self.apr_nominal),
            "apr_effective": str(self.apr_effective),
            "flat_monthly_rate": str(self.flat_monthly_rate),
            "xirr": str(self.xirr),
            "monthly_irr": str(Decimal(repr(self.monthly_irr * 100)).quantize(Decimal("0.0001"))),
            "headline": self.headline,
            "regular_schedule": self.regular,
            "stated_rate": None if self.stated_rate is None else str(self.stated_rate),
            "basis": "payments+demand" if self.demand else "payments",
            "demand": None
            if self.demand is None
            else {"as_of": self.demand.as_of.isoformat(), "amount": str(self.demand.amount)},
            "received": str(self.received),
            "paid": str(self.paid),
            "charges": str(self.charges),
            "fees_by_kind": {k: str(v) for k, v in self.fees_by_kind.items()},
            "flat_basis": self.flat_basis,
            "lpr": None
            if self.lpr is None
            else {
                "rate": str(self.lpr.rate),
                "effective_date": self.lpr.effective_date.isoformat()
                if self.lpr.effective_date
                else None,
                "source": self.lpr.source,
                "warnings": list(self.lpr.warnings),
            },
            "comparisons": [c.to_json() for c in self.comparisons],
            "flows": [f.to_json() for f in self.flows],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Demand:
    """What the lender demands to settle the loan on a date ([debt] lines summed)."""

    as_of: date
    amount: Decimal


def cash_flows(loan: Loan, demand: Demand | None = None) -> tuple[CashFlow, ...]:
    start = loan.received_date
    flows = [CashFlow(start, loan.received_amount, "received", 0.0)]
    for p in loan.payments:
        flows.append(
            CashFlow(p.date, -p.amount, p.kind.value, months_between(start, p.date), p.exhibit)
        )
    if demand is not None:
        flows.append(
            CashFlow(demand.as_of, -demand.amount, "demanded", months_between(start, demand.as_of))
        )
    return tuple(sorted(flows, key=lambda f: (f.date, f.kind != "received")))


def cost_of(loan: Loan, lpr_table: LprTable | None, *, demand: Demand | None = None) -> CostReport:
    """Rates and comparisons for ``loan``. ``lpr_table`` may be None only with an override.

    With ``demand`` (a loan not paid off: the amount the lender asks for on a date), that
    amount is treated as paid on that date — the cost of the loan if settled as demanded."""
    if demand is not None and loan.payments and demand.as_of < loan.payments[-1].date:
        raise AnalysisError(
            _(
                "the bill in [debt] ({as_of}) is older than the last payment ({last}): "
                "it is out of date"
            ).format(as_of=demand.as_of.isoformat(), last=loan.payments[-1].date.isoformat()),
            _("update [debt] from the latest bill, or clear it if the loan is paid off"),
        )
    flows = cash_flows(loan, demand)
    monthly = solve_rate([(f.months, float(f.amount)) for f in flows])
    start = loan.received_date
    annual = solve_rate([(years_365(start, f.date), float(f.amount)) for f in flows])
    regular = all(f.months == int(f.months) for f in flows)

    paid = sum((p.amount for p in loan.payments), Decimal(0))
    if demand is not None:
        paid += demand.amount
    charges = paid - loan.received_amount
    fees: dict[str, Decimal] = {}
    for p in loan.payments:
        if p.kind not in (PaymentKind.INSTALLMENT, PaymentKind.PRINCIPAL):
            fees[p.kind.value] = fees.get(p.kind.value, Decimal(0)) + p.amount

    months = loan.term_months or max(1, round(max(f.months for f in flows)))
    base = loan.contract_amount or loan.received_amount
    flat = (charges / base / months * 100).quantize(_CENT, rounding=ROUND_HALF_UP)
    flat_basis = (
        f"(还款及费用合计{'（含对方要求结清的金额）' if demand else ''} {paid} − "
        f"实际到账 {loan.received_amount}) ÷ "
        f"{'合同金额' if loan.contract_amount else '到账金额'} {base} ÷ {months} 个月"
        " — 贷款方常以合同本金报“月费率”，它不反映本金逐月减少，故远低于实际年化利率"
    )

    notes = [
        "单利年化 = 月内部收益率 × 12（按人民银行公告〔2021〕第3号，采用单利须注明）；"
        "复利年化 = (1 + 月内部收益率)^12 − 1（内部收益率法）",
    ]
    if demand is not None:
        notes.append(
            f"贷款尚未还清：已付款项之外，把 {demand.as_of.isoformat()} 账单所列应还合计 "
            f"{demand.amount} 元视为当日付清来计算——即“按对方要求结清”时的实际成本"
        )
    if not regular:
        notes.append(
            "还款日期不是从到账日起的整月，按实际日期计算的 XIRR（实际天数/365）为主要结果；"
            "月利率按不足整月的天数折算"
        )
    apr_nominal = percent(monthly * 12)
    apr_effective = percent((1 + monthly) ** 12 - 1)
    lpr, lpr_note = _lpr_for(loan, lpr_table)
    if lpr_note:
        notes.append(lpr_note)
    comparisons = compare(loan, apr_nominal, apr_effective, lpr)
    notes.append(
        "比较采用单利年化利率（法院通常以单利表述年利率）；复利结果一并列出。"
        "哪一种口径应与 4 倍 LPR 比较，规定未明确，这是一种解读，不是定论"
    )
    return CostReport(
        flows=flows,
        received=loan.received_amount,
        paid=paid,
        charges=charges,
        fees_by_kind=fees,
        monthly_irr=monthly,
        apr_nominal=apr_nominal,
        apr_effective=apr_effective,
        xirr=percent(annual),
        regular=regular,
        headline="apr_effective" if regular else "xirr",
        flat_monthly_rate=flat,
        flat_basis=flat_basis,
        stated_rate=loan.stated_rate,
        demand=demand,
        lpr=lpr,
        comparisons=comparisons,
        notes=tuple(notes),
    )


def _lpr_for(loan: Loan, table: LprTable | None) -> tuple[LprValue | None, str | None]:
    if loan.lpr_override is not None:
        return override_value(loan.lpr_override), None
    if table is None:
        return None, "未提供 LPR 表，未比较 4 倍 LPR"
    try:
        return table.lpr_on(loan.formation_date), None
    except AnalysisError as e:
        return None, f"{e.message}（4 倍 LPR 不适用于 2019-08-20 前成立的合同）"


def compare(
    loan: Loan, nominal: Decimal, effective: Decimal, lpr: LprValue | None
) -> tuple[Comparison, ...]:
    """24 %, 36 % and 4 × LPR, each with whether it binds this lender (from the facts file)."""
    formed = loan.formation_date
    kind = loan.lender_type
    out = []

    def add(label: str, threshold: Decimal, binding: str, basis: str, status: str) -> None:
        out.append(
            Comparison(
                threshold=label,
                threshold_rate=threshold.quantize(_CENT),
                rate=nominal,
                exceeds=nominal > threshold,
                exceeds_effective=effective > threshold,
                binding=binding,
                basis=basis,
                status=status,
            )
        )

    # 24 %
    if kind in _FINANCIAL or kind is LenderType.PLATFORM:
        basis = (
            "法发〔2017〕22号《关于进一步加强金融审判工作的若干意见》第二条：借款人可请求对"
            "利息、复利、罚息、违约金和其他费用合计超过年利率24%的部分予以调减（原文未核实）"
        )
        status = "[U]"
        if kind is LenderType.BANK and formed >= _ZHUDAI_RULE:
            basis += (
                "；金规〔2025〕9号（2025-10-01起施行）将增信服务费计入综合融资成本，"
                "报道称综合融资成本不超过24%（适用于商业银行互联网助贷，措辞各来源不一）"
            )
            status = "[U]/[S]"
        add("24%", Decimal(24), "argument", basis, status)
    elif formed < _PRIVATE_LENDING_REFORM:
        add(
            "24%",
            Decimal(24),
            "argument",
            "2015年民间借贷司法解释“两线三区”：年利率24%以内受保护（已于2020-08-20被替换；"
            "过渡规则未核实）",
            "[U]",
        )
    else:
        add(
            "24%",
            Decimal(24),
            "not-applicable",
            "民间借贷自2020-08-20起以合同成立时一年期LPR的4倍为限，24%已不是标准",
            "[L]",
        )

    # 36 %
    licensed = kind in _FINANCIAL
    add(
        "36%",
        Decimal(36),
        "not-applicable" if licensed else "argument",
        "两高两部《关于办理非法放贷刑事案件若干问题的意见》（2019-10-21施行）：未经许可、"
        "以超过36%的实际年利率经常性放贷，情节严重的，可构成非法经营罪"
        + ("；本贷款方为持牌机构，该意见针对无牌放贷，仅可作为严重程度的参照" if licensed else ""),
        "[G/S]",
    )

    # 4 × LPR
    if lpr is not None:
        cap = lpr.rate * 4
        when = (
            f"（LPR {lpr.rate}%，{lpr.effective_date.isoformat()} 公布）"
            if lpr.effective_date
            else f"（LPR {lpr.rate}%，用户填写）"
        )
        if loan.private_lending and formed >= _PRIVATE_LENDING_REFORM:
            binding = "binding"
            basis = (
                "《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》第二十五条：约定利率"
                "超过合同成立时一年期LPR四倍的部分不予支持" + when
            )
        elif loan.private_lending:
            binding = "argument"
            basis = (
                "民间借贷规定第二十五条（4倍LPR）；合同成立于2020-08-20之前，适用过渡规则"
                "（第三十一条，原文未核实），4倍LPR不一定是标准" + when
            )
        else:
            binding = "argument"
            basis = (
                "民间借贷规定第二十五条（4倍LPR）不适用于持牌金融机构（第一条第二款；"
                "法释〔2020〕27号：小额贷款公司、融资担保公司等亦为金融机构），"
                "对本贷款无直接约束力，可作为请求调减时的参照" + when
            )
            if kind is LenderType.MICROLOAN:
                basis += (
                    "；《小额贷款公司综合融资成本管理工作指引》报道称新发放贷款须于2027年底前"
                    "降至4倍LPR以内（[S]）"
                )
        add("4×LPR", cap, binding, basis, "[L]")
    return tuple(out)
