from __future__ import annotations

import os
import stat
from pathlib import Path

from evidence_kit.intake.watch_tracker import StabilityTracker


class FakeFs:
    def __init__(self) -> None:
        self.files: dict[Path, tuple[int, int, int]] = {}  # size, mtime_ns, mode
        self.locked: set[Path] = set()

    def write(self, p: str, size: int, mtime: int, mode: int = stat.S_IFREG) -> None:
        self.files[Path(p)] = (size, mtime, mode)

    def stat(self, p: Path) -> os.stat_result:
        if p not in self.files:
            raise FileNotFoundError(p)
        size, mtime, mode = self.files[p]
        return os.stat_result((mode | 0o644, 0, 0, 1, 0, 0, size, 0, 0, 0, 0, 0, mtime, 0))

    def can_open(self, p: Path) -> bool:
        return p not in self.locked


def tracker(fs: FakeFs, settle: float = 1.0) -> StabilityTracker:
    return StabilityTracker(settle, stat_fn=fs.stat, can_open=fs.can_open)


def test_ready_only_after_settle_without_change() -> None:
    fs, a = FakeFs(), Path("a.png")
    t = tracker(fs)
    fs.write("a.png", 100, 1)
    t.touch(a, 0.0)
    assert t.ready(0.5) == []
    fs.write("a.png", 200, 2)  # still being written
    assert t.ready(0.9) == []
    assert t.ready(1.5) == []  # 0.6 s since the last change
    assert t.ready(1.95) == [a]
    assert a not in t and len(t) == 0


def test_slow_chunked_write_waits_for_the_last_chunk() -> None:
    fs, a = FakeFs(), Path("slow.jpg")
    t = tracker(fs, settle=1.0)
    now = 0.0
    fs.write("slow.jpg", 0, 0)
    t.touch(a, now)
    for chunk in range(1, 6):
        now += 0.8  # a chunk every 0.8 s: never settled in between
        fs.write("slow.jpg", chunk * 1000, chunk)
        assert t.ready(now) == []
    assert t.ready(now + 0.9) == []
    assert t.ready(now + 1.0) == [a]


def test_empty_file_waits_longer_and_locked_file_waits() -> None:
    fs = FakeFs()
    t = StabilityTracker(1.0, empty_settle=10.0, stat_fn=fs.stat, can_open=fs.can_open)
    fs.write("e.png", 0, 1)
    fs.write("l.png", 5, 1)
    fs.locked.add(Path("l.png"))
    t.touch_all([Path("e.png"), Path("l.png")], 0.0)
    assert t.ready(5.0) == []
    fs.locked.clear()
    assert t.ready(5.0) == [Path("l.png")]
    assert t.ready(10.0) == [Path("e.png")]


def test_vanished_and_non_regular_files_are_dropped() -> None:
    fs = FakeFs()
    t = tracker(fs)
    fs.write("gone.png", 5, 1)
    fs.write("fifo", 0, 1, mode=stat.S_IFIFO)
    fs.write("link", 5, 1, mode=stat.S_IFLNK)
    t.touch_all([Path("gone.png"), Path("fifo"), Path("link")], 0.0)
    assert len(t) == 1
    del fs.files[Path("gone.png")]
    assert t.ready(5.0) == [] and len(t) == 0


def test_ready_in_first_seen_order_and_next_due() -> None:
    fs = FakeFs()
    t = tracker(fs, settle=2.0)
    assert t.next_due(0.0) is None
    for i, name in enumerate(["c", "a", "b"]):
        fs.write(name, 1, 1)
        t.touch(Path(name), float(i) * 0.1)
    assert t.next_due(1.0) == 1.0
    assert t.ready(3.0) == [Path("c"), Path("a"), Path("b")]
