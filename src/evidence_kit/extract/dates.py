"""Dates and times in (normalised) Chinese text, resolved against an injected reference moment.

Forms: ``2025年3月21日``, ``二〇二五年三月二十一日``, ``2025-03-21 22:08``, ``2025/3/21``,
``2025.03.21``, ``3月21日`` / ``三月五日`` (year chosen near the reference), ``03-21 22:08``,
``下午3:45``, ``晚上10点``, ``22时08分``, chat stamps ``昨天 15:45``, ``前天``, ``今天``,
``星期三 10:00`` / ``周三``, and deadlines ``3月5日前`` / ``之前`` / ``以前``.

Resolution rules (no clock is read; ``reference`` is the moment the text was written or shown,
e.g. the screenshot's date):

- A month-day without a year takes the year that puts it nearest the reference, a future date
  counting double (so ``12月28日`` seen on 2025-01-10 is 2024-12-28, ``1月5日前`` seen on
  2024-12-28 is 2025-01-05). Without a reference, the year of the last full date earlier in
  the same text is the reference; with neither, no date is reported.
- ``星期三``/``周三`` alone is the last such day *before* the reference (1–7 days back: chat
  apps show a weekday only for the past week, and show the time alone for today); with a
  deadline (``周三前``) it is the next one (0–6 days ahead); ``上周三``/``本周三``/``下周三``
  count from the reference's Monday.
- Relative days (昨天 …), weekdays and times alone need a reference; without one they yield
  nothing. A time alone is on the reference's day.
- ``value`` is ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS``, naive (the text's wall time; a
  reference's time zone is ignored). Invalid dates (2025-13-45, 2月30日) are dropped.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import NamedTuple

from .numerals import parse_chinese_integer, parse_digit_sequence

# Longest first; the one-character forms follow a date directly: 3月30日晚11点, 12日早8点.
_PERIODS = "凌晨|早上|早晨|清晨|上午|中午|下午|傍晚|晚上|夜里|夜间|深夜|半夜|晚|早|夜"


def _time(p: str) -> str:
    return (
        rf"(?:(?P<{p}per>{_PERIODS})\s{{0,2}})?"
        rf"(?:(?P<{p}h>[01]?[0-9]|2[0-3]):(?P<{p}mi>[0-5][0-9])(?::(?P<{p}s>[0-5][0-9]))?"
        r"(?![0-9])"
        rf"|(?P<{p}hc>[01]?[0-9]|2[0-4])[点时]"
        rf"(?:(?P<{p}mic>[0-5]?[0-9])分?|(?P<{p}half>半)|钟)?(?![0-9]))"
    )


_CN_DIGIT = "〇○零一二三四五六七八九"
_CN_SMALL = "一二三四五六七八九十"
_FLAGS = re.ASCII

_YMD_CN = re.compile(
    r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})年(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})(?:日|号|(?![0-9]))"
    rf"(?:\s{{0,2}}{_time('t')})?",
    _FLAGS,
)
_YMD_HANZI = re.compile(
    rf"(?P<y>[{_CN_DIGIT}]{{4}})年(?P<m>[{_CN_SMALL}]{{1,3}})月(?P<d>[{_CN_SMALL}]{{1,3}})[日号]",
    _FLAGS,
)
_YMD_NUM = re.compile(
    r"(?<![0-9])(?<![0-9]\.)(?P<y>(?:19|20)[0-9]{2})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)"
    r"(?P<d>[0-9]{1,2})(?![0-9]|(?P=sep)[0-9]|\.[0-9])"
    rf"(?:(?:T|\s{{1,2}}){_time('t')})?",
    _FLAGS,
)
_MD_CN = re.compile(
    r"(?<![0-9年.])(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})(?:日|号)"
    rf"(?:\s{{0,2}}{_time('t')})?",
    _FLAGS,
)
_MD_HANZI = re.compile(
    rf"(?<![{_CN_SMALL}年])(?P<m>[{_CN_SMALL}]{{1,2}})月(?P<d>[{_CN_SMALL}]{{1,3}})[日号]",
    _FLAGS,
)
_MD_DASH = re.compile(
    r"(?<![0-9\-/.:])(?P<m>[0-9]{1,2})[-/](?P<d>[0-9]{1,2})\s{1,2}" + _time("t"),
    _FLAGS,
)
# 上个月15号, 这个月20日, 下月5号: a day of a month counted from the reference's month.
_REL_MONTH = re.compile(
    r"(?P<relm>上上个?月|上个?月|这个?月|本月|下个?月)(?P<d>[0-9]{1,2})(?:日|号)"
    rf"(?:\s{{0,2}}{_time('t')})?",
    _FLAGS,
)
_REL_MONTH_SHIFT = {"上上": -2, "上": -1, "这": 0, "本": 0, "下": 1}
_RELATIVE_DAYS: dict[str, tuple[int, str | None]] = {
    "大前天": (-3, None),
    "前天": (-2, None),
    "昨天": (-1, None),
    "昨日": (-1, None),
    "昨晚": (-1, "晚上"),
    "今天": (0, None),
    "今日": (0, None),
    "今早": (0, "早上"),
    "今晚": (0, "晚上"),
    "明天": (1, None),
    "明日": (1, None),
    "明早": (1, "早上"),
    "明晚": (1, "晚上"),
    "后天": (2, None),
    "大后天": (3, None),
}
_RELATIVE = re.compile(
    "(?P<rel>" + "|".join(sorted(_RELATIVE_DAYS, key=len, reverse=True)) + ")"
    rf"(?:\s{{0,2}}{_time('t')})?",
    _FLAGS,
)
_WEEKDAY = re.compile(
    r"(?<!每)(?P<wkpre>上个?|下个?|本|这个?)?(?:星期|周|礼拜)(?P<wd>[一二三四五六日天1-7])"
    rf"(?:\s{{0,2}}{_time('t')})?",
    _FLAGS,
)
_TIME_ALONE = re.compile(r"(?<![0-9:.第])" + _time("t"), _FLAGS)
_DURATION_BEFORE = re.compile(r"(?:语音|时长|通话|录音|用时|耗时|计时)\]?\s{0,3}\Z")
_DEADLINE_AFTER = re.compile(r"\s?(?:之前|以前|前)(?!天)")

_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_EVENING = ("晚上", "夜里", "夜间", "深夜", "半夜", "晚", "夜")


class _Cand(NamedTuple):
    start: int
    end: int
    kind: str
    match: re.Match[str]


# (kind, pattern, strings one of which must be in the text for the pattern to have a chance):
# a cheap `in` test spares most regex passes on short lines.
_PATTERNS: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("ymd", _YMD_CN, ("年",)),
    ("ymd_hanzi", _YMD_HANZI, ("年",)),
    ("ymd", _YMD_NUM, ("-", "/", ".")),
    ("md", _MD_CN, ("月",)),
    ("md_hanzi", _MD_HANZI, ("月",)),
    ("md", _MD_DASH, ("-", "/")),
    ("rel", _RELATIVE, ("天", "日", "晚", "早")),
    ("relm", _REL_MONTH, ("月",)),
    ("wd", _WEEKDAY, ("周", "星期", "礼拜")),
    ("time", _TIME_ALONE, (":", "点", "时")),
)


class FoundDate(NamedTuple):
    start: int
    end: int
    value: str
    is_deadline: bool


def find_dates(text: str, reference: datetime | None = None) -> list[FoundDate]:
    """Dates in normalised ``text`` (offsets into it), resolved against ``reference``."""
    cands: list[_Cand] = []
    for kind, pattern, needs in _PATTERNS:
        if not any(n in text for n in needs):
            continue
        for m in pattern.finditer(text):
            if m.end() > m.start():
                cands.append(_Cand(m.start(), m.end(), kind, m))
    cands.sort(key=lambda c: (c.start, -c.end))

    ref: datetime | None = None
    if isinstance(reference, datetime):
        ref = reference.replace(tzinfo=None)
    elif isinstance(reference, date):  # a bare date is accepted too: midnight
        ref = datetime(reference.year, reference.month, reference.day)
    context: datetime | None = None  # the last full date seen, for years when no reference
    out: list[FoundDate] = []
    last_end = -1
    for c in cands:
        if c.start < last_end:
            continue
        if c.kind == "time" and _DURATION_BEFORE.search(text, max(0, c.start - 8), c.start):
            continue  # [语音] 0:58, 通话时长 03:12 are durations
        day = _resolve_day(c, ref, context)
        if day is None:
            continue
        deadline_m = _DEADLINE_AFTER.match(text, c.end)
        deadline = deadline_m is not None
        if c.kind == "wd" and ref is not None:
            day = _weekday(c.match, ref.date(), deadline)
        clock = _clock(c.match, "t")
        if clock is None and c.kind == "time":
            continue
        if clock is not None:
            hour, minute, second = clock
            if hour == 24:
                day += timedelta(days=1)
                hour = 0
            value = datetime(day.year, day.month, day.day, hour, minute, second).isoformat()
        else:
            value = day.isoformat()
        if c.kind in ("ymd", "ymd_hanzi"):
            context = datetime(day.year, day.month, day.day)
        end = deadline_m.end() if deadline_m else c.end
        out.append(FoundDate(c.start, end, value, deadline))
        last_end = end
    return out


def _resolve_day(c: _Cand, ref: datetime | None, context: datetime | None) -> date | None:
    m = c.match
    try:
        if c.kind == "ymd":
            return date(int(m["y"]), int(m["m"]), int(m["d"]))
        if c.kind == "ymd_hanzi":
            y = parse_digit_sequence(m["y"])
            mo = parse_chinese_integer(m["m"])
            d = parse_chinese_integer(m["d"])
            if y is None or mo is None or d is None:
                return None
            return date(y, mo, d)
    except ValueError:
        return None
    if c.kind in ("md", "md_hanzi"):
        near = ref or context
        if near is None:
            return None
        if c.kind == "md":
            return _near_year(int(m["m"]), int(m["d"]), near.date())
        mo = parse_chinese_integer(m["m"])
        d = parse_chinese_integer(m["d"])
        return None if mo is None or d is None else _near_year(mo, d, near.date())
    if ref is None:
        return None
    if c.kind == "rel":
        return ref.date() + timedelta(days=_RELATIVE_DAYS[m["rel"]][0])
    if c.kind == "relm":
        shift = _REL_MONTH_SHIFT[m["relm"][:2] if m["relm"].startswith("上上") else m["relm"][:1]]
        months = ref.year * 12 + ref.month - 1 + shift
        try:
            return date(months // 12, months % 12 + 1, int(m["d"]))
        except ValueError:  # 上个月31号 in a 30-day month
            return None
    # weekday (refined by the caller) and time alone: the reference's day
    return ref.date()


def _near_year(month: int, day: int, ref: date) -> date | None:
    best: date | None = None
    best_cost = 0
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            cand = date(year, month, day)
        except ValueError:
            continue
        delta = (cand - ref).days
        cost = delta * 2 if delta > 0 else -delta
        if best is None or cost < best_cost:
            best, best_cost = cand, cost
    return best


def _weekday(m: re.Match[str], ref: date, deadline: bool) -> date:
    wd_char = m["wd"]
    wd = int(wd_char) - 1 if wd_char.isdigit() else _WEEKDAYS[wd_char]
    pre = (m["wkpre"] or "")[:1]
    monday = ref - timedelta(days=ref.weekday())
    if pre == "上":
        return monday - timedelta(days=7 - wd)
    if pre == "下":
        return monday + timedelta(days=7 + wd)
    if pre in ("本", "这"):
        return monday + timedelta(days=wd)
    if deadline:
        return ref + timedelta(days=(wd - ref.weekday()) % 7)
    back = (ref.weekday() - wd) % 7 or 7
    return ref - timedelta(days=back)


def _clock(m: re.Match[str], p: str) -> tuple[int, int, int] | None:
    """(hour, minute, second) of the time part, hour 24 meaning midnight at the day's end."""
    gd = m.groupdict()
    if gd.get(p + "h") is not None:
        hour, minute = int(gd[p + "h"]), int(gd[p + "mi"])
        second = int(gd[p + "s"]) if gd.get(p + "s") else 0
    elif gd.get(p + "hc") is not None:
        hour = int(gd[p + "hc"])
        minute = 30 if gd.get(p + "half") else int(gd.get(p + "mic") or 0)
        second = 0
        if minute > 59 or (hour == 24 and minute):
            return None
    else:
        return None
    period = gd.get(p + "per")
    rel = gd.get("rel")
    if period is None and rel:
        period = _RELATIVE_DAYS[rel][1]
    if period in ("下午", "傍晚") and hour < 12:
        hour += 12
    elif period in _EVENING:
        if 6 <= hour < 12:
            hour += 12
        elif hour == 12:
            hour = 24
    elif period == "中午" and 1 <= hour <= 3:
        hour += 12
    elif period == "凌晨" and hour == 12:
        hour = 0
    return hour, minute, second
