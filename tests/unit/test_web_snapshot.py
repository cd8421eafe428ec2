"""The pages' snapshot of the case: after a change it reads only the entries the new events
name, and what the pages show is what a full read would show."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from evidence_kit.analysis.contacts import contacts_from_entries, contacts_of
from evidence_kit.case import Case
from evidence_kit.intake.annotate import annotate_entry
from evidence_kit.ledger.events import Ledger
from evidence_kit.query.review import pending_of, rank_entries, rank_pending
from evidence_kit.web.snapshot import Snapshot

from .search_fixtures import add_entry, sample_ledger

TZ = timezone(timedelta(hours=8))


def clock() -> datetime:
    return datetime(2025, 6, 1, 12, 0, tzinfo=TZ)


def test_a_change_reloads_only_the_entries_it_names(tmp_path: Path) -> None:
    ledger, ids = sample_ledger(tmp_path)
    snap = Snapshot()
    head = snap.refresh(ledger)
    assert head == ledger.head()
    before = dict(snap.entries)
    # Another process (a CLI `annotate`) records a correction.
    with Ledger(ledger.path, ledger.head_path) as other:
        annotate_entry(other, ids["chat"], clock=clock, title="催收聊天")
    assert snap.refresh(ledger) == ledger.head() != head
    assert snap.entries[ids["chat"]].title == "催收聊天"
    for eid, e in snap.entries.items():
        assert (e is before[eid]) == (eid != ids["chat"])
    assert [e.id for e in snap.ordered] == [e.id for e in ledger.entries()]
    ledger.close()


def test_a_ledger_that_does_not_continue_is_read_again(tmp_path: Path) -> None:
    ledger, ids = sample_ledger(tmp_path / "a")
    annotate_entry(ledger, ids["chat"], clock=clock, title="只在 a 里")
    snap = Snapshot()
    snap.refresh(ledger)
    # Same first events, then another one at the same place: e.g. a backup put back.
    other, _ = sample_ledger(tmp_path / "b")
    add_entry(other, "another.png", occurred_at=None, text="另一个案件")
    snap.refresh(other)
    assert snap.entries[ids["chat"]].title is None
    assert set(snap.entries) == {e.id for e in other.entries()}
    ledger.close()
    other.close()


def test_remembered_results_equal_a_full_read(tmp_path: Path) -> None:
    ledger, ids = sample_ledger(tmp_path)
    snap = Snapshot()
    snap.refresh(ledger)
    review = snap.memo("review", pending_of)
    contacts = snap.memo("contacts", lambda e: contacts_of(e, TZ))
    assert rank_entries(snap.ordered, review) == rank_pending(ledger.review_rows())
    annotate_entry(ledger, ids["chat"], clock=clock, reviewed={"amount:0": "accepted"})
    snap.refresh(ledger)
    assert rank_entries(snap.ordered, review) == rank_pending(ledger.review_rows())
    full = contacts_from_entries(ledger.entries(), TZ)
    assert contacts_from_entries(snap.ordered, TZ, of=contacts) == full
    ledger.close()


def test_the_review_page_follows_a_change_made_elsewhere(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from evidence_kit.web.app import WebState, create_app
    from evidence_kit.web.security import COOKIE, Guard

    ledger, ids = sample_ledger(tmp_path)
    state = WebState(Case(tmp_path), Guard("t0ken"), clock=clock)
    with TestClient(create_app(state)) as client:
        client.cookies.set(COOKIE, "t0ken")
        first = client.get("/review").text
        assert client.get("/analysis").status_code == 200
        total = len(rank_pending(ledger.review_rows()))
        assert f"{total} values still to check" in first
        annotate_entry(ledger, ids["chat"], clock=clock, reviewed={"amount:0": "accepted"})
        again = client.get("/review").text
        assert f"{total - 1} values still to check" in again
        assert client.get("/analysis").status_code == 200
    ledger.close()
