"""Reading real and hard images end to end, scored the way the owners score (issue 9).

    python benchmarks/bench_layout.py                      # ../shared/real-dev, if present
    python benchmarks/bench_layout.py --hard DIR           # a hard corpus (make_hard.py)
    python benchmarks/bench_layout.py --speed 3            # + OCR+layout cost vs raw engine
    python benchmarks/bench_layout.py --hard DIR --speed 6 --speed-set hard   # ... on photos

For each set, in the same run:
- **kit**: the images are copied into a fresh case, ``evidence-kit ingest`` reads them and
  ``show ID --json`` is scored (amounts, dates, message side and time; see score_layout.py);
- **search**: per distinct amount value of an image, whether ``search --min v --max v`` would
  find it (the value is among the entry's amounts) — recall and precision;
- **plain**: RapidOCR's text of the untouched image into jionlp (``extract_money``,
  ``extract_time``), messages by the line's horizontal position — the pipeline a user could
  assemble from the same two libraries.

OCR results are cached in ``--cache`` (default ``benchmarks/.ocr-cache``, not committed), the
kit's own cache format, so a second run reads no image twice. jionlp is a benchmark-only tool
(``pip install jionlp`` in the .venv); without it the plain column is skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from score_layout import (
    PRF,
    MessageScore,
    cer,
    money_key,
    score_amounts,
    score_dates,
    score_messages,
)

HERE = Path(__file__).resolve().parent
REAL_DEV = HERE.parent.parent / "shared" / "real-dev"
EK = [sys.executable, "-m", "evidence_kit"]


def load_gt(directory: Path) -> list[dict[str, Any]]:
    with open(directory / "gt.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _cli(case: Path, *args: str) -> Any:
    env = dict(os.environ, EVIDENCE_KIT_LANG="en")
    out = subprocess.run(
        [*EK, "--case", str(case), "--json", *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    try:
        return json.loads(out.stdout)
    except ValueError:  # ingest --json writes one line per file
        return [json.loads(x) for x in out.stdout.splitlines() if x.strip()]


def run_kit(images: Path, gt: Sequence[dict[str, Any]], cache: Path) -> dict[str, dict[str, Any]]:
    """image name -> show --json of its entry, read through a fresh case."""
    with tempfile.TemporaryDirectory(prefix="ek-bench-") as tmp:
        case = Path(tmp) / "case"
        subprocess.run([*EK, "init", str(case)], capture_output=True, check=True)
        kit_cache = case / ".evidence-kit" / "cache"
        shutil.rmtree(kit_cache, ignore_errors=True)
        cache.mkdir(parents=True, exist_ok=True)
        kit_cache.symlink_to(cache.resolve(), target_is_directory=True)
        for item in gt:
            src = images / item["image"]
            dst = case / item["image"]
            if item.get("mtime"):  # a rendered image carries the moment it was taken
                shutil.copyfile(src, dst)
                ts = datetime.fromisoformat(item["mtime"]).timestamp()
                os.utime(dst, (ts, ts))
            else:  # a plain copy: its mtime is the copy time, as for a download
                shutil.copyfile(src, dst)
        _cli(case, "ingest")
        # export --json holds every entry in the show --json shape (entry_to_json).
        rows = _cli(case, "export")["entries"]
        return {r["original_name"]: r for r in rows}


def raw_ocr(path: Path, cache: Path) -> dict[str, Any]:
    """The raw engine's reading of the untouched image (cached as the kit caches)."""
    from evidence_kit.ledger.store import sha256_file
    from evidence_kit.ocr import read_image
    from evidence_kit.ocr.cache import OcrCache, cache_key
    from evidence_kit.ocr.loading import load_image

    sha = sha256_file(path)
    store = OcrCache(cache)
    key = cache_key(sha, "raw-rapidocr", "bench", "untouched")
    result = store.get(key)
    if result is None:
        result = read_image(_raw_engine(), load_image(path))
        store.put(key, result)
    return {
        "text": result.text,
        "lines": result.lines,
        "width": result.width,
    }


_ENGINE: Any = None


def _raw_engine() -> Any:
    global _ENGINE
    if _ENGINE is None:
        from evidence_kit.ocr import get_engine

        _ENGINE = get_engine("rapidocr")
    return _ENGINE


def plain_reading(raw: dict[str, Any], reference: datetime) -> dict[str, Any]:
    """RapidOCR text into jionlp: what a user could assemble."""
    import logging

    import jionlp as jio

    logging.disable(logging.ERROR)  # jionlp logs a traceback for every span it cannot parse

    text = raw["text"]
    amounts = []
    for m in jio.ner.extract_money(text, with_parsing=True):
        num = m.get("detail", {}).get("num")
        if isinstance(num, str):
            amounts.append(num)
        elif isinstance(num, list) and num:
            amounts.append(str(num[0]))
    base = {"year": reference.year, "month": reference.month, "day": reference.day}
    dates = []
    for t in jio.ner.extract_time(text, time_base=base, with_parsing=True):
        detail = t.get("detail", {})
        if detail.get("type") != "time_point":
            continue
        span = detail.get("time")
        if not span:
            continue
        start, end = span[0], span[1]
        iso = start.replace(" ", "T")
        # A whole day (00:00:00 to 23:59:59) is a date without a time.
        dates.append(iso[:10] if start[11:] == "00:00:00" and end[11:] == "23:59:59" else iso)
    width = raw["width"] or 1
    messages = []
    for line in raw["lines"]:
        c = line.box.cx / width
        side = "them" if c < 0.4 else "me" if c > 0.6 else "system"
        messages.append({"side": side, "text": line.text, "time": None})
    return {"amounts": amounts, "dates": dates, "messages": messages, "text": text}


def kit_reading(shown: dict[str, Any]) -> dict[str, Any]:
    return {
        "amounts": [a["value"] for a in shown["amounts"] if a.get("currency", "CNY") == "CNY"],
        "dates": [d["value"] for d in shown["dates"]],
        "messages": shown["messages"],
        "text": shown["text"],
        "screen": shown.get("meta", {}).get("screen"),
    }


class Tally:
    def __init__(self) -> None:
        self.amounts = PRF()
        self.dates = PRF()
        self.msgs = MessageScore()
        self.cer = [0, 0]
        self.search = PRF()  # search --min v --max v finds the image: per distinct value

    def add(self, item: dict[str, Any], got: dict[str, Any]) -> None:
        self.amounts.add(*score_amounts(item.get("amounts", []), got["amounts"]))
        gold = {money_key(x) for x in item.get("amounts", [])} - {None}
        found = {money_key(x) for x in got["amounts"]} - {None}
        self.search.add(len(gold & found), len(found - gold), len(gold - found))
        self.dates.add(*score_dates(item.get("dates", []), got["dates"]))
        if item.get("messages"):
            score_messages(item["messages"], got["messages"], self.msgs)
        if item.get("lines"):
            e, c = cer(item["lines"], got["text"])
            self.cer[0] += e
            self.cer[1] += c

    def row(self) -> str:
        c = f"{self.cer[0] / self.cer[1]:6.1%}" if self.cer[1] else "     -"
        m = self.msgs
        return (
            f"amt P {self.amounts.p:.2f} R {self.amounts.r:.2f} F1 {self.amounts.f1:.2f} | "
            f"date P {self.dates.p:.2f} R {self.dates.r:.2f} F1 {self.dates.f1:.2f} | "
            f"side {m.side:6.1%} ({m.side_ok}/{m.total}) time {m.time:6.1%} | CER {c} | "
            f"search P {self.search.p:.2f} R {self.search.r:.2f}"
        )


def score_set(
    name: str, images: Path, gt: list[dict[str, Any]], cache: Path, *, verbose: bool
) -> None:
    missing = [g["image"] for g in gt if not (images / g["image"]).exists()]
    if missing:  # e.g. the GPL images of real_extra*, listed in SOURCES.md but not committed
        print(f"({len(missing)} labelled images not in {images}: their rows are skipped)")
        gt = [g for g in gt if g["image"] not in missing]
    t0 = time.perf_counter()
    shown = run_kit(images, gt, cache)
    kit_s = time.perf_counter() - t0
    try:
        import jionlp  # noqa: F401

        have_plain = True
    except ImportError:
        have_plain = False
        print("(jionlp not installed: the plain pipeline is not scored)")
    kit, plain = Tally(), Tally()
    per_variant: dict[str, tuple[Tally, Tally]] = defaultdict(lambda: (Tally(), Tally()))
    for item in gt:
        entry = shown.get(item["image"])
        if entry is None:
            print(f"  {item['image']}: no entry")
            continue
        got = kit_reading(entry)
        kit.add(item, got)
        variant = item.get("variant") or item.get("kind", "?")
        per_variant[variant][0].add(item, got)
        if have_plain:
            mtime = datetime.fromisoformat(item["mtime"]) if item.get("mtime") else datetime.now()
            p = plain_reading(raw_ocr(images / item["image"], cache), mtime.replace(tzinfo=None))
            plain.add(item, p)
            per_variant[variant][1].add(item, p)
        if verbose:
            one = Tally()
            one.add(item, got)
            print(f"  {item['image'][:40]:<40} {got['screen'] or '-':<12} {one.row()}")
    print(f"\n== {name}: {len(gt)} images (kit ingest {kit_s:.0f} s)")
    print(f"  kit   {kit.row()}")
    if have_plain:
        print(f"  plain {plain.row()}")
    print("  per variant:")
    for v, (k, p) in sorted(per_variant.items()):
        print(f"    {v:<18} kit   {k.row()}")
        if have_plain:
            print(f"    {'':<18} plain {p.row()}")


def speed(images: Sequence[Path]) -> None:
    """OCR + layout (the kit's read of an image, uncached) vs the raw engine, same images."""
    from evidence_kit.intake.content import read_any
    from evidence_kit.ocr import read_image
    from evidence_kit.ocr.loading import load_image

    engine = _raw_engine()
    read_image(engine, load_image(images[0]))  # warm up (model load) outside the timing
    with tempfile.TemporaryDirectory() as tmp:
        # The kit too: its engine, its imports. On a copy, so that no memo of the first
        # image (its plan, its engine input) is made before its timed read.
        copy = Path(tmp) / images[0].name
        shutil.copyfile(images[0], copy)
        read_any(copy, cache_dir=None)
    raw_s = kit_s = 0.0
    for path in images:
        t0 = time.perf_counter()
        read_image(engine, load_image(path))
        raw_s += time.perf_counter() - t0
        t0 = time.perf_counter()
        read_any(path, cache_dir=None)
        kit_s += time.perf_counter() - t0
    print(
        f"\n== speed on {len(images)} images: raw engine {raw_s:.1f} s, "
        f"kit OCR+layout+extraction {kit_s:.1f} s ({kit_s / raw_s - 1:+.1%})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--real", type=Path, default=REAL_DEV)
    ap.add_argument("--hard", type=Path, help="a corpus written by make_hard.py")
    ap.add_argument("--only", help="score only gt rows whose variant is this (hard corpus)")
    ap.add_argument("--split", choices=("dev", "held-out"), help="hard corpus split to score")
    ap.add_argument("--cache", type=Path, default=HERE / ".ocr-cache")
    ap.add_argument("--speed", type=int, default=0, help="time N images uncached")
    ap.add_argument("--speed-set", choices=("real", "hard"), default="real",
                    help="time real-dev images (default) or the photo and scan variants of --hard")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if args.real and (args.real / "gt.jsonl").exists():
        gt = load_gt(args.real)
        score_set("real-dev", args.real / "images", gt, args.cache, verbose=args.verbose)
    else:
        print(f"(no real-dev set at {args.real})")
    if args.hard:
        gt = load_gt(args.hard)
        if args.split:
            gt = [g for g in gt if g.get("split") == args.split]
        if args.only:
            gt = [g for g in gt if g.get("variant") == args.only]
        score_set(f"hard ({args.split or 'all'})", args.hard, gt, args.cache, verbose=args.verbose)
    if args.speed:
        if args.speed_set == "hard" and args.hard:
            # The photos and scans: where preprocessing runs, so its cost shows.
            rows = [g for g in load_gt(args.hard)
                    if g.get("variant", "").startswith(("photo", "scan"))]
            pool = [args.hard / g["image"] for g in rows][: args.speed]
        else:
            # Every fifth real image: screenshots, photos and scans alike.
            pool = sorted((args.real / "images").glob("*"))[::5][: args.speed]
        speed(pool)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
