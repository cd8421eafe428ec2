"""Lengths of time anchored at the reference: windows ahead of it and spans back to it.

- windows: ``3天内``, ``15个工作日内``, ``60日内``, ``两个半月以内``, ``半小时内``,
  ``90分钟以内``, ``十三分半以内`` run from the reference to the reference plus the length
  (``2024年内`` is that year); ``本周内``, ``这个月之内``, ``今年内`` run to the end of the
  reference's week (Sunday), month or year.
  Counted in days or longer, the end is a day (``3天内还款``: by the end of that day); in
  hours, minutes or seconds, a moment. Working days (工作日) skip weekends and the official
  holidays, and count the make-up working days (调休), from the calendar the lunar-python
  library keeps (already a dependency for lunar dates); the count starts the day after the
  reference. Without a reference a window stays a duration (:mod:`.ranges`).
- spans back: ``三个月以来`` and ``三个多月以来``, ``3年半以来``, ``3年多以来`` run from the
  reference minus the length to the reference. A 多 ("more than three months") leaves the
  start unwritten; it is taken as the first day of the month (or year) the exact length
  reaches back to: later than one unit more, earlier than the exact length, as jionlp's
  suite reads it. A 半 is exact: half a month is 15 days, half a year six months.

Pure functions of a regex match and the reference; nothing here raises.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from .numerals import parse_chinese_integer

_HZ = "一二三四五六七八九十两零百"

# 3天内, 15个工作日内, 两个半月以内, 半小时内, 十三分半以内 (a window ahead of the reference).
# After 逾期/拖欠/延期 it is how long something is overdue (逾期3天内): a duration. After a
# joiner (25-35天内) it is a range of lengths. Before 有效 (验证码5分钟内有效) it is how long a
# code or an offer stays valid, not a window of the case's events.
WINDOW = re.compile(
    r"(?<![0-9.\-~～至到第])(?<!逾期)(?<!拖欠)(?<!延期)"
    rf"(?P<n>[0-9]{{1,4}}|[{_HZ}半仨俩]{{1,4}})\s?"
    r"(?P<unit>个半?月|个?半?小时|个?半?钟头|个?星期|个?礼拜|个?工作日|个?自然日|周|天|日|年|分钟?|秒钟?)"
    r"(?P<half>半)?钟?(?:之内|以内|内)(?!\s?有效)"
)

# 本周内, 这个月之内, 今年内: from the reference to the end of its week, month or year.
PERIOD_LEFT = re.compile(
    r"(?<![上下])(?:本|这个?|今)(?P<period>周|星期|礼拜|月|年)(?:之内|以内|内)(?![0-9])"
)

_UNIT = {"小时": "h", "钟头": "h", "分钟": "min", "分": "min", "秒": "s", "秒钟": "s"}
_UNIT.update({"天": "d", "日": "d", "自然日": "d", "工作日": "wd"})
_UNIT.update({"星期": "w", "礼拜": "w", "周": "w"})
_UNIT.update({"月": "m", "年": "y"})
_SECONDS = {"h": 3600, "min": 60, "s": 1}


def number(n_txt: str) -> float | None:
    """3, 十三, 两, 半, 仨 → the count; None when not one."""
    if n_txt == "半":
        return 0.5
    if n_txt == "仨":
        return 3
    if n_txt == "俩":
        return 2
    if n_txt.isdigit():
        return int(n_txt)
    return parse_chinese_integer(n_txt)


def _length(m: re.Match[str]) -> tuple[float, str] | None:
    """(count, unit kind) of a match with ``n``, ``unit`` and ``half`` groups."""
    n = number(m["n"])
    unit = m["unit"]
    kind = _UNIT.get(unit.replace("个", "").replace("半", "").replace("多", ""))
    if n is None or n <= 0 or kind is None:
        return None
    if m["half"] == "半" or "半" in unit[1:]:
        n += 0.5
    return (n, kind) if n <= 1000 else None


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, the day of the month kept where the month has it."""
    total = day.year * 12 + day.month - 1 + months
    y, mo = total // 12, total % 12 + 1
    last = 28 if mo == 2 else 30 if mo in (4, 6, 9, 11) else 31
    if mo == 2 and (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)):
        last = 29
    return date(y, mo, min(day.day, last))


def shift_months(day: date, n: float, kind: str, sign: int) -> date:
    """``day`` moved by ``n`` months or years; a half month is 15 days, a half year 6 months."""
    whole = int(n)
    if kind == "y":
        moved = add_months(day, sign * (whole * 12 + (6 if n != whole else 0)))
    else:
        moved = add_months(day, sign * whole)
        if n != whole:
            moved += timedelta(days=sign * 15)
    return moved


@lru_cache(maxsize=4096)  # the library scans a long string per day asked
def _is_workday(day: date) -> bool:
    from lunar_python.util import HolidayUtil  # a large table: loaded on first use

    holiday = HolidayUtil.getHoliday(day.year, day.month, day.day)
    if holiday is None:
        return day.weekday() < 5
    return bool(holiday.isWork())


def _after_workdays(day: date, n: int) -> date:
    """The ``n``-th working day after ``day``."""
    count = 0
    while count < n:
        day += timedelta(days=1)
        if _is_workday(day):
            count += 1
    return day


def window(m: re.Match[str], ref: datetime | None) -> tuple[str, str] | None:
    """(start, end) of a ``WINDOW`` match: the reference, and the reference plus the length
    (None without a reference, but for a year written in full)."""
    n_txt = m["n"]
    if m["unit"] == "年" and len(n_txt) == 4 and n_txt.isdigit() and 1900 <= int(n_txt) <= 2100:
        year = int(n_txt)  # 2024年内: within that year
        return date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
    length = _length(m)
    if length is None or ref is None:
        return None
    n, kind = length
    now = ref.replace(microsecond=0)
    try:
        if kind in _SECONDS:
            end: date | datetime = now + timedelta(seconds=n * _SECONDS[kind])
        elif kind in ("d", "w"):
            days = n * (7 if kind == "w" else 1)
            end = ref.date() + timedelta(days=days) if days == int(days) else now + timedelta(days)
        elif kind == "wd":
            if n != int(n) or n > 366:
                return None
            end = _after_workdays(ref.date(), int(n))
        else:
            end = shift_months(ref.date(), n, kind, 1)
    except (OverflowError, ValueError):
        return None
    return now.isoformat(), end.isoformat()


def since_start(m: re.Match[str], ref: datetime) -> str | None:
    """The start of a span back to the reference (``三个多月以来``, ``3年半以来``): the
    reference minus the length; with 多, the first day of the month or year it reaches."""
    length = _length(m)
    if length is None:
        return None
    n, kind = length
    more = "多" in m["unit"] or m["half"] == "多" or m.groupdict().get("more") == "多"
    try:
        if kind in ("m", "y"):
            start = shift_months(ref.date(), n, kind, -1)
            if more:
                start = start.replace(day=1) if kind == "m" else date(start.year, 1, 1)
            return start.isoformat() if start <= ref.date() else None
        if kind == "wd":
            return None
        secs = _SECONDS.get(kind) or (604800 if kind == "w" else 86400)
        moment = ref.replace(microsecond=0) - timedelta(seconds=n * secs)
        if not more:
            return moment.isoformat()
        if kind in ("d", "w"):
            return moment.date().isoformat()
        return moment.replace(minute=0 if kind == "h" else moment.minute, second=0).isoformat()
    except (OverflowError, ValueError):
        return None


def period_left(m: re.Match[str], ref: datetime | None) -> tuple[str, str] | None:
    """(start, end) of a ``PERIOD_LEFT`` match: the reference, and its period's last day."""
    if ref is None:
        return None
    day = ref.date()
    period = m["period"]
    if period == "年":
        end = date(day.year, 12, 31)
    elif period == "月":
        end = add_months(day.replace(day=1), 1) - timedelta(days=1)
    else:
        end = day + timedelta(days=6 - day.weekday())  # the week ends on Sunday
    return ref.replace(microsecond=0).isoformat(), end.isoformat()
