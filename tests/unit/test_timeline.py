from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from evidence_kit.query.timeline import build_timeline

from .search_fixtures import add_entry, sample_ledger

TZ = timezone(timedelta(hours=8))


def test_chats_expand_into_messages_interleaved_with_notes_and_bills(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ledger, ids = sample_ledger(tmp_path)
    # A second chat whose first message (03-05 10:13) falls between the first chat's messages.
    late = add_entry(
        ledger,
        "second.png",
        occurred_at="2025-03-05T10:30:00+08:00",
        messages=[
            {"side": "them", "text": "第二张截图", "time": "2025-03-05T10:13:00"},
            {"side": "me", "text": "收到"},
        ],
    )
    tl = build_timeline(ledger.entries(), TZ)
    order = [(i.entry_id, i.index, i.what) for i in tl.items]
    assert order[0] == (ids["bill"], 0, "entry")  # 2025-03-01
    chat = [o for o in order if o[0] == ids["chat"]]
    assert [c[1] for c in chat] == [0, 1, 2]  # messages keep their screenshot order
    # First chat's messages have 10:12 (then inherit it); the second chat's are 10:13.
    assert order[1:6] == [
        (ids["chat"], 0, "message"),
        (ids["chat"], 1, "message"),
        (ids["chat"], 2, "message"),
        (late, 0, "message"),
        (late, 1, "message"),
    ]
    assert order[6] == (ids["note"], 0, "entry")
    assert order[-1] == (ids["undated"], 0, "entry")  # undated last
    first = tl.items[1]
    assert first.at == datetime(2025, 3, 5, 10, 12) and first.side and first.side.value == "them"
    assert tl.items[1].amounts == ("3000.00", "128.50")
    ledger.close()


def test_aware_times_are_shown_in_the_case_offset(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ledger, _ = sample_ledger(tmp_path)
    add_entry(ledger, "utc.png", kind="document", occurred_at="2025-03-09T23:30:00+00:00", text="x")
    tl = build_timeline(ledger.entries(), TZ)
    utc_item = next(i for i in tl.items if i.title == "utc.png")
    assert utc_item.at == datetime(2025, 3, 10, 7, 30)  # next morning in China
    ledger.close()


def test_day_summary_counts_contacts_and_hours(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ledger, _ids = sample_ledger(tmp_path)
    add_entry(
        ledger,
        "missed.txt",
        kind="note",
        occurred_at="2025-03-10T22:05:00+08:00",
        text="未接来电",
        meta={"channel": "phone", "direction": "in", "answered": False},
    )
    tl = build_timeline(ledger.entries(), TZ)
    days = {d.day: d for d in tl.days}
    d5 = days[date(2025, 3, 5)]
    assert (d5.messages_them, d5.messages_me, d5.calls) == (2, 1, 0)
    assert d5.hours == ("10:12", "10:12")
    d10 = days[date(2025, 3, 10)]
    assert (d10.calls, d10.missed_calls) == (2, 1)
    assert d10.hours == ("19:42", "22:05")
    assert days[date(2025, 3, 1)].other == 1  # the bill; its time is unknown: no hour
    assert days[date(2025, 3, 1)].hours == ()
    data = tl.to_json()
    assert data["items"][0]["at"] == "2025-03-01"  # a bare date stays a date
    assert data["items"][1]["at"] == "2025-03-05T10:12"
    ledger.close()
