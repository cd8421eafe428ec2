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
- deadlines ``3月5日前`` / ``之前`` / ``以前``; a year's or a month's is its last day (``2025年前``,
  ``二〇三五年前``: 2025-12-31, 2035-12-31; ``明年6月之前``: 30 June), the reading of ``年底前``
  (it may also mean before that year's first day: the text does not say which);
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
  2025-01-05, ``十月31`` seen on 2021-06-14 is 2021-10-31: 139 days ahead, not 226 back).
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

from .numerals import parse_chinese_integer, parse_digit_sequence
from .spans import SpanSet
from .windows import PERIOD_LEFT, WINDOW, period_left, shift_months, since_start, window

# Longest first; the one-character forms follow a date directly: 3月30日晚11点, 12日早8点.
_PERIODS = "凌晨|早上|早晨|清晨|上午|中午|下午|晏昼|傍晚|晚上|夜里|夜间|深夜|半夜|晚|早|夜"


_HZ = "一二三四五六七八九十两零"


def _time(p: str) -> str:
    return (
        rf"(?:(?:(?P<{p}per>{_PERIODS})\s{{0,2}}的?)?"
        rf"(?:(?P<{p}h>[01]?[0-9]|2[0-3]):(?P<{p}mi>[0-5][0-9])(?::(?P<{p}s>[0-5][0-9]))?"
        r"(?:\.[0-9]{1,6})?(?:Z|[+-][01][0-9]:?[0-5][0-9](?![0-9]))?"
        rf"(?:\s?(?P<{p}ampm>[AaPp]\.?(?:[Mm]\.?)?)(?![A-Za-z]))?"
        r"(?![0-9])"
        # 七八点, 十一二点, 两三点: one hour or the next (an approximate two-hour span)
        rf"|(?P<{p}hh>一二|二三|两三|三四|四五|五六|六七|七八|八九|九十|十一二)[点时]"
        rf"(?![{_HZ}半刻分0-9])"
        rf"|(?P<{p}hc>[01]?[0-9]|2[0-4]|[{_HZ}]{{1,3}})[点时]"
        # Cantonese five-minute marks: 三點踏三, 三點搭半, 三點三個字 (3:15, 3:30, 3:15)
        rf"(?:[踏搭](?P<{p}zi>十一|[一二三四五六七八九十半])|(?P<{p}zi2>十一|[一二三四五六七八九十])个字"
        rf"|(?P<{p}q>[1-3一二三])刻|(?P<{p}mic>[0-5]?[0-9]|[{_HZ}]{{1,3}})分"
        rf"(?:(?P<{p}sc>[0-5]?[0-9]|[{_HZ}]{{1,3}})秒)?|(?P<{p}mic2>[0-5]?[0-9]|[{_HZ}]{{1,3}})"
        rf"|(?P<{p}half>半)|钟|整)?"
        r"(?![0-9])"
        rf"|(?P<{p}hap>1[0-2]|0?[1-9])\s?(?P<{p}ap>[AaPp]\.?[Mm]\.?)(?![A-Za-z])))"
        # 前天中午: noon, when no hour follows
        rf"|(?P<{p}noon>中午)(?!\s{{0,2}}[0-9{_HZ}])"
    )


_CN_DIGIT = "〇○零一二三四五六七八九"
_CN_SMALL = "一二三四五六七八九十"
_FLAGS = re.ASCII

# A weekday written next to a date confirms it: 2025年3月21日（星期五）, 3月21日 周五,
# 2016年3月20日(日) (the day's character alone in brackets, as schedules write it).
_WD_TAIL = (
    r"(?:\s{0,2}[,，]?\s{0,1}[(（]?\s{0,1}(?:星期|周|礼拜)[一二三四五六日天1-7][)）]?"
    r"|\s{0,2}[(（][一二三四五六日][)）])?"
)
_MON = rf"(?:[0-9]{{1,2}}|[{_CN_SMALL}]{{1,3}})"
_DAY = rf"(?:[0-9]{{1,2}}|[{_CN_SMALL}]{{1,3}}|廿[{_CN_SMALL}]?|卅[一]?)"
_YMD_CN = re.compile(
    r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})年\s?(?P<m>" + _MON + r")月(?P<d>" + _DAY + r")"
    r"(?:日|号|(?![0-9]))" + _WD_TAIL + rf"(?:\s{{0,2}}{_time('t')})?"
    # 2016年6月2911:30: the day run into the time
    r"|(?<![0-9])(?P<y2>(?:19|20)[0-9]{2})年(?P<m2>[0-9]{1,2})月(?P<d2>[0-9]{2})"
    r"(?P<gh>[01][0-9]|2[0-3]):(?P<gmi>[0-5][0-9])(?::(?P<gs>[0-5][0-9]))?(?![0-9])",
)
# 二〇〇七年八月二十九号, and with the year in two digits: 零七年八月二十九号, 九零年9月十号
_YMD_HANZI = re.compile(
    rf"(?<![{_CN_DIGIT}])(?:(?P<y>[{_CN_DIGIT}]{{4}})|(?P<yy>[{_CN_DIGIT}]{{2}}))年(?P<m>[{_CN_SMALL}]{{1,3}}|[0-9]{{1,2}})月"
    rf"(?P<d>{_DAY})[日号]?(?![{_CN_SMALL}])" + _WD_TAIL + rf"(?:\s{{0,2}}{_time('t')})?",
)
# OCR runs the date into the time: 2022/10/0922:06:08, 2018-01-2018:12:32, 2021-09-12-11：23,
# 2020/1/0112:00 (a one-digit month; the day must have two digits to be told from the hour),
# 2020 / 1 / 0112:00 (a space around the separators).
_YMD_GLUED = re.compile(
    r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2}) ?(?P<sep>[-/.]) ?(?P<m>1[0-2]|0?[1-9]) ?(?P=sep) ?"
    r"(?P<d>[0-3][0-9])(?P=sep)?(?P<gh>[01][0-9]|2[0-3])[:：](?P<gmi>[0-5][0-9])(?:[:：](?P<gs>[0-5][0-9]))?(?![0-9])",
    _FLAGS,
)
# 十月第一个星期一, 八月份的第二个周二: the n-th weekday of a month.
_NTH_WEEKDAY = re.compile(
    r"(?:(?P<y>(?:19|20)[0-9]{2})年)?(?P<m>" + _MON + r")月份?的?第(?P<n>[1-5一二三四五])个"
    r"(?:星期|周|礼拜)(?P<wd>[一二三四五六日天1-7])",
)
_YEAR_PART = (
    r"(?:(?<![0-9])(?P<y>(?:19|20)?[0-9]{2})年|(?P<yh>[〇○零一二三四五六七八九]{4})年"
    r"|(?P<yrel>今年|去年|明年|前年|后年))"
)
# 本月第2周, 3月第三周, 2023年三月的第二周, 20年第52周, 今年第三十七个星期: week n of a month
# or year, counted from its first Monday.
_WEEK_OF = re.compile(
    _YEAR_PART + r"?(?:(?P<m>" + _MON + r")月份?|(?P<mrel>本月|当月|这个?月|上个?月|下个?月))?"
    r"的?第(?P<n>[0-9]{1,2}|[一二三四五六七八九十]{1,3})个?(?:周|星期|礼拜)(?![一二三四五六日天1-7])"
)
# Lunar dates: 农历8月23号, 正月十五, 腊月廿三, 八月十五 (a written-out day without 日/号 is a
# lunar day), 大年初十, 大年三十, and the lunar festivals.
_LUNAR_DAY = (
    r"初[一二三四五六七八九十]|十[一二三四五六七八九]|二十[一二三四五六七八九]?|廿[一二三四五六七八九]"
    r"|三十|[12][0-9]|30|0?[1-9]"
)
_LUNAR_FESTIVALS = {
    "春节": (1, 1),
    "农历新年": (1, 1),
    "新春": (1, 1),
    "元宵节": (1, 15),
    "元宵": (1, 15),
    "端午节": (5, 5),
    "端午": (5, 5),
    "七夕节": (7, 7),
    "七夕": (7, 7),
    "中秋节": (8, 15),
    "中秋": (8, 15),
    "重阳节": (9, 9),
    "重阳": (9, 9),
    "腊八节": (12, 8),
    "腊八": (12, 8),
    "除夕": (12, 0),  # the lunar year's last day
    "大年夜": (12, 0),
}
# strings one of which a lunar date holds (the pattern is slow to try on every line with 月)
_LUNAR_NEEDS: tuple[str, ...] = ("农历", "阴历", "正月", "腊月", "冬月", "初", "廿", "月十")
_LUNAR_NEEDS += ("月二十", "月三十", "大年")
_LUNAR = re.compile(
    _YEAR_PART + r"?(?P<nl>农历|阴历)?(?:(?P<y2>(?:19|20)[0-9]{2})年)?"
    r"(?:(?P<lm>闰?(?:正|腊|冬|[一二三四五六七八九十]{1,2}|1[0-2]|0?[1-9]))月"
    r"(?P<ld>" + _LUNAR_DAY + r")(?P<ldsuf>日|号)?(?![0-9])"
    r"|大年(?P<bd>初[一二三四五六七八九十]|三十)"
    r"|(?P<fest>" + "|".join(sorted(_LUNAR_FESTIVALS, key=len, reverse=True)) + r"))"
    r"(?!期间|假期|长假|[0-9])" + rf"(?:的?\s{{0,2}}{_time('t')})?"
)
# 2014年11月到下个月9号: a month as the start of a range is its first day (found only before
# a joiner; :mod:`.ranges` drops it when no end follows: a month alone is not a date).
_MONTH_START = re.compile(
    r"(?:(?:从|自)\s?)?(?:(?<![0-9])(?P<y>(?:19|20)[0-9]{2})年|(?P<yrel>今年|去年|明年|前年))?"
    r"(?<![0-9])(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月份?"
    r"(?=\s{0,2}(?:至|到|~|～|—|直到)\s{0,2}(?!现在|今(?!年))\S)"
)
# 2025年前, 二〇三五年前, 明年6月之前: a deadline at a year's or a month's end (not 20年前,
# twenty years ago; not 2020年前后, around 2020; not 今年前三个月, its first three months).
_COARSE_DEADLINE = re.compile(
    r"(?:(?:(?<![0-9])(?P<y>(?:19|20)[0-9]{2})|(?P<yh>[〇○零一二三四五六七八九]{4}))年"
    r"|(?P<yrel>今年|明年|后年))?"
    r"(?:(?<![0-9])(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月份?)?"
    r"(?<=[年月份])\s?(?:之前|以前|前)(?![天后0-9一二三四五六七八九十两几半])"
)
# 2024年上半年, 下半年, 第三季度, 2025年Q1, 上半月: a half or quarter of a year, a half of
# the month (of the reference when no year is written).
_PART_OF_YEAR = re.compile(
    _YEAR_PART + r"?的?(?:(?P<half>上半年|下半年|前半年|后半年)|(?P<hm>上半月|下半月)"
    r"|第?(?P<q>[1-4一二三四])季度|(?<![A-Za-z])[Qq](?P<q2>[1-4])(?![0-9]))"
)
# 2025年第一天, 2023年第十天: day n of a year.
_DAY_OF_YEAR = re.compile(
    r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})年的?第(?P<n>[0-9]{1,3}|[一二三四五六七八九十百]{1,5})天"
    rf"(?:的?\s{{0,2}}{_time('t')})?"
)
# 20240307: eight digits standing alone that make a real date.
_YMD_COMPACT = re.compile(
    r"(?<![0-9A-Za-z.])(?P<y>(?:19|20)[0-9]{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12][0-9]|3[01])"
    r"(?![0-9A-Za-z.])",
    _FLAGS,
)
# 15年3月2日, 18年10月1日: a two-digit year (this century unless that is in the future).
_YMD_SHORT = re.compile(
    r"(?<![0-9])(?P<yy>[0-9]{2})年(?P<m>"
    + _MON
    + r")月(?P<d>"
    + _DAY
    + r")[日号]"
    + _WD_TAIL
    + rf"(?:\s{{0,2}}{_time('t')})?",
)
# 3/3/2015, 10/31/1974: month first (day first when the first number cannot be a month).
_MDY = re.compile(
    r"(?<![0-9/.])(?P<a>[0-9]{1,2})/(?P<b>[0-9]{1,2})/(?P<y>(?:19|20)[0-9]{2})(?![0-9/])",
    _FLAGS,
)
_EN_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_EN_MONTH = (
    r"(?P<mon>(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?))"
)
# 21 March 2025, Mar 21, 2025 10:08 PM, March 21st.
_EN_DATE = re.compile(
    r"(?<![A-Za-z0-9])(?:(?P<d1>[0-9]{1,2})(?:st|nd|rd|th)?\s" + _EN_MONTH + r"\.?"
    r"|" + _EN_MONTH.replace("<mon>", "<mon2>") + r"\.?\s(?P<d2>[0-9]{1,2})(?:st|nd|rd|th)?)"
    r"(?![0-9A-Za-z])(?:,?\s(?P<y>(?:19|20)[0-9]{2})(?![0-9]))?"
    r"(?:,?\s(?:at\s)?" + _time("t") + ")?",
)
_YMD_NUM = re.compile(
    r"(?<![0-9])(?<![0-9]\.)(?P<y>(?:19|20)[0-9]{2})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)"
    # a second full date after the separator is a range's end (2021-09-12-2021-09-15)
    r"(?P<d>[0-9]{1,2})(?![0-9]|(?P=sep)(?!(?:19|20)[0-9]{2}(?P=sep))[0-9]|\.[0-9])"
    + _WD_TAIL
    + rf"(?:(?:T|\s{{1,2}}|(?<=[)）])|(?=[凌早清上中下傍晚夜深半])){_time('t')})?",
)
# 2022 11 23, 1994.01-19: a year, month and day with spaces, or with a dot then a dash (no
# time: a fourth number group after them makes it something else, a phone or an account).
_YMD_LOOSE = re.compile(
    r"(?<![0-9])(?<![0-9][ .\-/])(?P<y>(?:19|20)[0-9]{2})"
    r"(?: (?P<m>0?[1-9]|1[0-2]) (?P<d>0?[1-9]|[12][0-9]|3[01])"
    r"|\.(?P<m2>0[1-9]|1[0-2])-(?P<d2>0[1-9]|[12][0-9]|3[01]))"
    r"(?![0-9]|[ .\-/][0-9]|\s?[元块万千百%])",
    _FLAGS,
)
_MD_CN = re.compile(
    r"(?<![0-9年.])(?P<m>"
    + _MON
    + r")月(?P<d>"
    + _DAY
    + r")(?:日|号)"
    + _WD_TAIL
    + rf"(?:\s{{0,2}}{_time('t')})?"
    # 10月22, 1月3: a month and a day without 日, not followed by another number or unit
    r"|(?<![0-9年.])(?P<m2>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月(?P<d2>[12][0-9]|3[01]|0?[1-9])"
    r"(?![0-9.%日号天个期次年月元块万千百])",
)
_MD_HANZI = re.compile(r"(?!)")  # merged into _MD_CN
_MD_DASH = re.compile(
    r"(?<![0-9\-/.:])(?P<m>[0-9]{1,2})[-/](?P<d>[0-9]{1,2})\s{1,2}" + _time("t")
    # 账单日 09-01, 11/3号: a zero-padded month-day, or one with 号, needs no time
    + r"|(?<![0-9\-/.:])(?P<m2>0[1-9]|1[0-2])-(?P<d2>0[1-9]|[12][0-9]|3[01])(?<!1[0-2]-[123][0-9])"
    r"(?![0-9\-/.:%天个日号月年元块万期次人条])"
    r"|(?<![0-9\-/.:])(?P<m3>1[0-2]|0?[1-9])/(?P<d3>[12][0-9]|3[01]|0?[1-9])[号日]"
    # 6·30, 3·15: a month and a two-digit day joined by a middle dot, as a day is named
    # (1·5 may be a typed 1.5, so a one-digit day is not read)
    r"|(?<![0-9.·])(?P<m4>1[0-2]|0?[1-9])·(?P<d4>[12][0-9]|3[01])(?![0-9.·])"
    # 5/19 ¥700: a statement row, the day before its amount (a fraction has no ¥ after it)
    r"|(?<![0-9\-/.])(?<![0-9]:)(?P<m5>1[0-2]|0?[1-9])/(?P<d5>[12][0-9]|3[01]|0?[1-9])(?=\s{1,2}[¥￥])",
    _FLAGS,
)
# 上个月15号, 这个月20日, 下月5号: a day of a month counted from the reference's month.
_REL_MONTH = re.compile(
    r"(?P<relm>上上个?月|上个?月|这个?月|今个?月|本月|下个?月|同月|当月)"
    r"(?P<d>" + _DAY + r")(?:日|号)"
    rf"(?:\s{{0,2}}{_time('t')})?",
    _FLAGS,
)
_REL_MONTH_SHIFT = {"上上": -2, "上": -1, "这": 0, "本": 0, "今": 0, "下": 1, "同": 0, "当": 0}
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
    "大大后天": (4, None),
    "本日": (0, None),
    "前日": (-2, None),
    "大前日": (-3, None),
    "后日": (2, None),
    "大后日": (3, None),
    "次日": (1, None),
    "当天": (0, None),
    "当日": (0, None),
    "寻日": (-1, None),  # Cantonese: yesterday, tomorrow
    "听日": (1, None),
}
_RELATIVE = re.compile(
    "(?P<rel>" + "|".join(sorted(_RELATIVE_DAYS, key=len, reverse=True)) + ")"
    # 今日头条 is the app (loan adverts run there), not today
    r"(?!头条)"
    rf"(?:\s{{0,2}}{_time('t')})?",
    _FLAGS,
)
_WEEKDAY = re.compile(
    r"(?<!每)(?:(?P<wkpre>上上个?|下下个?|上个?|下个?|本|这个?|今个?)(?:周|星期|礼拜)?的?)?"
    r"(?:星期|周|礼拜)(?P<wd>[一二三四五六日天1-7])(?![0-9]*个?小时|[0-9]*天)"
    rf"(?:\s{{0,2}}{_time('t')})?",
)
# 3天前, 两个月后, 10分钟之前, 六天后的3时: an offset from the reference.
_OFFSET = re.compile(
    rf"(?<![0-9.])(?P<n>[0-9]{{1,3}}|[{_HZ}半]{{1,3}})\s?(?P<unit>个半?月|个?星期|个?礼拜|周|天|日|年|个?半?小时|个?半?钟头|刻钟|分钟|分(?=半)|秒钟?)"
    # 一分半钟前: the half between the unit and 钟
    r"(?P<half>半)?(?:(?<=分半)钟)?(?P<dir>之?前|以前|之?后|以后)(?!天)"
    rf"(?:的?\s{{0,2}}{_time('t')})?",
)
# 近30天, 最近10分钟, 过去的50分钟里, 未来两个月, 还剩5 分钟: a length of time counted back
# or on from the reference, so a period with two ends (not a date, not a bare duration).
_SPAN = re.compile(
    # 近 alone opens a clause (近30天); after a word it is "nearly" (逾期近30天, 欠了近3万)
    r"(?P<cue>最近|(?<![^\W\d_])近|(?<=[在于这])近|过去的?|未来的?|今后|接下来的?"
    # 之前3小时, 之后5分钟 opening a clause: counted from now (after a word, from that event)
    r"|(?<![^\W\d_])之前|(?<![^\W\d_])之后|还剩下?)\s?"
    rf"(?P<n>[0-9]{{1,4}}|[{_HZ}百半仨俩]{{1,4}})\s?"
    r"(?P<unit>个多?月|个星期|个礼拜|个?小时|个?钟头|分钟|秒钟?|年|月(?![0-9一二三四五六七八九十])"
    r"|星期|礼拜|周|天|日)(?P<half>半|多)?(?:之?内|以内|里|中|以来)?"
    # 还剩8天20小时: a length in two units is a duration (Recognizers' suite reads it so)
    r"(?!又?\s?[0-9一二三四五六七八九十两]{1,3}\s?(?:个?小时|时|分|秒|天))"
)
# 三个月以来, 两年以来, 三个多月以来, 3年半以来: a length back to the reference without a cue
# before it (see .windows for the start of a 多).
_SPAN_SINCE = re.compile(
    # (逾期3个月以来 is how long it is overdue: a duration)
    rf"(?<![0-9.])(?<!逾期)(?<!拖欠)(?<!延期)(?P<n>[0-9]{{1,4}}|[{_HZ}百半仨俩]{{1,4}})(?P<more>多)?\s?"
    r"(?P<unit>个[多半]?月|个星期|个礼拜|个?半?小时|个?钟头|分钟|年|天|周|星期)(?P<half>半|多)?以来"
)
_SPAN_UNITS = {"小时": "h", "钟头": "h", "分钟": "min", "秒": "s", "秒钟": "s"}
_SPAN_UNITS.update({"天": "d", "日": "d", "星期": "w", "礼拜": "w", "周": "w"})
_SPAN_UNITS.update({"月": "m", "年": "y"})


def _span(m: re.Match[str], ref: datetime) -> tuple[str, str] | None:
    """(start, end) of an anchored length: whole moments for hours to weeks; calendar days
    for months and years (近三个月 on 06-14 runs from 03-14, 未来两个月 to 08-13)."""
    n_txt = m["n"]
    n = 0.5 if n_txt == "半" else 3 if n_txt == "仨" else 2 if n_txt == "俩" else _int(n_txt)
    if n is None or n <= 0:
        return None
    if m["half"] == "半":
        n += 0.5
    kind = _SPAN_UNITS.get(m["unit"].lstrip("个").replace("多", ""))
    if kind is None or n > 1000:
        return None
    back = not m["cue"].startswith(("未来", "今后", "接下来", "之后", "还剩"))
    if "多" in m["unit"] or m["half"] == "多":
        # 最近三个多月: from the first of the month three months reach (see .windows); how
        # far 未来三个多月 runs is not written
        first = since_start(m, ref) if back else None
        return None if first is None else (first, ref.replace(microsecond=0).isoformat())
    sign = -1 if back else 1
    try:
        if kind in ("h", "min", "s", "d", "w"):
            secs = {"h": 3600, "min": 60, "s": 1, "d": 86400, "w": 604800}[kind]
            other = ref + timedelta(seconds=sign * n * secs)
            ends = (other, ref) if back else (ref, other)
            return (
                ends[0].replace(microsecond=0).isoformat(),
                ends[1].replace(microsecond=0).isoformat(),
            )
        moved = shift_months(ref.date(), n, kind, sign)  # 近半年: six months; 半个月: 15 days
        now = ref.replace(microsecond=0).isoformat()
        if back:
            return moved.isoformat(), now
        return now, (moved - timedelta(days=1)).isoformat()
    except (OverflowError, ValueError):
        return None


# 月底, 月初, 年底, 下个月底: a day counted from the reference's month or year.
_MONTH_EDGE = re.compile(
    # 2018年10月底, 去年十二月月底: a named month's end
    r"(?:(?:(?<![0-9])(?P<ey>(?:19|20)[0-9]{2})年|(?P<eyrel>今年|去年|明年|前年))?"
    r"(?<![0-9])(?P<em>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月?(?=月[底初末])"
    r"|(?P<which>上上个?|上个?|这个?|本|下个?|今|明|去))?(?P<what>月底|月初|月末|年底|年初|年末)"
)
# 去年3月5日, 明年五月一号: a month-day in a year counted from the reference's.
_YREL_MD = re.compile(
    r"(?P<yrel>今年|去年|明年|前年|后年)的?(?P<m>" + _MON + r")月(?P<d>" + _DAY + r")(?:日|号)?"
    r"(?![0-9])" + _WD_TAIL + rf"(?:\s{{0,2}}{_time('t')})?"
)
# 25号, 29日: a day of the month alone (not a count: 逾期15日 is a duration).
_DOM = re.compile(
    r"(?<![0-9月年期满逾续共了第过计近前后内每隔])(?P<d>[12][0-9]|3[01]|0?[1-9]|[十二三]?十[一二三四五六七八九]?|[一二三四五六七八九])号(?![码楼线房室院门机段])"
    r"|(?<![0-9月年期满逾续共了第过计近前后内每隔])(?P<d2>[12][0-9]|3[01]|0?[1-9]|[二三]?十[一二三四五六七八九]?)日"
    r"(?![内元])" + rf"(?:\s{{0,2}}{_time('t')})?",
)
# Fixed-date holidays (solar calendar), with or without a year before them.
_HOLIDAYS = {
    "元旦": (1, 1),
    "情人节": (2, 14),
    "妇女节": (3, 8),
    "植树节": (3, 12),
    "愚人节": (4, 1),
    "劳动节": (5, 1),
    "五一": (5, 1),
    "青年节": (5, 4),
    "儿童节": (6, 1),
    "建党节": (7, 1),
    "建军节": (8, 1),
    "教师节": (9, 10),
    "国庆节": (10, 1),
    "国庆": (10, 1),
    "平安夜": (12, 24),
    "圣诞节": (12, 25),
    "圣诞": (12, 25),
    "元旦节": (1, 1),
    "阳历新年": (1, 1),
    "万圣节": (10, 31),
    "消费者权益日": (3, 15),
    "三一五": (3, 15),
    "五一国际劳动节": (5, 1),
    "八一建军节": (8, 1),
}
_HOLIDAY = re.compile(
    r"(?:(?P<hy>(?:19|20)[0-9]{2})年|(?P<hrel>今年|明年|去年))?(?P<hol>"
    + "|".join(sorted(_HOLIDAYS, key=len, reverse=True))
    + r")(?!期间|假期|长假|[0-9])"
    + rf"(?:的?\s{{0,2}}{_time('t')})?"
)
# 第三天上午, 第二天早上8点: the n-th day counted with the reference's as the first (as 次日
# counts from it), read only with a part of the day or a time after it; after an event
# (借款后第三天, 的第三天) it counts from that event, which is not written here.
_NTH_DAY = re.compile(
    r"(?<![0-9年月周后的起是])第(?P<nd>[二三四五六七八九十]|[2-9]|10)天"
    rf"(?=\s{{0,2}}(?:{_PERIODS}|白天|[0-9{_HZ}]{{1,3}}[点时:]))"
    rf"(?:的?\s{{0,2}}{_time('t')})?"
)
# 白天, 午后, 全天 written alone: the reference's day (a part of it, no hour: as 今天下午 is
# that day). Not a length or a habit (一整天, 每天白天, 全天候, 全天24小时). 夜间, 晚上 alone are
# read only as a range's start before 次日 (夜间至次日上午): alone they name no day (夜间催收).
_DAYPART_ALONE = re.compile(
    r"(?<![每一整个半大])(?:白天|午后|全天(?![候0-9])"
    r"|(?:夜间|晚上|夜里)(?=\s{0,2}(?:至|到)\s{0,2}次日))"
)
# 前两天, 前几天: "a few days ago", a vague recent past that is not today or yesterday (those
# have their words): the days from a week back to two days back (jionlp's suite reads it so).
# After a month, a week or an event (这个月前两天, 到期前两天) it is the first days of that or
# the days before it, which this does not resolve.
_FEW_DAYS_AGO = re.compile(r"(?<![0-9年月周的期个天后最头末])前(?:两|几)天(?![0-9])")
_TIME_ALONE = re.compile(r"(?<![0-9:.第])" + _time("t"), _FLAGS)
_SCALE_AFTER = frozenset("万萬亿億千元块")
_AROUND_BEFORE = re.compile(r"(?:大约|大概|约莫|约|差不多)\Z")
_DURATION_BEFORE = re.compile(r"(?:语音|时长|通话|录音|用时|耗时|计时)\]?\s{0,3}\Z")
# 8天20时, 3天又5小时: the hours of a length of days
_DAYS_BEFORE = re.compile(r"(?<!第)[0-9一二三四五六七八九十两]天又?\s?\Z")
_SINCE_AFTER = re.compile(
    r"\s?(?:(?:起\s?)?(?:至今|到现在|到今天|迄今)|起(?![诉来床草]|\s?[至到])|以来)"
)
# 从去年9月起, 2001年起至今, 去年到现在, 从上个月到今天, 今年以来: a year or a month on to the
# reference (a period from its first day; a year or month alone is not reported as a date).
_SINCE_COARSE = re.compile(
    r"(?:(?:从|自)\s?)?(?:"
    + _YEAR_PART
    + r"(?:(?P<m>"
    + _MON
    + r")月份?)?|(?P<m2>"
    + _MON
    + r")月份?|(?P<mrel>上上个?月|上个?月|本月|这个?月|今个?月))"
    + _SINCE_AFTER.pattern
)
# 中秋节前后, 3月5日前后: "around", not a deadline
_DEADLINE_AFTER = re.compile(r"\s?(?:之前|以前|前)(?!天|后)")

# 每天晚上8点, 每个星期天, 每周六上午: a recurrence names no one day.
_EVERY = re.compile(
    r"每(?:个|一)?(?:(?:天|日|晚|早|周|星期|礼拜|工作日|月|年)[一二三四五六日天1-7]?的?)?\s?\Z"
)
_LIST_SEP = re.compile(r"\s{0,2}[，,、和及与]\s{0,2}")
_TITLE = re.compile(r"《[^《》\n]{1,40}》")
_CLAUSE_END = re.compile(r"[，,。；;！!？?\n]")
_STAMP_REST = re.compile(r"[^\W\d_年月日号]")


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


def _has_year(m: re.Match[str]) -> bool:
    gd = m.groupdict()
    return any(gd.get(k) for k in ("y", "yh", "yrel", "y2", "hy", "hrel"))


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


def _int(s: str | None) -> int | None:
    """12, 十二, 廿三 → int; None when not a number."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if s[0] in "廿卅":
        base = 20 if s[0] == "廿" else 30
        rest = parse_chinese_integer(s[1:]) if len(s) > 1 else 0
        return None if rest is None else base + rest
    return parse_chinese_integer(s)


def _ymd(y: int | None, mo: int | None, d: int | None) -> date | None:
    if y is None or mo is None or d is None:
        return None
    try:
        return date(y, mo, d)
    except ValueError:
        return None


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


def _near_year(month: int, day: int, ref: date) -> date | None:
    best: date | None = None
    best_cost = 0
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            cand = date(year, month, day)
        except ValueError:
            continue
        delta = (cand - ref).days
        cost = abs(delta)
        if best is None or cost < best_cost:
            best, best_cost = cand, cost
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
