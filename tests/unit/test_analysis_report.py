"""analyze(): the JSON contract of `evidence-kit analyze --json`, and partial failures."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

import tomllib

from evidence_kit.analysis.rates import add_months
from evidence_kit.analysis.report import DISCLAIMER, analyze
from evidence_kit.models import Entry, Kind

TODAY = date(2025, 3, 14)


def pboc_config():
    start = date(2024, 1, 15)
    return {
        "loan": {
            "lender": "示例银行股份有限公司",
            "lender_type": "bank",
            "contract_no": "HT-0001",
            "contract_amount": "100000",
            "received_amount": "99000",
            "received_date": start.isoformat(),
            "term_months": 12,
            "payments": [
                {
                    "date": add_months(start, k).isoformat(),
                    "amount": "8833.30",
                    "kind": "installment",
                }
                for k in range(1, 13)
            ],
        },
        "debt": {"principal": "9000", "penalty": "300", "late_fee": "100"},
        "budget": {"monthly_income": "6000", "essential_expenses": "4000", "other_debts": "1000"},
        "dispute": {"waivers": ["罚息", "违约金"]},
        "credit_report": {"disputed_item": "2025年2月 逾期记录"},
    }


def night_note():
    return Entry(
        id="N1",
        sha256="0" * 64,
        kind=Kind.NOTE,
        original_name="note.txt",
        original_path="note.txt",
        size=1,
        mime="text/plain",
        occurred_at="2025-03-12T22:40:00+08:00",
        occurred_at_source="user",
        ingested_at="2025-03-12T23:00:00+08:00",
        text="对方说再不还就发律师函，还要通知你单位",
        meta={"channel": "phone", "answered": True, "counterpart": "138****0000"},
    )


def test_analyze_json_contract():
    js = analyze(pboc_config(), [night_note()], today=TODAY).to_json()
    json.dumps(js, ensure_ascii=False)  # serialisable as is
    assert set(js) >= {"cost", "conduct", "routing", "negotiation", "plan", "disclaimer"}
    cost = js["cost"]
    assert (cost["apr_nominal"], cost["apr_effective"], cost["flat_monthly_rate"]) == (
        "12.80",
        "13.58",
        "0.58",
    )
    assert cost["xirr"] == "13.57"
    assert [c["threshold"] for c in cost["comparisons"]] == ["24%", "36%", "4×LPR"]
    assert {c["binding"] for c in cost["comparisons"]} <= {"binding", "argument", "not-applicable"}
    assert (
        js["disclaimer"]
        == DISCLAIMER
        == "本分析由当事人借助工具自行整理，仅供参考，不构成法律意见。"
    )

    codes = {f["code"] for f in js["conduct"]["flags"]}
    assert codes == {"night_contact", "fake_legal", "third_party_threat"}
    assert js["conduct"]["days"][0] == {
        "date": "2025-03-12",
        "calls": 1,
        "messages": 0,
        "unanswered_calls": 0,
        "voice_conversations": 1,
        "night_contacts": 1,
        "third_party_contacts": 0,
        "other_contacts": 0,
    }

    routing = js["routing"]
    assert routing["lender_type"] == "bank" and routing["filing_date"] == "2025-03-14"
    assert {"collection", "credit-report", "personal-info", "negotiation"} <= set(
        routing["problems"]
    )
    assert [p["package"] for p in routing["packages"]] == [
        "negotiation",
        "regulator",
        "credit-dispute",
        "court",
    ]

    proposal = js["plan"]["proposal"]
    assert proposal["outstanding"] == "9000.00" and proposal["affordable_monthly"] == "900.00"
    assert proposal["instalments"] == 10
    assert js["plan"]["tracking"] is None


def test_missing_loan_data_gives_a_cost_error_not_a_crash():
    config = pboc_config()
    config["loan"]["received_amount"] = ""
    js = analyze(config, [], today=TODAY).to_json()
    assert js["cost"]["error"] == "loan.received_amount is empty"
    assert js["cost"]["hint"]
    assert js["routing"]["lender_type"] == "bank"  # the other parts still run


def test_the_shipped_case_template_analyzes_without_crashing():
    text = resources.files("evidence_kit").joinpath("data/case.toml").read_text("utf-8")
    js = analyze(tomllib.loads(text), [], today=TODAY).to_json()
    assert "error" in js["cost"] and "error" in js["routing"]
    assert js["plan"]["proposal"]["error"] == "budget.monthly_income is empty"
    assert js["conduct"]["days"] == [] and js["negotiation"]["records"] == []


def test_agreement_section_is_tracked_against_loan_payments():
    config = pboc_config()
    config["agreement"] = {"first_due": "2024-02-15", "instalments": 12, "amount": "8833.30"}
    tracking = analyze(config, [], today=date(2025, 1, 20)).to_json()["plan"]["tracking"]
    assert tracking["missed"] == [] and tracking["outstanding"] == "0.00"
    assert {i["status"] for i in tracking["instalments"]} == {"paid"}


def test_bad_agreement_section_is_reported_in_tracking():
    config = pboc_config()
    config["agreement"] = {"first_due": "2024-02-15", "instalments": 12, "amount": ""}
    tracking = analyze(config, [], today=TODAY).to_json()["plan"]["tracking"]
    assert tracking["error"] == "agreement.amount is empty"


def test_unpaid_loan_uses_the_dated_bill_in_debt():
    config = pboc_config()
    config["loan"]["payments"] = config["loan"]["payments"][:6]
    config["debt"] = {"as_of": "2024-08-01", "principal": "50000", "penalty": "800"}
    cost = analyze(config, [], today=TODAY).to_json()["cost"]
    assert cost["basis"] == "payments+demand"
    assert cost["demand"] == {"as_of": "2024-08-01", "amount": "50800"}
    del config["debt"]["as_of"]  # undated bill: cannot be placed on the time line
    assert "error" in analyze(config, [], today=TODAY).to_json()["cost"]


def test_night_is_judged_on_the_case_clock():
    config = pboc_config()
    config["case"] = {"utc_offset": "+00:00"}  # 22:40 Beijing is 14:40 on this case's clock
    js = analyze(config, [night_note()], today=TODAY).to_json()
    assert js["conduct"]["days"][0]["night_contacts"] == 0
