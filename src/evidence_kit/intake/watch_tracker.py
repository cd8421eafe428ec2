"""Which files have stopped changing: a pure tracker, fed paths and times, no threads, no clock.

A phone-sync tool or a slow copy writes a file in chunks; ingesting it half-written would store
a truncated original. A file is *ready* when its size and mtime have not changed for ``settle``
seconds and it can be opened for reading (on Windows a file still being written is locked).
An empty file is given much longer: copy tools create the file first and write later.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

StatFn = Callable[[Path], os.stat_result]
OpenCheck = Callable[[Path], bool]


def can_read(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            f.read(1)
    except OSError:
        return False
    return True


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    first_seen: float
    last_change: float


class StabilityTracker:
    def __init__(
        self,
        settle: float = 1.5,
        *,
        empty_settle: float | None = None,
        stat_fn: StatFn = os.lstat,
        can_open: OpenCheck = can_read,
    ) -> None:
        self.settle = settle
        self.empty_settle = empty_settle if empty_settle is not None else max(10 * settle, 5.0)
        self._stat = stat_fn
        self._can_open = can_open
        self._seen: dict[Path, _Seen] = {}

    def __len__(self) -> int:
        return len(self._seen)

    def __contains__(self, path: object) -> bool:
        return path in self._seen

    def touch(self, path: Path, now: float) -> None:
        """Something happened to ``path`` (created, written, moved in): (re)start its clock."""
        st = self._regular_stat(path)
        if st is None:
            self._seen.pop(path, None)
            return
        seen = self._seen.get(path)
        if seen is None:
            self._seen[path] = _Seen(st.st_size, st.st_mtime_ns, now, now)
        else:
            seen.size, seen.mtime_ns, seen.last_change = st.st_size, st.st_mtime_ns, now

    def touch_all(self, paths: Iterable[Path], now: float) -> None:
        for p in paths:
            self.touch(p, now)

    def forget(self, path: Path) -> None:
        self._seen.pop(path, None)

    def ready(self, now: float) -> list[Path]:
        """Files unchanged for long enough, in the order they were first seen; they are no
        longer tracked afterwards. Files that vanished or stopped being regular are dropped."""
        out: list[tuple[float, str, Path]] = []
        for path, seen in list(self._seen.items()):
            st = self._regular_stat(path)
            if st is None:
                del self._seen[path]
                continue
            if (st.st_size, st.st_mtime_ns) != (seen.size, seen.mtime_ns):
                seen.size, seen.mtime_ns, seen.last_change = st.st_size, st.st_mtime_ns, now
                continue
            wait = self.empty_settle if st.st_size == 0 else self.settle
            if now - seen.last_change >= wait and self._can_open(path):
                out.append((seen.first_seen, str(path), path))
                del self._seen[path]
        out.sort(key=lambda t: (t[0], t[1]))
        return [t[2] for t in out]

    def next_due(self, now: float) -> float | None:
        """Seconds until the earliest tracked file could be ready (None when nothing waits)."""
        if not self._seen:
            return None
        due = min(
            s.last_change + (self.empty_settle if s.size == 0 else self.settle)
            for s in self._seen.values()
        )
        return max(0.0, due - now)

    def _regular_stat(self, path: Path) -> os.stat_result | None:
        """Only regular files count; links and FIFOs are never followed by the watcher."""
        try:
            st = self._stat(path)
        except OSError:
            return None
        return st if stat.S_ISREG(st.st_mode) else None
