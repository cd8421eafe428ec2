"""Verification: rehash every stored original, recheck the hash chain and the head.

Every problem names the entry (and event) it concerns, so a user can see what was touched.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from evidence_kit.case import Case
from evidence_kit.ledger.events import GENESIS, Ledger, canonical, event_hash
from evidence_kit.ledger.store import Store


@dataclass(frozen=True)
class Problem:
    code: str  # chain-broken | event-altered | event-missing | head-mismatch | object-missing …
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
    last_hash_by_seq = _check_chain(ledger, report)
    _check_head(ledger, report, last_hash_by_seq)
    _check_objects(case, ledger, report, progress)
    _check_index(ledger, report)
    return report


def _check_chain(ledger: Ledger, report: VerifyReport) -> dict[int, str]:
    hashes: dict[int, str] = {}
    expected_seq, prev = 1, GENESIS
    for seq, type_, entry_id, at, payload, prev_hash, stored_hash in ledger.raw_events():
        report.events += 1
        if seq != expected_seq:
            missing = (
                f"#{expected_seq}" if seq == expected_seq + 1 else f"#{expected_seq}–#{seq - 1}"
            )
            report.problems.append(
                Problem(
                    "event-missing",
                    f"ledger event {missing} is missing (deleted?) before event #{seq}",
                    entry_id,
                    seq,
                )
            )
        elif prev_hash != prev:
            report.problems.append(
                Problem(
                    "chain-broken",
                    f"event #{seq} ({type_}, entry {entry_id}) does not follow the event before it",
                    entry_id,
                    seq,
                )
            )
        try:
            payload_json = canonical(json.loads(payload))
            recomputed = event_hash(seq, type_, entry_id, at, payload_json, prev_hash)
        except ValueError:
            recomputed = ""
        if recomputed != stored_hash:
            report.problems.append(
                Problem(
                    "event-altered",
                    f"event #{seq} ({type_}, entry {entry_id}) was altered after it was written",
                    entry_id,
                    seq,
                )
            )
        hashes[seq] = stored_hash
        expected_seq, prev = seq + 1, stored_hash
    report.head_seq, report.head_hash = expected_seq - 1, prev
    return hashes


def _check_head(ledger: Ledger, report: VerifyReport, hashes: dict[int, str]) -> None:
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
                f"the ledger ends at event #{report.head_seq} but event #{seq} was written; "
                "the newest events were removed",
                seq=seq,
            )
        )
    elif seq and hashes.get(seq) != h:
        report.problems.append(
            Problem("head-mismatch", f"event #{seq} differs from the one recorded in HEAD", seq=seq)
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
                    f"the stored original of entry {entry_id} is missing",
                    entry_id,
                )
            )
        elif actual != sha:
            report.problems.append(
                Problem(
                    "object-altered",
                    f"the stored original of entry {entry_id} was changed (its SHA-256 is now "
                    f"{actual[:16]}…, recorded {sha[:16]}…)",
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
                    f"stored object {sha[:16]}… belongs to no entry "
                    "(left by an interrupted ingest; harmless)",
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
                f"entry {entry_id} is in the search index but not in the ledger events",
                entry_id,
            )
        )
    for entry_id in sorted(from_events - indexed):
        report.warnings.append(
            Problem(
                "index-stale",
                f"entry {entry_id} is missing from the search index (run `evidence-kit rebuild`)",
                entry_id,
            )
        )
