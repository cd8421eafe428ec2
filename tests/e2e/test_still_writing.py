"""A file still being written while `ingest` reads it is refused (not stored half), then taken in
once the writer is done."""

from __future__ import annotations

import threading
import time

import pytest

from evidence_kit.case import Case
from evidence_kit.intake.ingest import Ingester, IngestStatus
from evidence_kit.ledger.events import Ledger
from evidence_kit.ledger.store import sha256_file

pytestmark = pytest.mark.slow


def test_a_growing_file_is_refused_then_taken(case: Case, clock) -> None:  # type: ignore[no-untyped-def]
    path = case.root / "录音_20250314_2215.wav.bin"
    path.write_bytes(b"\0" * 80_000_000)
    stop = threading.Event()

    def keep_writing() -> None:
        with open(path, "ab") as f:
            while not stop.is_set():
                f.write(b"x")
                f.flush()
                time.sleep(0.0005)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        time.sleep(0.05)
        with Ledger(case.ledger_path, case.head_path) as led:
            result = Ingester(case, led, clock=clock).ingest_file(path)
    finally:
        stop.set()
        writer.join()
    assert result.status is IngestStatus.FAILED
    assert "changed while it was being read" in (result.error or "")
    assert not list((case.meta_dir / "tmp").iterdir())
    assert not [p for p in case.objects_dir.rglob("*") if p.is_file()]
    with Ledger(case.ledger_path, case.head_path) as led:
        again = Ingester(case, led, clock=clock).ingest_file(path)
        assert again.status is IngestStatus.INGESTED
        assert led.entry_count() == 1
        assert led.entries()[0].sha256 == sha256_file(path)  # the finished file, all of it
