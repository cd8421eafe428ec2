"""Search on a large ledger: p50/p95/max of date+amount+word queries, and the ledger's size.

    python benchmarks/bench_search.py [--entries 100000] [--queries 200] [--keep DIR] [--busy N]

Each query runs twice in the same run: ``search`` (every hit, the baseline) and ``search_page``
(the first page of 50 with the total count, what ``search --limit 50`` and the web page do).
Word-only probes are repeated ``--repeat`` times for their p95.

Same-run baselines in raw SQL, on indexes every ledger version has: the date+amount+word
count as the kit planned it before the amounts carried their entry's date (the date index
drives, each candidate's amounts probed, the word tested by substring), and the count of a
2-character word by substring over every row (before the short-word index). ``--busy N``
keeps N extra processes spinning on the CPU while queries run, to measure under load; the
load average is printed either way.

The ledger is generated through ``Ledger.append`` (fake ``ingested`` + ``analyzed`` events with
Chinese text, amounts and dates, many events per transaction), then queried through the same
``search.make_query`` / ``search.search`` the CLI uses. All data is fictional.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from evidence_kit.ledger.events import EventType, Ledger, NewEvent
from evidence_kit.query.search import _sql_args, make_query, search, search_page

TZ = timezone(timedelta(hours=8))
LABELS = ["逾期金额", "罚息", "本金", "利息", "滞纳金", "违约金", "服务费", "应还", "减免", None]
PHRASES = [
    "您的借款已逾期{d}天，请尽快处理",
    "当前逾期金额{a}元，其中罚息{b}元",
    "如您在{m}月{day}日前还清，可申请减免罚息",
    "我们将联系您的紧急联系人",
    "我想申请分期还款，每期{b}元",
    "一次性还清我做不到",
    "本期应还{a}元，最后还款日{m}月{day}日",
    "已为您登记协商还款方案",
    "客服工号{w}为您服务",
    "请确认是否同意减免后的还款计划",
]
WORDS = ["逾期", "罚息", "减免", "分期还款", "紧急联系人", "协商还款", "还款计划", "客服工号"]
KINDS = ["chat", "bill", "note", "document"]


def fake_text(rng: random.Random) -> tuple[str, list[dict[str, object]]]:
    lines, amounts = [], []
    offset = 0
    for _ in range(rng.randint(3, 8)):
        a = rng.randint(100, 50000)
        b = rng.randint(10, 2000)
        line = rng.choice(PHRASES).format(
            d=rng.randint(1, 200),
            a=f"{a:,}",
            b=b,
            m=rng.randint(1, 12),
            day=rng.randint(1, 28),
            w=rng.randint(10000, 99999),
        )
        for value in (a, b):
            text = f"{value:,}" if value == a else str(value)
            pos = line.find(text)
            if pos >= 0 and "元" in line:
                amounts.append(
                    {
                        "value": f"{value}.00",
                        "currency": "CNY",
                        "label": rng.choice(LABELS),
                        "text": text,
                        "start": offset + pos,
                        "end": offset + pos + len(text),
                    }
                )
        lines.append(line)
        offset += len(line) + 1
    return "\n".join(lines), amounts


def generate(ledger: Ledger, n: int, seed: int = 7, batch: int = 2000) -> float:
    rng = random.Random(seed)
    start = datetime(2023, 1, 1, tzinfo=TZ)
    t0 = time.perf_counter()
    events: list[NewEvent] = []
    for i in range(n):
        sha = f"{rng.getrandbits(256):064x}"
        eid = sha[:12]
        occurred = start + timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
        text, amounts = fake_text(rng)
        kind = rng.choice(KINDS)
        events.append(
            NewEvent(
                EventType.INGESTED,
                eid,
                {
                    "sha256": sha,
                    "path": f"files/{i:06d}.png",
                    "size": rng.randint(10_000, 900_000),
                    "mtime_ns": i,
                    "kind": kind,
                    "mime": "image/png",
                    "original_name": f"Screenshot_{occurred:%Y%m%d-%H%M%S}.png",
                    "occurred_at": occurred.isoformat(timespec="seconds"),
                    "occurred_at_source": "filename",
                    "meta": {},
                },
            )
        )
        events.append(
            NewEvent(
                EventType.ANALYZED,
                eid,
                {"text": text, "extraction": {"amounts": amounts}, "engine": "bench"},
            )
        )
        if len(events) >= batch:
            ledger.append(events, "2025-06-01T00:00:00+00:00")
            events = []
    if events:
        ledger.append(events, "2025-06-01T00:00:00+00:00")
    return time.perf_counter() - t0


def make_queries(n: int, seed: int = 11) -> list[dict[str, str]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        # What a user types: a month (or a week), an amount give or take 10%, one word.
        y = rng.choice([2023, 2024, 2025])
        m = rng.randint(1, 12)
        around = rng.randint(100, 40000)
        if rng.random() < 0.5:
            date_from = date_to = f"{y}-{m:02d}"
        else:
            d = rng.randint(1, 21)
            date_from, date_to = f"{y}-{m:02d}-{d:02d}", f"{y}-{m:02d}-{d + 6:02d}"
        q = {
            "words": rng.choice(WORDS),
            "date_from": date_from,
            "date_to": date_to,
            "min_amount": str(round(around * 0.9)),
            "max_amount": str(round(around * 1.1)),
        }
        out.append(q)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--keep", type=Path, help="Keep (or reuse) the ledger in this folder.")
    ap.add_argument("--repeat", type=int, default=20, help="Runs of each word-only probe.")
    ap.add_argument("--page", type=int, default=50, help="Page size for search_page.")
    ap.add_argument("--busy", type=int, default=0, help="CPU-spinning processes while querying.")
    args = ap.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-search-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ledger.sqlite"
    fresh = not path.exists()
    ledger = Ledger(path, folder / "HEAD")
    if fresh:
        print(f"load average before generating: {_load()}")
        secs = generate(ledger, args.entries)
        ledger.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        ledger.db.execute("ANALYZE")
        print(
            f"generated {args.entries:,} entries in {secs:.1f} s "
            f"({args.entries / secs:,.0f} entries/s, two events each, through Ledger.append)"
        )
    n_entries = ledger.entry_count()
    ref = datetime(2025, 6, 1, tzinfo=TZ)
    queries = make_queries(args.queries)
    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(args.busy)]
    for sp in spinners:
        sp.start()
    print(f"load average before querying: {_load()}; {args.busy} spinning processes")
    times, counts = _run(queries, lambda q: len(search(ledger, _query(q, ref))))
    paged, totals = _run(
        queries, lambda q: search_page(ledger, _query(q, ref), limit=args.page).total
    )
    old_plan, old_counts = _run(queries, lambda q: _old_plan_count(ledger, _query(q, ref)))
    size = ledger.size_on_disk()
    print(f"ledger: {n_entries:,} entries, {ledger.event_count():,} events, {size / 1e6:.1f} MB")
    print(f"  of which the short-word index: {_grams_mb(ledger)}")
    print(
        f"{len(times)} date+amount+word queries, all hits (baseline): {_stats(times)}; "
        f"hits per query median {statistics.median(counts):.0f}, max {max(counts)}"
    )
    print(f"{len(paged)} same queries, first page of {args.page} + total: {_stats(paged)}")
    print(f"{len(old_plan)} same queries, count only, old plan in raw SQL (baseline): "
          f"{_stats(old_plan)}")  # fmt: skip
    assert counts == totals == old_counts, "the paged total differs from the full result"
    for label, q in [
        ("word only (3+ chars, FTS)", {"words": "紧急联系人"}),
        ("word only (4 chars, FTS)", {"words": "协商还款"}),
        ("word only (2 chars)", {"words": "罚息"}),
        ("amount only", {"words": "", "min_amount": "12345", "max_amount": "12400"}),
        ("month only", {"words": "", "date_from": "2024-03", "date_to": "2024-03"}),
    ]:
        gc.collect()  # the previous probe's tens of thousands of entries
        t0 = time.perf_counter()
        hits = search(ledger, _query(q, ref))
        full = (time.perf_counter() - t0) * 1000
        del hits
        gc.collect()
        ms, tot = _run([q] * args.repeat, lambda q: search_page(ledger, _query(q, ref)).total)
        print(
            f"  {label:<28} all hits {full:8.1f} ms | page of {args.page} + total "
            f"p95 {_p95(ms):6.1f} ms (p50 {statistics.median(ms):.1f})  {tot[0]:6} hits"
        )
        if "2 chars" in label:
            like, n = _run([q] * args.repeat, lambda q: _like_count(ledger, q["words"]))
            assert n[0] == tot[0], "the short-word index and LIKE disagree"
            print(
                f"  {'  same, count by LIKE':<28} (baseline, every row)          "
                f"p95 {_p95(like):6.1f} ms (p50 {statistics.median(like):.1f})  {n[0]:6} hits"
            )
    print(f"load average after querying: {_load()}")
    for sp in spinners:
        sp.terminate()
        sp.join()
    ledger.close()
    if not args.keep:
        print(f"(ledger left in {folder}; pass --keep DIR to reuse it)")


def _spin() -> None:
    while True:
        pass


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _old_plan_count(ledger: Ledger, query: Any) -> int:
    """How the kit counted a date+amount+word query before: the date index drives, each
    candidate's amounts are probed through (entry_id, value), the word is a substring test."""
    args = _sql_args(query)
    pattern = "%" + ledger.like_escape(query.words[0]) + "%"
    columns = ("text", "title", "original_name", "user_note")
    like = " OR ".join(f"e.{c} LIKE ? ESCAPE '\\'" for c in columns)
    return int(
        ledger.db.execute(
            "SELECT count(*) FROM entries e INDEXED BY entries_occurred "
            "WHERE e.occurred_sort >= ? AND e.occurred_sort < ? AND EXISTS (SELECT 1 FROM "
            "amounts a INDEXED BY amounts_entry_value WHERE a.entry_id = e.id AND a.value >= ? "
            f"AND a.value <= ?) AND ({like})",
            (args["sort_from"], args["sort_to"], args["min_value"], args["max_value"])
            + (pattern,) * 4,
        ).fetchone()[0]
    )


def _like_count(ledger: Ledger, word: str) -> int:
    pattern = "%" + ledger.like_escape(word) + "%"
    return int(
        ledger.db.execute(
            "SELECT count(*) FROM entries WHERE text LIKE ?1 ESCAPE '\\' OR title LIKE ?1 "
            "ESCAPE '\\' OR original_name LIKE ?1 ESCAPE '\\' OR user_note LIKE ?1 ESCAPE '\\'",
            (pattern,),
        ).fetchone()[0]
    )


def _grams_mb(ledger: Ledger) -> str:
    try:
        row = ledger.db.execute("SELECT sum(length(block)) FROM entries_grams_data").fetchone()
    except Exception:  # a ledger from before the index
        return "none (no such index)"
    return f"{(row[0] or 0) / 1e6:.1f} MB"


def _query(q: dict[str, str], ref: datetime) -> Any:
    return make_query(q["words"] or None, reference=ref, **_filters(q))


def _run(queries: list[dict[str, str]], once: Callable[[dict[str, str]], int]) -> tuple[list[float], list[int]]:
    times, out = [], []
    for q in queries:
        t0 = time.perf_counter()
        out.append(once(q))
        times.append((time.perf_counter() - t0) * 1000)
    return times, out


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _stats(times: list[float]) -> str:
    ordered = sorted(times)
    return (
        f"p50 {statistics.median(ordered):.1f} ms, p95 {_p95(ordered):.1f} ms, "
        f"max {ordered[-1]:.1f} ms"
    )


def _filters(q: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in q.items() if k != "words"}


if __name__ == "__main__":
    main()
