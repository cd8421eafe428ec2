"""The case as the pages last saw it, brought up to date by reading only what changed.

The analysis and the review queue need every entry. Reading all of them again after each
change (an ingest, one correction) made the first page load after it take seconds on a large
case. The snapshot keeps the entries, and what was derived from each one (its contacts for the
analysis, its values to review), by entry; on each request it reads the events appended since
it was last brought up to date, reloads only the entries they name, and derives again only
for those. If the event it stopped at is not there any more, or has another hash (a ledger
restored from a backup), it starts again from scratch.

One snapshot per server process, shared by the worker threads: a lock keeps one refresh at a
time; the data handed out (frozen entries, lists built afresh) is never changed afterwards.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from evidence_kit.ledger.codec import sort_key
from evidence_kit.ledger.events import GENESIS, Ledger
from evidence_kit.models import Entry


def _order(e: Entry) -> tuple[bool, str, str, str]:
    """The ledger's own order of entries: by when it happened, undated last."""
    key = sort_key(e.occurred_at)
    return (key is None, key or "", e.ingested_at, e.id)


@dataclass
class Derived:
    """One thing computed per entry (e.g. its contacts), kept until the entry changes."""

    compute: Callable[[Entry], list[Any]]
    by_entry: dict[str, tuple[Entry, list[Any]]] = field(default_factory=dict)

    def of(self, entry: Entry) -> list[Any]:
        kept = self.by_entry.get(entry.id)
        if kept is not None and kept[0] is entry:
            return kept[1]
        value = self.compute(entry)
        self.by_entry[entry.id] = (entry, value)
        return value


@dataclass
class Snapshot:
    seq: int = 0
    hash: str = GENESIS
    entries: dict[str, Entry] = field(default_factory=dict)
    ordered: tuple[Entry, ...] = ()
    derived: dict[str, Derived] = field(default_factory=dict)
    # Each entry's place in the ledger's order, computed when the entry is (re)read.
    order_keys: dict[str, tuple[bool, str, str, str]] = field(default_factory=dict)
    # In the server process: after reading every entry, move them out of the garbage
    # collector's way (gc.freeze). They live as long as the server, and each full collection
    # walked them all: 150-400 ms pauses in random page loads on 10,000 entries.
    freeze_gc: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refresh(self, led: Ledger) -> tuple[int, str]:
        """Bring the entries up to date with ``led``; returns the head they reflect."""
        with self.lock:
            head = led.head()
            if head == (self.seq, self.hash):
                return head
            changed = self._changed_since(led)
            if changed is None:  # not a continuation of what was read: read everything
                self.entries = {e.id: e for e in led.entries()}
                self.order_keys = {i: _order(e) for i, e in self.entries.items()}
                self.derived = {name: Derived(d.compute) for name, d in self.derived.items()}
                if self.freeze_gc:
                    gc.freeze()
            elif changed:
                for e in led.entries(changed):
                    self.entries[e.id] = e
                    self.order_keys[e.id] = _order(e)
            keys = self.order_keys
            self.ordered = tuple(
                self.entries[i] for i in sorted(self.entries, key=keys.__getitem__)
            )
            return self.seq, self.hash

    def _changed_since(self, led: Ledger) -> set[str] | None:
        """Ids of the entries named by events after the last one read (and move past them);
        None when the ledger does not continue from there."""
        first = self.seq == 0
        changed: set[str] = set()
        found = first
        last = (self.seq, self.hash)
        for seq, entry_id, h in led.event_heads(self.seq):
            if seq == self.seq:
                found = h == self.hash
                if not found:
                    break
                continue
            changed.add(entry_id)
            last = (seq, h)
        if not found:
            self.seq, self.hash = 0, GENESIS
            return self._changed_since(led)  # from the first event: None, all to be read
        self.seq, self.hash = last
        return None if first else changed

    def memo(
        self, name: str, compute: Callable[[Entry], list[Any]]
    ) -> Callable[[Entry], list[Any]]:
        """``compute`` remembered per entry: computed again only for an entry that changed."""
        with self.lock:
            derived = self.derived.setdefault(name, Derived(compute))
            live = self.entries
            if len(derived.by_entry) > len(live):  # forget entries that left the snapshot
                derived.by_entry = {k: v for k, v in derived.by_entry.items() if k in live}

        def of(entry: Entry) -> list[Any]:
            with self.lock:
                return derived.of(entry)

        return of
