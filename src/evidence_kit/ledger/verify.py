"""Verification: rehash every stored original, recheck the hash chain and the head.

Every problem names the entry (and event) it concerns, so a user can see what was touched.

What is checked: the events (each one's hash, each one's link to the one before it), the HEAD
file (so the newest events cannot be cut off unseen), every stored original (rehashed), and the
derived tables (entries, amounts, sightings, both search indexes) against a fresh fold of the
events.
What is not: ``case.toml`` is the user's own description of the case (names, the loan, the
budget), not evidence; it is edited freely and verify does not read it. Nor can verify alone
catch someone who rewrites the whole chain from some event on *and* the HEAD file: only a copy
of the head kept elsewhere does (every package's manifest records ``ledger_head``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from evidence_kit.case import Case
from evidence_kit.i18n import _
from evidence_kit.ledger.events import GENESIS, Ledger, canonical, event_hash
from evidence_kit.ledger.store import Store


@dataclass(frozen=True)
class Problem:
    # event-missing | chain-broken | event-altered | events-truncated | head-mismatch |
    # object-missing | object-altered | index-forged | index-altered (warnings: head-file-missing,
    # object-unreferenced, index-stale)
    code: str
    message: str
    entry_id: str | None = None
    seq: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "entry_id": self.entry_id,
            "seq": self.seq,
        }


@dataclass
class VerifyReport:
    events: int = 0
    objects: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "objects": self.objects,
            "head": {"seq": self.head_seq, "hash": self.head_hash},
            "problems": [p.to_json() for p in self.problems],
            "warnings": [w.to_json() for w in self.warnings],
        }


def verify_case(
    case: Case, ledger: Ledger, progress: Callable[[int, int, str], None] | None = None
) -> VerifyReport:
    report = VerifyReport()
    written = _check_chain(ledger, report)
    _check_head(ledger, report, written)
    _check_objects(case, ledger, report, progress)
    _check_index(ledger, report)
    _check_derived(ledger, report)
    return report


def _check_chain(ledger: Ledger, report: VerifyReport) -> dict[int, tuple[str, str, str]]:
    """Every event's own hash and its link to the one before. Returns seq → (hash, type, entry)."""
    written: dict[int, tuple[str, str, str]] = {}
    expected_seq, prev = 1, GENESIS
    before = _("the start of the ledger")  # what this event should follow
    for seq, type_, entry_id, at, payload, prev_hash, stored_hash in ledger.raw_events():
        report.events += 1
        if seq != expected_seq:
            missing = (
                f"#{expected_seq}" if seq == expected_seq + 1 else f"#{expected_seq}–#{seq - 1}"
            )
            report.problems.append(
                Problem(
                    "event-missing",
                    _("ledger event {missing} is missing (deleted?) before event #{seq}").format(
                        missing=missing, seq=seq
                    ),
                    entry_id,
                    seq,
                )
            )
        elif prev_hash != prev:
            report.problems.append(
                Problem(
                    "chain-broken",
                    _(
                        "event #{seq} ({type}, entry {entry_id}) does not follow {before}: "
                        "one of the two was rewritten after it was written"
                    ).format(seq=seq, type=type_, entry_id=entry_id, before=before),
                    entry_id,
                    seq,
                )
            )
        recomputed: str | None
        try:
            payload_json = canonical(json.loads(payload))
            recomputed = event_hash(seq, type_, entry_id, at, payload_json, prev_hash)
        except ValueError:  # not JSON: altered (None never equals a stored hash, even "")
            recomputed = None
        if recomputed != stored_hash:
            report.problems.append(
                Problem(
                    "event-altered",
                    _(
                        "event #{seq} ({type}, entry {entry_id}) was altered after it was written"
                    ).format(seq=seq, type=type_, entry_id=entry_id),
                    entry_id,
                    seq,
                )
            )
        written[seq] = (stored_hash, type_, entry_id)
        before = _("event #{seq} ({type}, entry {entry_id})").format(
            seq=seq, type=type_, entry_id=entry_id
        )
        expected_seq, prev = seq + 1, stored_hash
    report.head_seq, report.head_hash = expected_seq - 1, prev
    return written


def _check_head(
    ledger: Ledger, report: VerifyReport, written: dict[int, tuple[str, str, str]]
) -> None:
    """HEAD may lag behind the events (a kill between commit and HEAD write) but never differ."""
    recorded = ledger.read_head_file()
    if recorded is None:
        if report.events:
            report.warnings.append(
                Problem(
                    "head-file-missing",
                    "the HEAD file is missing, so removal of the newest events cannot be ruled out",
                )
            )
        return
    seq, h = recorded
    if seq > report.head_seq:
        report.problems.append(
            Problem(
                "events-truncated",
                _(
                    "the ledger ends at event #{last} but event #{seq} was written; "
                    "the newest events were removed"
                ).format(last=report.head_seq, seq=seq),
                seq=seq,
            )
        )
    elif seq in written and written[seq][0] != h:  # (a gap at seq is event-missing already)
        type_, entry_id = written[seq][1:]
        report.problems.append(
            Problem(
                "head-mismatch",
                _(
                    "event #{seq} ({type}, entry {entry_id}) differs from the one recorded in "
                    "HEAD: it was rewritten after it was written"
                ).format(seq=seq, type=type_, entry_id=entry_id),
                entry_id,
                seq,
            )
        )


def _check_objects(
    case: Case,
    ledger: Ledger,
    report: VerifyReport,
    progress: Callable[[int, int, str], None] | None,
) -> None:
    store = Store(case.objects_dir)
    referenced = ledger.referenced_shas()
    total = len(referenced)
    for i, (sha, entry_id) in enumerate(sorted(referenced.items(), key=lambda x: x[1]), 1):
        actual = store.rehash(sha)
        report.objects += 1
        if actual is None:
            report.problems.append(
                Problem(
                    "object-missing",
                    _("the stored original of entry {entry_id} is missing").format(
                        entry_id=entry_id
                    ),
                    entry_id,
                )
            )
        elif actual != sha:
            report.problems.append(
                Problem(
                    "object-altered",
                    _(
                        "the stored original of entry {entry_id} was changed (its SHA-256 is now "
                        "{actual}…, recorded {recorded}…)"
                    ).format(entry_id=entry_id, actual=actual[:16], recorded=sha[:16]),
                    entry_id,
                )
            )
        if progress:
            progress(i, total, entry_id)
    for sha in store.iter_shas():
        if sha not in referenced:
            report.warnings.append(
                Problem(
                    "object-unreferenced",
                    _(
                        "stored object {sha}… belongs to no entry "
                        "(left by an interrupted ingest; harmless)"
                    ).format(sha=sha[:16]),
                )
            )


def _check_index(ledger: Ledger, report: VerifyReport) -> None:
    """The search tables are derived; entries there without an event mean someone edited them."""
    from_events = set(ledger.referenced_shas().values())
    indexed = {row[0] for row in ledger.db.execute("SELECT id FROM entries")}
    for entry_id in sorted(indexed - from_events):
        report.problems.append(
            Problem(
                "index-forged",
                _("entry {entry_id} is in the search index but not in the ledger events").format(
                    entry_id=entry_id
                ),
                entry_id,
            )
        )
    for entry_id in sorted(from_events - indexed):
        report.warnings.append(
            Problem(
                "index-stale",
                _(
                    "entry {entry_id} is missing from the search index "
                    "(run `evidence-kit rebuild`)"
                ).format(entry_id=entry_id),
                entry_id,
            )
        )


def _check_derived(ledger: Ledger, report: VerifyReport) -> None:
    """Fold the events afresh and compare with the derived tables the kit reads (search,
    amounts, the packages' text). Skipped when the events themselves fail: that is reported."""
    if report.problems:
        return
    try:
        expected, actual = ledger.derived_check()
    except (ValueError, KeyError, TypeError):  # a payload the fold cannot read
        return
    for entry_id in sorted(expected.keys() & actual.keys()):
        tables = [t for t in expected[entry_id] if expected[entry_id][t] != actual[entry_id][t]]
        if tables:
            report.problems.append(
                Problem(
                    "index-altered",
                    _(
                        "entry {entry_id}: the derived tables ({tables}) do not match the ledger "
                        "events (edited, or written by another version of evidence-kit); "
                        "run `evidence-kit rebuild`"
                    ).format(entry_id=entry_id, tables=", ".join(tables)),
                    entry_id,
                )
            )
