"""The written forms of dates and times: the regular expressions :mod:`.dates` composes, and the
small readers of their parts."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from .numerals import parse_chinese_integer
from .windows import shift_months, since_start

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


def _has_year(m: re.Match[str]) -> bool:
    gd = m.groupdict()
    return any(gd.get(k) for k in ("y", "yh", "yrel", "y2", "hy", "hrel"))


_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


_EVENING = ("晚上", "夜里", "夜间", "深夜", "半夜", "晚", "夜")


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
