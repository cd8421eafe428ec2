"""Page loads of `evidence-kit serve` on a large case: p50/p95 per page over real HTTP.

    python benchmarks/bench_web.py [--entries 10000] [--repeat 20] [--keep DIR]

The case is generated like ``bench_search.py`` does (fictional ``ingested`` + ``analyzed``
events through ``Ledger.append``), then served by the real command in its own process
(``evidence-kit serve --port 0``). Each time runs from sending the request to the last byte of
the page. Per page three figures:

- **warm**: ``--repeat`` loads with nothing changed in between (p50/p95);
- **cold**: ``--repeat`` loads each right after a change to the case, made by this process
  through the library as ``evidence-kit annotate`` would (a title and a value marked checked,
  on a different entry each time): the load a user gets right after an ingest or a correction
  (p95);
- **start**: the first load of each page after the server started, pages in the order shown
  (the first page needing every entry reads them all).

The baseline in the same run is the smallest request the server answers: a static file
(``/static/app.css``). The integrity page is left out: it rehashes every stored original, so
its time is that of ``verify``.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_search import generate

from evidence_kit.case import init_case
from evidence_kit.intake.annotate import annotate_entry
from evidence_kit.ledger.events import Ledger


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--keep", type=Path, help="Keep (or reuse) the case in this folder.")
    args = ap.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-web-"))
    case, _ = init_case(folder)
    ledger = Ledger(case.ledger_path, case.head_path)
    if ledger.entry_count() == 0:
        secs = generate(ledger, args.entries)
        print(f"generated {args.entries:,} entries in {secs:.1f} s")
    n = ledger.entry_count()
    some_id = ledger.search_entries(limit=1, offset=n // 2, with_lines=False)[0].id
    ledger.close()

    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "evidence_kit", "--case", str(folder), "--json", "serve",
         "--no-browser", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )
    try:
        assert proc.stdout is not None
        url = json.loads(proc.stdout.readline())["url"]
        base = url.split("/?token=")[0]
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(url).read()
        pages = {
            "static file (baseline)": "/static/app.css",
            "case home": "/",
            "timeline, first page": "/timeline",
            "timeline, page 100": "/timeline?page=100",
            "search, word (43% of entries)": "/search?q=%E7%B4%A7%E6%80%A5%E8%81%94%E7%B3%BB%E4%BA%BA",
            "search, month + amount": "/search?from=2024-03&to=2024-03&min=1000&max=5000",
            "entry": f"/entry/{some_id}",
            "review queue": "/review",
            "analysis": "/analysis",
            "package builder": "/package",
            "drop zone": "/drop",
            "note form": "/note",
        }
        ledger = Ledger(case.ledger_path, case.head_path)
        targets = ledger.search_entries(limit=10_000, with_lines=False)
        changes = iter(range(10**9))

        def change() -> None:
            """What `evidence-kit annotate` records, on the next entry in turn."""
            i = next(changes)
            target = targets[(i * 7919) % len(targets)]
            annotate_entry(
                ledger, target.id, clock=lambda: datetime.now(timezone.utc),
                title=f"bench {i}", reviewed={"amount:0": "accepted"},
            )

        def load(path: str) -> tuple[float, int]:
            t0 = time.perf_counter()
            with opener.open(base + path) as r:
                body = r.read()
            return (time.perf_counter() - t0) * 1000, len(body)

        print(f"case: {n:,} entries; per page {args.repeat} warm loads, {args.repeat} cold loads")
        print(
            f"  {'page':<32} {'warm p50':>9} {'warm p95':>9} {'cold p50':>9} {'cold p95':>9}"
            f" {'start':>8}"
        )
        # All first loads, then all warm ones, then all cold ones: a change made for one page's
        # cold loads must not make the next page's warm loads cold.
        start = {path: load(path)[0] for path in pages.values()}
        warm = {path: [load(path)[0] for _ in range(args.repeat)] for path in pages.values()}
        cold: dict[str, list[float]] = {}
        for path in pages.values():
            cold[path] = []
            for _ in range(args.repeat):
                change()
                cold[path].append(load(path)[0])
        for label, path in pages.items():
            size = load(path)[1]
            print(
                f"  {label:<32} {statistics.median(warm[path]):6.1f} ms {p95(warm[path]):6.1f} ms"
                f" {statistics.median(cold[path]):6.1f} ms {p95(cold[path]):6.1f} ms"
                f" {start[path]:5.0f} ms  ({size / 1024:.0f} KiB)"
            )
        ledger.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout:
            proc.stdout.close()
    if not args.keep:
        print(f"(case left in {folder}; pass --keep DIR to reuse it)")


if __name__ == "__main__":
    main()
