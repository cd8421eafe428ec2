"""Chinese numerals, as written in contracts (大写) and in speech."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evidence_kit.extract.numerals import (
    parse_chinese_integer,
    parse_chinese_money,
    parse_digit_sequence,
)

CASES = [
    ("simple", "三千", 3000),
    ("daxie", "壹万贰仟叁佰肆拾伍", 12345),
    ("daxie-qian", "叁仟", 3000),
    ("leading-ten", "十二", 12),
    ("tens", "二十", 20),
    ("liang", "两万", 20000),
    ("ten-thousand", "十万", 100000),
    ("colloquial-wan", "一万五", 15000),
    ("colloquial-qian", "三千五", 3500),
    ("zero-keeps-units", "一百零五", 105),
    ("zero-inside", "一万零五百", 10500),
    ("yi", "一亿二千万", 120_000_000),
    ("qian-wan", "一千万", 10_000_000),
    ("zero", "零", 0),
]

BAD = [
    ("leading-wan", "万"),
    ("qianwan-idiom", "千万"),
    ("units-out-of-order", "三十百"),
    ("digit-run", "二五"),
    ("not-numeral", "三天"),
    ("empty", ""),
]


@pytest.mark.parametrize(("text", "value"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_integer(text: str, value: int) -> None:
    assert parse_chinese_integer(text) == value


@pytest.mark.parametrize("text", [c[1] for c in BAD], ids=[c[0] for c in BAD])
def test_not_integer(text: str) -> None:
    assert parse_chinese_integer(text) is None


def test_money_with_jiao_fen() -> None:
    assert parse_chinese_money("壹万贰仟叁佰肆拾伍", "陆", "柒") == Decimal("12345.67")
    assert parse_chinese_money("叁", None, "伍") == Decimal("3.05")
    assert parse_chinese_money("叁", "x") is None


def test_year_digits() -> None:
    assert parse_digit_sequence("二〇二五") == 2025
    assert parse_digit_sequence("二〇二五年") is None
