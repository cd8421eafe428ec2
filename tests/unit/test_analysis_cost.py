"""Cost of the loan: the PBOC example, 20+ schedules against scipy, failures, LPR lookup."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
import tomllib
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_kit.analysis.cost import Demand, cost_of
from evidence_kit.analysis.loan import (
    LenderType,
    Payment,
    PaymentKind,
    import_payments_csv,
    parse_loan,
    payments_to_toml,
)
from evidence_kit.analysis.lpr import KNOWN_THROUGH, load_lpr_table
from evidence_kit.analysis.rates import add_months, months_between, npv, solve_rate
from evidence_kit.errors import AnalysisError, ConfigError

optimize = pytest.importorskip("scipy.optimize")

LPR = load_lpr_table()


def loan_config(received, received_date, payments, **extra):
    loan = {
        "lender": "示例消费金融有限公司",
        "lender_type": "consumer-finance",
        "received_amount": str(received),
        "received_date": received_date.isoformat(),
        "payments": [{"date": d.isoformat(), "amount": str(a), "kind": k} for d, a, k in payments],
    }
    loan.update(extra)
    return {"loan": loan}


def pboc_example(**extra):
    start = date(2024, 1, 15)
    payments = [(add_months(start, k), "8833.30", "installment") for k in range(1, 13)]
    return loan_config(99000, start, payments, contract_amount="100000", term_months=12, **extra)


# ---------------------------------------------------------------- the PBOC example


def test_pboc_example_gives_12_80_simple_and_13_58_compound():
    report = cost_of(parse_loan(pboc_example()), LPR)
    assert report.apr_nominal == Decimal("12.80")
    assert report.apr_effective == Decimal("13.58")
    assert report.regular and report.headline == "apr_effective"
    js = report.to_json()
    assert (js["apr_nominal"], js["apr_effective"]) == ("12.80", "13.58")


def test_pboc_flat_rate_is_charges_over_contract_amount_per_month():
    # (12 × 8833.30 − 99000) / 100000 / 12 = 0.5833 % — the "0.58" quoted is on the contract
    # amount; on the 99000 actually received it would be 0.59 %.
    report = cost_of(parse_loan(pboc_example()), LPR)
    assert report.flat_monthly_rate == Decimal("0.58")
    assert report.charges == Decimal("6999.60")
    no_contract = pboc_example()
    del no_contract["loan"]["contract_amount"]
    assert cost_of(parse_loan(no_contract), LPR).flat_monthly_rate == Decimal("0.59")


def test_pboc_monthly_irr_matches_facts_file():
    report = cost_of(parse_loan(pboc_example()), LPR)
    assert report.monthly_irr == pytest.approx(0.0106698, abs=5e-7)


# ---------------------------------------------------------------- scipy reference


def ref_rate(flows):
    """flows: (t, amount); scipy's brentq on the same equation, bracket found independently."""

    def f(r):
        return sum(a / (1 + r) ** t for t, a in flows)

    hi = 0.5
    while f(hi) < 0:
        hi *= 2
    return optimize.brentq(f, 1e-12, hi, xtol=1e-14, rtol=1e-14, maxiter=500)


def annuity(principal, monthly_rate, n):
    return (principal * monthly_rate / (1 - (1 + monthly_rate) ** -n)).__round__(2)


def make_schedules():
    """(name, received, received_date, [(date, amount, kind)], regular)."""
    rng = random.Random(20251122)
    out = []
    starts = [date(2023, 1, 31), date(2024, 2, 29), date(2024, 6, 15), date(2025, 3, 1)]
    # Regular amortising loans, some with an upfront fee (砍头息) or a monthly fee paid to a
    # third-party guarantor on the same dates.
    for i, (n, annual) in enumerate(
        [(3, 0.18), (6, 0.24), (12, 0.0799), (12, 0.3599), (24, 0.15), (36, 0.2399)]
    ):
        start = starts[i % len(starts)]
        principal = rng.choice([3000, 5000, 10000, 20000])
        pay = annuity(principal, annual / 12, n)
        received = principal - (principal * 0.02 if i % 2 else 0)
        flows = [(add_months(start, k), pay, "installment") for k in range(1, n + 1)]
        out.append((f"annuity-{n}m-{annual}", received, start, flows, True))
        guarantee = round(principal * 0.008, 2)
        with_fee = flows + [(d, guarantee, "guarantee") for d, _, _ in flows]
        out.append((f"annuity-{n}m-{annual}+guarantee", received, start, with_fee, True))
    # Membership fee paid to a third party on the day the money arrived.
    start = date(2024, 6, 15)
    flows = [(add_months(start, k), annuity(8000, 0.02, 12), "installment") for k in range(1, 13)]
    flows.append((start, 398, "membership"))
    out.append(("membership-day0", 8000, start, flows, True))
    # Irregular: actual debit dates drift by a few days, partial prepayments.
    for j in range(6):
        start = date(2024, 1, 10) + timedelta(days=37 * j)
        n = rng.choice([6, 9, 12])
        pay = annuity(6000, 0.025, n)
        flows = []
        for k in range(1, n + 1):
            when = add_months(start, k) + timedelta(days=rng.randint(-3, 5))
            flows.append((when, pay, "installment"))
        flows.append((start + timedelta(days=rng.randint(1, 20)), 120 + 10 * j, "fee"))
        out.append((f"irregular-{j}", 6000, start, flows, False))
    # One bullet repayment after 30 days; a 7-day payday loan; a weekly schedule.
    out.append(("bullet-30d", 5000, date(2025, 4, 1), [(date(2025, 5, 1), 5150, "other")], True))
    out.append(("payday-7d", 1000, date(2025, 4, 1), [(date(2025, 4, 8), 1030, "other")], False))
    weekly = [(date(2025, 1, 6) + timedelta(weeks=w), 270, "installment") for w in range(1, 21)]
    out.append(("weekly-20", 5000, date(2025, 1, 6), weekly, False))
    return out


SCHEDULES = make_schedules()


def test_there_are_at_least_20_schedules_with_irregular_and_third_party_fees():
    assert len(SCHEDULES) >= 20
    assert sum(not s[4] for s in SCHEDULES) >= 6
    kinds = {k for s in SCHEDULES for _, _, k in s[3]}
    assert {"guarantee", "membership", "fee"} <= kinds


@pytest.mark.parametrize("schedule", SCHEDULES, ids=[s[0] for s in SCHEDULES])
def test_rates_match_scipy_to_a_hundredth_of_a_point(schedule):
    _, received, start, flows, regular = schedule
    report = cost_of(parse_loan(loan_config(received, start, flows)), LPR)
    assert report.regular == regular

    # XIRR: Actual/365 on the real dates.
    days = [(0.0, float(received))] + [((d - start).days / 365, -float(a)) for d, a, _ in flows]
    xirr = ref_rate(days)
    assert abs(float(report.xirr) - 100 * xirr) <= 0.0051

    if regular:
        # Periodic: whole months counted independently of the code under test.
        def whole_months(d):
            return (d.year - start.year) * 12 + d.month - start.month

        monthly = [(0, float(received))] + [(whole_months(d), -float(a)) for d, a, _ in flows]
        i = ref_rate(monthly)
        assert abs(float(report.apr_nominal) - 1200 * i) <= 0.0051
        assert abs(float(report.apr_effective) - 100 * ((1 + i) ** 12 - 1)) <= 0.0051
        assert report.headline == "apr_effective"
    else:
        assert report.headline == "xirr"


# ---------------------------------------------------------------- failures


def test_payments_below_received_fail_clearly():
    cfg = loan_config(5000, date(2025, 1, 1), [(date(2025, 2, 1), "1000", "installment")])
    with pytest.raises(AnalysisError) as info:
        cost_of(parse_loan(cfg), LPR)
    assert "do not exceed the amount received" in info.value.message
    assert "remaining scheduled instalments" in info.value.hint


def test_unpaid_loan_is_costed_as_settled_on_the_bill_date():
    start = date(2024, 6, 15)
    paid = [(add_months(start, k), "958.33", "installment") for k in range(1, 6)]
    loan = parse_loan(loan_config(9700, start, paid, contract_amount="10000", term_months=12))
    with pytest.raises(AnalysisError):
        cost_of(loan, LPR)
    demand = Demand(date(2025, 3, 5), Decimal("6589.36"))
    report = cost_of(loan, LPR, demand=demand)
    assert report.to_json()["basis"] == "payments+demand"
    assert report.charges == Decimal("1681.01")  # 5 × 958.33 + 6589.36 − 9700
    assert report.headline == "xirr"  # the bill date is not a whole month from 06-15
    days = [(0.0, 9700.0)] + [((d - start).days / 365, -958.33) for d, _, _ in paid]
    days.append(((date(2025, 3, 5) - start).days / 365, -6589.36))
    assert abs(float(report.xirr) - 100 * ref_rate(days)) <= 0.0051
    with pytest.raises(AnalysisError, match="out of date"):
        cost_of(loan, LPR, demand=Demand(date(2024, 9, 1), Decimal("6589.36")))


def test_no_payments_fails_clearly():
    with pytest.raises(AnalysisError):
        cost_of(parse_loan(loan_config(5000, date(2025, 1, 1), [])), LPR)


def test_all_payments_on_the_day_of_receipt_has_no_rate():
    cfg = loan_config(1000, date(2025, 1, 1), [(date(2025, 1, 1), "1100", "fee")])
    with pytest.raises(AnalysisError, match="no interest rate"):
        cost_of(parse_loan(cfg), LPR)


def test_solver_never_returns_nan():
    with pytest.raises(AnalysisError):
        solve_rate([(0.0, 100.0), (1.0, -50.0), (2.0, -50.0)])
    assert solve_rate([(0.0, 100.0), (1.0, -110.0)]) == pytest.approx(0.10, abs=1e-12)


# ---------------------------------------------------------------- comparisons


def by_threshold(report):
    return {c.threshold: c for c in report.comparisons}


def test_licensed_lender_gets_arguments_not_binding_caps():
    cfg = loan_config(
        9500,
        date(2024, 11, 5),
        [(add_months(date(2024, 11, 5), k), "958.33", "installment") for k in range(1, 13)],
    )
    report = cost_of(parse_loan(cfg), LPR)
    c = by_threshold(report)
    assert c["4×LPR"].threshold_rate == Decimal("12.40")  # 4 × 3.10 (2024-10-21)
    assert c["4×LPR"].binding == "argument" and c["4×LPR"].exceeds
    assert c["24%"].binding == "argument" and c["24%"].status == "[U]"
    assert c["36%"].binding == "not-applicable"
    assert all(c.binding != "binding" for c in report.comparisons)


def test_private_lending_after_reform_is_bound_by_4x_lpr():
    cfg = loan_config(
        10000,
        date(2025, 6, 1),
        [(date(2026, 6, 1), "11500", "other")],
        lender_type="other",
        private_lending=True,
    )
    c = by_threshold(cost_of(parse_loan(cfg), LPR))
    assert c["4×LPR"].binding == "binding" and c["4×LPR"].threshold_rate == Decimal("12.00")
    assert c["4×LPR"].exceeds  # 15 % > 12 %
    assert c["24%"].binding == "not-applicable"


def test_bank_zhudai_rule_after_2025_10_01_is_secondary_source():
    cfg = loan_config(
        10000, date(2025, 10, 8), [(date(2026, 10, 8), "13000", "other")], lender_type="bank"
    )
    c = by_threshold(cost_of(parse_loan(cfg), LPR))
    assert "金规〔2025〕9号" in c["24%"].basis and "[S]" in c["24%"].status


def test_lpr_override_is_used_and_labelled():
    report = cost_of(parse_loan(pboc_example(lpr_override="3.45")), LPR)
    assert report.lpr.rate == Decimal("3.45") and report.lpr.effective_date is None
    assert by_threshold(report)["4×LPR"].threshold_rate == Decimal("13.80")


def test_contract_before_first_lpr_skips_4x_lpr_with_a_note():
    cfg = loan_config(1000, date(2019, 5, 1), [(date(2019, 6, 1), "1100", "other")])
    report = cost_of(parse_loan(cfg), LPR)
    assert "4×LPR" not in by_threshold(report)
    assert any("2019-08-20" in n for n in report.notes)


# ---------------------------------------------------------------- LPR table


@pytest.mark.parametrize(
    ("day", "rate", "since"),
    [
        (date(2019, 8, 20), "4.25", date(2019, 8, 20)),
        (date(2019, 9, 19), "4.25", date(2019, 8, 20)),
        (date(2019, 9, 20), "4.20", date(2019, 9, 20)),
        (date(2021, 12, 19), "3.85", date(2020, 4, 20)),
        (date(2022, 5, 20), "3.70", date(2022, 5, 20)),  # 5Y-only cut: 1Y unchanged
        (date(2024, 10, 20), "3.35", date(2024, 7, 22)),
        (date(2025, 5, 20), "3.00", date(2025, 5, 20)),
        (date(2026, 3, 1), "3.00", date(2025, 5, 20)),
    ],
)
def test_lpr_on_boundary_dates(day, rate, since):
    value = LPR.lpr_on(day)
    assert value.rate == Decimal(rate) and value.effective_date == since
    assert "lpr.csv" in value.source
    assert any("publication day" in w for w in value.warnings) == (day == since)


def test_lpr_before_first_publication_is_an_error():
    with pytest.raises(AnalysisError, match="2019-08-20"):
        LPR.lpr_on(date(2019, 8, 19))


def test_lpr_after_known_range_warns():
    value = LPR.lpr_on(KNOWN_THROUGH + timedelta(days=1))
    assert any("known only through" in w for w in value.warnings)


# ---------------------------------------------------------------- case.toml parsing


def test_parse_loan_names_the_exact_key():
    cfg = pboc_example()
    cfg["loan"]["payments"][2]["date"] = "2024-13-45"
    with pytest.raises(ConfigError) as info:
        parse_loan(cfg)
    assert info.value.message.startswith("loan.payments[3].date")


@pytest.mark.parametrize(
    ("key", "value", "where"),
    [
        ("lender_type", "", "loan.lender_type"),
        ("lender_type", "loan-shark", "loan.lender_type"),
        ("received_amount", "", "loan.received_amount"),
        ("received_amount", "abc", "loan.received_amount"),
        ("received_date", "", "loan.received_date"),
        ("term_months", "twelve", "loan.term_months"),
    ],
)
def test_parse_loan_rejects_bad_values(key, value, where):
    cfg = pboc_example()
    cfg["loan"][key] = value
    with pytest.raises(ConfigError) as info:
        parse_loan(cfg)
    assert where in info.value.message and info.value.hint


def test_parse_loan_reads_toml_dates_numbers_and_chinese_kinds():
    text = """
[loan]
lender_type = "microloan"
received_amount = 9_000
received_date = 2025-01-10
[[loan.payments]]
date = 2025-02-10
amount = 1_000.5
kind = "担保费"
"""
    loan = parse_loan(tomllib.loads(text))
    assert loan.lender_type is LenderType.MICROLOAN
    assert loan.received_amount == Decimal(9000) and loan.received_date == date(2025, 1, 10)
    assert loan.payments[0].amount == Decimal("1000.5")
    assert loan.payments[0].kind is PaymentKind.GUARANTEE


def test_csv_import_english_and_chinese_headers_and_toml_round_trip():
    english = "date,amount,kind,exhibit\n2025-02-10,958.33,installment,E12\n2025-03-10,50,fee,\n"
    chinese = '\ufeff日期,金额,类型\n2025-02-10,"1,958.33",还款\n'
    assert import_payments_csv(english) == [
        Payment(date(2025, 2, 10), Decimal("958.33"), PaymentKind.INSTALLMENT, "E12"),
        Payment(date(2025, 3, 10), Decimal("50"), PaymentKind.FEE, None),
    ]
    assert import_payments_csv(chinese)[0].amount == Decimal("1958.33")
    # Appending the text to a case.toml keeps it valid and gives the same payments back.
    base = '[loan]\nlender_type = "bank"\nreceived_amount = "900"\nreceived_date = "2025-01-10"\n'
    other = '\n[debt]\nas_of = ""\n'
    parsed = tomllib.loads(base + other + payments_to_toml(import_payments_csv(english)))
    assert parse_loan(parsed).payments == tuple(import_payments_csv(english))


def test_csv_import_errors_name_the_line():
    with pytest.raises(ConfigError, match=r"CSV line 3\.amount"):
        import_payments_csv("date,amount,kind\n2025-02-10,10,fee\n2025-03-10,ten,fee\n")
    with pytest.raises(ConfigError, match="missing column"):
        import_payments_csv("when,amount\n")


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2024, 1, 31), date(2024, 2, 29), 1.0),
        (date(2024, 1, 31), date(2024, 3, 31), 2.0),
        (date(2024, 1, 15), date(2024, 2, 1), 17 / 31),
        (date(2024, 3, 15), date(2024, 2, 15), -1.0),
    ],
)
def test_months_between(start, end, months):
    assert months_between(start, end) == pytest.approx(months)


# ---------------------------------------------------------------- properties


@settings(max_examples=200, deadline=None)
@given(
    received=st.integers(100, 1_000_000),
    payments=st.lists(
        st.tuples(st.integers(-30, 2000), st.integers(1, 500_000)), min_size=0, max_size=40
    ),
)
def test_a_rate_is_a_real_root_or_a_clear_error(received, payments):
    flows = [(0.0, float(received))] + [(d / 30.0, -float(a)) for d, a in payments]
    try:
        rate = solve_rate(flows)
    except AnalysisError as e:
        assert e.message and e.hint
        return
    assert rate == rate and rate > 0  # not NaN
    scale = received + sum(a for _, a in payments)
    assert abs(npv(rate, flows)) <= 1e-6 * scale
