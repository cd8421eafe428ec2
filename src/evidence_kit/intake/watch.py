"""The folder watcher: new files in the case folder are ingested as they arrive.

Three pieces (after paperless-ngx's consumer): the junk filter (``junk.is_ignored``), the pure
``StabilityTracker`` (``watch_tracker.py``), and this thin loop with a stop ``threading.Event``.

- Catch-up: on start every file the ledger has not seen (or has seen with another size/mtime)
  goes through the tracker like a new one, so files added while the watcher was off are
  ingested, and a file still being copied at start-up is not read half-written.
- watchdog's ``Observer`` (inotify …) or ``PollingObserver`` (network and synced drives, where
  change events do not arrive) only *feeds paths* into a queue; the loop thread owns the
  tracker and the ledger connection (SQLite connections are not shared between threads).
- Ready files are ingested in batches through ``Ingester.run`` — the same pipeline as
  ``evidence-kit ingest`` — so bursts use the OCR worker pool.
- Stop (Ctrl-C, SIGTERM: the CLI sets the event) is checked between files: the file being
  stored finishes (one ledger transaction each); the rest are left for the next run, and
  entries stored but not yet read are completed by ``Ingester.analyze_pending``.

Another process (a manual ``ingest``) may work on the same case at the same time: the ledger
decides "new or duplicate" inside ``BEGIN IMMEDIATE``, so no file is entered twice.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_kit.intake.ingest import Ingester, IngestResult, IngestStatus
from evidence_kit.intake.junk import is_ignored
from evidence_kit.intake.watch_tracker import StabilityTracker

OnResult = Callable[[IngestResult], None]


@dataclass(frozen=True)
class WatchConfig:
    poll: bool = False  # PollingObserver: for network shares and synced folders
    poll_interval: float = 1.0  # seconds between polling scans
    settle: float = 1.5  # seconds a file must stay unchanged
    tick: float = 0.2  # how often the loop looks at the queue and the tracker
    batch_max: int = 16  # files per ingest batch; bounds how long a stop can take
    rescan: float = 300.0  # seconds between full rescans (missed events, overflowed queues)
    once_timeout: float = 120.0  # --once: give up waiting on files that never settle


@dataclass
class WatchStats:
    ingested: int = 0
    duplicate: int = 0
    unchanged: int = 0
    failed: int = 0
    batches: int = 0

    def count(self, r: IngestResult) -> None:
        setattr(self, r.status.value, getattr(self, r.status.value) + 1)


class Watcher:
    def __init__(
        self,
        ingester: Ingester,
        *,
        on_result: OnResult | None = None,
        stop: threading.Event | None = None,
        config: WatchConfig | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        on_state: Callable[[str], None] | None = None,
    ) -> None:
        self.ingester = ingester
        self.root = ingester.case.root
        self.on_result = on_result or (lambda _r: None)
        self.on_state = on_state or (lambda _s: None)
        self.stop = stop or threading.Event()
        self.config = config or WatchConfig()
        self.now = monotonic
        self.tracker = StabilityTracker(self.config.settle)
        self.events: queue.SimpleQueue[Path] = queue.SimpleQueue()
        self.stats = WatchStats()

    # ------------------------------------------------------------ filtering

    def wanted(self, path: Path) -> bool:
        try:
            rel = path.relative_to(self.root)
        except ValueError:
            return False
        if is_ignored(rel):
            return False
        return not path.is_symlink()

    def pending_paths(self) -> list[Path]:
        """Files in the folder the ledger does not know in their current state."""
        out = []
        for item in self.ingester.discover(None):
            if isinstance(item, IngestResult) or not self.wanted(item):
                continue
            try:
                st = os.lstat(item)
            except OSError:
                continue
            seen = self.ingester.ledger.sighting(self.ingester.display(item))
            if seen is None or (seen.size, seen.mtime_ns) != (st.st_size, st.st_mtime_ns):
                out.append(item)
        return out

    # ------------------------------------------------------------ the loop

    def run(self, *, once: bool = False) -> WatchStats:
        """Catch up, then (unless ``once``) watch until ``stop`` is set."""
        self.on_state("catching-up")
        self._finish_pending_analysis()
        self.tracker.touch_all(self.pending_paths(), self.now())
        if once:
            deadline = self.now() + self.config.once_timeout
            while len(self.tracker) and not self.stop.is_set() and self.now() < deadline:
                self._step()
            return self.stats
        observer = self._start_observer()
        self.on_state("watching")
        last_scan = self.now()
        try:
            while not self.stop.is_set():
                self._step()
                if self.now() - last_scan >= self.config.rescan:
                    self.tracker.touch_all(
                        (p for p in self.pending_paths() if p not in self.tracker), self.now()
                    )
                    last_scan = self.now()
        finally:
            observer.stop()
            observer.join(timeout=5)
        return self.stats

    def _step(self) -> None:
        self._drain()
        ready = self.tracker.ready(self.now())
        if ready:
            for i in range(0, len(ready), self.config.batch_max):
                if self.stop.is_set():
                    return  # not ingested: found again by the next run's catch-up
                self._ingest(ready[i : i + self.config.batch_max])
            return
        due = self.tracker.next_due(self.now())
        wait = self.config.tick if due is None else min(self.config.tick, max(due, 0.01))
        self.stop.wait(wait)

    def _drain(self) -> None:
        now = self.now()
        while True:
            try:
                path = self.events.get_nowait()
            except queue.Empty:
                return
            self.tracker.touch(path, now)

    def _ingest(self, paths: list[Path]) -> None:
        self.stats.batches += 1
        results = self.ingester.run(paths)
        try:
            for result in results:
                self.stats.count(result)
                if result.status is not IngestStatus.UNCHANGED:
                    self.on_result(result)
                if self.stop.is_set() and result.kind is None:
                    # Still storing: leave the rest (found again next run). Results that carry
                    # a kind come after the batch was read, and are all reported.
                    break
        finally:
            close = getattr(results, "close", None)
            if close:
                close()

    def _finish_pending_analysis(self) -> None:
        """Entries a killed run stored but did not read yet."""
        found = self.ingester.analyze_pending()
        for entry in found.values():
            self.on_result(
                IngestResult(
                    entry.original_path,
                    IngestStatus.INGESTED,
                    entry.id,
                    kind=entry.kind.value,
                    occurred_at=entry.occurred_at,
                    amounts=tuple(str(a.value) for a in entry.extraction.amounts),
                )
            )

    # ------------------------------------------------------------ watchdog

    def feed(self, paths: Iterable[Path]) -> None:
        """Called from watchdog's thread: only queue, never touch the ledger here."""
        for p in paths:
            if self.wanted(p):
                self.events.put(p)

    def _start_observer(self) -> Any:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.event_type in ("deleted", "opened", "closed_no_write"):
                    return
                raw = getattr(event, "dest_path", "") or event.src_path
                path = Path(os.fsdecode(raw))
                if event.is_directory:
                    # A folder moved in arrives as one event: walk it for its files.
                    if event.event_type in ("created", "moved"):
                        watcher.feed(_walk(path))
                    return
                watcher.feed([path])

        if self.config.poll:
            from watchdog.observers.polling import PollingObserver

            observer: Any = PollingObserver(timeout=self.config.poll_interval)
        else:
            from watchdog.observers import Observer

            observer = Observer()
        observer.schedule(Handler(), str(self.root), recursive=True)
        observer.daemon = True
        observer.start()
        return observer


def _walk(folder: Path) -> list[Path]:
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        out.extend(Path(dirpath) / n for n in sorted(filenames))
    return out
