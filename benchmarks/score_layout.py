"""Scoring the way the project owners score (issue 9): labels vs `show ID --json` outputs.

- amounts: multiset of absolute CNY values per image (every occurrence counts);
- dates: a prediction matches a label on the same day, and on the same minute where both have
  a time; each prediction is used once; ``????-MM-DD`` labels match any year;
- messages: top to bottom, matched by their first characters, scored on side and time.

Pure functions over plain dicts, so the kit and the plain RapidOCR + jionlp pipeline are scored
by the same code.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

_NOISE = re.compile(r"[\s\W_]+", re.U)


def money_key(value: Any) -> str | None:
    try:
        d = abs(Decimal(str(value).replace(",", "")))
    except (InvalidOperation, ValueError):
        return None
    text = format(d.normalize(), "f")
    return text


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


def score_amounts(gold: Iterable[str], pred: Iterable[str]) -> tuple[int, int, int]:
    g = Counter(k for k in (money_key(x) for x in gold) if k)
    p = Counter(k for k in (money_key(x) for x in pred) if k)
    tp = sum((g & p).values())
    return tp, sum(p.values()) - tp, sum(g.values()) - tp


def _split(iso: str) -> tuple[str, str | None]:
    day, _, rest = iso.partition("T")
    return day[:10], (rest[:5] if rest else None)


def date_matches(gold: str, pred: str) -> bool:
    gd, gt = _split(gold)
    pd, pt = _split(pred)
    if gd.startswith("????"):
        if gd[4:] != pd[4:10]:
            return False
    elif gd != pd:
        return False
    return gt is None or pt is None or gt == pt


def score_dates(gold: Sequence[str], pred: Sequence[str]) -> tuple[int, int, int]:
    unused = list(pred)
    tp = 0
    # Labels with a time first, so a bare-day prediction is not spent on them needlessly.
    for g in sorted(gold, key=lambda x: "T" not in x):
        for i, p in enumerate(unused):
            exact_time = "T" not in g or ("T" in p and date_matches(g, p))
            if date_matches(g, p) and exact_time:
                del unused[i]
                tp += 1
                break
        else:
            for i, p in enumerate(unused):
                if date_matches(g, p):
                    del unused[i]
                    tp += 1
                    break
    return tp, len(unused), len(gold) - tp


def _norm(text: str) -> str:
    words = _NOISE.sub("", text or "")
    if words:
        return words
    # A message of marks only (``...``, ``？``) is its marks, three dots one ellipsis: else it
    # would be empty and match nothing.
    return re.sub(r"\s+", "", text or "").replace("...", "…").replace("。。。", "…")


@dataclass
class MessageScore:
    total: int = 0
    matched: int = 0
    side_ok: int = 0
    timed: int = 0
    time_ok: int = 0
    sides: Counter[str] = field(default_factory=Counter)

    @property
    def side(self) -> float:
        return self.side_ok / self.total if self.total else 1.0

    @property
    def time(self) -> float:
        return self.time_ok / self.timed if self.timed else 1.0


def score_messages(
    gold: Sequence[dict[str, Any]], pred: Sequence[dict[str, Any]], out: MessageScore
) -> None:
    """Gold messages in order against predictions in order, by their first characters."""
    pos = 0
    for g in gold:
        out.total += 1
        gt = _norm(g["text"])
        has_time = bool(g.get("time"))
        out.timed += has_time
        k = min(4, len(gt))
        hit = None
        for i in range(pos, len(pred)):
            pt = _norm(pred[i].get("text", ""))
            if k and pt[:k] == gt[:k]:
                hit = i
                break
        if hit is None:
            continue
        pos = hit + 1
        out.matched += 1
        p = pred[hit]
        if p.get("side") == g["side"]:
            out.side_ok += 1
            out.sides[g["side"]] += 1
        if has_time and p.get("time") and date_matches(str(g["time"])[:16], str(p["time"])):
            out.time_ok += 1


def cer(gold_lines: Sequence[str], ocr_text: str) -> tuple[int, int]:
    """(missed, characters): label characters not found in order in the OCR'd text (whitespace
    removed; each label line aligned to the whole text by difflib) — a recall-style CER that
    counts dropped and misread characters, not OCR junk added elsewhere."""
    import difflib
    import unicodedata

    # Full- and half-width forms (，/ , ￥/¥) are one character to a reader: NFKC on both.
    ocr = "".join(unicodedata.normalize("NFKC", ocr_text).split())
    edits = 0
    chars = 0
    for line in gold_lines:
        g = "".join(unicodedata.normalize("NFKC", line).split())
        if not g:
            continue
        chars += len(g)
        sm = difflib.SequenceMatcher(None, ocr, g, autojunk=False)
        matched = sum(b.size for b in sm.get_matching_blocks())
        edits += len(g) - matched
    return edits, chars
