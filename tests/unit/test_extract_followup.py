"""Issue 10 follow-up: shapes of dates other suites write, the year of a month-day, ranges
to now, times across a range, and year-level deadlines."""

from __future__ import annotations

from datetime import datetime

import pytest

from evidence_kit.extract import extract

REF = datetime(2021, 6, 14, 1, 6, 40)  # a Monday


def _values(text: str, ref: datetime | None = REF) -> list[str]:
    r = extract(text, reference=ref)
    return [d.value for d in r.dates] + [f"{x.first}/{x.last}" for x in r.ranges]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022 11 23", ["2022-11-23"]),
        ("生日是2019 10 1", ["2019-10-01"]),
        ("1994.01-19", ["1994-01-19"]),
        ("6·30", ["2021-06-30"]),
        ("3·15晚会", ["2021-03-15"]),
        ("2022 11 23至2022 11 25", ["2022-11-23/2022-11-25"]),
    ],
)
def test_loose_separators(text: str, expected: list[str]) -> None:
    assert _values(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "电话 2022 11 23 45",  # a fourth group: not a date
        "卡号 6222 0210 0101 1234",
        "2021 12 5元",
        "约翰·史密斯",
        "1·5",  # may be a typed 1.5
    ],
)
def test_loose_separators_leave_other_numbers(text: str) -> None:
    assert extract(text, reference=REF).dates == ()


@pytest.mark.parametrize(
    ("text", "ref", "expected"),
    [
        # the nearest year: 139 days ahead beats 226 back
        ("十月31", REF, "2021-10-31"),
        ("11/3号", REF, "2021-11-03"),
        ("12月28日", datetime(2025, 1, 10), "2024-12-28"),
        ("1月5日前", datetime(2024, 12, 28), "2025-01-05"),
        # nearly as far either way (over five months): the reference's own year
        ("9月30日", datetime(2008, 3, 13), "2008-09-30"),  # 165 days back, 201 ahead
        ("8月15日", datetime(2025, 2, 12), "2025-08-15"),  # 181 back, 184 ahead
        ("十二月20号", datetime(2025, 6, 19), "2025-12-20"),
        # a clause told in the past still takes the last one
        ("十月31号他们打过电话", REF, "2020-10-31"),
    ],
)
def test_year_of_a_month_day(text: str, ref: datetime, expected: str) -> None:
    assert [d.value for d in extract(text, reference=ref).dates] == [expected]


NOW = "2021-06-14T01:06:40"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("从去年9月起", [f"2020-09-01/{NOW}"]),
        ("从2001年起至今", [f"2001-01-01/{NOW}"]),
        ("去年到现在", [f"2020-01-01/{NOW}"]),
        ("从上个月到今天", [f"2021-05-01/{NOW}"]),
        ("自3月份以来一直催收", [f"2021-03-01/{NOW}"]),
        ("今年以来", [f"2021-01-01/{NOW}"]),
        ("从9月起", [f"2020-09-01/{NOW}"]),  # the last September, not the coming one
        ("2019年5月8日起至今", [f"2019-05-08/{NOW}"]),
    ],
)
def test_a_year_or_month_on_to_now(text: str, expected: list[str]) -> None:
    assert _values(text) == expected


@pytest.mark.parametrize("text", ["2025年起", "起诉", "从2019年起诉"])
def test_no_period_to_now(text: str) -> None:
    assert _values(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the part of the day is written once, for both hours, on the day before it
        ("大前天晚上9~11点", ["2021-06-11T21:00:00/2021-06-11T23:00:00"]),
        ("3月5日下午1~3点开会", ["2021-03-05T13:00:00/2021-03-05T15:00:00"]),
        # one hour or the next: the two hours named
        ("明天下午七八点", ["2021-06-15T19:00:00/2021-06-15T20:00:00"]),
        ("晚上十一二点", ["2021-06-14T23:00:00/2021-06-15T00:00:00"]),
        # the start keeps 中午
        ("前天中午到明天晚上", ["2021-06-12T12:00:00/2021-06-15"]),
        ("3月5日中午", ["2021-03-05T12:00:00"]),
        ("中午一点", ["2021-06-14T13:00:00"]),
        ("中午", []),  # noon of no day
        ("2021年4月20日11:00时至2021年4月25日17:00时", ["2021-04-20T11:00:00/2021-04-25T17:00:00"]),
    ],
)
def test_times_in_ranges(text: str, expected: list[str]) -> None:
    assert _values(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025年前", "2025-12-31"),
        ("二〇三五年前", "2035-12-31"),
        ("明年6月之前", "2022-06-30"),
        ("2022年6月以前", "2022-06-30"),
        ("6月前还清", "2021-06-30"),
    ],
)
def test_before_a_coming_year_or_month_is_the_time_to_its_end(text: str, expected: str) -> None:
    # as 今年内 and 本月内 are: from the reference to the period's last day
    r = extract(text, reference=REF)
    assert r.dates == ()
    assert [(x.first, x.last) for x in r.ranges] == [(NOW, expected)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("年底前", "2021-12-31"),  # 年底 is a day, the year's last
        ("月底前还5千", "2021-06-30"),
        ("2019年以前", "2019-12-31"),  # already past: no time left to span
    ],
)
def test_deadlines_on_a_day(text: str, expected: str) -> None:
    r = extract(text, reference=REF)
    assert [(d.value, d.is_deadline) for d in r.dates] == [(expected, True)]
    assert r.ranges == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20年前", [("2001-06-14", False)]),  # twenty years ago
        ("3个月前", [("2021-03-14", False)]),
        ("2020年前后", []),  # around 2020
        ("今年前三个月", []),  # its first three months
    ],
)
def test_not_deadlines(text: str, expected: list[tuple[str, bool]]) -> None:
    assert [(d.value, d.is_deadline) for d in extract(text, reference=REF).dates] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2014年11月到下个月9号", ["2014-11-01/2021-07-09"]),
        ("从去年11月到今年2月3日", ["2020-11-01/2021-02-03"]),
        ("2020年3月至今", [f"2020-03-01/{NOW}"]),
        ("3月到5月", []),  # whole months: not read
        ("3月份到账了", []),
    ],
)
def test_a_month_as_a_range_start(text: str, expected: list[str]) -> None:
    assert _values(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("两个半月前", ["2021-03-30"]),  # the half was lost with the unit (gave nothing)
        ("半个月后", ["2021-06-29"]),
        ("一个半小时后", ["2021-06-14T02:36:40"]),
        ("三个月以来", [f"2021-03-14/{NOW}"]),
        ("这两年以来", [f"2019-06-14/{NOW}"]),
        # how much more is not written: from the first of the month three months reach
        ("三个多月以来", [f"2021-03-01/{NOW}"]),
    ],
)
def test_halves_and_lengths_back_to_now(text: str, expected: list[str]) -> None:
    assert _values(text) == expected


def test_overdue_length_since_stays_a_duration() -> None:
    r = extract("逾期3个月以来", reference=REF)
    assert r.ranges == () and [u.value for u in r.durations] == ["P3M"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("去年中秋节前后", "2020-10-01"), ("3月5日前后", "2021-03-05"), ("国庆前后", "2021-10-01")],
)
def test_around_a_day_is_no_deadline(text: str, expected: str) -> None:
    dates = extract(text, reference=REF).dates
    assert [(d.value, d.is_deadline) for d in dates] == [(expected, False)]
