from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import pytest

from evidence_kit.case import init_case
from evidence_kit.errors import EntryNotFoundError, UsageError
from evidence_kit.intake.notes import Channel, NoteFields, note_name, record_note
from evidence_kit.ledger.events import Ledger
from evidence_kit.ledger.store import Store
from evidence_kit.ledger.verify import verify_case

NOW = datetime(2025, 3, 10, 6, 20, tzinfo=timezone.utc)  # 14:20 in China


@pytest.fixture
def case_ledger(tmp_path):  # type: ignore[no-untyped-def]
    case, _ = init_case(tmp_path)
    ledger = Ledger(case.ledger_path, case.head_path)
    yield case, ledger
    ledger.close()


def test_note_is_stored_hashed_and_searchable(case_ledger) -> None:  # type: ignore[no-untyped-def]
    case, ledger = case_ledger
    fields = NoteFields(
        text="对方要求今晚还清 3,256.00 元，否则联系我单位",
        channel=Channel.PHONE,
        counterpart="自称乐享分期催收",
        staff_id="A1024",
        phone="13800000000",
        direction="in",
        answered=True,
        third_party=True,
        agreed="3月15日前先还500元",
        their_proposal="一次性还清",
        my_proposal="分6期",
    )
    result = record_note(case, ledger, fields, now=NOW)
    e = result.entry
    assert result.created and e.kind.value == "note"
    stored = Store(case.objects_dir).path_for(e.sha256).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == e.sha256  # the text is what is hashed
    body = stored.decode("utf-8")
    assert "对方要求今晚还清 3,256.00 元" in body and "工号：A1024" in body
    assert e.occurred_at == "2025-03-10T14:20:00+08:00" and e.original_name == note_name(
        e.occurred_at
    )
    assert e.original_name == "note-2025-03-10-1420.txt"
    ingested = [ev for ev in ledger.events() if ev.type == "ingested"]
    assert ingested[0].payload["sha256"] == e.sha256
    assert e.meta["channel"] == "phone" and e.meta["staff_id"] == "A1024"
    for key in (
        "counterpart",
        "phone",
        "direction",
        "answered",
        "third_party",
        "agreed",
        "my_proposal",
        "their_proposal",
        "written_confirmation",
    ):
        assert key in e.meta
    assert e.meta["third_party"] is True and e.meta["answered"] is True
    assert "对方要求" in e.text  # searchable even with no analyzer
    assert verify_case(case, ledger).ok


def test_at_and_confirmation(case_ledger) -> None:  # type: ignore[no-untyped-def]
    case, ledger = case_ledger
    first = record_note(case, ledger, NoteFields(text="短信确认减免"), now=NOW).entry
    second = record_note(
        case,
        ledger,
        NoteFields(text="电话约定", at="2025-03-08 09:30", confirmation=first.id[:6]),
        now=NOW,
    ).entry
    assert second.occurred_at == "2025-03-08T09:30:00+08:00"
    assert second.occurred_at_source == "note"
    assert second.meta["written_confirmation"] == first.id
    with pytest.raises(EntryNotFoundError):
        record_note(case, ledger, NoteFields(text="x", confirmation="ffffff"), now=NOW)


def test_same_note_twice_is_one_entry(case_ledger) -> None:  # type: ignore[no-untyped-def]
    case, ledger = case_ledger
    a = record_note(case, ledger, NoteFields(text="同一条"), now=NOW)
    b = record_note(case, ledger, NoteFields(text="同一条"), now=NOW)
    assert a.entry.id == b.entry.id and not b.created
    assert ledger.entry_count() == 1


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        (NoteFields(text="   "), "empty"),
        (NoteFields(text="x", at="2025-13-45"), "not a real date"),
        (NoteFields(text="x", at="tomorrow"), "cannot read"),
        (NoteFields(text="x", direction="sideways"), "direction"),
    ],
)
def test_bad_notes(case_ledger, fields, match) -> None:  # type: ignore[no-untyped-def]
    case, ledger = case_ledger
    with pytest.raises(UsageError, match=match):
        record_note(case, ledger, fields, now=NOW)
    assert ledger.entry_count() == 0
