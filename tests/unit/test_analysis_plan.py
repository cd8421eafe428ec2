"""Repayment proposal arithmetic, plan tracking, and the negotiation record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from evidence_kit.analysis.loan import Budget, Debt, Payment, PaymentKind
from evidence_kit.analysis.negotiation import negotiation_report
from evidence_kit.analysis.plan import Agreement, propose_plan, track_plan
from evidence_kit.errors import ConfigError
from evidence_kit.models import Entry, Kind


def debt(**kw):
    fields = dict(
        as_of=date(2025, 3, 1),
        overdue_amount=None,
        overdue_days=40,
        principal=D("8000"),
        interest=D("600"),
        penalty=D("250"),
        late_fee=D("150"),
        other_fees=D("400"),
    )
    fields.update(kw)
    return Debt(**fields)


BUDGET = Budget(D("5000"), D("3800"), D("500"), "失业后临时工作")


def test_proposal_arithmetic_with_waivers():
    p = propose_plan(debt(), BUDGET, ["罚息", "违约金", "停息挂账"], first_due=date(2025, 4, 15))
    assert p.outstanding_before == D("9400")
    assert p.waived == {"penalty": D("250"), "late_fee": D("150")}
    assert p.outstanding == D("9000")
    assert p.surplus == D("700")
    assert p.affordable == D("630")  # 700 less the 10 % margin
    assert p.instalments == 15  # ceil(9000 / 630) = ceil(14.29)
    assert p.per_instalment == D("600.00")
    assert p.fits
    assert p.requests == ("停息挂账",)
    assert [i.due for i in p.schedule[:3]] == [
        date(2025, 4, 15),
        date(2025, 5, 15),
        date(2025, 6, 15),
    ]
    assert sum(i.amount for i in p.schedule) == D("9000")
    assert any("10%" in n for n in p.notes)


def test_affordable_is_rounded_down_to_whole_yuan():
    """705 less 10 % is 634.5: the plan uses 634, so 6345 takes 11 instalments, not 10."""
    p = propose_plan(
        debt(principal=D("6345"), interest=None, penalty=None, late_fee=None, other_fees=None),
        Budget(D("1705"), D("1000"), D("0")),
        [],
        first_due=date(2025, 4, 15),
    )
    assert p.surplus == D("705")
    assert p.affordable == D("634")
    assert p.instalments == 11  # ceil(6345 / 634) = ceil(10.01); unrounded 634.5 gives 10
    assert any("取整为 634 元" in n for n in p.notes)


def test_uneven_division_puts_the_remainder_in_the_last_instalment():
    p = propose_plan(
        debt(principal=D("1000"), interest=None, penalty=None, late_fee=None, other_fees=None),
        Budget(D("400"), D("0"), D("0")),
        [],
        first_due=date(2025, 1, 31),
        margin=D("0"),
    )
    assert p.instalments == 3
    assert [i.amount for i in p.schedule] == [D("333.34"), D("333.34"), D("333.32")]
    assert [i.due for i in p.schedule] == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)]


def test_debt_that_needs_more_than_60_months_does_not_fit():
    p = propose_plan(debt(principal=D("100000")), BUDGET, [], first_due=date(2025, 4, 1))
    assert not p.fits and p.instalments == 60
    assert p.per_instalment == D("1690.00")  # 101400 / 60
    assert any("超过 60 期" in n for n in p.notes)


def test_no_surplus_suggests_hardship_request():
    p = propose_plan(debt(), Budget(D("3000"), D("3000"), D("200")), [], first_due=date(2025, 4, 1))
    assert not p.fits and p.affordable == 0
    assert any("停息挂账" in n for n in p.notes)


def test_empty_debt_is_a_config_error_naming_keys():
    empty = Debt(None, None, 0, None, None, None, None, None)
    with pytest.raises(ConfigError, match="debt.principal"):
        propose_plan(empty, BUDGET, [], first_due=date(2025, 4, 1))


def pay(day, amount):
    return Payment(day, D(amount), PaymentKind.INSTALLMENT)


def test_tracking_detects_late_and_missed_instalments():
    agreement = Agreement(date(2025, 4, 10), 6, D("500"), agreed_on=date(2025, 3, 20))
    payments = [
        pay(date(2025, 3, 1), "999"),  # before the agreement: the old schedule
        pay(date(2025, 4, 10), "500"),
        pay(date(2025, 5, 12), "500"),  # two days late
        pay(date(2025, 7, 10), "500"),  # covers June (oldest first); July is missed
    ]
    status = track_plan(agreement, payments, today=date(2025, 7, 15))
    assert [r.status for r in status.rows] == [
        "paid", "late", "late", "missed", "upcoming", "upcoming"
    ]  # fmt: skip
    assert status.missed == (4,)
    assert status.paid == D("1500") and status.outstanding == D("1500")
    assert status.arrears == D("500")
    assert status.next_due == date(2025, 8, 10)
    assert status.next_amount == D("1000")  # the August instalment plus the arrears


def test_tracking_on_due_day_and_day_of_month_clamp():
    agreement = Agreement(date(2025, 1, 31), 3, D("100"), day_of_month=31)
    status = track_plan(agreement, [pay(date(2025, 1, 31), "100")], today=date(2025, 2, 28))
    assert [r.instalment.due for r in status.rows] == [
        date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)
    ]  # fmt: skip
    assert [r.status for r in status.rows] == ["paid", "due", "upcoming"]
    assert status.next_due == date(2025, 2, 28) and status.arrears == D("100")


# ---------------------------------------------------------------- negotiation


def note(id_, meta, occurred_at="2025-03-20T15:00:00+08:00"):
    return Entry(
        id=id_,
        sha256="0" * 64,
        kind=Kind.NOTE,
        original_name="note.txt",
        original_path="note.txt",
        size=1,
        mime="text/plain",
        occurred_at=occurred_at,
        occurred_at_source="user",
        ingested_at="2025-03-20T16:00:00+08:00",
        text="客服同意分期",
        meta=meta,
    )


def test_unconfirmed_agreements_are_listed():
    entries = [
        note("N1", {"channel": "phone", "staff_id": "A1024", "my_proposal": "分12期，减免罚息"}),
        note("N2", {"channel": "phone", "agreed": "分6期每期500", "written_confirmation": ""}),
        note("N3", {"channel": "app", "agreed": "分6期每期500", "written_confirmation": "S9"}),
        note("N4", {"agreed": True, "agreed_terms": "免违约金", "written_confirmation": "GONE"}),
        note("N5", {"channel": "phone"}),  # an ordinary call note: not a negotiation record
    ]
    sms = note("S9", {})
    report = negotiation_report([*entries, sms], known_ids={e.id for e in [*entries, sms]})
    assert [r.entry_id for r in report.records] == ["N1", "N2", "N3", "N4"]
    assert [r.entry_id for r in report.unconfirmed] == ["N2", "N4"]
    assert report.records[0].staff_id == "A1024" and not report.records[0].agreed
    assert "第一百零七条" in report.to_json()["notes"][0]


def test_structured_agreed_terms_become_an_agreement():
    entries = [
        note(
            "N1",
            {
                "agreed": "分6期",
                "written_confirmation": "S1",
                "agreed_first_due": "2025-04-10",
                "agreed_instalments": 6,
                "agreed_amount": "500",
            },
        )
    ]
    report = negotiation_report(entries)
    assert report.latest_agreement == Agreement(
        date(2025, 4, 10), 6, D("500"), agreed_on=date(2025, 3, 20)
    )
    bad = negotiation_report(
        [note("N2", {"agreed_first_due": "2025-04-10", "agreed_instalments": 6})]
    )
    assert bad.latest_agreement is None
    assert bad.records[0].agreement_error == "N2: note meta agreed_amount is empty"


def test_plain_text_notes_give_negotiation_facts():
    agreed = note("T1", {"encoding": "utf-8"})
    agreed = Entry(
        **{
            **agreed.__dict__,
            "text": "通话记录\n对方：催收，工号 C1024\n"
            "约定：对方同意等App协商结果出来，期间不再每天打电话。\n记录人：林晓雨",
        }
    )
    refused = Entry(
        **{**agreed.__dict__, "id": "T2", "text": "工号 C1024\n约定：无。对方挂断电话。"}
    )
    cli_note = note("T3", {"channel": "phone", "agreed": None, "staff_id": None, "phone": None})
    report = negotiation_report([agreed, refused, cli_note])
    assert [r.entry_id for r in report.records] == ["T1", "T2"]
    assert report.records[0].staff_id == "C1024"
    assert report.records[0].agreed_terms == "对方同意等App协商结果出来，期间不再每天打电话。"
    assert not report.records[1].agreed
    assert [r.entry_id for r in report.unconfirmed] == ["T1"]
