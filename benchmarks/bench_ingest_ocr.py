"""Ingest with OCR: one worker against all cores, and a re-read served from the OCR cache.

Prints seconds per image for a cold ingest with 1 worker and with every core, the speed-up
ratio, and the time to read everything again (`reanalyze`, every OCR result from the cache).
Run: python benchmarks/bench_ingest_ocr.py [--n 12]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_item

from evidence_kit.case import init_case
from evidence_kit.intake.content import ContentAnalyzer
from evidence_kit.intake.ingest import Ingester
from evidence_kit.ledger.events import Ledger
from evidence_kit.ocr import worker_count


def clock() -> datetime:
    return datetime(2025, 4, 1, tzinfo=timezone.utc)


def run(folder: Path, images: list[Path], workers: int | None) -> tuple[float, float, int]:
    case, _ = init_case(folder)
    for src in images:
        (case.root / src.name).write_bytes(src.read_bytes())
    analyzer = ContentAnalyzer(cache_dir=case.cache_dir, workers=workers)
    with Ledger(case.ledger_path, case.head_path) as led:
        ing = Ingester(case, led, clock=clock, analyzer=analyzer)
        t0 = time.perf_counter()
        results = list(ing.run())
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        ing.analyze_entries(led.entries())
        warm = time.perf_counter() - t0
        amounts = sum(len(e.extraction.amounts) for e in led.entries())
    assert all(r.status.value == "ingested" for r in results)
    return cold, warm, amounts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=12)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        images = []
        for i in range(args.n):
            item = make_item(i)
            path = src / f"Screenshot_202503{1 + i % 28:02d}-1015{i % 60:02d}.jpg"
            item.image.save(path, "JPEG", quality=90)
            images.append(path)
        cores = worker_count(None, args.n)
        one, _warm1, a1 = run(Path(tmp) / "one", images, 1)
        many, warm_n, an = run(Path(tmp) / "many", images, None)
    n = args.n
    print(f"images                      {n}  (cores {os.cpu_count()}, pool {cores} workers)")
    print(f"cold ingest, 1 worker       {one:6.1f} s  ({one / n:.2f} s/image)")
    print(f"cold ingest, {cores} workers      {many:6.1f} s  ({many / n:.2f} s/image)")
    print(f"speed-up                    {one / many:6.2f}x")
    print(f"re-read from OCR cache      {warm_n:6.2f} s  ({warm_n / n * 1000:.0f} ms/image, "
          f"{many / warm_n:.0f}x faster than OCR)")
    print(f"amounts found               {an} (1 worker: {a1})")


if __name__ == "__main__":
    main()
