"""Dates and times in (normalised) Chinese text, resolved against an injected reference moment.

The grammar composes: a date, a weekday next to it, a part of the day and a time are one
mention (``2025年3月21日（星期五）晚上10点``, ``3月21日 周五 22:08``, ``周日, 二月十号``), and a
weekday so written confirms the date rather than naming another day. Forms:

- full dates: ``2025年3月21日``, ``2015年三月三號``, ``二〇二五年三月二十一日``, ``15年3月2日``,
  ``2025-03-21 22:08``, ``2025/3/21``, ``2025.03.21``, ``20240307``, ``2025-03-21T22:08:00+08:00``
  (the offset is part of the mention), ``2022 11 23``, ``1994.01-19``, OCR's glued
  ``2022/10/0922:06:08``, ``2020/1/0112:00``, ``2016年6月2911:30``, ``10/31/1974`` (month
  first unless it cannot be a month), English ``21 March 2025``, ``Mar 21, 2025 10:08 PM``;
- month-days: ``3月21日``, ``三月五日``, ``10月22``, ``03-21 22:08``, ``09-01``, ``11/3号``,
  ``6·30`` (a two-digit day only: ``1·5`` may be a typed 1.5) (year chosen near the reference);
- relative: ``昨天 15:45``, ``前天``, ``大后天``, ``3天前``, ``两个月后``, ``10分钟之前``,
  ``一刻钟后``, ``上个月15号``, ``同月9号``, ``本月十日``, ``月底``, ``2018年10月底``, ``年底``,
  ``25号``, ``去年3月5日``, ``2025年第一天``; weekdays ``星期三 10:00``, ``周三``, ``下周周六``;
- holidays: ``国庆节``, ``元旦``, ``2024年圣诞节`` (fixed days); lunar festivals and dates
  (``春节``, ``中秋``, ``除夕``, ``农历八月十五``, ``正月十五``, ``腊月廿三``, ``大年初十``;
  a month with a written-out day and no 日/号, ``八月十五``, is read as lunar) converted with
  the lunar-python library, imported on first use;
- times: ``下午3:45``, ``晚上10点``, ``十一点半``, ``三点零五分``, ``22时08分``, ``16时40分50秒``,
  ``10:08 PM``, ``3pm``, Cantonese ``晏晝三點踏三`` (3:15 pm), ``中午`` after a day (12:00; alone
  it names no day), ``七八点`` (one hour or the next: a period from the first to the second);
- deadlines ``3月5日前`` / ``之前`` / ``以前``, ``月底前``, ``年底前`` (a day: ``月底`` is the
  month's last day); before a year or a month still to come (``2025年前``, ``二〇三五年前``,
  ``明年6月之前``) is a period from the reference to its last day (2025-12-31, 2035-12-31,
  30 June), as ``今年内``/``本月内`` are (it may also mean before that year's first day: the
  text does not say which); one already past (``2019年以前``) stays its last day, flagged;
- periods, returned as ``start/end`` values that the pipeline turns into ranges: a half or a
  quarter of a year (``2024年上半年``, ``第三季度``, ``Q1``), a half of the month (``下半月``),
  a week of a month or year (``本月第2周``, ``20年第52周``: counted from its first Monday), a length
  counted from the reference (``近30天``, ``最近10分钟``, ``未来两个月``, ``还剩5分钟``,
  ``三个月以来``, ``三个多月以来``; windows ``3天内``, ``15个工作日内``, ``半小时内``: see
  :mod:`.windows`; ``逾期近30天``, ``逾期3个月以来`` stay durations), and a
  day, a month or a year on to the reference (``2019年5月8日起``, ``3月1日至今``,
  ``从去年9月起``, ``2001年起至今``, ``从上个月到今天``: from the first day of that month or
  year; a month without a year is the last one not after the reference); a month as a range's
  start is its first day (``2014年11月到下个月9号``).
- offsets keep their halves: ``两个半月前`` (a half month is 15 days), ``一个半小时后``,
  ``一分半钟前``; ``前两天``/``前几天`` (a few days ago) are the days from a week to two
  days back.
- parts of the day: after a day they are that day (``今天下午``, ``第三天上午``: no hour is
  written); ``白天``, ``午后``, ``全天`` alone are the reference's day; ``夜间至次日上午`` runs
  from the reference's day to the next.

Nothing is read from a recurrence (``每天晚上8点``, ``每周六上午9点到11点``: up to the end of
the clause) or from inside a title (``《明日之后》``).

Traditional forms (號 週 點 後 禮拜 …) are read through :func:`.normalize.simplify_for_values`.
Ranges (``3月1日至3月5日``) and durations (``逾期15天``) are split off by :mod:`.ranges`.

Resolution rules (no clock is read; ``reference`` is the moment the text was written or shown,
e.g. the screenshot's date):

- A month-day or holiday without a year takes the year that puts it nearest the reference
  (so ``12月28日`` seen on 2025-01-10 is 2024-12-28, ``1月5日前`` seen on 2024-12-28 is
  2025-01-05, ``十月31`` seen on 2021-06-14 is 2021-10-31: 139 days ahead, not 226 back),
  but the reference's own year when even the nearest is over five months away (``9月30日``
  seen on 2008-03-13 is 2008-09-30: 201 days ahead, 165 back; nearly as far either way).
  When its clause is told in the past (了, 过, 已 …) it is the last such day instead, and when
  the clause speaks of the future (下次, 准备, 到时 …) the coming one: cue words, so a guess, not
  a parse of the sentence. A deadline (``元旦前结清``) with no past cue is the coming one,
  unless the nearest passed less than 31 days before the reference. A lunar date without a
  year is in the reference's lunar year, moved the same way by the tense. Without a
  reference, the year of the last full date earlier in the same text is the reference; with
  neither, no date is reported.
- ``星期三``/``周三`` on a line of only dates and times (a chat stamp or divider, ``星期五
  22:08``), or with a clock time (``星期五 14:30 我：…``), is the last such day *before* the
  reference (1–7 days back: chat apps show a weekday only for the past week, and the time
  alone for today). In running text (``周五还款``, ``星期一我去``) it is the coming one (0–6
  days ahead), unless its clause is told in the past (``周五他们打了三次电话``); with a
  deadline (``周三前``) always the coming one. ``上周三``/``本周三``/``下周三`` count from the
  reference's Monday.
- Relative days (昨天 …), weekdays and times alone need a reference; without one they yield
  nothing. A time alone is on the reference's day.
- ``value`` is ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS``, naive (the text's wall time; a
  reference's time zone is ignored). Invalid dates (2025-13-45, 2月30日) are dropped.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import NamedTuple

from .date_forms import (
    _AROUND_BEFORE,
    _CLAUSE_END,
    _COARSE_DEADLINE,
    _DAY_OF_YEAR,
    _DAYPART_ALONE,
    _DAYS_BEFORE,
    _DEADLINE_AFTER,
    _DOM,
    _DURATION_BEFORE,
    _EN_DATE,
    _EN_MONTHS,
    _EVERY,
    _FEW_DAYS_AGO,
    _HOLIDAY,
    _HOLIDAYS,
    _LIST_SEP,
    _LUNAR,
    _LUNAR_FESTIVALS,
    _LUNAR_NEEDS,
    _MD_CN,
    _MD_DASH,
    _MDY,
    _MONTH_EDGE,
    _MONTH_START,
    _NTH_DAY,
    _NTH_WEEKDAY,
    _OFFSET,
    _PART_OF_YEAR,
    _REL_MONTH,
    _REL_MONTH_SHIFT,
    _RELATIVE,
    _RELATIVE_DAYS,
    _SCALE_AFTER,
    _SINCE_AFTER,
    _SINCE_COARSE,
    _SPAN,
    _SPAN_SINCE,
    _STAMP_REST,
    _TIME_ALONE,
    _TITLE,
    _WEEK_OF,
    _WEEKDAY,
    _WEEKDAYS,
    _YMD_CN,
    _YMD_COMPACT,
    _YMD_GLUED,
    _YMD_HANZI,
    _YMD_LOOSE,
    _YMD_NUM,
    _YMD_SHORT,
    _YREL_MD,
    _has_year,
    _int,
    _span,
    _ymd,
)
from .date_resolve import (
    _century,
    _clock,
    _coarse_deadline,
    _day_of_month,
    _edge,
    _holiday,
    _lunar,
    _month_start,
    _near_year,
    _nth_weekday,
    _offset,
    _part_of_year,
    _since_start,
    _week_of,
    _weekday,
)
from .numerals import parse_digit_sequence
from .spans import SpanSet
from .windows import PERIOD_LEFT, WINDOW, period_left, since_start, window

_WINDOW = 120  # how far a line or clause is looked at around a mention (keeps extract linear)


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``text[start:end]``, at most ``_WINDOW`` characters each side."""
    lo = max(0, start - _WINDOW)
    a = max((text.rfind(ch, lo, start) for ch in "，,。；;！!？?\n"), default=-1)
    stop = _CLAUSE_END.search(text, end, end + _WINDOW)
    return (lo if a < 0 else a + 1), (stop.start() if stop else min(len(text), end + _WINDOW))


def _stamp_line(text: str, start: int, end: int) -> bool:
    """Whether the line around ``text[start:end]`` holds nothing but dates and times."""
    lo = max(0, start - _WINDOW)
    a = text.rfind("\n", lo, start)
    a = lo if a < 0 else a + 1
    b = text.find("\n", end, end + _WINDOW)
    b = min(len(text), end + _WINDOW) if b < 0 else b
    return _STAMP_REST.search(text[a:start]) is None and _STAMP_REST.search(text[end:b]) is None


_PAST = re.compile(r"了|过|已|曾|刚")
# 下次, 准备, 到时: the clause speaks of what is still to come
_FUTURE = re.compile(r"将|准备|打算|计划|下次|届时|到时|会在|要在|预计|即将|再还|等到")


def _tense(text: str, start: int, end: int) -> str | None:
    a, b = _clause(text, start, end)
    past = _PAST.search(text, a, b) is not None
    future = _FUTURE.search(text, a, b) is not None
    return None if past == future else "past" if past else "future"




def _by_tense(text: str, c: _Cand, day: date, ref: datetime, deadline: bool = False) -> date:
    """A month-day or holiday without a year: in a clause told in the past, the last such
    day; in one that speaks of the future, the coming one; else the nearest (as resolved).
    A deadline (``元旦前结清``) is set for a day still to come when it was written, so without
    a past cue it is the coming one, unless the nearest lies less than a month back: evidence
    is often read (screenshotted, copied) some weeks after it was written."""
    written = _written_weekday(c.match.group()) if c.kind != "lunar" else None
    if written is not None:
        # 我说了9月12日 星期五发工资: of the last such day and the coming one, the weekday
        # picks the one it fits, whatever the tense says
        days = [d for d in (_ymd(day.year + k, day.month, day.day) for k in (-1, 0, 1)) if d]
        last = [d for d in days if d <= ref.date()][-1:]
        coming = [d for d in days if d > ref.date()][:1]
        fits = [d for d in last + coming if d.weekday() == written]
        if len(fits) == 1:
            return fits[0]
    tense = _tense(text, c.start, c.end)
    if tense is None and deadline and day < ref.date() - timedelta(days=31):
        tense = "future"
    today = ref.date()
    if tense is None or (tense == "past") == (day <= today):
        return day
    step = -1 if tense == "past" else 1
    if c.kind == "lunar":
        moved = _lunar(c.match, ref, step)
    else:
        moved = _ymd(day.year + step, day.month, day.day)
    if moved is None or (tense == "past") != (moved <= today):
        return day
    return moved


_WRITTEN_WD = re.compile(r"(?:星期|周|礼拜)([一二三四五六日天1-7])|[(（]([一二三四五六日])[)）]")


def _written_weekday(mention: str) -> int | None:
    """The weekday (Monday 0) written as part of a date mention (3月21日（周五）), if any."""
    m = _WRITTEN_WD.search(mention)
    if m is None:
        return None
    ch = m.group(1) or m.group(2)
    return int(ch) - 1 if ch.isdigit() else _WEEKDAYS[ch]


def _past_clause(text: str, start: int, end: int) -> bool:
    """Whether the clause around a mention is told in the past (周五他们打了三次电话)."""
    a, b = _clause(text, start, end)
    return _PAST.search(text, a, b) is not None




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
    ("ymd", _YMD_GLUED, (":", "：")),
    ("ymd", _YMD_NUM, ("-", "/", ".")),
    ("mdy", _MDY, ("/",)),
    ("ymd_loose", _YMD_LOOSE, (" ", ".")),
    ("ymd", _YMD_COMPACT, ("19", "20")),
    ("nth", _NTH_WEEKDAY, ("第",)),
    ("ymd_short", _YMD_SHORT, ("年",)),
    ("en", _EN_DATE, ("a", "e", "o", "u", "A", "J", "F", "M", "S", "O", "N", "D")),
    ("md", _MD_CN, ("月",)),
    ("md", _MD_DASH, ("-", "/", "·")),
    ("hol", _HOLIDAY, tuple(sorted({k[0] for k in _HOLIDAYS}))),
    (
        "lunar",
        _LUNAR,
        (*_LUNAR_NEEDS, *_LUNAR_FESTIVALS),
    ),
    ("week", _WEEK_OF, ("第",)),
    ("doy", _DAY_OF_YEAR, ("第",)),
    ("part", _PART_OF_YEAR, ("半年", "半月", "季度", "Q", "q")),
    ("rel", _RELATIVE, ("天", "日", "晚", "早")),
    ("nthday", _NTH_DAY, ("第",)),
    ("fewdays", _FEW_DAYS_AGO, ("前",)),
    ("daypart", _DAYPART_ALONE, ("白", "午", "全", "夜", "晚")),
    ("relm", _REL_MONTH, ("月",)),
    ("off", _OFFSET, ("前", "后")),
    ("span", _SPAN, ("近", "过", "未", "今", "接", "之", "还")),
    ("since_len", _SPAN_SINCE, ("以来",)),
    ("window", WINDOW, ("内",)),
    ("window", PERIOD_LEFT, ("内",)),
    ("edge", _MONTH_EDGE, ("底", "初", "末")),
    ("since", _SINCE_COARSE, ("起", "以", "至", "到", "迄")),
    ("dl", _COARSE_DEADLINE, ("前",)),
    ("mstart", _MONTH_START, ("至", "到", "~", "～", "—")),
    ("yrelmd", _YREL_MD, ("年",)),
    ("wd", _WEEKDAY, ("周", "星期", "礼拜")),
    ("dom", _DOM, ("号", "日")),
    ("time", _TIME_ALONE, (":", "点", "时", "m", "M")),
)


# The first characters of each pattern's needed strings: one set test per pattern and line.
_PATTERN_NEEDS = tuple(
    (k, p, frozenset(n[0] for n in needs), needs if any(len(n) > 1 for n in needs) else None)
    for k, p, needs in _PATTERNS
)


class FoundDate(NamedTuple):
    start: int
    end: int
    value: str
    is_deadline: bool
    kind: str = ""  # the pattern that found it (ranges need to know a day written alone)


def find_dates(text: str, reference: datetime | None = None) -> list[FoundDate]:
    """Dates in normalised ``text`` (offsets into it), resolved against ``reference``."""
    cands: list[_Cand] = []
    chars = set(text)
    for kind, pattern, needs, strings in _PATTERN_NEEDS:
        if needs.isdisjoint(chars):
            continue
        if strings is not None and not any(s in text for s in strings):
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
    every_until = -1  # the end of a clause that speaks of a recurrence (每天晚上8点)
    # 《明日之后》: a title names no date
    titles = SpanSet((m.start(), m.end()) for m in _TITLE.finditer(text)) if "《" in text else None
    for c in cands:
        if c.start < last_end:
            continue
        if c.start < every_until or (titles is not None and titles.overlaps(c.start, c.start + 1)):
            continue
        every = _EVERY.search(text, max(0, c.start - 10), c.start)
        if every is not None:
            every_until = _clause(text, c.start, c.end)[1]
            continue
        if c.kind == "time" and (
            _DURATION_BEFORE.search(text, max(0, c.start - 8), c.start)
            or (
                c.match.group().endswith("时")
                and _DAYS_BEFORE.search(text, max(0, c.start - 4), c.start)
            )
        ):
            continue  # [语音] 0:58, 通话时长 03:12 are durations
        if (
            c.kind == "time"
            and text[c.end : c.end + 1] in _SCALE_AFTER
            and not any(ch.isdigit() for ch in c.match.group())
        ):
            continue  # 一点五万, 两点五元: a decimal amount, not 01:05
        if c.kind == "span":
            span = _span(c.match, ref) if ref is not None else None
            if span is not None:
                out.append(FoundDate(c.start, c.end, f"{span[0]}/{span[1]}", False, c.kind))
                last_end = c.end
            continue
        if c.kind == "fewdays":
            if ref is not None:
                week_back, two_back = ref.date() - timedelta(days=7), ref.date() - timedelta(days=2)
                value = f"{week_back.isoformat()}/{two_back.isoformat()}"
                out.append(FoundDate(c.start, c.end, value, False, c.kind))
                last_end = c.end
            continue
        if c.kind in ("window", "since_len"):
            span = None
            if c.kind == "window":
                is_period = c.match.re is PERIOD_LEFT
                span = period_left(c.match, ref) if is_period else window(c.match, ref)
            if c.kind == "since_len" and ref is not None:
                first_moment = since_start(c.match, ref)
                if first_moment is not None:
                    span = first_moment, ref.replace(microsecond=0).isoformat()
            if span is not None:
                out.append(FoundDate(c.start, c.end, f"{span[0]}/{span[1]}", False, c.kind))
                last_end = c.end
            continue
        if c.kind == "since":
            first = _since_start(c.match, ref) if ref is not None else None
            if first is not None and ref is not None and first <= ref.date():
                now = ref.replace(microsecond=0).isoformat()
                out.append(FoundDate(c.start, c.end, f"{first.isoformat()}/{now}", False, "since"))
                last_end = c.end
            continue
        if c.kind == "mstart":
            first_day = _month_start(c.match, ref or context)
            if first_day is not None:
                out.append(FoundDate(c.start, c.end, first_day.isoformat(), False, c.kind))
                last_end = c.end
            continue
        if c.kind == "dl":
            by = _coarse_deadline(c.match, ref or context)
            if by is not None:
                if ref is not None and by >= ref.date():
                    # 2025年前, 明年6月之前: before a year or a month still to come is the
                    # time from now to its end, as 今年内 and 本月内 are (.windows); a deadline
                    # on a day (25号之前, 月底前) stays that day
                    value = f"{ref.replace(microsecond=0).isoformat()}/{by.isoformat()}"
                    out.append(FoundDate(c.start, c.end, value, False, c.kind))
                else:
                    out.append(FoundDate(c.start, c.end, by.isoformat(), True, c.kind))
                last_end = c.end
            continue
        if c.kind == "part":
            part = _part_of_year(c.match, ref or context)
            if part is not None:
                value = f"{part[0].isoformat()}/{part[1].isoformat()}"
                out.append(FoundDate(c.start, c.end, value, False, c.kind))
                last_end = c.end
            continue
        if c.kind == "week":
            week = _week_of(c.match, ref or context)
            if week is not None:
                value = f"{week[0].isoformat()}/{week[1].isoformat()}"
                out.append(FoundDate(c.start, c.end, value, False, c.kind))
                last_end = c.end
            continue
        day = _resolve_day(c, ref, context)
        if (
            c.kind == "dom"
            and out
            and "/" not in out[-1].value
            and _LIST_SEP.fullmatch(text, out[-1].end, c.start)
        ):
            # 9月10号、11号: a day listed after a date is in that date's month
            prev = date.fromisoformat(out[-1].value[:10])
            day = _ymd(prev.year, prev.month, _int(c.match["d"] or c.match["d2"])) or day
        if day is None:
            continue
        deadline_m = _DEADLINE_AFTER.match(text, c.end) if c.kind != "off" else None
        deadline = deadline_m is not None
        if ref is not None and c.kind in ("md", "hol", "lunar") and not _has_year(c.match):
            day = _by_tense(text, c, day, ref, deadline)
        if c.kind == "wd" and ref is not None:
            # a stamp (a line of only 星期五 22:08) is the past week's; in running text
            # (周五前还款, 星期一我去) the coming one
            # 星期五 14:30 我：… is a chat stamp even with the message after it
            stamp = c.match["th"] is not None or _stamp_line(text, c.start, c.end)
            ahead = deadline or not (stamp or _past_clause(text, c.start, c.end))
            day = _weekday(c.match, ref.date(), ahead)
        # 十点左右, 大约两点: "around" makes a one-character hour a time (一点 alone is also
        # "a little", 两点 "two points")
        around = c.kind == "time" and (
            text.startswith("左右", c.end)
            or _AROUND_BEFORE.search(text, max(0, c.start - 3), c.start) is not None
        )
        clock = _clock(c.match, "t", alone=c.kind in ("time", "wd") and not around)
        if c.kind == "time" and (clock is None or c.match["tnoon"]):
            continue  # 中午 alone names no day
        if c.kind == "off" and ref is not None:
            moved = _offset(c.match, ref)
            if moved is None:
                continue
            at, timed = moved
            day = at.date()
            if timed and clock is None:
                clock = (at.hour, at.minute, at.second)
        if clock is not None:
            hour, minute, second = clock
            if hour == 24:
                day += timedelta(days=1)
                hour = 0
            value = datetime(day.year, day.month, day.day, hour, minute, second).isoformat()
        else:
            value = day.isoformat()
        if clock is not None and c.match.groupdict().get("thh"):
            # 七八点: from the first hour to the second
            second_hour = datetime.fromisoformat(value) + timedelta(hours=1)
            value = f"{value}/{second_hour.isoformat()}"
        if c.kind in ("ymd", "ymd_loose", "ymd_hanzi", "ymd_short", "yrelmd") or (
            c.kind == "md" and ref is not None
        ):
            context = datetime(day.year, day.month, day.day)
        end = deadline_m.end() if deadline_m else c.end
        since = _SINCE_AFTER.match(text, c.end) if ref is not None and not deadline else None
        if since is not None and ref is not None and value <= ref.isoformat():
            # 2019年5月8日起, 3月1日至今: from that day to the moment of writing
            now = ref.replace(microsecond=0).isoformat()
            out.append(FoundDate(c.start, since.end(), f"{value}/{now}", False, "since"))
            last_end = since.end()
            continue
        out.append(FoundDate(c.start, end, value, deadline, c.kind))
        last_end = end
    return _weekday_before_date(text, out)


_WD_BEFORE = re.compile(r"[(（]?(?:星期|周|礼拜)[一二三四五六日天1-7][)）]?[,，、\s]{0,2}\Z")


def _weekday_before_date(text: str, found: list[FoundDate]) -> list[FoundDate]:
    """周日, 二月十号: a weekday right before a date confirms it and is one mention with it."""
    out: list[FoundDate] = []
    for d in found:
        if (
            out
            and out[-1].kind == "wd"
            and d.kind not in ("wd", "time", "off", "rel")
            and _WD_BEFORE.search(text, out[-1].start, d.start)
        ):
            prev = out.pop()
            d = d._replace(start=prev.start)
        elif out and out[-1].value == d.value and d.start - out[-1].end <= 1:
            # 1月1日元旦: the same day said twice in a row is one mention
            prev = out.pop()
            d = d._replace(start=prev.start, is_deadline=prev.is_deadline or d.is_deadline)
        out.append(d)
    return out






def _resolve_day(c: _Cand, ref: datetime | None, context: datetime | None) -> date | None:
    m = c.match
    gd = m.groupdict()
    near = ref or context
    if c.kind == "ymd_loose":
        return _ymd(int(m["y"]), int(m["m"] or m["m2"]), int(m["d"] or m["d2"]))
    if c.kind == "ymd":
        if gd.get("y2"):
            return _ymd(int(m["y2"]), int(m["m2"]), int(m["d2"]))
        return _ymd(int(m["y"]), _int(m["m"]), _int(m["d"]))
    if c.kind == "ymd_hanzi":
        year = parse_digit_sequence(m["yy"] or m["y"])
        if year is not None and m["yy"]:
            year = _century(year, near)
        return _ymd(year, _int(m["m"]), _int(m["d"]))
    if c.kind == "ymd_short":
        return _ymd(_century(int(m["yy"]), near), _int(m["m"]), _int(m["d"]))
    if c.kind == "mdy":
        a, b = int(m["a"]), int(m["b"])
        mo, d = (a, b) if a <= 12 else (b, a)
        return _ymd(int(m["y"]), mo, d)
    if c.kind == "en":
        mon = (m["mon"] or m["mon2"]).lower()
        mo_en = _EN_MONTHS.get(mon[:3])
        d_en = int(m["d1"] or m["d2"])
        if m["y"]:
            return _ymd(int(m["y"]), mo_en, d_en)
        return None if near is None or mo_en is None else _near_year(mo_en, d_en, near.date())
    if c.kind == "md":
        if near is None:
            return None
        mo_md = _int(next((gd[k] for k in ("m", "m2", "m3", "m4", "m5") if gd.get(k)), None))
        d_md = _int(next((gd[k] for k in ("d", "d2", "d3", "d4", "d5") if gd.get(k)), None))
        if mo_md is None or d_md is None:
            return None
        return _near_year(mo_md, d_md, near.date())
    if c.kind == "hol":
        return _holiday(m, near)
    if c.kind == "nth":
        return _nth_weekday(m, near)
    if c.kind == "lunar":
        return _lunar(m, near)
    if c.kind == "doy":
        n = _int(m["n"])
        first = date(int(m["y"]), 1, 1)
        if n is None or not 1 <= n <= (date(first.year, 12, 31) - first).days + 1:
            return None
        return first + timedelta(days=n - 1)
    if c.kind == "dom":
        return _day_of_month(m, near)
    if ref is None:
        return None
    if c.kind == "rel":
        # 当天, 次日 count from the date just written (4月3日…当天), else from the reference
        base = context if m["rel"] in ("当天", "当日", "次日") and context else ref
        return base.date() + timedelta(days=_RELATIVE_DAYS[m["rel"]][0])
    if c.kind == "nthday":
        return ref.date() + timedelta(days=(_int(m["nd"]) or 1) - 1)
    if c.kind == "relm":
        shift = _REL_MONTH_SHIFT[m["relm"][:2] if m["relm"].startswith("上上") else m["relm"][:1]]
        # 3月2日…同月9号: the month of the date just written
        base = context if m["relm"] in ("同月", "当月") and context else ref
        months = base.year * 12 + base.month - 1 + shift
        return _ymd(months // 12, months % 12 + 1, _int(m["d"]))
    if c.kind == "yrelmd":
        shift = {"今年": 0, "去年": -1, "明年": 1, "前年": -2, "后年": 2}[m["yrel"]]
        return _ymd(ref.year + shift, _int(m["m"]), _int(m["d"]))
    if c.kind == "edge":
        # 12月28日你说月底还: the month end is that date's month's
        return _edge(m, (context or ref).date())
    # weekday (refined by the caller), offsets and time alone: the reference's day
    return ref.date()
