"""The review queue: what is still to check, risky and low-confidence values first."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from evidence_kit.intake.annotate import annotate_entry
from evidence_kit.query.review import rank_pending, review_queue

from .search_fixtures import sample_ledger

TZ = timezone(timedelta(hours=8))


def clock() -> datetime:
    return datetime(2025, 6, 1, tzinfo=TZ)


def test_count_ranking_and_queue_agree_and_reviewed_values_leave(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ledger, ids = sample_ledger(tmp_path)
    queue = review_queue(ledger.entries())
    ranked = rank_pending(ledger.review_rows())
    assert queue, "the fixture has amounts to review"
    assert ledger.values_to_review() == len(queue) == len(ranked)
    assert {(i.entry_id, i.key) for i in queue} == {(p.entry_id, p.key) for p in ranked}
    first = queue[0]
    annotate_entry(ledger, first.entry_id, clock=clock, reviewed={first.key: "accepted"})
    assert ledger.values_to_review() == len(queue) - 1
    assert (first.entry_id, first.key) not in {
        (p.entry_id, p.key) for p in rank_pending(ledger.review_rows())
    }
    annotate_entry(ledger, ids["chat"], clock=clock, excluded=True)
    assert all(p.entry_id != ids["chat"] for p in rank_pending(ledger.review_rows()))
    ledger.close()


def test_low_confidence_then_risky_labels_first() -> None:
    rows = [
        ("a", {"amounts": [{"value": "1", "label": None}, {"value": "2", "label": "罚息"}]}, {}),
        ("b", {"amounts": [{"value": "3", "label": None, "confidence": 0.4}]}, {}),
        ("c", {"amounts": [{"value": "4", "label": None, "confidence": 0.99}]}, {}),
    ]
    order = [(p.entry_id, p.key) for p in rank_pending(rows)]
    assert order[0] == ("b", "amount:0")
    assert order[1] == ("a", "amount:1")
