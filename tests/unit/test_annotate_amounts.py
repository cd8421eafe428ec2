"""Correcting an extracted amount: a new ``annotated`` event; search sees the person's value."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from evidence_kit.errors import UsageError
from evidence_kit.intake.annotate import annotate_entry, parse_amount_value
from evidence_kit.query.search import make_query, search

from .search_fixtures import sample_ledger

TZ = timezone(timedelta(hours=8))
REF = datetime(2025, 6, 1, 12, 0, tzinfo=TZ)


def clock() -> datetime:
    return REF


def test_amount_fix_is_a_new_event_and_search_finds_the_new_value(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ledger, ids = sample_ledger(tmp_path)
    entry = ledger.get_entry(ids["chat"])
    assert entry.extraction.amounts, "the fixture chat has amounts"
    old = entry.extraction.amounts[0].value
    events_before = ledger.event_count()
    fixed = annotate_entry(
        ledger, ids["chat"], clock=clock, amounts={0: "98,765.43"}, reviewed={"amount:0": "corrected"}
    )
    assert str(fixed.extraction.amounts[0].value) == "98765.43"
    assert fixed.meta["reviewed"] == {"amount:0": "corrected"}
    assert ledger.event_count() == events_before + 1
    hits = search(ledger, make_query(None, min_amount="98765", max_amount="98766", reference=REF))
    assert [h.entry.id for h in hits] == [ids["chat"]]
    # The kit's reading is still in the ledger's events, and a rebuild gives the same result.
    payloads = [e.payload for e in ledger.events() if e.entry_id == ids["chat"]]
    assert any(p.get("amounts", [{}])[0].get("was") == str(old) for p in payloads if "amounts" in p)
    ledger.rebuild()
    assert str(ledger.get_entry(ids["chat"]).extraction.amounts[0].value) == "98765.43"
    ledger.close()


def test_reviewed_marks_accumulate(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ledger, ids = sample_ledger(tmp_path)
    annotate_entry(ledger, ids["chat"], clock=clock, reviewed={"amount:0": "accepted"})
    e = annotate_entry(ledger, ids["chat"], clock=clock, reviewed={"date:0": "accepted"})
    assert e.meta["reviewed"] == {"amount:0": "accepted", "date:0": "accepted"}
    ledger.close()


@pytest.mark.parametrize("text", ["", "abc", "-5", "1/2"])
def test_unreadable_amounts_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        parse_amount_value(text)


def test_amount_index_must_exist(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ledger, ids = sample_ledger(tmp_path)
    with pytest.raises(UsageError):
        annotate_entry(ledger, ids["chat"], clock=clock, amounts={99: "1"})
    ledger.close()
