"""Phones, ID-card and bank-card numbers (for redaction), contract numbers, platforms, companies.

Number entities are found in one priority order, and a later kind never takes characters an
earlier one holds: contract/order number (after its label) > ID card > bank card > phone. The
amount and date extractors are then told to keep out of all of them.

``value`` is the number without spaces or dashes (masked digits stay ``*``: ``138****1234``;
``尾号1234`` gives ``****1234``), the platform's usual name (蚂蚁借呗 → 借呗), or the company
name as written.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable

from ..models import Entity
from .vocab import (
    COMPANY_STOP_CHARS,
    COMPANY_SUFFIXES,
    CONTRACT_LABELS,
    GENERIC_BANK_PREFIXES,
    PHONE_CONTEXT,
    PLATFORMS,
)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_A = re.ASCII
_CONTRACT = re.compile(
    rf"(?:{_alternation(CONTRACT_LABELS)})\s{{0,2}}[:#]?\s{{0,2}}(?:为|是)?\s{{0,2}}"
    r"(?P<no>[A-Za-z0-9][A-Za-z0-9_\-/]{3,47})(?![A-Za-z0-9_\-/])",
    _A,
)
_ID_CARD = re.compile(
    r"(?<![0-9A-Za-z])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"[0-9]{3}[0-9Xx](?![0-9A-Za-z])",
    _A,
)
_BANK_CARD = re.compile(
    r"(?<![0-9])[3-6][0-9]{3}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?(?![0-9])",
    _A,
)
# A long number with a masked middle: an ID card or a bank card, told apart below.
_MASKED_LONG = re.compile(
    r"(?<![0-9A-Za-z*])[1-9][0-9]{1,5}(?:[ ]?\*{2,14}){1,3}[ ]?[0-9]{0,4}[0-9Xx](?![0-9A-Za-z*])",
    _A,
)
_TAIL = re.compile(r"尾号\s{0,2}[:为是]?\s{0,2}(?P<d>[0-9]{4})(?![0-9])", _A)
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z*])(?:(?:\+86|0086|86)[- ]?)?1[3-9][0-9][- ]?[0-9]{4}[- ]?[0-9]{4}(?![0-9])",
    _A,
)
_MOBILE_MASKED = re.compile(
    r"(?<![0-9*])1[3-9][0-9][- ]?(?:\*{4}|[xX]{4})[- ]?[0-9]{4}(?![0-9*])",
    _A,
)
_LANDLINE = re.compile(
    r"(?<![0-9])(?:\(0[1-9][0-9]{1,2}\)|0[1-9][0-9]{1,2}-)[1-9][0-9]{6,7}(?![0-9])",
    _A,
)
_HOTLINE_400 = re.compile(
    r"(?<![0-9])(?:[48]00[- ]?[0-9]{3}[- ]?[0-9]{4}|[48]00[0-9][- ][0-9]{3}[- ][0-9]{3})(?![0-9])",
    _A,
)
_HOTLINE_95 = re.compile(r"(?<![0-9.])9[56][0-9]{3}(?![0-9.]|[元块万])", _A)
_PLATFORM = re.compile(_alternation(PLATFORMS))
_COMPANY_SUFFIX = re.compile(_alternation(COMPANY_SUFFIXES))

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PHONE_WORDS = ("手机", "电话", "号码", "联系方式", "来电")
_ID_WORDS = ("身份证", "证件", "身份")
_CARD_WORDS = ("卡", "银行", "账户", "账号")


def id_checksum_ok(number: str) -> bool:
    """The ISO 7064 MOD 11-2 check of an 18-character resident ID number."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _compact(s: str) -> str:
    return s.replace(" ", "").replace("-", "")


def _before(text: str, start: int, words: tuple[str, ...], reach: int = 12) -> bool:
    window = text[max(0, start - reach) : start]
    return any(w in window for w in words)


class _Taken:
    """Spans already given to an entity, so a lower-priority kind cannot claim them."""

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []

    def claim(self, start: int, end: int) -> bool:
        i = bisect_left(self._spans, (start, end))
        if i > 0 and self._spans[i - 1][1] > start:
            return False
        if i < len(self._spans) and self._spans[i][0] < end:
            return False
        self._spans.insert(i, (start, end))
        return True

    def spans(self) -> list[tuple[int, int]]:
        return list(self._spans)


def find_number_entities(text: str) -> list[Entity]:
    """Contract numbers, ID cards, bank cards and phones in normalised ``text``."""
    taken = _Taken()
    out: list[Entity] = []

    def add(kind: str, start: int, end: int, value: str, masked: bool = False) -> None:
        if taken.claim(start, end):
            out.append(Entity(kind, value, text[start:end], start, end, masked))

    if not any(c in text for c in "0123456789"):
        return out
    for m in _CONTRACT.finditer(text) if "号" in text else ():
        no = m["no"]
        if any(c.isdigit() for c in no):
            add("contract_no", m.start("no"), m.end("no"), no)
    for m in _ID_CARD.finditer(text):
        if id_checksum_ok(m.group()):
            add("id_card", m.start(), m.end(), m.group().upper())
    for m in _BANK_CARD.finditer(text):
        digits = _compact(m.group())
        if 16 <= len(digits) <= 19 and luhn_ok(digits):
            add("bank_card", m.start(), m.end(), digits)
    for m in _MASKED_LONG.finditer(text) if "*" in text else ():
        value = _compact(m.group())
        if not 15 <= len(value) <= 19:
            continue
        add(_masked_kind(text, m.start(), value), m.start(), m.end(), value, True)
    for m in _MOBILE.finditer(text):
        digits = _compact(m.group()).lstrip("+")
        add("phone", m.start(), m.end(), digits[-11:])
    for m in _MOBILE_MASKED.finditer(text) if "*" in text or "x" in text.lower() else ():
        add("phone", m.start(), m.end(), _compact(m.group()), True)
    for m in _TAIL.finditer(text) if "尾号" in text else ():
        kind = "phone" if _before(text, m.start(), _PHONE_WORDS, 8) else "bank_card"
        add(kind, m.start(), m.end(), "****" + m["d"], True)
    for pattern in (_LANDLINE, _HOTLINE_400):
        for m in pattern.finditer(text):
            add("phone", m.start(), m.end(), _compact(m.group()).replace("(", "").replace(")", ""))
    for m in _HOTLINE_95.finditer(text) if "9" in text else ():
        if _before(text, m.start(), PHONE_CONTEXT, 10):
            add("phone", m.start(), m.end(), m.group())
    out.sort(key=lambda e: e.start)
    return out


def _masked_kind(text: str, start: int, value: str) -> str:
    if value[-1] in "Xx" or _before(text, start, _ID_WORDS):
        return "id_card"
    if _before(text, start, _CARD_WORDS):
        return "bank_card"
    return "id_card" if len(value) == 18 else "bank_card"


def find_name_entities(text: str) -> list[Entity]:
    """Platform and company names in normalised ``text``."""
    out = [
        Entity("platform", PLATFORMS[m.group()], m.group(), m.start(), m.end())
        for m in _PLATFORM.finditer(text)
    ]
    floor = 0
    if not any(c in text for c in "司行团社"):
        out.sort(key=lambda e: e.start)
        return out
    for m in _COMPANY_SUFFIX.finditer(text):
        start = _name_start(text, m.start(), floor)
        name = text[start : m.start()]
        if len(name) < 2:
            continue
        if m.group() == "银行" and any(name.endswith(p) for p in GENERIC_BANK_PREFIXES):
            continue
        out.append(Entity("company", text[start : m.end()], text[start : m.end()], start, m.end()))
        floor = m.end()
    out.sort(key=lambda e: e.start)
    return out


def _name_start(text: str, end: int, floor: int) -> int:
    """Walk back from a company suffix over name characters, stopping at a function word."""
    j = end
    lo = max(floor, end - 24)
    while j > lo:
        c = text[j - 1]
        if c in COMPANY_STOP_CHARS:
            break
        if not ("\u4e00" <= c <= "\u9fff" or c in "()（）" or (c.isascii() and c.isalnum())):
            break
        j -= 1
    # A name does not start with a closing parenthesis or a lone digit run: trim those.
    while j < end and text[j] in ")）":
        j += 1
    return j
