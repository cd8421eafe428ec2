"""The on-disk form of events is fixed: canonical JSON and the event hash, pinned to known values.

Writer and verifier share these functions, so a change to either would still round-trip; only
fixed expected values show that a ledger written by an earlier version still verifies.
"""

from __future__ import annotations

import hashlib

from evidence_kit.ledger.codec import canonical, entry_id_for, event_hash, sort_key
from evidence_kit.ledger.events import GENESIS

PAYLOAD = {"b": [1, 2.5, None, True], "a": "逾期 ¥300", "c": {"z": 1, "y": "x"}}


def test_canonical_json_is_sorted_compact_and_keeps_chinese() -> None:
    assert canonical(PAYLOAD) == '{"a":"逾期 ¥300","b":[1,2.5,null,true],"c":{"y":"x","z":1}}'


def test_event_hash_is_sha256_of_the_canonical_list_of_all_six_fields() -> None:
    args = (7, "ingested", "abcdef012345", "2025-04-01T12:00:00+00:00", canonical(PAYLOAD))
    body = (
        '[7,"ingested","abcdef012345","2025-04-01T12:00:00+00:00",'
        '{"a":"逾期 ¥300","b":[1,2.5,null,true],"c":{"y":"x","z":1}},"' + GENESIS + '"]'
    )
    assert event_hash(*args, GENESIS) == hashlib.sha256(body.encode("utf-8")).hexdigest()
    assert event_hash(*args, GENESIS) == (
        "7dfd512f909dd3d50fba5ab70a8ea6f877260444e5ec5269403b549d9ab8d57a"
    )


def test_every_field_of_an_event_is_in_its_hash() -> None:
    base = [7, "ingested", "abcdef012345", "2025-04-01T12:00:00+00:00", canonical(PAYLOAD), GENESIS]
    changed = [8, "sighted", "abcdef012346", "2025-04-01T12:00:01+00:00", canonical({}), "1" * 64]
    h = event_hash(*base)  # type: ignore[arg-type]
    for i, value in enumerate(changed):
        args = list(base)
        args[i] = value
        assert event_hash(*args) != h, f"field {i} is not in the hash"  # type: ignore[arg-type]


def test_the_payloads_key_order_and_spacing_do_not_change_the_hash() -> None:
    """verify re-serialises the stored payload, so equal JSON gives an equal hash."""
    spaced = '{ "c": {"z": 1, "y": "x"}, "b": [1, 2.5, null, true], "a": "\\u903e\\u671f \\u00a5300" }'
    args = (7, "ingested", "abcdef012345", "2025-04-01T12:00:00+00:00")
    assert event_hash(*args, spaced, GENESIS) == event_hash(*args, canonical(PAYLOAD), GENESIS)


def test_entry_id_is_the_first_twelve_hex_digits() -> None:
    assert entry_id_for("0123456789abcdef" * 4) == "0123456789ab"


def test_sort_key() -> None:
    assert sort_key(None) is None and sort_key("") is None
    assert sort_key("2025-03-01") == "2025-03-01T00:00:00"
    assert sort_key("2025-03-01T08:30:00+08:00") == "2025-03-01T00:30:00"
    assert sort_key("2025-03-01T08:30:00") == "2025-03-01T08:30:00"
    assert sort_key("三月一日") == "三月一日"


def test_sort_key_is_utc_whatever_the_machines_time_zone(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import time

    monkeypatch.setenv("TZ", "CST-8")  # POSIX form: needs no tz database
    time.tzset()
    try:
        assert sort_key("2025-03-01T08:30:00+08:00") == "2025-03-01T00:30:00"
    finally:
        monkeypatch.undo()
        time.tzset()
