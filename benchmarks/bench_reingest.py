"""Re-ingesting an unchanged folder of 1,000 files must take under 2 s (issue: backbone).

Prints the first ingest time (store + ledger, no OCR) and the re-ingest time, with the ratio.
Run: python benchmarks/bench_reingest.py [--files 1000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from evidence_kit.case import init_case
from evidence_kit.intake.ingest import Ingester
from evidence_kit.ledger.events import Ledger


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=1000)
    args = ap.parse_args()
    clock = lambda: datetime(2025, 4, 1, tzinfo=timezone.utc)  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        case, _ = init_case(Path(tmp) / "case")
        for i in range(args.files):
            sub = case.root / f"batch{i // 100:02d}"
            sub.mkdir(exist_ok=True)
            (sub / f"通话记录_{i:04d}.txt").write_text(
                f"2025年3月{1 + i % 28}日 催收来电 第{i}次，逾期金额 {1000 + i}.00 元\n" * 20, "utf-8"
            )
        with Ledger(case.ledger_path, case.head_path) as led:
            t0 = time.perf_counter()
            first = list(Ingester(case, led, clock=clock).run())
            t1 = time.perf_counter()
            again = list(Ingester(case, led, clock=clock).run())
            t2 = time.perf_counter()
        assert all(r.status.value == "unchanged" for r in again), "re-ingest was not a no-op"
        size = case.ledger_path.stat().st_size
    first_s, again_s = t1 - t0, t2 - t1
    print(f"files                 {len(first)}")
    print(f"first ingest          {first_s:7.3f} s  ({first_s / len(first) * 1000:.2f} ms/file, no OCR)")
    print(f"re-ingest unchanged   {again_s:7.3f} s  ({again_s / len(again) * 1000:.3f} ms/file)")
    print(f"ratio first/re-ingest {first_s / again_s:7.1f}x")
    print(f"budget                2.000 s  -> {'OK' if again_s < 2 else 'OVER'}")
    print(f"ledger size           {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
