"""Ranges and durations: ``3月1日至3月5日`` is one range, not two dates; ``3天`` is a length of
time, not a date.

A range is two date mentions joined by 至 / 到 / ~ / - (optionally 从 … 起 around them); the
end may be written as a day alone (``3月1日至5日``: the end takes the start's month). A
duration is a number with a unit of time and no 前/后 after it (those are offsets, read as
dates by :mod:`.dates`).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from .dates import FoundDate
from .numerals import parse_chinese_integer
from .spans import SpanSet


class FoundRange(NamedTuple):
    start: int
    end: int
    first: str  # ISO value of the start
    last: str  # ISO value of the end


class FoundAmountRange(NamedTuple):
    start: int
    end: int
    low: Decimal
    high: Decimal
    currency: str
    high_index: int  # the amount that is the range's upper end (taken out of the amounts)


_AMOUNT_LEFT = re.compile(
    r"(?<![0-9.,])(?P<n>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    r"\s?(?P<mul>万|千|百|k|K|w)?\s?(?:[(（]含[)）])?\s?(?:-|~|～|至|到)\s?\Z"
)
# The amount after it already took the dash as its sign: 1万(含)-5万元.
_AMOUNT_LEFT_SIGNED = re.compile(_AMOUNT_LEFT.pattern.replace(r"(?:-|~|～|至|到)\s?", ""))
_MULS = {"万": 10_000, "千": 1000, "百": 100, "k": 1000, "K": 1000, "w": 10_000}


def amount_ranges(
    text: str, amounts: list[tuple[int, int, Decimal, str]]
) -> list[FoundAmountRange]:
    """``1000-2000元``, ``1-2万元``, ``10k~15k``: a bare number joined to the amount after it."""
    out: list[FoundAmountRange] = []
    for i, (start, end, value, currency) in enumerate(amounts):
        if text.startswith("-", start) and value < 0:
            m = _AMOUNT_LEFT_SIGNED.search(text, max(0, start - 24), start)
            value = -value
        else:
            m = _AMOUNT_LEFT.search(text, max(0, start - 24), start)
        if m is None:
            continue
        try:
            low = Decimal(m["n"].replace(",", ""))
        except InvalidOperation:
            continue
        if m["mul"]:
            low *= _MULS[m["mul"]]
        else:
            written = text[start:end]
            for ch, mul in _MULS.items():
                if ch in written:  # 1-2万元: the 万 is written once, for both ends
                    low *= mul
                    break
        if low.is_zero() or low >= value:
            continue
        if low == low.to_integral_value():
            low = low.quantize(Decimal(1))
        out.append(FoundAmountRange(m.start(), end, low, value, currency, i))
    return out


class FoundDuration(NamedTuple):
    start: int
    end: int
    value: str  # ISO 8601 duration: P3D, P2M, PT40M


_JOIN = re.compile(r"\s{0,2}(?:至|到|~|～|-|—|–|直到|截至)\s{0,2}(?:次日)?\s{0,2}\Z")
_FROM = re.compile(r"(?:从|自|由)\s?\Z")


def split_ranges(text: str, dates: list[FoundDate]) -> tuple[list[FoundDate], list[FoundRange]]:
    """Dates joined into ranges are taken out of ``dates`` and returned as ranges."""
    kept: list[FoundDate] = []
    ranges: list[FoundRange] = []
    i = 0
    while i < len(dates):
        a = dates[i]
        b = dates[i + 1] if i + 1 < len(dates) else None
        if b is not None and b.start - a.end <= 6 and _JOIN.search(text, a.end, b.start):
            last = _complete_end(a, b)
            if last is not None and last >= a.value[: len(last)]:
                start = a.start
                f = _FROM.search(text, max(0, start - 2), start)
                if f:
                    start = f.start()
                ranges.append(FoundRange(start, b.end, a.value, last))
                i += 2
                continue
        kept.append(a)
        i += 1
    return kept, ranges


def _complete_end(a: FoundDate, b: FoundDate) -> str | None:
    """The end's value; a day written alone (5日) takes the start's year and month, and a
    time alone (16:30) the start's day."""
    if b.kind == "dom":
        try:
            d = date(int(a.value[:4]), int(a.value[5:7]), int(b.value[8:10]))
        except ValueError:
            return None
        return d.isoformat() + b.value[10:]
    if b.kind == "time" and "T" in b.value:
        return a.value[:10] + b.value[10:]
    if b.kind == "md" and a.kind.startswith("ymd"):
        # 2019年6月1日-6月30日: the end is in the start's year (or the next, if it wraps)
        for year in (int(a.value[:4]), int(a.value[:4]) + 1):
            cand = f"{year:04d}{b.value[4:]}"
            try:
                date.fromisoformat(cand[:10])
            except ValueError:
                continue
            if cand >= a.value[: len(cand)]:
                return cand
    return b.value


_UNITS = {
    "年": "Y",
    "个月": "M",
    "月": "M",
    "个星期": "W",
    "星期": "W",
    "周": "W",
    "天": "D",
    "日": "D",
    "个小时": "H",
    "小时": "H",
    "分钟": "M",
    "秒": "S",
    "秒钟": "S",
}
_DURATION = re.compile(
    r"(?<![0-9.])(?P<n>[0-9]{1,4}(?:\.[0-9])?|[一二三四五六七八九十两百半]{1,4})\s?"
    r"(?P<unit>个月|个星期|个小时|小时|分钟|秒钟|年|月|星期|周|天|日|秒)"
    r"(?P<half>半)?(?!前|后|以前|以后|之前|之后|[0-9]|号|份|底|初|末)"
)
# Where a number with a time unit is a length of time (逾期15天, 通话3分钟, 分12期…).
_DURATION_CUE = re.compile(
    r"(?:逾期|延期|宽限|拖欠|通话|时长|持续|用时|已经|已|共|近|满|超过|超|达|逾|过去|未来|"
    r"最近|长达|大约|约|了|续|期限|为期|缓|分)\s?\Z"
)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans joined, so a SpanSet can hold them."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def find_durations(text: str, taken: list[tuple[int, int]]) -> list[FoundDuration]:
    """Lengths of time written with a cue before them or 内/以内 after (``逾期15天``,
    ``3天内``, ``通话12分钟``), outside the spans already ``taken`` by dates."""
    out: list[FoundDuration] = []
    if not any(u in text for u in ("年", "月", "周", "星期", "天", "日", "时", "分", "秒")):
        return out
    blocked: SpanSet | None = None  # built only when a candidate shows up
    for m in _DURATION.finditer(text):
        if blocked is None:
            blocked = SpanSet(_merged(taken))
        if blocked.overlaps(m.start(), m.end()):
            continue
        cue = _DURATION_CUE.search(text, max(0, m.start() - 3), m.start())
        inside = text.startswith(("内", "以内", "之内", "多", "左右"), m.end())
        if not (cue or inside):
            continue
        unit = m["unit"]
        if unit in ("月", "日") and not inside and not cue:
            continue
        if unit == "月" and not inside:
            continue  # 3月 is March unless 3月内
        n_txt = m["n"]
        n: float | None
        if n_txt == "半":
            n = 0.5
        elif n_txt.replace(".", "").isdigit():
            n = float(n_txt)
        else:
            n = parse_chinese_integer(n_txt)
        if n is None:
            continue
        if m["half"]:
            n += 0.5
        code = _UNITS[unit]
        amount = int(n) if n == int(n) else n
        value = f"PT{amount}{code}" if code in ("H", "S") or unit == "分钟" else f"P{amount}{code}"
        out.append(FoundDuration(m.start(), m.end(), value))
    return out
