"""Routing: packages per lender type and problem, and deadlines from the filing date."""

from __future__ import annotations

from datetime import date

import pytest

from evidence_kit.analysis.loan import LenderType
from evidence_kit.analysis.routing import Problem, add_working_days, route

FRIDAY = date(2025, 3, 14)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (FRIDAY, 1, date(2025, 3, 17)),  # over the weekend to Monday
        (FRIDAY, 7, date(2025, 3, 25)),
        (date(2025, 3, 15), 1, date(2025, 3, 17)),  # filed on a Saturday
        (date(2025, 3, 10), 5, date(2025, 3, 17)),
        (date(2025, 3, 10), 0, date(2025, 3, 10)),
    ],
)
def test_working_days_skip_weekends(start, days, due):
    assert add_working_days(start, days) == due


def deadlines(report):
    return {d.label: d for d in report.deadlines}


def packages(report):
    return [p.package for p in report.packages]


def test_bank_collection_goes_to_institution_then_12378():
    report = route("bank", {"collection", "pricing"}, FRIDAY)
    assert packages(report) == ["negotiation", "regulator", "court"]
    names = [c.name for p in report.packages for c in p.channels]
    assert any("12378" in n for n in names) and any("12321" in n for n in names)
    d = deadlines(report)
    assert d["机构答复（简单事项）"].due == date(2025, 3, 29)
    assert d["机构答复（复杂事项，可延长）"].due == date(2025, 4, 13)
    assert d["机构答复（特别复杂，经批准再延长）"].due == date(2025, 5, 13)
    assert all(x.unit == "calendar" for x in d.values())


def test_microloan_goes_to_local_financial_regulator():
    report = route(LenderType.MICROLOAN, {Problem.PRICING}, FRIDAY)
    names = [c.name for p in report.packages for c in p.channels]
    assert "省级地方金融管理局" in names
    assert not any("12378（" in n for n in names)
    assert report.deadlines == []  # no statutory clock for a 小贷 company's own channel


def test_platform_as_seller_gets_12315_with_working_day_deadlines():
    report = route("platform", {"seller"}, FRIDAY)
    assert "consumer-association" in packages(report)
    d = deadlines(report)
    accept = d["决定是否受理"]
    assert (accept.due, accept.unit, accept.status) == (date(2025, 3, 25), "working", "[L]")
    assert d["调解期限（暂行办法）"].due == add_working_days(FRIDAY, 45)
    assert d["调解期限（新办法，是否施行未核实）"].status == "[U]"
    assert any("节假日" in n for n in report.notes)


def test_credit_report_dispute_has_20_and_30_day_clocks():
    report = route("consumer-finance", {"credit-report"}, FRIDAY)
    assert "credit-dispute" in packages(report)
    d = deadlines(report)
    assert d["异议核查并书面答复"].due == date(2025, 4, 3)
    assert d["受理后书面答复"].due == date(2025, 4, 13)


def test_threats_add_police_and_payment_adds_12363():
    report = route("other", {"threat", "payment"}, FRIDAY)
    names = [c.name for p in report.packages for c in p.channels]
    assert "110 报警" in names and "12363（中国人民银行）" in names


def test_json_is_sorted_by_due_date_and_unknown_problem_is_rejected():
    js = route("bank", {"credit-report"}, FRIDAY).to_json()
    dues = [d["due"] for d in js["deadlines"]]
    assert dues == sorted(dues)
    with pytest.raises(ValueError):
        route("bank", {"not-a-problem"}, FRIDAY)
