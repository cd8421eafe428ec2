"""Payments proposed from bills: read from 已还 rows, deduplicated against case.toml."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from evidence_kit.analysis.loan import Payment, PaymentKind
from evidence_kit.analysis.proposals import propose_payments
from evidence_kit.extract import extract
from evidence_kit.models import Entry, Kind

BILL = (
    "二、还款计划\n期数\n应还日期\n应还合计\n状态\n"
    "1/12\n2024-07-15\n833.33\n1,202.33\n已还 2024-07-15\n"
    "2/12\n2024-08-15\n833.33\n1,003.33\n已还 2024-08-16\n"
    "3/12\n2024-09-15\n833.33\n1,003.33\n逾期\n"
)


def bill(text: str = BILL, entry_id: str = "b1110000000a", kind: Kind = Kind.BILL) -> Entry:
    return Entry(
        id=entry_id, sha256=entry_id * 5, kind=kind, original_name="账单.pdf",
        original_path="账单.pdf", size=1, mime="application/pdf", occurred_at="2025-03-01",
        occurred_at_source="content", ingested_at="2025-04-01T00:00:00+00:00", text=text,
        extraction=extract(text), analyzed=True,
    )


def test_paid_rows_become_proposals_with_their_exhibit() -> None:
    got = propose_payments([bill()])
    assert [(p.date, p.amount, p.exhibit) for p in got] == [
        (date(2024, 7, 15), Decimal("1202.33"), "b1110000000a"),
        (date(2024, 8, 16), Decimal("1003.33"), "b1110000000a"),  # paid a day late: its date
    ]
    assert "已还 2024-07-15" in got[0].evidence


def test_recorded_payments_of_the_day_that_add_up_are_not_proposed_again() -> None:
    recorded = [
        Payment(date(2024, 7, 15), Decimal("958.33"), PaymentKind.INSTALLMENT),
        Payment(date(2024, 7, 15), Decimal("45.00"), PaymentKind.GUARANTEE),
        Payment(date(2024, 7, 15), Decimal("199.00"), PaymentKind.MEMBERSHIP),
    ]
    got = propose_payments([bill(), bill(entry_id="b2220000000b")], recorded)
    assert [p.date for p in got] == [date(2024, 8, 16)]  # and the copy of the bill adds nothing


def test_a_repayment_screenshot_line() -> None:
    text = "还款成功\n¥958.33 已还款 2025-04-15 09:30"
    got = propose_payments([bill(text, kind=Kind.CHAT)])
    assert [(p.date, p.amount) for p in got] == [(date(2025, 4, 15), Decimal("958.33"))]


def test_overdue_and_deadlines_are_not_payments() -> None:
    text = "逾期金额 ¥3,256.00\n请于2025-03-15前还款\n待还 2025-04-15 ¥560.00"
    assert propose_payments([bill(text)]) == []


def test_cli_propose_with_yes_links_the_exhibit(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.case import init_case
    from evidence_kit.ledger.events import EventType, Ledger, NewEvent

    case, _ = init_case(tmp_path / "c")
    (case.root / "bill.txt").write_text(BILL, "utf-8")
    r = run_cli("--case", str(case.root), "ingest", "--no-ocr", "--json")
    eid = json.loads(r.out.splitlines()[0])["id"]
    with Ledger(case.ledger_path, case.head_path) as led:  # the bill as OCR would read it
        led.append([NewEvent(EventType.ANALYZED, eid, {
            "text": BILL, "kind": "bill", "extraction": extract(BILL).to_json()})],
            "2025-04-01T00:00:00+00:00")
    r = run_cli("--case", str(case.root), "loan", "propose", "--json")
    assert r.code == 0 and len(json.loads(r.out)["proposals"]) == 2
    import tomllib

    assert "payments" not in tomllib.loads(case.config_path.read_text("utf-8"))["loan"]
    r = run_cli("--case", str(case.root), "loan", "propose", "--yes", "--json")
    assert json.loads(r.out)["added"] == 2

    payments = tomllib.loads(case.config_path.read_text("utf-8"))["loan"]["payments"]
    assert [(p["date"], p["exhibit"]) for p in payments] == [
        ("2024-07-15", eid), ("2024-08-16", eid)]
    again = run_cli("--case", str(case.root), "loan", "propose", "--json")
    assert json.loads(again.out)["proposals"] == []
