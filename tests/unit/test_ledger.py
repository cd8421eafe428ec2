import sqlite3

import pytest

from evidence_kit.errors import EntryNotFoundError
from evidence_kit.ledger.events import GENESIS, EventType, Ledger, NewEvent, entry_id_for

AT = "2025-04-01T12:00:00+00:00"


def ingested(sha: str, **extra: object) -> NewEvent:
    payload = {
        "sha256": sha,
        "kind": "chat",
        "original_name": f"{sha[:4]}.png",
        "path": f"{sha[:4]}.png",
        "size": 10,
        "mime": "image/png",
        "occurred_at": "2025-03-05T10:15:30+08:00",
        "occurred_at_source": "filename",
        "mtime_ns": 1,
        **extra,
    }
    return NewEvent(EventType.INGESTED, entry_id_for(sha), payload)


def test_chain_links_every_event(ledger: Ledger) -> None:
    a, b = "a" * 64, "b" * 64
    written = ledger.append([ingested(a), ingested(b)], AT)
    assert written[0].prev_hash == GENESIS
    assert written[1].prev_hash == written[0].hash
    assert ledger.head() == (2, written[1].hash)
    assert ledger.read_head_file() == (2, written[1].hash)


def test_migrations_are_named_and_recorded(ledger: Ledger) -> None:
    names = [m[0] for m in ledger.migrations()]
    assert names[:2] == ["0001_events", "0002_derived"]
    assert ledger.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_annotation_is_an_event_and_user_date_wins(ledger: Ledger) -> None:
    sha = "c" * 64
    eid = entry_id_for(sha)
    ledger.append([ingested(sha)], AT)
    ledger.append(
        [
            NewEvent(
                EventType.ANNOTATED,
                eid,
                {"title": "减免承诺", "excluded": True, "occurred_at": "2025-03-04"},
            )
        ],
        AT,
    )
    ledger.append(
        [
            NewEvent(
                EventType.ANALYZED,
                eid,
                {
                    "text": "逾期金额 3,256.00",
                    "content_date": "2025-03-06T09:00:00+08:00",
                    "extraction": {
                        "amounts": [
                            {
                                "value": "3256.00",
                                "label": "逾期金额",
                                "text": "3,256.00",
                                "start": 5,
                                "end": 13,
                            }
                        ]
                    },
                },
            )
        ],
        AT,
    )
    e = ledger.get_entry(eid)
    assert (e.title, e.excluded, e.occurred_at, e.occurred_at_source) == (
        "减免承诺",
        True,
        "2025-03-04",
        "user",
    )
    assert str(e.extraction.amounts[0].value) == "3256.00" and e.analyzed
    assert ledger.event_count() == 3
    # Clearing the user's date falls back to what the content said.
    ledger.append([NewEvent(EventType.ANNOTATED, eid, {"occurred_at": ""})], AT)
    e = ledger.get_entry(eid)
    assert (e.occurred_at, e.occurred_at_source) == ("2025-03-06T09:00:00+08:00", "content")


def test_rebuild_reproduces_derived_tables(ledger: Ledger) -> None:
    sha = "d" * 64
    ledger.append([ingested(sha)], AT)
    ledger.append([NewEvent(EventType.ANNOTATED, entry_id_for(sha), {"title": "账单"})], AT)
    before = ledger.entries()
    ledger.db.execute("DELETE FROM entries")
    assert ledger.entries() == []
    assert ledger.rebuild() == 2
    assert ledger.entries() == before


def test_resolve_id_by_prefix(ledger: Ledger) -> None:
    ledger.append([ingested("ab120" + "0" * 59), ingested("ab121" + "0" * 59)], AT)
    assert ledger.resolve_id("AB120") == "ab1200000000"
    with pytest.raises(EntryNotFoundError, match="ambiguous"):
        ledger.resolve_id("ab12")
    with pytest.raises(EntryNotFoundError, match="too short"):
        ledger.resolve_id("ab1")
    with pytest.raises(EntryNotFoundError, match="no entry"):
        ledger.resolve_id("ab1%")  # LIKE wildcards are literal


def test_two_connections_append_without_locking_errors(case) -> None:  # type: ignore[no-untyped-def]
    one = Ledger(case.ledger_path, case.head_path)
    two = Ledger(case.ledger_path, case.head_path)
    try:
        for i in range(20):
            (one if i % 2 else two).append([ingested(f"{i:02x}" + "0" * 62)], AT)
        assert one.head()[0] == 20 and one.entry_count() == 20
    finally:
        one.close()
        two.close()


def test_damaged_database_is_a_plain_error(case) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.errors import LedgerError

    case.ledger_path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(LedgerError, match="cannot be opened"):
        Ledger(case.ledger_path, case.head_path)
    assert sqlite3.sqlite_version_info >= (3, 34)  # trigram tokenizer needs 3.34


def test_a_notes_own_time_is_not_overridden_by_dates_in_its_text(ledger: Ledger) -> None:
    sha = "e" * 64
    eid = entry_id_for(sha)
    ledger.append([ingested(sha, kind="note", occurred_at="2025-03-10T19:42:00+08:00",
                            occurred_at_source="note")], AT)
    ledger.append([NewEvent(EventType.ANALYZED, eid, {"text": "约定3月5日前还款",
                                                       "content_date": "2025-03-05"})], AT)
    e = ledger.get_entry(eid)
    assert (e.occurred_at, e.occurred_at_source) == ("2025-03-10T19:42:00+08:00", "note")


@pytest.mark.parametrize(
    ("sqlite_says", "we_say"),
    [
        ("database or disk is full", "the disk is full"),
        ("database is locked", "kept the ledger busy"),
        ("disk I/O error", "could not be written"),
    ],
)
def test_sqlite_errors_become_plain_ledger_errors(sqlite_says: str, we_say: str) -> None:
    from pathlib import Path

    from evidence_kit.ledger.events import ledger_error

    err = ledger_error(sqlite3.OperationalError(sqlite_says), Path("ledger.sqlite"))
    assert we_say in err.message and err.hint


def test_a_locked_ledger_is_a_plain_error_not_a_traceback(case) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.errors import LedgerError

    holder = sqlite3.connect(case.ledger_path, isolation_level=None)
    led = Ledger(case.ledger_path, case.head_path)
    led.db.execute("PRAGMA busy_timeout=50")
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(LedgerError, match="busy"):
            led.append([ingested("f" * 64)], AT)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        led.close()


def test_appended_events_carry_their_numbers_and_head_is_written_beside_the_ledger(
    ledger: Ledger,
) -> None:
    written = ledger.append([ingested("a" * 64), ingested("b" * 64)], AT)
    assert [e.seq for e in written] == [1, 2]
    assert [e.seq for e in ledger.append([ingested("c" * 64)], AT)] == [3]
    leftovers = [p.name for p in ledger.head_path.parent.iterdir() if p.name.startswith(".HEAD-")]
    assert leftovers == []


def test_referenced_shas_skips_an_unreadable_ingest_and_goes_on(ledger: Ledger) -> None:
    ledger.append([ingested("a" * 64), ingested("b" * 64)], AT)
    ledger.db.execute("UPDATE events SET payload = '{\"kind\":\"chat\"}' WHERE seq = 1")
    assert ledger.referenced_shas() == {"b" * 64: "bbbbbbbbbbbb"}


def test_event_heads_from_a_number_give_that_event_and_the_later_ones(ledger: Ledger) -> None:
    a, b, c = "a" * 64, "b" * 64, "c" * 64
    written = ledger.append([ingested(a), ingested(b), ingested(c)], AT)
    assert list(ledger.event_heads(2)) == [(e.seq, e.entry_id, e.hash) for e in written[1:]]
    assert [s for s, _, _ in ledger.event_heads()] == [1, 2, 3]
    assert list(ledger.event_heads(4)) == []
