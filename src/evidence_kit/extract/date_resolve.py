"""Turning one matched form (a lunar date, a holiday, an offset, a clock time ...) into its day or
moment."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from .date_forms import (
    _EVENING,
    _HOLIDAYS,
    _LUNAR_FESTIVALS,
    _RELATIVE_DAYS,
    _WEEKDAYS,
    _has_year,
    _int,
    _ymd,
)
from .numerals import parse_digit_sequence


def _year_of(m: re.Match[str], near: datetime | None) -> int | None:
    """The year a ``_YEAR_PART`` names (2023年, 二零二零年, 20年, 去年), or None."""
    if m["y"]:
        yy = int(m["y"])
        if yy >= 100:
            return yy
        now = near.year if near is not None else 2000 + yy
        return 2000 + yy if 2000 + yy <= now + 10 else 1900 + yy
    if m["yh"]:
        return parse_digit_sequence(m["yh"])
    if m["yrel"] and near is not None:
        return near.year + {"今年": 0, "去年": -1, "明年": 1, "前年": -2, "后年": 2}[m["yrel"]]
    return None


_LUNAR_MONTHS = {"正": 1, "冬": 11, "腊": 12}


def _lunar(m: re.Match[str], near: datetime | None, shift: int = 0) -> date | None:
    """A lunar date as it falls in the solar calendar (lunar_python, loaded on first use).
    Without a year: in the lunar year of the reference (moved by ``shift`` years)."""
    if m["fest"]:
        month, day = _LUNAR_FESTIVALS[m["fest"]]
        leap = False
    elif m["bd"]:
        month, leap = (12, False) if m["bd"] == "三十" else (1, False)
        day = 0 if m["bd"] == "三十" else (_int(m["bd"][1:]) or 0)
    else:
        lm, ld = m["lm"], m["ld"]
        leap = lm.startswith("闰")
        lm = lm.lstrip("闰")
        day = (_int(ld[1:]) if ld.startswith("初") else _int(ld)) or 0
        written = (
            m["nl"]
            or leap
            or lm in _LUNAR_MONTHS
            or ld[0] in "初廿"
            or (not ld.isdigit() and not m["ldsuf"] and day > 10)
        )
        if not written:
            return None  # 3月21日 is a solar date
        month = _LUNAR_MONTHS.get(lm) or _int(lm) or 0
        if not 1 <= month <= 12 or not 1 <= day <= 30:
            return None
    year = _year_of(m, near)
    if m["y2"]:
        year = int(m["y2"])
    try:
        from lunar_python import Lunar, LunarMonth, Solar

        if year is None:
            if near is None:
                return None
            year = Solar.fromYmd(near.year, near.month, near.day).getLunar().getYear() + shift
        if not 1901 <= year <= 2099:
            return None
        if day == 0:  # 除夕, 大年三十: the twelfth month's last day (29 or 30)
            day = LunarMonth.fromYm(year, 12).getDayCount()
        if day == 30 and LunarMonth.fromYm(year, -month if leap else month).getDayCount() < 30:
            return None
        solar = Lunar.fromYmd(year, -month if leap else month, day).getSolar()
        return date(solar.getYear(), solar.getMonth(), solar.getDay())
    except Exception:  # a month the library does not know (a leap month that year lacks)
        return None


def _month_start(m: re.Match[str], near: datetime | None) -> date | None:
    """The first day of the month a ``_MONTH_START`` match names (without a year: the
    nearest such month)."""
    month = _int(m["m"])
    if month is None or not 1 <= month <= 12:
        return None
    if m["y"]:
        return date(int(m["y"]), month, 1)
    if near is None:
        return None
    if m["yrel"]:
        return date(near.year + {"今年": 0, "去年": -1, "明年": 1, "前年": -2}[m["yrel"]], month, 1)
    return _near_year(month, 1, near.date())


def _coarse_deadline(m: re.Match[str], near: datetime | None) -> date | None:
    """The last day of the year or month before which something is due (2025年前: 2025-12-31,
    明年6月之前: the next year's 30 June; a month without a year is the nearest such month)."""
    gd = m.groupdict()
    if not (gd["y"] or gd["yh"] or gd["yrel"] or gd["m"]):
        return None
    year = int(m["y"]) if m["y"] else parse_digit_sequence(m["yh"]) if m["yh"] else None
    if m["yrel"]:
        if near is None:
            return None
        year = near.year + {"今年": 0, "明年": 1, "后年": 2}[m["yrel"]]
    month = _int(m["m"])
    if month is None:
        return None if year is None or not 1 <= year <= 9999 else date(year, 12, 31)
    if not 1 <= month <= 12:
        return None
    if year is None:
        first = _near_year(month, 1, near.date()) if near is not None else None
        if first is None:
            return None
        year = first.year
    if not 1 <= year <= 9998:
        return None
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def _since_start(m: re.Match[str], ref: datetime) -> date | None:
    """The first day of the year or month a ``_SINCE_COARSE`` match starts from; a month
    without a year is the last one not after the reference (从9月起 in June: last September)."""
    if m["mrel"]:
        w = m["mrel"]
        shift = -2 if w.startswith("上上") else -1 if w.startswith("上") else 0
        months = ref.year * 12 + ref.month - 1 + shift
        return date(months // 12, months % 12 + 1, 1)
    month = _int(m["m"] or m["m2"])
    if month is not None and not 1 <= month <= 12:
        return None
    year = _year_of(m, ref)
    if year is None:
        if month is None:
            return None
        year = ref.year if month <= ref.month else ref.year - 1
    if not 1 <= year <= 9999:
        return None
    return date(year, month or 1, 1)


def _part_of_year(m: re.Match[str], near: datetime | None) -> tuple[date, date] | None:
    """上半年 → (1 Jan, 30 Jun); 第三季度 → (1 Jul, 30 Sep); 下半月 → (16th, month end)."""
    year = _year_of(m, near)
    if m["hm"]:
        if near is None or _has_year(m):
            return None
        end = date(near.year + (near.month == 12), near.month % 12 + 1, 1) - timedelta(days=1)
        if m["hm"] == "上半月":
            return date(near.year, near.month, 1), date(near.year, near.month, 15)
        return date(near.year, near.month, 16), end
    if year is None:
        if near is None:
            return None
        year = near.year
    if not 1 <= year <= 9998:
        return None
    if m["half"]:
        if m["half"][0] in "上前":
            return date(year, 1, 1), date(year, 6, 30)
        return date(year, 7, 1), date(year, 12, 31)
    q = _int(m["q"] or m["q2"]) or 0
    if not 1 <= q <= 4:
        return None
    start = date(year, 3 * q - 2, 1)
    return start, date(year + (q == 4), (3 * q) % 12 + 1, 1) - timedelta(days=1)


def _week_of(m: re.Match[str], near: datetime | None) -> tuple[date, date] | None:
    """本月第2周 → (Monday, Sunday) of the n-th week counted from the first Monday."""
    n = _int(m["n"])
    year = _year_of(m, near)
    if n is None or n < 1:
        return None
    if m["mrel"]:
        if near is None:
            return None
        w = m["mrel"]
        shift = -1 if w.startswith("上") else 1 if w.startswith("下") else 0
        months = near.year * 12 + near.month - 1 + shift
        year, month = months // 12, months % 12 + 1
    elif m["m"]:
        month = _int(m["m"]) or 0
        if year is None:
            if near is None:
                return None
            year = near.year
    elif year is not None:
        month = 0
    else:
        return None
    if not 1 <= year <= 9998 or month > 12:
        return None
    first = date(year, month or 1, 1)
    try:
        monday = first + timedelta(days=(-first.weekday()) % 7 + 7 * (n - 1))
    except OverflowError:  # 九九九八年第99周
        return None
    if (month and monday.month != month) or monday.year != year:
        return None
    return monday, monday + timedelta(days=6)


def _nth_weekday(m: re.Match[str], near: datetime | None) -> date | None:
    mo, n = _int(m["m"]), _int(m["n"])
    if mo is None or n is None or not 1 <= mo <= 12:
        return None
    if m["y"]:
        year = int(m["y"])
    elif near is not None:
        first = _near_year(mo, 1, near.date())
        if first is None:
            return None
        year = first.year
    else:
        return None
    wd_char = m["wd"]
    wd = int(wd_char) - 1 if wd_char.isdigit() else _WEEKDAYS[wd_char]
    first_day = date(year, mo, 1)
    day = first_day + timedelta(days=(wd - first_day.weekday()) % 7 + 7 * (n - 1))
    return day if day.month == mo else None


def _day_of_month(m: re.Match[str], near: datetime | None) -> date | None:
    """25号: this month's, or (a day this month lacks) the next month's."""
    if near is None:
        return None
    d = _int(m["d"] or m["d2"]) or 0
    for shift in (0, 1):
        months = near.year * 12 + near.month - 1 + shift
        cand = _ymd(months // 12, months % 12 + 1, d)
        if cand is not None:
            return cand
    return None


def _century(yy: int, near: datetime | None) -> int:
    """A two-digit year (15年, 零七年): this century's unless that is over ten years ahead."""
    now = (near or datetime(2000 + yy, 1, 1)).year
    return 2000 + yy if 2000 + yy <= now + 10 else 1900 + yy


def _holiday(m: re.Match[str], near: datetime | None) -> date | None:
    name = m["hol"]
    year: int | None = None
    if m["hy"]:
        year = int(m["hy"])
    elif m["hrel"] and near is not None:
        year = near.year + {"今年": 0, "明年": 1, "去年": -1}[m["hrel"]]
    if name in _HOLIDAYS:
        mo, d = _HOLIDAYS[name]
        if year is not None:
            return _ymd(year, mo, d)
        return None if near is None else _near_year(mo, d, near.date())
    return None


def _edge(m: re.Match[str], ref: date) -> date | None:
    which, what = m["which"] or "", m["what"]
    if m["em"]:
        year = int(m["ey"]) if m["ey"] else ref.year
        if m["eyrel"]:
            year += {"今年": 0, "去年": -1, "明年": 1, "前年": -2}[m["eyrel"]]
        mo = _int(m["em"]) or 0
        if not 1 <= mo <= 12:
            return None
        if what == "月初":
            return date(year, mo, 1)
        return date(year + (mo == 12), mo % 12 + 1, 1) - timedelta(days=1)
    if what.startswith("年"):
        year = ref.year + (1 if which in ("明", "下") else -1 if which in ("去", "上") else 0)
        return date(year, 12, 31) if what in ("年底", "年末") else date(year, 1, 1)
    shift = (
        -2
        if which.startswith("上上")
        else -1
        if which.startswith("上")
        else (1 if which.startswith("下") else 0)
    )
    months = ref.year * 12 + ref.month - 1 + shift
    y, mo = months // 12, months % 12 + 1
    if what == "月初":
        return date(y, mo, 1)
    nxt = date(y + (mo == 12), mo % 12 + 1, 1)
    return nxt - timedelta(days=1)


_OFFSET_UNITS = {
    "天": "d",
    "日": "d",
    "周": "w",
    "星期": "w",
    "礼拜": "w",
    "月": "m",
    "年": "y",
    "小时": "h",
    "钟头": "h",
    "刻钟": "q",
    "分钟": "min",
    "分": "min",
    "秒": "s",
    "秒钟": "s",
}


def _offset(m: re.Match[str], ref: datetime) -> tuple[datetime, bool] | None:
    """The moment ``3天前`` names, and whether it has a time of day (hours, minutes)."""
    n_txt = m["n"]
    n = 0.5 if n_txt == "半" else _int(n_txt)
    if n is None:
        return None
    unit = m["unit"].replace("个", "").replace("半", "")  # 两个半月: the half is in the unit
    half = 0.5 if (m["half"] or "半" in m["unit"]) else 0
    amount = n + half
    sign = -1 if "前" in m["dir"] else 1
    kind = _OFFSET_UNITS.get(unit)
    if kind is None or amount > 10_000 or (kind == "y" and (amount > 150 or len(n_txt) > 3)):
        return None  # 2025年前 is "before 2025", not 2025 years ago
    try:
        if kind in ("d", "w"):
            return ref + timedelta(days=sign * amount * (7 if kind == "w" else 1)), False
        if kind == "q":
            return ref + timedelta(seconds=sign * amount * 900), True
        if kind in ("h", "min", "s"):
            secs = {"h": 3600, "min": 60, "s": 1}[kind]
            return ref + timedelta(seconds=sign * amount * secs), True
        months = ref.year * 12 + ref.month - 1 + sign * int(amount * (12 if kind == "y" else 1))
        y, mo = months // 12, months % 12 + 1
        day = min(ref.day, 28 if mo == 2 else 30 if mo in (4, 6, 9, 11) else 31)
        moved = ref.replace(year=y, month=mo, day=day)
        if kind == "m" and amount != int(amount):  # half a month: 15 days
            moved += timedelta(days=sign * 15)
        return moved, False
    except (OverflowError, ValueError):
        return None


# Beyond this many days from the reference a month-day's nearer year is no better a guess than
# the reference's own: the two lie within two months of equally far (see ``_near_year``).
_FAR_EITHER_WAY = 150


def _near_year(month: int, day: int, ref: date) -> date | None:
    """The month-day (or month, as its first day) in the year that puts it nearest ``ref``;
    but when even the nearest lies over five months away (``9月30日`` seen on 13 March:
    165 days back, 201 ahead), in ``ref``'s own year. A writer leaves the year out for this
    year's dates, or for the next or last year's near the turn of the year
    (``12月28日`` seen on 10 January); midway, nearness says little."""
    best: date | None = None
    best_cost = 0
    own: date | None = None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            cand = date(year, month, day)
        except ValueError:
            continue
        if year == ref.year:
            own = cand
        delta = (cand - ref).days
        cost = abs(delta)
        if best is None or cost < best_cost:
            best, best_cost = cand, cost
    if own is not None and best_cost > _FAR_EITHER_WAY:
        return own
    return best


def _weekday(m: re.Match[str], ref: date, deadline: bool) -> date:
    wd_char = m["wd"]
    wd = int(wd_char) - 1 if wd_char.isdigit() else _WEEKDAYS[wd_char]
    raw_pre = m["wkpre"] or ""
    pre = raw_pre[:1]
    monday = ref - timedelta(days=ref.weekday())
    if raw_pre.startswith("上上"):
        return monday - timedelta(days=14 - wd)
    if raw_pre.startswith("下下"):
        return monday + timedelta(days=14 + wd)
    if pre == "今":
        pre = "本"
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


def _clock(m: re.Match[str], p: str, alone: bool = True) -> tuple[int, int, int] | None:
    """(hour, minute, second) of the time part, hour 24 meaning midnight at the day's end."""
    gd = m.groupdict()
    if gd.get("gh") is not None:  # a date run into its time
        return int(gd["gh"]), int(gd["gmi"]), int(gd["gs"] or 0)
    if gd.get(p + "h") is not None:
        hour, minute = int(gd[p + "h"]), int(gd[p + "mi"])
        second = int(gd[p + "s"]) if gd.get(p + "s") else 0
        ampm = (gd.get(p + "ampm") or "").lower()[:1]
        if ampm == "p" and hour < 12:
            hour += 12
        elif ampm == "a" and hour == 12:
            hour = 0
    elif gd.get(p + "hap") is not None:  # 3pm, 11 am
        hour, minute, second = int(gd[p + "hap"]), 0, 0
        ap = gd[p + "ap"].lower()[:1]
        if ap == "p" and hour < 12:
            hour += 12
        elif ap == "a" and hour == 12:
            hour = 0
    elif gd.get(p + "noon") is not None:
        return 12, 0, 0
    elif gd.get(p + "hh") is not None:  # 七八点: the first of the two hours
        hh = gd[p + "hh"]
        hour, minute, second = (11 if hh == "十一二" else _int(hh[0]) or 0), 0, 0
    elif gd.get(p + "hc") is not None:
        hc = gd[p + "hc"]
        h = _int(hc)
        if h is None or h > 24:
            return None
        mic = gd.get(p + "mic") or gd.get(p + "mic2")
        zi = gd.get(p + "zi") or gd.get(p + "zi2")
        if (
            alone
            and not hc.isdigit()
            and not (
                len(hc) > 1
                or gd.get(p + "per")
                or mic
                or gd.get(p + "half")
                or gd.get(p + "q")
                or zi
                or m.group().endswith(("钟", "整"))
            )
        ):
            return None  # 一点 is also "a little", 两点 "two points"
        hour = h
        if zi:
            minute = 30 if zi == "半" else 5 * (_int(zi) or 0)
        elif gd.get(p + "half"):
            minute = 30
        elif gd.get(p + "q"):
            minute = 15 * (_int(gd[p + "q"]) or 0)
        else:
            minute = _int(mic.lstrip("零") if mic else mic) or 0
        sc = gd.get(p + "sc")
        second = (_int(sc.lstrip("零")) or 0) if sc else 0
        if second > 59:
            return None
        if minute > 59 or (hour == 24 and minute):
            return None
    else:
        return None
    period = gd.get(p + "per")
    rel = gd.get("rel")
    if period is None and rel:
        period = _RELATIVE_DAYS[rel][1]
    if period in ("下午", "傍晚", "晏昼") and hour < 12:
        hour += 12
    elif period in _EVENING:
        if (4 if period in ("晚上", "晚") else 6) <= hour < 12:
            hour += 12
        elif hour == 12:
            hour = 24
    elif period == "中午" and 1 <= hour <= 3:
        hour += 12
    elif period == "凌晨" and hour == 12:
        hour = 0
    return hour, minute, second
