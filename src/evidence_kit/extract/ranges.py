"""Ranges and durations: ``3月1日至3月5日`` is one range, not two dates; ``3天`` is a length of
time, not a date.

A range is two date mentions joined by 至 / 到 / ~ / - (optionally 从 … 起 around them); the
end may be written as a day alone (``3月1日至5日``: the end takes the start's month). Nothing
but the joiner (and a part of the day left over after the start) may stand between the two;
hours joined after a day (``大前天晚上9~11点``) are on that day, the part of the day written
once for both. A
duration is a number with a unit of time and no 前/后 after it (those are offsets, read as
dates by :mod:`.dates`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
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


# the whole gap between the two ends (晚上9~11点 is not 晚上 joined to 11点)
# (a part of the day or 时 left over after the start may stand in it: 11:00时至, 前天晚上到)
_JOIN = re.compile(
    r"(?:时|点|凌晨|早上|早晨|清晨|上午|中午|下午|傍晚|晚上|夜里|夜间|深夜|半夜|晚|早|夜)?"
    r"\s{0,2}起?\s{0,2}(?:至|到|~|～|-|—|–|直到|截至)\s{0,2}(?:次日)?\s{0,2}\Z"
)
_FROM = re.compile(r"(?:从|自|由)\s?\Z")
# 1月15号4点和2月3号9点之间: two dates and 之间 after them
_AND = re.compile(r"\s{0,2}(?:和|与|跟|及)\s{0,2}\Z")
# 9~12点半: an hour alone before the joiner takes the end's day
_HOUR_LEFT = re.compile(
    r"(?<![0-9:.])(?P<h>[01]?[0-9]|2[0-3]|[一二三四五六七八九十]{1,3})[点时]?"
    r"\s{0,2}(?:至|到|~|～|-|—)\s{0,2}\Z"
)
_PM_BEFORE = re.compile(r"(?:下午|傍晚|晚上|晚)\s?的?\Z")
_PERIOD_WRITTEN = re.compile(r"凌晨|早|上午|中午|下午|傍晚|晚|夜|[AaPp]\.?[Mm]")


def split_ranges(text: str, dates: list[FoundDate]) -> tuple[list[FoundDate], list[FoundRange]]:
    """Dates joined into ranges are taken out of ``dates`` and returned as ranges."""
    kept: list[FoundDate] = []
    ranges: list[FoundRange] = []
    i = 0
    while i < len(dates):
        a = dates[i]
        b = dates[i + 1] if i + 1 < len(dates) else None
        if b is not None and b.start - a.end <= 6:
            joined = _JOIN.match(text, a.end, b.start) is not None
            between = (
                not joined
                and _AND.match(text, a.end, b.start) is not None
                and text.startswith("之间", b.end)
            )
            last = _complete_end(a, b, text) if joined or between else None
            if last is not None and last >= a.value[: len(last)]:
                start = a.start
                f = _FROM.search(text, max(0, start - 2), start)
                if f:
                    start = f.start()
                end = b.end + 2 if between else b.end
                ranges.append(FoundRange(start, end, a.value, last))
                i += 2
                continue
        if b is not None and "T" not in a.value and "/" not in a.value and a.kind != "time":
            on_day = _hour_before(text, b)
            if on_day is not None and 0 <= on_day.start - a.end <= 1:
                # 大前天晚上9~11点: the hours are on the day written before them
                day = a.value[:10]
                first, last = day + on_day.first[10:], day + on_day.last[10:]
                ranges.append(FoundRange(a.start, on_day.end, first, last))
                i += 2
                continue
        if a.kind == "mstart":  # a month before a joiner with no date after it
            i += 1
            continue
        hour_range = _hour_before(text, a)
        if hour_range is not None:
            ranges.append(hour_range)
            i += 1
            continue
        kept.append(a)
        i += 1
    return kept, ranges


def _hour_before(text: str, d: FoundDate) -> FoundRange | None:
    """``9~12点半``: a bare hour joined to a time is the range's start on the time's day."""
    if d.kind != "time" or "T" not in d.value:
        return None
    m = _HOUR_LEFT.search(text, max(0, d.start - 8), d.start)
    if m is None:
        return None
    h = int(m["h"]) if m["h"].isdigit() else parse_chinese_integer(m["h"])
    end_hour = int(d.value[11:13])
    if h is None or h > 23:
        return None
    end_value = d.value
    start = m.start()
    pm = _PM_BEFORE.search(text, max(0, start - 3), start)
    if pm is not None:  # 晚上9~11点: the period written once, before both
        start = pm.start()
        if h < 12:
            h += 12
        if end_hour < 12:
            end_hour += 12
            end_value = f"{d.value[:11]}{end_hour:02d}{d.value[13:]}"
    elif end_hour >= 12 and h < 12 and h + 12 <= end_hour:
        h += 12  # 9~11点 with the end's period: 下午1~3点 is read at the end
    if h > end_hour:
        return None
    return FoundRange(start, d.end, f"{d.value[:11]}{h:02d}:00:00", end_value)


def _complete_end(a: FoundDate, b: FoundDate, text: str = "") -> str | None:
    """The end's value; a day written alone (5日) takes the start's year and month, and a
    time alone (16:30) the start's day (and its afternoon: 下午1点到3点 ends at 15:00)."""
    if b.kind == "dom":
        try:
            d = date(int(a.value[:4]), int(a.value[5:7]), int(b.value[8:10]))
        except ValueError:
            return None
        return d.isoformat() + b.value[10:]
    if b.kind == "time" and "T" in b.value:
        end = a.value[:10] + b.value[10:]
        midnight = b.value[11:] == "00:00:00" or (
            b.value[11:] == "12:00:00" and not _PERIOD_WRITTEN.search(text, b.start, b.end)
        )
        if "T" in a.value and midnight and end < a.value:
            # 晚上十一点到十二点: midnight at the end of the start's day
            return (date.fromisoformat(a.value[:10]) + timedelta(days=1)).isoformat() + "T00:00:00"
        if (
            "T" in a.value
            and end < a.value
            and int(b.value[11:13]) < 12
            and not _PERIOD_WRITTEN.search(text, b.start, b.end)
        ):
            end = f"{end[:11]}{int(b.value[11:13]) + 12:02d}{end[13:]}"
        return end
    if b.kind == "md" and (a.kind.startswith("ymd") or a.kind == "md"):
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
