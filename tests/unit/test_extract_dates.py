"""Dates and times with an injected reference moment (no clock is read)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from evidence_kit.extract import extract_dates

# Friday 2025-03-21 23:00, the moment the screenshot was taken.
REF = datetime(2025, 3, 21, 23, 0)

# (id, text, reference, [(value, text, is_deadline), ...])
CASES = [
    ("cn-full", "2025年3月21日", None, [("2025-03-21", "2025年3月21日", False)]),
    ("cn-full-hao", "2025年3月5号还款", None, [("2025-03-05", "2025年3月5号", False)]),
    ("iso-minutes", "2025-03-21 22:08", None, [("2025-03-21T22:08:00", "2025-03-21 22:08", False)]),
    (
        "iso-seconds",
        "交易时间2025-03-21 22:08:15",
        None,
        [
            ("2025-03-21T22:08:15", "2025-03-21 22:08:15", False),
        ],
    ),
    ("slashes", "2025/3/21", None, [("2025-03-21", "2025/3/21", False)]),
    ("dots", "2025.03.21", None, [("2025-03-21", "2025.03.21", False)]),
    (
        "cn-with-time",
        "2025年3月21日 22:08",
        None,
        [
            ("2025-03-21T22:08:00", "2025年3月21日 22:08", False),
        ],
    ),
    (
        "cn-shi-fen",
        "2025年3月21日22时08分",
        None,
        [
            ("2025-03-21T22:08:00", "2025年3月21日22时08分", False),
        ],
    ),
    (
        "hanzi-date",
        "签订日期：二〇二四年十二月三十一日",
        None,
        [
            ("2024-12-31", "二〇二四年十二月三十一日", False),
        ],
    ),
    ("pdf-text-layer", "2025\n年3月21 日", None, [("2025-03-21", "2025\n年3月21 日", False)]),
    ("month-day", "3月21日", REF, [("2025-03-21", "3月21日", False)]),
    ("month-day-last-year", "12月28日", datetime(2025, 1, 10), [("2024-12-28", "12月28日", False)]),
    (
        "month-day-next-year-deadline",
        "请于1月5日前还款",
        datetime(2024, 12, 28),
        [
            ("2025-01-05", "1月5日前", True),
        ],
    ),
    (
        "month-day-context-year",
        "账单日2024年12月1日，还款日12月21日",
        None,
        [
            ("2024-12-01", "2024年12月1日", False),
            ("2024-12-21", "12月21日", False),
        ],
    ),
    ("month-day-no-reference", "3月21日", None, []),
    ("month-day-time", "2月3日 上午9:12", REF, [("2025-02-03T09:12:00", "2月3日 上午9:12", False)]),
    ("dash-month-day-time", "03-21 22:08", REF, [("2025-03-21T22:08:00", "03-21 22:08", False)]),
    ("afternoon", "下午3:45", REF, [("2025-03-21T15:45:00", "下午3:45", False)]),
    ("evening-dian", "晚上10点", REF, [("2025-03-21T22:00:00", "晚上10点", False)]),
    ("morning", "上午9:12", REF, [("2025-03-21T09:12:00", "上午9:12", False)]),
    ("half-past", "下午3点半", REF, [("2025-03-21T15:30:00", "下午3点半", False)]),
    ("noon-one", "中午1点", REF, [("2025-03-21T13:00:00", "中午1点", False)]),
    ("yesterday", "[微信] 昨天 22:08", REF, [("2025-03-20T22:08:00", "昨天 22:08", False)]),
    ("day-before", "前天", REF, [("2025-03-19", "前天", False)]),
    ("today", "今天", REF, [("2025-03-21", "今天", False)]),
    ("tonight", "今晚8点前必须还上", REF, [("2025-03-21T20:00:00", "今晚8点前", True)]),
    ("midnight-deadline", "今天24点前", REF, [("2025-03-22T00:00:00", "今天24点前", True)]),
    ("weekday-chat", "星期三 10:00", REF, [("2025-03-19T10:00:00", "星期三 10:00", False)]),
    ("weekday-zhou", "周三", REF, [("2025-03-19", "周三", False)]),
    ("same-weekday-is-last-week", "星期五", REF, [("2025-03-14", "星期五", False)]),
    ("weekday-deadline", "周一前还清", REF, [("2025-03-24", "周一前", True)]),
    ("next-week", "下周三上门", REF, [("2025-03-26", "下周三", False)]),
    ("last-week", "上周五", REF, [("2025-03-14", "上周五", False)]),
    ("deadline", "请于3月25日前还款", REF, [("2025-03-25", "3月25日前", True)]),
    ("deadline-zhiqian", "3月5日之前", REF, [("2025-03-05", "3月5日之前", True)]),
    ("time-alone", "22:08", REF, [("2025-03-21T22:08:00", "22:08", False)]),
    ("time-alone-no-reference", "22:08", None, []),
    ("relative-no-reference", "昨天 22:08", None, []),
    (
        "tz-aware-reference",
        "昨天",
        datetime(2025, 3, 21, 23, 0, tzinfo=timezone.utc),
        [
            ("2025-03-20", "昨天", False),
        ],
    ),
    (
        "two-in-sms",
        "2025年3月1日借款，应于2025年4月1日前还款",
        None,
        [
            ("2025-03-01", "2025年3月1日", False),
            ("2025-04-01", "2025年4月1日前", True),
        ],
    ),
]

MORE_CASES = [
    (
        "range-is-not-two-dates",  # reported as one range (test_extract_grammar.py)
        "本期账单 2025/03/01-2025/03/31",
        None,
        [],
    ),
    (
        "evening-with-relative",
        "昨天晚上11点多还在打电话",
        REF,
        [
            ("2025-03-20T23:00:00", "昨天晚上11点", False),
        ],
    ),
    ("voice-duration-is-not-a-time", "[语音] 0:58", REF, []),
    ("call-duration-is-not-a-time", "呼入 时长 03:12", REF, []),
    ("midnight-24", "最后期限：3月25日24点", REF, [("2025-03-26T00:00:00", "3月25日24点", False)]),
]
CASES += MORE_CASES

NOT_DATES = [
    ("invalid-month", "2025-13-45"),
    ("invalid-day", "2月30日"),
    ("invalid-cn", "2025年2月29日"),
    ("phone", "13800138000"),
    ("dashed-phone", "138-0013-8000"),
    ("landline", "010-12345678"),
    ("amount", "¥2025.03"),
    ("amount-yuan", "2025.30元"),
    ("decimal", "利率0.05"),
    ("every-week", "每周三"),
    ("order-number", "订单号20250321123456"),
    ("id-card", "110105199003071239"),
]


@pytest.mark.parametrize(
    ("text", "reference", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_dates(
    text: str, reference: datetime | None, expected: list[tuple[str, str, bool]]
) -> None:
    got = [(d.value, d.text, d.is_deadline) for d in extract_dates(text, reference=reference)]
    assert got == expected


@pytest.mark.parametrize("text", [c[1] for c in NOT_DATES], ids=[c[0] for c in NOT_DATES])
def test_not_dates(text: str) -> None:
    assert extract_dates(text, reference=REF) == ()


def test_offsets_slice_the_input() -> None:
    text = "【分期乐】您的账单已于2025\n年3月21 日出账"
    (d,) = extract_dates(text)
    assert text[d.start : d.end] == d.text == "2025\n年3月21 日"


def test_deadline_in_json() -> None:
    (d,) = extract_dates("3月5日前", reference=REF)
    assert d.to_json() == {
        "value": "2025-03-05",
        "text": "3月5日前",
        "start": 0,
        "end": 5,
        "deadline": True,
    }


@pytest.mark.parametrize(
    ("text", "ref", "want"),
    [
        # a deadline is set ahead of when it is written: the coming 元旦, not the last one
        ("元旦之前一次性结清的话，可以减免罚息", datetime(2025, 6, 18, 9, 30), "2026-01-01"),
        ("春节前还清就不上征信", datetime(2025, 6, 18, 9, 30), "2026-02-17"),
        # but a deadline passed less than a month ago is that one (evidence read weeks later)
        ("请于3月5日前还款", datetime(2025, 3, 20, 10, 0), "2025-03-05"),
        # and a clause told in the past keeps the past one
        ("你元旦前就应该还了", datetime(2025, 6, 18, 9, 30), "2025-01-01"),
        # not a deadline: the nearest, as before
        ("元旦那天他们打了三次电话", datetime(2025, 6, 18, 9, 30), "2025-01-01"),
    ],
)
def test_deadline_without_year_is_the_coming_one(text: str, ref: datetime, want: str) -> None:
    assert [d.value for d in extract_dates(text, reference=ref)] == [want]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("零七年八月二十九号", "2007-08-29"),
        ("九零年9月十号", "1990-09-10"),
        ("一七年三月五日", "2017-03-05"),
        ("二〇〇七年八月二十九号", "2007-08-29"),
    ],
)
def test_year_in_two_chinese_digits(text: str, want: str) -> None:
    ref = datetime(2021, 6, 14, 1, 6, 40)
    assert [d.value for d in extract_dates(text, reference=ref)] == [want]


@pytest.mark.parametrize("text", ["十九年三月五日", "过了二三年三月"])
def test_not_a_two_digit_year(text: str) -> None:
    assert not extract_dates(text, reference=datetime(2021, 6, 14))


def test_statement_row_day_before_its_amount() -> None:
    ref = datetime(2025, 6, 18, 9, 30)
    text = "2025年5月还款明细：5/6 ¥500；5/19 ¥700；5/30 ¥300"
    got = [d.value for d in extract_dates(text, reference=ref)]
    assert got == ["2025-05-06", "2025-05-19", "2025-05-30"]
    # a fraction or a clock before an amount is not a day
    assert not extract_dates("约3/4的人", reference=ref)
    assert not extract_dates("10:5/6 ¥500", reference=ref)
