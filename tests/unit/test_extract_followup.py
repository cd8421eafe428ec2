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
        # a clause told in the past still takes the last one
        ("十月31号他们打过电话", REF, "2020-10-31"),
    ],
)
def test_year_of_a_month_day(text: str, ref: datetime, expected: str) -> None:
    assert [d.value for d in extract(text, reference=ref).dates] == [expected]
