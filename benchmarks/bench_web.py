"""Page loads of `evidence-kit serve` on a large case: p50/p95 per page over real HTTP.

    python benchmarks/bench_web.py [--entries 10000] [--repeat 20] [--keep DIR]

The case is generated like ``bench_search.py`` does (fictional ``ingested`` + ``analyzed``
events through ``Ledger.append``), then served by the real command in its own process
(``evidence-kit serve --port 0``). Each page is fetched once, and that first load is shown
(the analysis and the review ranking are cached by ledger head and case.toml, so only their
first load computes them), then ``--repeat`` times for p50/p95; each time runs from sending the
request to the last byte of the page. The baseline in the same run is the smallest request the
server answers: a static file (``/static/app.css``). The integrity page is left out: it
rehashes every stored original, so its time is that of ``verify``.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_search import generate

from evidence_kit.case import init_case
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
        print(f"case: {n:,} entries; {args.repeat} loads per page after one warm-up")
        for label, path in pages.items():
            t0 = time.perf_counter()
            opener.open(base + path).read()
            first = (time.perf_counter() - t0) * 1000
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                with opener.open(base + path) as r:
                    body = r.read()
                times.append((time.perf_counter() - t0) * 1000)
            print(
                f"  {label:<32} p50 {statistics.median(times):7.1f} ms   p95 {p95(times):7.1f} ms"
                f"   first load {first:7.1f} ms   ({len(body) / 1024:.0f} KiB)"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout:
            proc.stdout.close()
    if not args.keep:
        print(f"(case left in {folder}; pass --keep DIR to reuse it)")


if __name__ == "__main__":
    main()
