"""``analyze``: cost, conduct, routing, negotiation and plan in one report for
``evidence-kit analyze``. Each part stands alone: a part whose data is missing becomes
``{"error": "...", "hint": "..."}`` and the others are still computed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any, TypeVar

from evidence_kit.analysis.conduct import ConductReport, analyze_conduct
from evidence_kit.analysis.contacts import CHINA, Contact, contacts_from_entries
from evidence_kit.analysis.cost import CostReport, Demand, cost_of
from evidence_kit.analysis.loan import (
    LenderType,
    Payment,
    parse_budget,
    parse_debt,
    parse_lender_type,
    parse_loan,
    parse_payment,
)
from evidence_kit.analysis.lpr import LprTable, load_lpr_table
from evidence_kit.analysis.negotiation import NegotiationReport, agreement_from, negotiation_report
from evidence_kit.analysis.plan import Agreement, PlanStatus, Proposal, propose_plan, track_plan
from evidence_kit.analysis.rates import add_months
from evidence_kit.analysis.routing import Problem, RoutingReport, route
from evidence_kit.errors import AnalysisError, ConfigError
from evidence_kit.models import Entry

DISCLAIMER = "本分析由当事人借助工具自行整理，仅供参考，不构成法律意见。"

T = TypeVar("T")


@dataclass(frozen=True)
class Failed:
    """A part of the analysis that could not be computed, and what to fill in."""

    message: str
    hint: str | None

    def to_json(self) -> dict[str, Any]:
        return {"error": self.message, "hint": self.hint}


def _attempt(compute: Callable[[], T]) -> T | Failed:
    try:
        return compute()
    except (ConfigError, AnalysisError) as e:
        return Failed(e.message, e.hint)


def _json(part: Any) -> Any:
    return None if part is None else part.to_json()


@dataclass(frozen=True)
class PlanPart:
    proposal: Proposal | Failed | None
    tracking: PlanStatus | Failed | None

    def to_json(self) -> dict[str, Any]:
        return {"proposal": _json(self.proposal), "tracking": _json(self.tracking)}


@dataclass(frozen=True)
class AnalysisReport:
    cost: CostReport | Failed
    conduct: ConductReport
    routing: RoutingReport | Failed
    negotiation: NegotiationReport
    plan: PlanPart
    today: date

    def to_json(self) -> dict[str, Any]:
        return {
            "cost": self.cost.to_json(),
            "conduct": self.conduct.to_json(),
            "routing": self.routing.to_json(),
            "negotiation": self.negotiation.to_json(),
            "plan": self.plan.to_json(),
            "as_of": self.today.isoformat(),
            "disclaimer": DISCLAIMER,
        }


def problems_of(
    config: Mapping[str, Any],
    lender_type: LenderType,
    cost: CostReport | Failed,
    conduct: ConductReport,
) -> set[Problem]:
    """What the case is about, from the numbers and the flags."""
    found: set[Problem] = set()
    if isinstance(cost, CostReport):
        if any(c.exceeds and c.threshold != "36%" for c in cost.comparisons):
            found.add(Problem.PRICING)
        if set(cost.fees_by_kind) & {"fee", "guarantee", "membership"}:
            found.add(Problem.FEES)
        if "membership" in cost.fees_by_kind:
            found.add(Problem.SELLER)
    codes = {f.code for f in conduct.flags}
    if codes:
        found.add(Problem.COLLECTION)
    if "threat" in codes:
        found.add(Problem.THREAT)
    if codes & {"disclosure", "third_party_contact", "third_party_threat"}:
        found.add(Problem.PERSONAL_INFO)
    report = config.get("credit_report", {})
    if isinstance(report, Mapping) and str(report.get("disputed_item", "")).strip():
        found.add(Problem.CREDIT_REPORT)
    budget = config.get("budget", {})
    if isinstance(budget, Mapping) and str(budget.get("monthly_income", "")).strip():
        found.add(Problem.NEGOTIATION)
    if lender_type is LenderType.PLATFORM:
        found.add(Problem.SELLER)
    return found


def case_tz(config: Mapping[str, Any]) -> tzinfo:
    return _case_tz(config)


def _case_tz(config: Mapping[str, Any]) -> tzinfo:
    """The case's wall clock ([case] utc_offset, China Standard Time by default)."""
    case = config.get("case", {})
    offset = case.get("utc_offset") if isinstance(case, Mapping) else None
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", offset.strip()) if isinstance(offset, str) else None
    if m is None:
        return CHINA
    minutes = int(m[2]) * 60 + int(m[3])
    return timezone(timedelta(minutes=minutes if m[1] == "+" else -minutes))


def demand_of(config: Mapping[str, Any]) -> Demand | None:
    """The amount [debt] says is owed now, when the bill is itemised and dated; None when
    [debt] is empty (a paid-off loan) — then the cost comes from the payments alone."""
    debt = parse_debt(config)
    lines = [debt.principal, debt.interest, debt.penalty, debt.late_fee, debt.other_fees]
    total = sum((x for x in lines if x is not None), Decimal(0))
    if total <= 0 or debt.as_of is None:
        return None
    return Demand(debt.as_of, total)


def recorded_payments(config: Mapping[str, Any]) -> list[Payment]:
    loan = config.get("loan", {})
    raw = loan.get("payments", []) if isinstance(loan, Mapping) else []
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        return []
    return [parse_payment(p, f"loan.payments[{n}]") for n, p in enumerate(raw, start=1)]


def _agreement(config: Mapping[str, Any], negotiation: NegotiationReport) -> Agreement | None:
    section = config.get("agreement")
    if isinstance(section, Mapping) and any(str(v).strip() for v in section.values()):
        return agreement_from(section, "", None)
    return negotiation.latest_agreement


def _plan(config: Mapping[str, Any], negotiation: NegotiationReport, today: date) -> PlanPart:
    proposal: Proposal | Failed | None = None
    budget = config.get("budget", {})
    if isinstance(budget, Mapping) and str(budget.get("monthly_income", "")).strip():
        dispute = config.get("dispute", {})
        waivers = dispute.get("waivers", []) if isinstance(dispute, Mapping) else []
        proposal = _attempt(
            lambda: propose_plan(
                parse_debt(config),
                parse_budget(config),
                [str(w) for w in waivers] if isinstance(waivers, list) else [],
                first_due=add_months(today, 1),
            )
        )
    else:
        proposal = Failed(
            "budget.monthly_income is empty",
            "fill in [budget] in case.toml to get a repayment proposal",
        )

    def tracking() -> PlanStatus | None:
        agreement = _agreement(config, negotiation)
        if agreement is None:
            return None
        return track_plan(agreement, recorded_payments(config), today)

    return PlanPart(proposal, _attempt(tracking))


def analyze(
    config: Mapping[str, Any],
    entries: Sequence[Entry],
    *,
    today: date,
    lpr_table: LprTable | None = None,
    contacts: Sequence[Contact] | None = None,
) -> AnalysisReport:
    """The whole analysis of a case: ``config`` is the parsed case.toml, ``entries`` the
    ledger's entries, ``today`` the filing date deadlines are counted from. ``contacts`` are
    ``contacts_from_entries(entries, case_tz(config))`` when the caller already has them (the
    web page keeps each entry's, so a change reads only the entries it touched)."""
    table = lpr_table or load_lpr_table()
    cost: CostReport | Failed = _attempt(
        lambda: cost_of(parse_loan(config), table, demand=demand_of(config))
    )
    if contacts is None:
        contacts = contacts_from_entries(entries, _case_tz(config))
    conduct = analyze_conduct(contacts)
    known_ids = {e.id for e in entries}
    negotiation = negotiation_report(entries, known_ids)

    def routing() -> RoutingReport:
        loan = config.get("loan", {})
        kind = parse_lender_type(loan.get("lender_type") if isinstance(loan, Mapping) else None)
        return route(kind, problems_of(config, kind, cost, conduct), today)

    return AnalysisReport(
        cost=cost,
        conduct=conduct,
        routing=_attempt(routing),
        negotiation=negotiation,
        plan=_plan(config, negotiation, today),
        today=today,
    )
