"""Windows from the reference (3天内), spans back to it (三个多月以来), parts of the day alone
or after a counted day (白天, 第三天上午), 前两天, and half units (一分半钟前): issue 10."""

from __future__ import annotations

from datetime import datetime

import pytest

from evidence_kit.extract import extract

REF = datetime(2021, 6, 14, 1, 6, 40)  # a Monday, 端午节 (an official holiday)
NOW = "2021-06-14T01:06:40"
REF2 = datetime(2019, 2, 18, 7, 18, 40)
NOW2 = "2019-02-18T07:18:40"


def _values(text: str, ref: datetime | None) -> list[str]:
    r = extract(text, reference=ref)
    return [d.value for d in r.dates] + [f"{x.first}/{x.last}" for x in r.ranges]


@pytest.mark.parametrize(
    ("text", "ref", "expected"),
    [
        ("3天内", REF, [f"{NOW}/2021-06-17"]),
        ("请在60日内完成", REF, [f"{NOW}/2021-08-13"]),
        ("两个半月以内", REF, [f"{NOW}/2021-08-29"]),  # two months, and 15 days
        ("一个月内还清", REF, [f"{NOW}/2021-07-14"]),
        ("两周内", REF, [f"{NOW}/2021-06-28"]),
        ("半年内", REF, [f"{NOW}/2021-12-14"]),
        ("17天内", REF2, [f"{NOW2}/2019-03-07"]),
        ("半小时内", REF2, [f"{NOW2}/2019-02-18T07:48:40"]),
        ("90分钟以内", REF2, [f"{NOW2}/2019-02-18T08:48:40"]),
        ("十三分半以内", REF2, [f"{NOW2}/2019-02-18T07:32:10"]),
        ("三十秒之内", REF2, [f"{NOW2}/2019-02-18T07:19:10"]),
        ("还剩5 分钟", REF2, [f"{NOW2}/2019-02-18T07:23:40"]),
    ],
)
def test_a_window_runs_from_the_reference(text: str, ref: datetime, expected: list[str]) -> None:
    assert _values(text, ref) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 06-14 (端午) is a holiday; counted from the next day: 15 working days end on 07-05
        ("15个工作日内", [f"{NOW}/2021-07-05"]),
        # 2021-09-18 (Saturday) was a make-up working day (调休) for 中秋: 09-17 Fri, 09-18 Sat
        ("2个工作日内", ["2021-09-16T18:00:00/2021-09-18"]),
    ],
)
def test_working_days_follow_the_official_calendar(text: str, expected: list[str]) -> None:
    ref = REF if "15" in text else datetime(2021, 9, 16, 18, 0)
    assert _values(text, ref) == expected


def test_a_window_without_a_reference_stays_a_duration() -> None:
    r = extract("要求3天内还款")
    assert r.ranges == () and [u.value for u in r.durations] == ["P3D"]


@pytest.mark.parametrize(
    "text",
    # how long overdue; a range of lengths; a code's or an offer's validity (no evidence window)
    ["逾期3天内", "25-35天内", "验证码123456，5分钟内有效", "本优惠30分钟内 有效"],
)
def test_no_window_from_a_length_that_is_not_one(text: str) -> None:
    assert extract(text, reference=REF).ranges == ()


@pytest.mark.parametrize(
    ("text", "ref", "expected"),
    [
        ("三个多月以来", REF, [f"2021-03-01/{NOW}"]),
        ("3个多月以来", datetime(2019, 8, 22), ["2019-05-01/2019-08-22T00:00:00"]),
        ("3年多以来", datetime(2019, 8, 22), ["2016-01-01/2019-08-22T00:00:00"]),
        ("十多年以来", REF, [f"2011-01-01/{NOW}"]),
        ("3年半以来", datetime(2019, 8, 22), ["2016-02-22/2019-08-22T00:00:00"]),
        ("两个半月以来", REF, [f"2021-03-30/{NOW}"]),
    ],
)
def test_a_span_back_to_the_reference(text: str, ref: datetime, expected: list[str]) -> None:
    assert _values(text, ref) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第三天上午", [("2021-06-16", "第三天")]),
        ("第二天早上8点", [("2021-06-15T08:00:00", "第二天早上8点")]),
        ("白天", [("2021-06-14", "白天")]),
        ("午后", [("2021-06-14", "午后")]),
        ("全天", [("2021-06-14", "全天")]),
    ],
)
def test_a_part_of_the_day_names_the_day(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(d.value, d.text) for d in extract(text, reference=REF).dates] == expected


@pytest.mark.parametrize(
    "text",
    ["借款后第三天上午", "第三天", "全天候催收", "一整天", "夜间催收", "每天白天都打"],
)
def test_no_day_from_a_part_of_the_day_that_names_none(text: str) -> None:
    r = extract(text, reference=REF)
    assert r.dates == () and r.ranges == ()


def test_night_to_next_morning_is_a_range() -> None:
    (r,) = extract("夜间至次日上午", reference=REF).ranges
    assert (r.first, r.last, r.text) == ("2021-06-14", "2021-06-15", "夜间至次日")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("前两天", ["2021-06-07/2021-06-12"]), ("他前几天打过电话", ["2021-06-07/2021-06-12"])],
)
def test_a_few_days_ago(text: str, expected: list[str]) -> None:
    assert _values(text, REF) == expected


@pytest.mark.parametrize("text", ["这个月前两天", "到期前两天"])
def test_the_first_days_of_something_are_not_a_few_days_ago(text: str) -> None:
    assert _values(text, REF) == []


def test_half_a_minute_in_an_offset() -> None:
    # 一分半钟: one and a half minutes (一分钟半 was read already)
    assert _values("一分半钟前", REF2) == ["2019-02-18T07:17:10"]


@pytest.mark.parametrize("ref", [REF, None])
def test_within_a_year_written_in_full_is_that_year(ref: datetime | None) -> None:
    # was a duration of 2024 years
    r = extract("2024年内还清", reference=ref)
    assert [(x.first, x.last, x.text) for x in r.ranges] == [
        ("2024-01-01", "2024-12-31", "2024年内")
    ]
    assert r.durations == ()


def test_natural_days() -> None:
    assert _values("7个自然日内", REF) == [f"{NOW}/2021-06-21"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("最近三个多月", [f"2021-03-01/{NOW}"]),
        ("过去一个多月里", [f"2021-05-01/{NOW}"]),
        ("近半年", [f"2020-12-14/{NOW}"]),  # was a duration of half a year
        ("近一年半", [f"2019-12-14/{NOW}"]),
        ("未来半年", [f"{NOW}/2021-12-13"]),
        ("未来三个多月", []),  # how far it runs is not written
    ],
)
def test_more_and_half_in_a_span_with_a_cue(text: str, expected: list[str]) -> None:
    assert _values(text, REF) == expected


@pytest.mark.parametrize("text", ["还剩8天20时", "还剩8天又二十个小时"])
def test_a_length_in_two_units_is_no_span(text: str) -> None:
    assert extract(text, reference=REF).ranges == ()


def test_a_count_after_a_span_keeps_it() -> None:
    assert _values("近30天3次", REF) == [f"2021-05-15T01:06:40/{NOW}"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本周内还款", [f"{NOW}/2021-06-20"]),  # to Sunday
        ("这个月之内", [f"{NOW}/2021-06-30"]),
        ("今年内还清", [f"{NOW}/2021-12-31"]),
    ],
)
def test_the_rest_of_the_reference_period(text: str, expected: list[str]) -> None:
    assert _values(text, REF) == expected


def test_the_rest_of_a_period_needs_a_reference() -> None:
    assert extract("本月内还清").ranges == ()
