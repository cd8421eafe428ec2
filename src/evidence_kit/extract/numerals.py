"""Chinese numerals: 三千, 一万五, 壹万贰仟叁佰肆拾伍 (大写), 二〇二五 (digit by digit)."""

from __future__ import annotations

from decimal import Decimal

DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "貳": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "叁": 3,
    "參": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "陸": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
# 兆 is 10^12 here (Taiwan/Japan usage, and Recognizers-Text's); mainland "mega" use is rare
# in money text.
BIG_UNITS: dict[str, int] = {
    "万": 10_000,
    "萬": 10_000,
    "亿": 100_000_000,
    "億": 100_000_000,
    "兆": 10**12,
}

# For regex character classes.
NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)


def parse_chinese_integer(s: str) -> int | None:
    """Value of a Chinese integer numeral, or None when ``s`` is not one.

    Colloquial shortening is understood: 一万五 = 15000, 三千五 = 3500 (a last digit right after
    a unit counts one step down), but 一百零五 = 105.
    """
    if not s:
        return None
    if all(c in DIGITS for c in s):
        # A lone digit is itself; a run of digits (二五) is no amount (years: see below).
        return DIGITS[s] if len(s) == 1 else None
    total = 0  # finished 亿 / 万 groups
    section = 0  # the group being read (below 万)
    digit: int | None = None
    last_unit = 0  # value of the last unit seen (small or big), for colloquial tails
    after_zero = False
    top_big = 0  # the largest of 万/亿/兆 seen so far
    for i, c in enumerate(s):
        if c in DIGITS:
            if digit is not None:
                return None  # two digits in a row inside a unit numeral
            d = DIGITS[c]
            if d == 0:
                after_zero = True
                continue
            digit = d
        elif c in SMALL_UNITS:
            unit = SMALL_UNITS[c]
            if digit is None:
                if unit == 10 and (i == 0 or after_zero or s[i - 1] in BIG_UNITS):
                    digit = 1  # 十二 = 12, 一百一十 handled above, 一万十 rare but fine
                else:
                    return None
            if last_unit and unit >= last_unit and last_unit < 10_000:
                return None  # 三十百
            section += digit * unit
            digit = None
            last_unit = unit
            after_zero = False
        elif c in BIG_UNITS:
            big = BIG_UNITS[c]
            if digit is not None:
                section += digit
                digit = None
            if section == 0 and total == 0:
                return None  # a numeral does not start with 万
            if big > top_big and big >= 100_000_000:
                total = (total + section) * big  # 一万亿: the groups so far times 亿
            else:
                total += section * big  # 三亿五千万, 四十九兆九千五百九十二亿
            top_big = max(top_big, big)
            section = 0
            last_unit = big
            after_zero = False
        else:
            return None
    if digit is not None:
        if last_unit >= 10 and not after_zero:
            section += digit * last_unit // 10
        else:
            section += digit
    return total + section


def parse_chinese_money(
    yuan: str, jiao: str | None = None, fen: str | None = None
) -> Decimal | None:
    """Value of ``<yuan>元<jiao>角<fen>分`` written in Chinese numerals."""
    whole = parse_chinese_integer(yuan) if yuan else 0
    if whole is None:
        return None
    value = Decimal(whole)
    if jiao:
        j = DIGITS.get(jiao)
        if j is None:
            return None
        value += Decimal(j) / 10
    if fen:
        f = DIGITS.get(fen)
        if f is None:
            return None
        value += Decimal(f) / 100
    return value


def parse_digit_sequence(s: str) -> int | None:
    """二〇二五 → 2025 (digit by digit, as years are written); None if any char is not a digit."""
    if not s or any(c not in DIGITS for c in s):
        return None
    return int("".join(str(DIGITS[c]) for c in s))
