"""The watcher loop on a real folder with the real watchdog (no OCR: analyzer=None)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from evidence_kit.case import init_case
from evidence_kit.intake.ingest import Ingester, IngestResult, IngestStatus
from evidence_kit.intake.watch import WatchConfig, Watcher
from evidence_kit.ledger.events import Ledger


@pytest.fixture
def case_ledger(tmp_path):  # type: ignore[no-untyped-def]
    case, _ = init_case(tmp_path / "case")
    ledger = Ledger(case.ledger_path, case.head_path)
    yield case, ledger
    ledger.close()


def make(case, ledger, results, **cfg):  # type: ignore[no-untyped-def]
    config = WatchConfig(**{"settle": 0.3, "tick": 0.05, **cfg})
    return Watcher(Ingester(case, ledger), on_result=results.append, config=config)


def test_once_catches_up_and_skips_junk(case_ledger) -> None:  # type: ignore[no-untyped-def]
    case, ledger = case_ledger
    (case.root / "sub").mkdir()
    (case.root / "a.txt").write_text("通话记录 一", "utf-8")
    (case.root / "sub" / "b.txt").write_text("通话记录 二", "utf-8")
    (case.root / "c.txt.part").write_text("half", "utf-8")
    (case.root / "~$d.docx").write_text("lock", "utf-8")
    (case.root / ".syncthing.e.jpg.tmp").write_text("sync", "utf-8")
    results: list[IngestResult] = []
    stats = make(case, ledger, results).run(once=True)
    assert sorted(r.path for r in results) == ["a.txt", "sub/b.txt"]
    assert stats.ingested == 2 and ledger.entry_count() == 2
    # A second catch-up finds nothing new and reads nothing.
    results.clear()
    stats = make(case, ledger, results).run(once=True)
    assert results == [] and stats.batches == 0


def test_watches_new_files_until_stopped(case_ledger) -> None:  # type: ignore[no-untyped-def]
    case, ledger = case_ledger
    results: list[IngestResult] = []
    watcher = make(case, ledger, [])
    watcher.on_result = results.append
    states: list[str] = []
    watcher.on_state = states.append
    # The loop owns the ledger connection, so it runs in a thread that opens its own.
    ledger.close()

    def run() -> None:
        own = Ledger(case.ledger_path, case.head_path)
        watcher.ingester = Ingester(case, own)
        watcher.run()
        own.close()

    t = threading.Thread(target=run)
    t.start()
    try:
        deadline = time.monotonic() + 5
        while "watching" not in states and time.monotonic() < deadline:
            time.sleep(0.02)
        (case.root / "new.txt").write_text("新的通话记录", "utf-8")
        (case.root / "draft.txt.swp").write_text("junk", "utf-8")
        slow = case.root / "slow.txt"
        with open(slow, "w", encoding="utf-8") as f:  # written in chunks slower than a tick
            for i in range(4):
                f.write(f"第{i}段 " * 50)
                f.flush()
                time.sleep(0.15)
        folder = case.root / "moved"
        tmp = case.root.parent / "outside"
        tmp.mkdir()
        (tmp / "inner.txt").write_text("整个文件夹移入", "utf-8")
        tmp.rename(folder)  # one event for the folder; its file must still be found
        deadline = time.monotonic() + 10
        while len(results) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        watcher.stop.set()
        t.join(timeout=10)
    assert not t.is_alive()
    assert sorted(r.path for r in results) == ["moved/inner.txt", "new.txt", "slow.txt"]
    assert all(r.status is IngestStatus.INGESTED for r in results)
    own = Ledger(case.ledger_path, case.head_path)
    slow_entry = next(e for e in own.entries() if e.original_name == "slow.txt")
    assert slow_entry.size == slow.stat().st_size  # the whole file, not a half-written one
    own.close()


def test_stop_before_a_batch_leaves_files_for_the_next_run(case_ledger) -> None:  # type: ignore[no-untyped-def]
    case, ledger = case_ledger
    for i in range(5):
        (case.root / f"n{i}.txt").write_text(f"记录{i}", "utf-8")
    results: list[IngestResult] = []
    w = make(case, ledger, results, batch_max=2)
    w.on_result = lambda r: (results.append(r), w.stop.set())  # stop after the first file
    w.run(once=True)
    assert 1 <= ledger.entry_count() < 5
    rest: list[IngestResult] = []
    make(case, ledger, rest).run(once=True)
    assert ledger.entry_count() == 5
    assert len({r.path for r in results + rest}) == 5


def test_symlinks_are_not_followed(case_ledger, tmp_path) -> None:  # type: ignore[no-untyped-def]
    case, ledger = case_ledger
    outside = tmp_path / "secret.txt"
    outside.write_text("不属于本案", "utf-8")
    (case.root / "link.txt").symlink_to(outside)
    (case.root / "real.txt").write_text("通话记录 本案", "utf-8")  # a watcher that ingests nothing fails
    results: list[IngestResult] = []
    make(case, ledger, results).run(once=True)
    assert [e.original_name for e in ledger.entries()] == ["real.txt"]
    assert [r.path for r in results if r.status is IngestStatus.INGESTED] == ["real.txt"]
    assert outside.read_text("utf-8") == "不属于本案"


def test_paths_outside_the_case_are_not_wanted(case_ledger) -> None:  # type: ignore[no-untyped-def]
    case, ledger = case_ledger
    w = make(case, ledger, [])
    assert not w.wanted(Path("/etc/passwd"))
    assert not w.wanted(case.root / ".evidence-kit" / "ledger.sqlite")
    assert w.wanted(case.root / "IMG_20250301.jpg")
