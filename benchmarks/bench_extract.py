"""Benchmark for evidence_kit.extract: accuracy, linearity, batch throughput, comparison.

    python benchmarks/bench_extract.py [--quick] [--show-misses]

(a) precision / recall / F1 of amounts (value + label, and value only) and dates (value) on the
    hand-labelled lines in benchmarks/data/text_cases.jsonl (bills, SMS, chats, collectors'
    messages, call notes, contracts; the extractor was tuned on these) and in
    text_cases_holdout.jsonl (written afterwards, scored once, not tuned on);
(b) linearity: time per KB for 10 KB, 100 KB and 1 MB of mixed text, and for adversarial inputs
    (long digit runs, long numeral runs, letter-spaced lines);
(c) batch: 10,000 JSONL lines through run_batch on one core, lines/s;
(d) the same cases scored with dateparser and jionlp, if they are installed in a separate venv
    (default /tmp/cmpvenv/bin/python, or $EXTRACT_CMP_PYTHON); "not installed" otherwise.
    jionlp gives no labels, so its amounts are scored by value only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from evidence_kit.extract import extract
from evidence_kit.extract.batch import run_batch

HERE = Path(__file__).resolve().parent
CASES = HERE / "data" / "text_cases.jsonl"
# Written after the extractor was tuned on CASES and scored once, untouched: the honest figure.
HOLDOUT = HERE / "data" / "text_cases_holdout.jsonl"
# Written after the extractor was tuned on both sets above; scored once, never tuned on.
BLIND = HERE / "data" / "text_cases_blind.jsonl"
# Written for issue 10 (composition, shorthand, foreign currencies, traditional forms, English),
# before the grammar was tuned further. First score (commit "blind2"): amount value F1 0.974,
# amount+label 0.564 (the lines label verb amounts 还 as the kit does not), date F1 0.957.
BLIND2 = HERE / "data" / "text_cases_blind2.jsonl"
# Written by the lead in a later session (40 dispute-style lines: relative days with times,
# holidays, traditional forms, English bills, glued OCR stamps, 大写 in running text; values
# only, no labels), committed before it was first scored. First score (commit e514991): amount
# values 0.969 (the one miss: -3,000.00 is read signed, the line's gold is unsigned), dates
# 0.928 (元旦之前 read as the past 元旦; 5/6 ¥500 rows not read); dates 1.000 after the fixes.
BLIND3 = HERE / "data" / "text_cases_blind3.jsonl"
# Written by a helper who had not read the extractor (60 lines, references 2024-2026), committed
# before it was first scored. Its lines also label currencies: `amounts` are CNY, `foreign`
# the others ({"value", "currency"}), `money_ranges` the 1000-2000元 spans; such a set is scored
# on value + currency and on money ranges as well. First score (this commit): amount values
# 0.925 (P 1.000, R 0.860: bare amounts after 还/转/那笔/剩下的, 两万, 一万二 in chat), dates
# 0.978 (9月12日 星期五 after 我说了 read as the past year, against its weekday).
BLIND4 = HERE / "data" / "text_cases_blind4.jsonl"
SETS = {
    "hand": CASES,
    "holdout": HOLDOUT,
    "blind": BLIND,
    "blind2": BLIND2,
    "blind3": BLIND3,
    "blind4": BLIND4,
}
CMP_PYTHON = os.environ.get("EXTRACT_CMP_PYTHON", "/tmp/cmpvenv/bin/python")


def load_cases(path: Path = CASES) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


class Score:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, expected: list, got: list) -> tuple[list, list]:
        exp, pred = Counter(expected), Counter(got)
        hit = exp & pred
        self.tp += sum(hit.values())
        missed = list((exp - hit).elements())
        extra = list((pred - hit).elements())
        self.fn += len(missed)
        self.fp += len(extra)
        return missed, extra

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def _dec(value: str) -> Decimal:
    return Decimal(value).normalize()


def _ref(case: dict) -> datetime | None:
    return datetime.fromisoformat(case["reference"]) if case["reference"] else None


def _labels_currency(cases: list[dict]) -> bool:
    return any("foreign" in c or "money_ranges" in c for c in cases)


def score_ours(cases: list[dict], show_misses: bool) -> dict[str, Score]:
    scores = {"amount+label": Score(), "amount value": Score(), "date": Score(), "range": Score()}
    with_currency = _labels_currency(cases)
    if with_currency:
        scores["amount+currency"] = Score()
        scores["money range"] = Score()
    for case in cases:
        result = extract(case["text"], reference=_ref(case))
        foreign = case.get("foreign", [])
        exp_al = [(_dec(a["value"]), a["label"]) for a in case["amounts"]]
        exp_al += [(_dec(f["value"]), None) for f in foreign]
        got_al = [(a.value.normalize(), a.label) for a in result.amounts]
        m1, x1 = scores["amount+label"].add(exp_al, got_al)
        scores["amount value"].add([v for v, _ in exp_al], [v for v, _ in got_al])
        if with_currency:
            exp_cur = [(_dec(a["value"]), "CNY") for a in case["amounts"]]
            exp_cur += [(_dec(f["value"]), f["currency"]) for f in foreign]
            got_cur = [(a.value.normalize(), a.currency) for a in result.amounts]
            mc, xc = scores["amount+currency"].add(exp_cur, got_cur)
            m1, x1 = m1 + [m for m in mc if m not in m1], x1 + [x for x in xc if x not in x1]
            scores["money range"].add(
                [(_dec(lo), _dec(hi)) for lo, hi in case.get("money_ranges", [])],
                [(_dec(r.first), _dec(r.last)) for r in result.ranges if r.currency is not None],
            )
        m2, x2 = scores["date"].add(case["dates"], [d.value for d in result.dates])
        # Two dates joined by 至/-/到 are one range (issue 10), labelled as [start, end].
        scores["range"].add(
            [tuple(r) for r in case.get("ranges", [])],
            [(r.first, r.last) for r in result.ranges if r.currency is None],
        )
        if show_misses and (m1 or x1 or m2 or x2):
            print(f"  {case['id']}: {case['text']!r}")
            for what, items in (("missed", m1 + m2), ("extra", x1 + x2)):
                if items:
                    print(f"      {what}: {items}")
    return scores


_COMPARE_SCRIPT = r"""
import json, sys, time, re, warnings
warnings.filterwarnings("ignore")
from datetime import datetime
cases = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
out = {"dateparser": None, "jionlp": None}
HAS_TIME = re.compile(r"\d:\d\d|\d点|\d时|[上下]午|晚上")
try:
    from dateparser.search import search_dates
    preds, t0 = {}, time.perf_counter()
    for c in cases:
        settings = {}
        if c["reference"]:
            settings["RELATIVE_BASE"] = datetime.fromisoformat(c["reference"])
        try:
            found = search_dates(c["text"], languages=["zh"], settings=settings) or []
        except Exception:
            found = []
        vals = []
        for text, dt in found:
            vals.append(dt.replace(microsecond=0).isoformat() if HAS_TIME.search(text)
                        else dt.date().isoformat())
        preds[c["id"]] = {"dates": vals}
    out["dateparser"] = {"preds": preds, "seconds": time.perf_counter() - t0}
except ImportError:
    pass
try:
    import io, contextlib
    with contextlib.redirect_stdout(io.StringIO()):
        from jionlp.algorithm.ner import extract_money, extract_time
    preds, t0 = {}, time.perf_counter()
    for c in cases:
        ref = datetime.fromisoformat(c["reference"]) if c["reference"] else None
        kw = {"time_base": time.mktime(ref.timetuple())} if ref else {}
        dates, amounts = [], []
        try:
            for t in extract_time(c["text"], with_parsing=True, **kw):
                d = t.get("detail") or {}
                span = d.get("time")
                if not isinstance(span, list) or len(span) != 2 or not isinstance(span[0], str):
                    continue
                a, b = (datetime.fromisoformat(x) for x in span)
                point = b if (ref and d.get("type") == "time_span" and a == ref) else a
                whole_day = point.time() == datetime.min.time() and (b - a).total_seconds() >= 86399
                if d.get("type") == "time_span" and ref and a == ref:
                    whole_day = True
                dates.append(point.date().isoformat() if whole_day else point.isoformat())
        except Exception:
            pass
        try:
            for m in extract_money(c["text"], with_parsing=True):
                num = (m.get("detail") or {}).get("num")
                if isinstance(num, str):
                    amounts.append(num)
        except Exception:
            pass
        preds[c["id"]] = {"dates": dates, "amounts": amounts}
    out["jionlp"] = {"preds": preds, "seconds": time.perf_counter() - t0}
except ImportError:
    pass
print(json.dumps(out))
"""


def score_others(cases: list[dict], path: Path) -> dict[str, dict[str, Score] | str]:
    if not Path(CMP_PYTHON).exists():
        return {"dateparser": "not installed", "jionlp": "not installed"}
    proc = subprocess.run(
        [CMP_PYTHON, "-c", _COMPARE_SCRIPT, str(path)],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if proc.returncode != 0:
        msg = f"failed to run ({proc.stderr.strip().splitlines()[-1:]})"
        return {"dateparser": msg, "jionlp": msg}
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    results: dict[str, dict[str, Score] | str] = {}
    for name in ("dateparser", "jionlp"):
        if data.get(name) is None:
            results[name] = "not installed"
            continue
        preds = data[name]["preds"]
        scores: dict[str, Score] = {"date": Score()}
        if name == "jionlp":
            scores["amount value"] = Score()
        for case in cases:
            p = preds.get(case["id"], {})
            scores["date"].add(case["dates"], p.get("dates", []))
            if "amount value" in scores:
                got = []
                for v in p.get("amounts", []):
                    try:
                        got.append(_dec(v))
                    except ArithmeticError:
                        continue
                exp = [_dec(a["value"]) for a in case["amounts"]]
                exp += [_dec(f["value"]) for f in case.get("foreign", [])]
                scores["amount value"].add(exp, got)
        scores["_seconds"] = data[name]["seconds"]  # type: ignore[assignment]
        results[name] = scores
    return results


def print_table(rows: list[tuple[str, str, Score | None, str]]) -> None:
    print(f"  {'tool':<12} {'what':<14} {'P':>6} {'R':>6} {'F1':>6}  {'tp/fp/fn':<12} note")
    for tool, what, score, note in rows:
        if score is None:
            print(f"  {tool:<12} {what:<14} {'-':>6} {'-':>6} {'-':>6}  {'':<12} {note}")
            continue
        p, r, f = score.prf()
        counts = f"{score.tp}/{score.fp}/{score.fn}"
        print(f"  {tool:<12} {what:<14} {p:6.3f} {r:6.3f} {f:6.3f}  {counts:<12} {note}")


def mixed_text(size_bytes: int, cases: list[dict]) -> str:
    parts: list[str] = []
    total = 0
    i = 0
    while total < size_bytes:
        t = cases[i % len(cases)]["text"]
        parts.append(t)
        total += len(t.encode("utf-8")) + 1
        i += 1
    return "\n".join(parts)


def time_extract(text: str, reference: datetime, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        extract(text, reference=reference)
        best = min(best, time.perf_counter() - t0)
    return best


def linearity(cases: list[dict], quick: bool) -> None:
    ref = datetime(2025, 3, 21, 23, 0)
    sizes = [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000]
    print("(b) linearity: mixed text")
    print(f"  {'size':>9} {'seconds':>9} {'ms/KB':>8}")
    for size in sizes:
        text = mixed_text(size, cases)
        secs = time_extract(text, ref, 3 if size <= 100_000 else 1)
        print(f"  {size // 1000:>7}KB {secs:9.3f} {secs * 1000 / (size / 1000):8.3f}")
    small, big = (10_000, 100_000) if quick else (100_000, 1_000_000)
    print(
        f"  adversarial inputs ({small // 1000} KB vs {big // 1000} KB; the per-KB ratio"
        " should stay ~1):"
    )
    patterns = {
        "digits": "1",
        "digit-commas": "1,",
        "numerals": "壹",
        "letter-spaced": "逾 3 ",
        "labels": "逾期金额",
        "stars": "1*",
        "spaces": " ",
        "yen-dots": "¥1.",
        "hanzi-dates": "二〇二五年",
        # no clause end anywhere: the weekday and tense rules look only near each mention
        "weekdays-run-on": "周五还款我",
        "past-month-days": "3月5日还了",
    }
    for name, unit in patterns.items():
        per_kb = []
        for size in (small, big):
            text = unit * (size // len(unit.encode("utf-8")))
            secs = time_extract(text, ref, 2 if size <= 100_000 else 1)
            per_kb.append(secs * 1000 / (size / 1000))
        ratio = per_kb[1] / per_kb[0] if per_kb[0] else float("nan")
        print(f"    {name:<14} {per_kb[0]:7.3f} → {per_kb[1]:7.3f} ms/KB  (×{ratio:.2f})")


def batch_throughput(cases: list[dict], n: int = 10_000) -> None:
    lines = []
    for i in range(n):
        c = cases[i % len(cases)]
        lines.append(json.dumps({"id": i, "text": c["text"], "reference": c["reference"]}))
    for _ in run_batch(lines[:500]):  # warm up
        pass
    t0 = time.perf_counter()
    count = sum(1 for _ in run_batch(lines))
    secs = time.perf_counter() - t0
    avg = sum(len(c["text"]) for c in cases) / len(cases)
    ours = count / secs
    print(f"(c) batch: {count} lines (avg {avg:.0f} chars) in {secs:.2f}s → {ours:,.0f} lines/s")
    jio = _jionlp_lines_per_second([json.loads(x) for x in lines[:1000]])
    if jio is None:
        print("    jionlp (same lines, money + time): not installed in this environment")
    else:
        print(
            f"    jionlp (same first 1000 lines, extract_money + extract_time): {jio:,.0f} lines/s"
            f" → the kit is {ours / jio:.1f}× faster"
        )


def _jionlp_lines_per_second(items: list[dict]) -> float | None:
    """jionlp on the same lines in this process (it must be installed in this venv)."""
    try:
        import contextlib
        import io

        with contextlib.redirect_stdout(io.StringIO()):
            import jionlp as jio  # type: ignore[import-not-found]
    except ImportError:
        return None
    base = datetime(2025, 3, 20).timestamp()
    for it in items[:50]:  # warm up (jionlp loads its dictionaries lazily)
        jio.ner.extract_money(it["text"])
        jio.ner.extract_time(it["text"], time_base=base)
    t0 = time.perf_counter()
    for it in items:
        jio.ner.extract_money(it["text"])
        jio.ner.extract_time(it["text"], time_base=base)
    return len(items) / (time.perf_counter() - t0)


def accuracy(path: Path, compare: bool, show_misses: bool) -> None:
    cases = load_cases(path)
    n_amounts = sum(len(c["amounts"]) for c in cases)
    n_dates = sum(len(c["dates"]) for c in cases)
    print(f"(a) {path.name}: {len(cases)} lines ({n_amounts} amounts, {n_dates} dates)")
    t0 = time.perf_counter()
    ours = score_ours(cases, show_misses)
    ours_secs = time.perf_counter() - t0
    if not any(a["label"] for c in cases for a in c["amounts"]):
        del ours["amount+label"]  # a set written without labels scores values only
    rows: list[tuple[str, str, Score | None, str]] = [
        ("evidence-kit", what, s, f"{ours_secs:.2f}s" if i == 0 else "")
        for i, (what, s) in enumerate(ours.items())
    ]
    if compare:
        for tool, res in score_others(cases, path).items():
            if isinstance(res, str):
                rows.append((tool, "date", None, res))
                continue
            secs = res.pop("_seconds")
            for i, (what, s) in enumerate(res.items()):
                rows.append((tool, what, s, f"{secs:.2f}s" if i == 0 else ""))  # type: ignore[arg-type]
    print_table(rows)
    print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="skip the 1 MB input and the comparison")
    ap.add_argument("--show-misses", action="store_true", help="list each case that differs")
    ap.add_argument(
        "--sets", default=",".join(SETS), help=f"comma-separated sets to score ({', '.join(SETS)})"
    )
    ap.add_argument("--accuracy-only", action="store_true", help="skip (b) and (c)")
    args = ap.parse_args()

    for name in args.sets.split(","):
        accuracy(SETS[name.strip()], not args.quick, args.show_misses)
    if args.accuracy_only:
        return None
    cases = load_cases(CASES)
    linearity(cases, args.quick)
    print()
    batch_throughput(cases)


if __name__ == "__main__":
    sys.exit(main())
