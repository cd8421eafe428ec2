"""Dates read from the shape of the text around them (issue 10): weekdays in stamps and in
running text, recurrences, lunar dates, weeks of a month, times written other ways."""

from __future__ import annotations

from datetime import datetime

import pytest

from evidence_kit.extract import extract

REF = datetime(2025, 3, 19, 12, 0)  # a Wednesday


def _values(text: str, ref: datetime | None = REF) -> list[str]:
    return [d.value for d in extract(text, reference=ref).dates]


def _ranges(text: str, ref: datetime | None = REF) -> list[tuple[str, str]]:
    return [(r.first, r.last) for r in extract(text, reference=ref).ranges if r.currency is None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a line that is only a stamp: the past week's day (the chat convention)
        ("星期五", "2025-03-14"),
        ("星期五 22:08", "2025-03-14T22:08:00"),
        ("—— 周五 ——", "2025-03-14"),
        ("周五\n他说会处理", "2025-03-14"),
        # running text: the coming one
        ("周五还款", "2025-03-21"),
        ("星期一我去银行", "2025-03-24"),
        ("周三再联系", "2025-03-19"),
        # running text told in the past: the last one
        ("周五他们打了三次电话", "2025-03-14"),
        # a deadline is always ahead
        ("周五前还清", "2025-03-21"),
        ("今星期二", "2025-03-18"),
    ],
)
def test_weekday_from_the_shape_of_the_text(text: str, expected: str) -> None:
    assert _values(text) == [expected]


@pytest.mark.parametrize(
    "text", ["每天晚上8点", "每周六上午9点到11点", "每个星期天早上9点一刻", "每个工作日的下午三点"]
)
def test_recurrence_names_no_date(text: str) -> None:
    r = extract(text, reference=REF)
    assert r.dates == () and r.ranges == ()


def test_recurrence_stops_at_the_clause() -> None:
    assert _values("每月15号扣款，上次是3月15日") == ["2025-03-15"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("农历八月十五", "2025-10-06"),
        ("1991年农历8月23号", "1991-09-30"),
        ("二零一二年农历正月十五", "2012-02-06"),
        ("腊月廿三", "2026-02-10"),
        ("大年初十", "2025-02-07"),
        ("2023年大年三十", "2024-02-09"),  # the lunar year 2023's last day
        ("除夕晚上6点半", "2026-02-16T18:30:00"),
        ("去年中秋节", "2024-09-17"),
        ("端午", "2025-05-31"),
    ],
)
def test_lunar_dates(text: str, expected: str) -> None:
    assert _values(text) == [expected]


def test_solar_month_day_is_not_lunar() -> None:
    assert _values("3月15日") == ["2025-03-15"]
    assert _values("3月15号") == ["2025-03-15"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本月第2周", ("2025-03-10", "2025-03-16")),
        ("下月第一周", ("2025-04-07", "2025-04-13")),
        ("2023年三月的第二周", ("2023-03-13", "2023-03-19")),
        ("20年第52周", ("2020-12-28", "2021-01-03")),
        ("今年第三个星期", ("2025-01-20", "2025-01-26")),
    ],
)
def test_week_of_a_month_or_year_is_a_range(text: str, expected: tuple[str, str]) -> None:
    assert _ranges(text) == [expected]
    assert _values(text) == []


def test_fifth_week_a_month_lacks_is_nothing() -> None:
    assert _ranges("2月第5周") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3pm", "2025-03-19T15:00:00"),
        ("16时40分50秒", "2025-03-19T16:40:50"),
        ("晚上5点", "2025-03-19T17:00:00"),
        ("晚上1点", "2025-03-19T01:00:00"),
        ("晏晝三點半", "2025-03-19T15:30:00"),
        ("聽日", "2025-03-20"),
    ],
)
def test_times_and_words_written_other_ways(text: str, expected: str) -> None:
    assert _values(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("去年3月5日", "2024-03-05"),
        ("明年五月一号 10:00", "2026-05-01T10:00:00"),
        ("2018年10月底", "2018-10-31"),
        ("去年10月初", "2024-10-01"),
        ("一刻钟后", "2025-03-19T12:15:00"),
        ("半钟头后", "2025-03-19T12:30:00"),
        ("大大后天", "2025-03-23"),
    ],
)
def test_years_and_offsets_written_around_a_date(text: str, expected: str) -> None:
    assert _values(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("近30天", ("2025-02-17T12:00:00", "2025-03-19T12:00:00")),
        ("最近10分钟", ("2025-03-19T11:50:00", "2025-03-19T12:00:00")),
        ("近三个月催收了50次", ("2024-12-19", "2025-03-19T12:00:00")),
        ("未来两个月", ("2025-03-19T12:00:00", "2025-05-18")),
        # times joined: the period written once holds for both ends
        ("今天下午1点到3点十分", ("2025-03-19T13:00:00", "2025-03-19T15:10:00")),
        ("晚上9~11点", ("2025-03-19T21:00:00", "2025-03-19T23:00:00")),
        ("晚上十一点到十二点", ("2025-03-19T23:00:00", "2025-03-20T00:00:00")),
        ("1月15号4点和2月3号9点之间", ("2025-01-15T04:00:00", "2025-02-03T09:00:00")),
        # the end of two month-days takes the start's year
        ("12月28日至1月3日", ("2024-12-28", "2025-01-03")),
    ],
)
def test_periods_counted_from_the_reference_or_joined(
    text: str, expected: tuple[str, str]
) -> None:
    assert _ranges(text) == [expected]


def test_nearly_after_a_word_is_a_length_not_a_period() -> None:
    r = extract("逾期近30天", reference=REF)
    assert r.ranges == () and [u.value for u in r.durations] == ["P30D"]


def test_period_without_reference_stays_a_length() -> None:
    r = extract("近30天")
    assert r.ranges == () and [u.value for u in r.durations] == ["P30D"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025年第一天早上8点半", "2025-01-01T08:30:00"),
        ("3月2日接到电话，同月9号又打来", "2025-03-09"),
        ("晏晝三點踏三", "2025-03-19T15:15:00"),
        ("晏晝三點三個字", "2025-03-19T15:15:00"),
    ],
)
def test_more_ways_to_write_a_day_or_a_time(text: str, expected: str) -> None:
    assert _values(text)[-1] == expected


def test_from_a_day_on_runs_to_the_reference() -> None:
    assert _ranges("2019年5月8日起") == [("2019-05-08", "2025-03-19T12:00:00")]
    assert _ranges("3月1日至今") == [("2025-03-01", "2025-03-19T12:00:00")]
    # 起诉 is "to sue", and 起至 opens a range of two written ends
    assert _values("3月1日起诉你") == ["2025-03-01"]
    assert _ranges("自2020-05-26起至2020-05-29止") == [("2020-05-26", "2020-05-29")]


def test_a_title_names_no_date() -> None:
    assert _values("《明日之后》将于明日正式上线") == ["2025-03-20"]


def test_days_and_hours_of_a_length_are_not_a_time() -> None:
    assert _values("还剩8天20时") == []
    assert _values("五个星期3小时") == []


JAN = datetime(2025, 1, 10, 12, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3月5日", "2025-03-05"),  # no tense: the nearest (a future day counting double)
        ("我3月5日已经还了", "2024-03-05"),  # told in the past: the last such day
        ("国庆节我还了两千", "2024-10-01"),
        ("准备国庆节还", "2025-10-01"),  # speaks of the future: the coming one
        ("12月28日", "2024-12-28"),
    ],
)
def test_year_of_a_month_day_follows_the_tense_of_its_clause(text: str, expected: str) -> None:
    assert _values(text, JAN) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我去年上半年都不在北京", ("2024-01-01", "2024-06-30")),
        ("2024年下半年", ("2024-07-01", "2024-12-31")),
        ("第三季度账单", ("2025-07-01", "2025-09-30")),
        ("2025年Q4", ("2025-10-01", "2025-12-31")),
        ("下半月", ("2025-03-16", "2025-03-31")),
    ],
)
def test_half_years_quarters_and_half_months_are_ranges(
    text: str, expected: tuple[str, str]
) -> None:
    assert _ranges(text) == [expected]


@pytest.mark.parametrize("text", ["QQ1234", "半年", "IQ3"])
def test_not_a_part_of_a_year(text: str) -> None:
    assert _ranges(text) == []


def test_dash_between_two_full_dates_is_a_range() -> None:
    assert _ranges("2021-09-12-2021-09-15") == [("2021-09-12", "2021-09-15")]
    assert _values("2021-09-12-11") == []  # not a date: four numbers


def test_glued_date_and_time_with_a_dash() -> None:
    assert _values("2021-09-12-11：23") == ["2021-09-12T11:23:00"]


def test_days_listed_after_a_date_are_in_its_month() -> None:
    assert _values("1月10号、11号、12号都打来了") == ["2025-01-10", "2025-01-11", "2025-01-12"]


@pytest.mark.parametrize("unit", ["周五还款我", "3月5日还了", "每天晚上8点打", "《书》明日"])
def test_context_rules_stay_linear(unit: str) -> None:
    import time

    def per_char(n: int) -> float:
        text = unit * n
        best = float("inf")
        # CPU time of this process, the fastest of three runs: other processes on a loaded
        # machine then add no time, and a stray pause in one run does not count.
        for _ in range(3):
            t0 = time.process_time()
            extract(text, reference=REF)
            best = min(best, time.process_time() - t0)
        return best / len(text)

    small, big = per_char(1000), per_char(10000)
    assert big < small * 3  # was ×9 when a clause was looked for back to the text's start


@pytest.mark.parametrize(
    ("text", "expected"),
    [("账单日 03-01", ["2025-03-01"]), ("11/3号", ["2024-11-03"]), ("比分 10-12", []),
     ("10-12天到账", []), ("05-10个", [])],
)
def test_month_day_with_a_dash_alone(text: str, expected: list[str]) -> None:
    assert _values(text) == expected
