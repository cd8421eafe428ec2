"""The composing grammar (issue 10): each class of case other people write."""

from __future__ import annotations

from datetime import datetime

import pytest

from evidence_kit.extract import extract

REF = datetime(2025, 3, 20, 10, 0)  # a Thursday


def _dates(text: str, ref: datetime | None = REF) -> list[tuple[str, str]]:
    return [(d.value, d.text) for d in extract(text, reference=ref).dates]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a weekday next to a date confirms it: one mention
        ("2025年3月21日（星期五）", [("2025-03-21", "2025年3月21日（星期五）")]),
        ("3月21日 周五 22:08", [("2025-03-21T22:08:00", "3月21日 周五 22:08")]),
        ("2025-12-07 星期日", [("2025-12-07", "2025-12-07 星期日")]),
        ("2025-03-16 星期日 20:05", [("2025-03-16T20:05:00", "2025-03-16 星期日 20:05")]),
        ("周日, 二月十号", [("2025-02-10", "周日, 二月十号")]),
        ("2016年3月20日(日) 21時40分", [("2016-03-20T21:40:00", "2016年3月20日(日) 21時40分")]),
        # ISO with an offset is one mention, no extra 08:00
        ("2025-03-21T22:08:00+08:00", [("2025-03-21T22:08:00", "2025-03-21T22:08:00+08:00")]),
        # OCR runs the date into the time
        ("2022/10/0922:06:08", [("2022-10-09T22:06:08", "2022/10/0922:06:08")]),
        ("2018-01-2018:12:32", [("2018-01-20T18:12:32", "2018-01-2018:12:32")]),
        # ... with a one-digit month (the day keeps two digits), or a space at a separator
        ("2020/1/0112:00", [("2020-01-01T12:00:00", "2020/1/0112:00")]),
        ("交易时间2020.1.0922:06:08", [("2020-01-09T22:06:08", "2020.1.0922:06:08")]),
        ("2020 / 1 / 0112:00", [("2020-01-01T12:00:00", "2020 / 1 / 0112:00")]),
        # English
        ("Mar 21, 2025 10:08 PM", [("2025-03-21T22:08:00", "Mar 21, 2025 10:08 PM")]),
        ("Payment received on 21 March 2025", [("2025-03-21", "21 March 2025")]),
        ("10/31/1974", [("1974-10-31", "10/31/1974")]),
        # relative and colloquial
        ("3天前", [("2025-03-17", "3天前")]),
        ("大后天", [("2025-03-23", "大后天")]),
        ("下周一", [("2025-03-24", "下周一")]),
        ("月底", [("2025-03-31", "月底")]),
        ("上个月15号下午3点", [("2025-02-15T15:00:00", "上个月15号下午3点")]),
        ("十一点半", [("2025-03-20T11:30:00", "十一点半")]),
        # holidays, with or without the year
        # 170 days back, 195 ahead: over five months either way, so this year's
        ("国庆节", [("2025-10-01", "国庆节")]),
        ("2024年元旦", [("2024-01-01", "2024年元旦")]),
        ("春节", [("2025-01-29", "春节")]),
        # traditional characters
        ("3月21號 週五 晚上10點", [("2025-03-21T22:00:00", "3月21號 週五 晚上10點")]),
        ("禮拜一", [("2025-03-17", "禮拜一")]),
        ("二零一五年三月三號", [("2015-03-03", "二零一五年三月三號")]),
    ],
)
def test_dates_compose(text: str, expected: list[tuple[str, str]]) -> None:
    assert _dates(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("十点左右又打来电话", [("2025-03-20T10:00:00", "十点")]),
        ("大约两点", [("2025-03-20T02:00:00", "两点")]),
        ("十点", []),  # a one-character hour alone may be a count (两点 "two points")
        ("差一点", []),
    ],
)
def test_around_makes_a_one_character_hour_a_time(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert _dates(text) == expected


def test_the_app_toutiao_is_not_today() -> None:
    assert _dates("在今日头条上看到的广告，今日还款") == [("2025-03-20", "今日")]


def test_deadline_day_of_month() -> None:
    (d,) = extract("25号之前", reference=REF).dates
    assert (d.value, d.is_deadline) == ("2025-03-25", True)


@pytest.mark.parametrize("text", ["这个玩具一点都不好玩", "逾期15日", "有两点建议"])
def test_not_dates(text: str) -> None:
    assert _dates(text) == []


def test_range_is_one_mention_not_two_dates() -> None:
    r = extract("3月1日至3月5日", reference=REF)
    assert r.dates == ()
    assert [x.to_json() for x in r.ranges] == [
        {
            "kind": "range",
            "start": "2025-03-01",
            "end": "2025-03-05",
            "text": "3月1日至3月5日",
            "span": [0, 9],
        }
    ]


def test_range_end_written_as_day_alone() -> None:
    (r,) = extract("从2018年12月九号到十五号").ranges
    assert (r.first, r.last) == ("2018-12-09", "2018-12-15")


def test_money_range_is_not_an_amount() -> None:
    r = extract("服务费1000-2000元")
    assert r.amounts == ()
    assert [(x.first, x.last, x.currency) for x in r.ranges] == [("1000", "2000", "CNY")]


def test_durations_are_not_dates() -> None:
    # without a reference a window (3天内) has no start: it stays a length
    r = extract("逾期15天，要求3天内还清")
    assert r.dates == ()
    assert [(d.value, d.text) for d in r.durations] == [("P15D", "15天"), ("P3D", "3天")]


def test_a_window_from_the_reference_is_a_range() -> None:
    r = extract("逾期15天，要求3天内还清", reference=REF)
    assert r.dates == ()
    assert [(d.value, d.text) for d in r.durations] == [("P15D", "15天")]
    assert [(x.first, x.last, x.text) for x in r.ranges] == [
        ("2025-03-20T10:00:00", "2025-03-23", "3天内")
    ]


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("5k", "5000", "CNY"),
        ("先还5w", "50000", "CNY"),
        ("1万8", "18000", "CNY"),
        ("欠一万三元", "13000", "CNY"),
        ("两千五块", "2500", "CNY"),
        ("借了3千多块", "3000", "CNY"),
        ("US$25.99", "25.99", "USD"),
        ("HK$1,200", "1200", "HKD"),
        ("USD 300", "300", "USD"),
        ("45564.44美元", "45564.44", "USD"),
        ("港币两千九百六十元", "2960", "HKD"),
        ("扣了3万日元", "30000", "JPY"),
        ("9000元日币", "9000", "JPY"),
        ("¥3,456.78", "3456.78", "CNY"),
        ("123元1角1分", "123.11", "CNY"),
        ("five million yen", "5000000", "JPY"),
        ("$ 16.4 million", "16400000", "USD"),
        ("港幣3.14", "3.14", "HKD"),
        # the colloquial 个 before 亿
        ("两个亿卢布", "200000000", "RUB"),
        ("两个亿五千万元", "250000000", "CNY"),
        ("3个亿元", "300000000", "CNY"),
        # a decimal written in numerals before its scale or unit
        ("约一点五万元", "15000", "CNY"),
        ("三点二亿", "320000000", "CNY"),
        ("一点五块钱", "1.5", "CNY"),
        # numerals read digit by digit, a zero among them
        ("金额一零一元", "101", "CNY"),
        ("借咗三百蚊", "300", "CNY"),  # Cantonese 蚊 for 元
    ],
)
def test_amounts(text: str, value: str, currency: str) -> None:
    (a,) = extract(text).amounts
    assert (str(a.value), a.currency) == (value, currency)


@pytest.mark.parametrize("text", ["买了3盒蚊香", "5蚊香", "五元旦"])
def test_a_unit_starting_another_word_is_no_money(text: str) -> None:
    assert extract(text).amounts == ()


def test_two_numerals_side_by_side_are_no_digit_sequence() -> None:
    assert extract("三五元").amounts == ()  # three or five


def test_a_decimal_amount_is_not_a_time() -> None:
    r = extract("还差一点五万元没还，下午三点五十打来", reference=REF)
    assert [str(a.value) for a in r.amounts] == ["15000"]
    assert [d.value for d in r.dates] == ["2025-03-20T15:50:00"]


def test_ge_is_no_number_before_other_units() -> None:
    assert [str(a.value) for a in extract("三个人一个月借了两千元").amounts] == ["2000"]


def test_daxie_in_running_text() -> None:
    (a,) = extract("双方确认借款本金人民币伍万元整，按月归还").amounts
    assert (str(a.value), a.currency, a.label) == ("50000", "CNY", "借款本金")


def test_new_year_day_is_not_yen() -> None:
    r = extract("1月1日元旦", reference=REF)
    assert r.amounts == ()
    assert [d.value for d in r.dates] == ["2025-01-01"]


def test_json_has_ranges_and_durations_keys() -> None:
    out = extract("逾期3天").to_json()
    assert out["ranges"] == [] and out["durations"][0]["kind"] == "duration"


def test_a_year_before_is_not_an_offset() -> None:
    # not 2025 years ago: the time up to the year's end (without a reference, its last day)
    r = extract("2025年前还清", reference=REF)
    assert r.dates == ()
    assert [(x.first, x.last) for x in r.ranges] == [("2025-03-20T10:00:00", "2025-12-31")]
    dates = extract("2025年前还清").dates
    assert [(d.value, d.is_deadline) for d in dates] == [("2025-12-31", True)]
    assert [d.value for d in extract("两年前", reference=REF).dates] == ["2023-03-20"]


def test_nth_weekday_of_a_month() -> None:
    assert [d.value for d in extract("2025年3月第二个周五").dates] == ["2025-03-14"]


def test_zhao_and_mixed_big_units() -> None:
    from evidence_kit.extract.numerals import parse_chinese_integer

    assert parse_chinese_integer("四十九兆九千五百九十二亿") == 49_959_200_000_000
    assert parse_chinese_integer("三亿五千万") == 350_000_000
    assert parse_chinese_integer("三千万亿") == 3 * 10**15
    assert extract("这是征兆").amounts == ()
