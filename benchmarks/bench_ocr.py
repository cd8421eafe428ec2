"""OCR accuracy and speed, RapidOCR vs Tesseract, on the generated labelled corpus.

    python benchmarks/bench_ocr.py            # 40 images, both engines
    python benchmarks/bench_ocr.py --n 100 --engines rapidocr

Per engine (same images, same run):
- CER: edit distance between each ground-truth text line and the OCR lines that fall on it
  (whitespace removed), summed over the corpus, over the ground-truth characters. Chrome (status
  bar, title, input bar) is not scored; OCR lines outside every text line (avatars read as
  "日") are counted separately as junk lines.
- amounts and dates P/R/F1 end to end: extraction on the OCR'd text vs extraction on the
  ground-truth text (chats: per message, joined bubble lines; bills: per row, label + value).
- message side accuracy and message time accuracy: parse_chat vs the labels.
- seconds per image (OCR only, one process, one thread), and the worst peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import Item, make_corpus

from evidence_kit.extract.chat import parse_chat, parse_chat_time
from evidence_kit.models import OcrLine
from evidence_kit.ocr import get_engine, read_image
from evidence_kit.ocr.order import group_rows


def edit_distance(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def squash(text: str) -> str:
    return "".join(text.split())


def extract_values(text: str, reference: Any) -> tuple[Counter[str], Counter[str]]:
    """(amount values, date values) found in ``text``, through the public extract() when it
    exists, else the amount and date finders it is built on."""
    try:
        from evidence_kit.extract import extract  # type: ignore[attr-defined]

        found = extract(text, reference=reference)
        return (
            Counter(str(a.value) for a in found.amounts),
            Counter(d.value for d in found.dates),
        )
    except ImportError:
        from evidence_kit.extract.amounts import find_amounts
        from evidence_kit.extract.dates import find_dates
        from evidence_kit.extract.normalize import normalize_ocr_text

        norm = normalize_ocr_text(text)
        return (
            Counter(str(a.value) for a in find_amounts(norm)),
            Counter(d.value for d in find_dates(norm, reference)),
        )


@dataclass
class Prf:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, truth: Counter[str], found: Counter[str]) -> None:
        common = sum((truth & found).values())
        self.tp += common
        self.fp += sum(found.values()) - common
        self.fn += sum(truth.values()) - common

    def figures(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


@dataclass
class Score:
    engine: str
    chars: int = 0
    errors: int = 0
    junk_lines: int = 0
    images: int = 0
    seconds: float = 0.0
    amounts: Prf = field(default_factory=Prf)
    dates: Prf = field(default_factory=Prf)
    sides: int = 0
    sides_right: int = 0
    times: int = 0
    times_right: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [errors, chars]
    worst: list[tuple[float, str]] = field(default_factory=list)


def overlap(a: Sequence[float], b: Sequence[float]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def assign(lines: Iterable[OcrLine], labels: list[dict[str, Any]]) -> dict[int, list[OcrLine]]:
    """Each OCR line goes to the label it covers most; -1 collects lines on no label."""
    out: dict[int, list[OcrLine]] = {}
    for line in lines:
        box = (line.box.x0, line.box.y0, line.box.x1, line.box.y1)
        best, best_area = -1, 0.0
        for i, lb in enumerate(labels):
            area = overlap(box, lb["box"])
            if area > best_area:
                best, best_area = i, area
        out.setdefault(best, []).append(line)
    return out


def score_cer(item: Item, lines: Sequence[OcrLine], score: Score) -> None:
    """Scored per row (a bill's label + value; a chat's single line): an engine that reads a
    label and its value as one line is not punished for where it split them."""
    by_label = assign(lines, item.labels)
    rows: dict[Any, list[int]] = {}
    for i, lb in enumerate(item.labels):
        if lb["role"] != "chrome":
            key = ("row", lb["row_index"]) if lb.get("row_index") is not None else ("label", i)
            rows.setdefault(key, []).append(i)
    errors = chars = 0
    for members in rows.values():
        members.sort(key=lambda i: item.labels[i]["box"][0])  # label before value
        truth = squash("".join(item.labels[i]["text"] for i in members))
        got = "".join(
            ln.text for i in members for ln in sorted(by_label.get(i, []), key=lambda ln: ln.box.x0)
        )
        errors += edit_distance(truth, squash(got))
        chars += len(truth)
    score.errors += errors
    score.chars += chars
    score.junk_lines += len(by_label.get(-1, []))
    kind = score.by_kind.setdefault(item.kind, [0, 0])
    kind[0] += errors
    kind[1] += chars
    score.worst.append((errors / max(chars, 1), f"#{item.index} {item.kind} {item.params}"))


def truth_chat(item: Item) -> list[dict[str, Any]]:
    """Messages from the labels: side, joined text, time (from the stamp row above), box."""
    messages: dict[int, dict[str, Any]] = {}
    stamp: str | None = None
    for lb in sorted(item.labels, key=lambda lb: lb["box"][1]):
        if lb["role"] == "time":
            stamp = parse_chat_time(lb["text"], item.reference)
        elif lb["role"] == "message":
            m = messages.setdefault(
                lb["message_index"],
                {"side": lb["side"], "text": "", "time": stamp, "boxes": []},
            )
            m["text"] += lb["text"]
            m["boxes"].append(lb["box"])
    return list(messages.values())


def score_chat(item: Item, lines: Sequence[OcrLine], width: int, height: int, sc: Score) -> None:
    truth = truth_chat(item)
    parsed = parse_chat(lines, width, height, reference=item.reference)
    for t in truth:
        best, best_area = None, 0.0
        for m in parsed.messages:
            assert m.box is not None
            mb = (m.box.x0, m.box.y0, m.box.x1, m.box.y1)
            area = sum(overlap(mb, b) for b in t["boxes"])
            if area > best_area:
                best, best_area = m, area
        sc.sides += 1
        sc.times += 1
        if best is not None and best.side.value == t["side"]:
            sc.sides_right += 1
        if best is not None and best.time == t["time"]:
            sc.times_right += 1
    truth_text = "\n".join(t["text"] for t in truth)
    # Timestamp rows are system messages of their own; the labels hold bubbles only.
    ocr_text = "\n".join(m.text for m in parsed.messages if m.side.value != "system")
    add_values(truth_text, ocr_text, item, sc)


def score_bill(item: Item, lines: Sequence[OcrLine], sc: Score) -> None:
    rows: dict[Any, list[dict[str, Any]]] = {}
    for lb in item.gt_lines():
        rows.setdefault(lb.get("row_index", f"h{lb['box'][1]}"), []).append(lb)
    truth_text = "\n".join(
        " ".join(lb["text"] for lb in sorted(r, key=lambda lb: lb["box"][0]))
        for r in sorted(rows.values(), key=lambda r: r[0]["box"][1])
    )
    # Only the OCR lines on the evidence part of the page: chrome is not scored on either side.
    by_label = assign(lines, item.labels)
    kept = [
        ln
        for i, group in by_label.items()
        if i >= 0 and item.labels[i]["role"] != "chrome"
        for ln in group
    ]
    ocr_text = "\n".join(" ".join(ln.text for ln in row) for row in group_rows(kept))
    add_values(truth_text, ocr_text, item, sc)


def add_values(truth_text: str, ocr_text: str, item: Item, sc: Score) -> None:
    ta, td = extract_values(truth_text, item.reference)
    oa, od = extract_values(ocr_text, item.reference)
    sc.amounts.add(ta, oa)
    sc.dates.add(td, od)


def run(engine_name: str, items: list[Item]) -> Score:
    engine = get_engine(engine_name)
    sc = Score(engine=f"{engine.name} {engine.version}")
    for item in items:
        t0 = time.perf_counter()
        result = read_image(engine, item.image)
        sc.seconds += time.perf_counter() - t0
        sc.images += 1
        score_cer(item, result.lines, sc)
        if item.kind == "chat":
            score_chat(item, result.lines, result.width, result.height, sc)
        else:
            score_bill(item, result.lines, sc)
    return sc


def report(scores: list[Score], items: list[Item]) -> None:
    kinds = Counter(i.kind for i in items)
    print(f"corpus: {len(items)} images ({dict(kinds)}), widths/fonts/JPEG q/scales varied")
    for sc in scores:
        ap, ar, af = sc.amounts.figures()
        dp, dr, df = sc.dates.figures()
        print(f"\n== {sc.engine}")
        print(f"CER            {sc.errors / sc.chars:.2%}  ({sc.errors} errors / {sc.chars} chars)")
        for kind, (e, c) in sorted(sc.by_kind.items()):
            print(f"  CER {kind:5}    {e / max(c, 1):.2%}")
        print(f"junk lines     {sc.junk_lines / sc.images:.1f} per image (avatars, icons)")
        print(f"amounts        P {ap:.3f}  R {ar:.3f}  F1 {af:.3f}")
        print(f"dates          P {dp:.3f}  R {dr:.3f}  F1 {df:.3f}")
        if sc.sides:
            print(f"message side   {sc.sides_right / sc.sides:.1%}  ({sc.sides_right}/{sc.sides})")
            print(f"message time   {sc.times_right / sc.times:.1%}  ({sc.times_right}/{sc.times})")
        print(f"seconds/image  {sc.seconds / sc.images:.2f}")
        for cer, what in sorted(sc.worst, reverse=True)[:3]:
            print(f"  worst CER {cer:.1%}  {what}")
    if len(scores) == 2:
        a, b = scores
        print(
            f"\n{b.engine.split()[0]} / {a.engine.split()[0]}: "
            f"CER ×{(b.errors / b.chars) / max(a.errors / a.chars, 1e-9):.1f}, "
            f"time ×{b.seconds / a.seconds:.2f}"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (all engines loaded): {rss:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=40, help="corpus size (default 40)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--engines", default="rapidocr,tesseract")
    args = ap.parse_args()
    items = list(make_corpus(args.n, args.seed))
    scores = [run(name, items) for name in args.engines.split(",")]
    report(scores, items)


if __name__ == "__main__":
    main()
