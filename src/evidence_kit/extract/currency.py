"""Currency markers as written before or after a number, and the ISO code each one names.

Words are tried longest first, so ``新台币`` wins over ``台币`` and ``US$`` over ``$``. A bare
``$`` is read as USD (the usual meaning in text that also mentions ``美元``); ``¥``, ``元``,
``块`` and ``人民币`` are CNY unless another currency word follows (``9000元日币`` is JPY).
"""

from __future__ import annotations

import re

# Symbols and codes written before the number.
PREFIXES: dict[str, str] = {
    "US$": "USD",
    "U.S.$": "USD",
    "USD": "USD",
    "$": "USD",
    "HK$": "HKD",
    "HKD": "HKD",
    "C$": "CAD",
    "CA$": "CAD",
    "CAD": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "AUD": "AUD",
    "S$": "SGD",
    "SGD": "SGD",
    "NT$": "TWD",
    "TWD": "TWD",
    "NZ$": "NZD",
    "MOP$": "MOP",
    "€": "EUR",
    "EUR": "EUR",
    "£": "GBP",
    "GBP": "GBP",
    "JPY": "JPY",
    "JP¥": "JPY",
    "MXN$": "MXN",
    "MEX$": "MXN",
    "AUD$": "AUD",
    "CAD$": "CAD",
    "NZD$": "NZD",
    "U.S$": "USD",
    "USD$": "USD",
    "₩": "KRW",
    "KRW": "KRW",
    "₹": "INR",
    "INR": "INR",
    "₽": "RUB",
    "RUB": "RUB",
    "CHF": "CHF",
    "₡": "CRC",
    "₦": "NGN",
    "฿": "THB",
    "THB": "THB",
    "¥": "CNY",
    "RMB": "CNY",
    "CNY": "CNY",
    "人民币": "CNY",
    "港幣": "HKD",
    "人民幣": "CNY",
    "美元": "USD",
    "美金": "USD",
    "港币": "HKD",
    "港元": "HKD",
    "日元": "JPY",
    "欧元": "EUR",
    "英镑": "GBP",
    "新台币": "TWD",
    "台币": "TWD",
}
# Words written after the number (Chinese and English).
SUFFIXES: dict[str, str] = {
    "元": "CNY",
    "块钱": "CNY",
    "块": "CNY",
    "圆": "CNY",
    "蚊": "CNY",  # Cantonese: 三百蚊, 七蚊
    "人民币": "CNY",
    "元人民币": "CNY",
    "RMB": "CNY",
    "CNY": "CNY",
    "美元": "USD",
    "美金": "USD",
    "美刀": "USD",
    "USD": "USD",
    "美分": "USD/100",
    "港元": "HKD",
    "港币": "HKD",
    "港纸": "HKD",
    "HKD": "HKD",
    "日元": "JPY",
    "日本銭": "JPY/100",
    "日币": "JPY",
    "円": "JPY",
    "JPY": "JPY",
    "欧元": "EUR",
    "EUR": "EUR",
    "英镑": "GBP",
    "GBP": "GBP",
    "新台币": "TWD",
    "台币": "TWD",
    "泰铢": "THB",
    "卢布": "RUB",
    "韩元": "KRW",
    "澳元": "AUD",
    "澳币": "AUD",
    "加元": "CAD",
    "加币": "CAD",
    "新加坡元": "SGD",
    "新币": "SGD",
    "瑞士法郎": "CHF",
    "法郎": "CHF",
    "澳门元": "MOP",
    "澳门币": "MOP",
    "卢比": "INR",
    "奈拉": "NGN",
    "比索": "MXN",
    "林吉特": "MYR",
    "越南盾": "VND",
    "dollars": "USD",
    "dollar": "USD",
    "us dollars": "USD",
    "us dollar": "USD",
    "u.s. dollars": "USD",
    "usd": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "pound": "GBP",
    "pounds sterling": "GBP",
    "british pounds": "GBP",
    "yen": "JPY",
    "japanese yen": "JPY",
    "yuan": "CNY",
    "chinese yuan": "CNY",
    "rmb": "CNY",
    "renminbi": "CNY",
    "hong kong dollars": "HKD",
    "hong kong dollar": "HKD",
    "canadian dollars": "CAD",
    "canadian dollar": "CAD",
    "australian dollars": "AUD",
    "australian dollar": "AUD",
    "singapore dollars": "SGD",
    "swiss francs": "CHF",
    "swiss franc": "CHF",
    "francs": "CHF",
    "won": "KRW",
    "rupees": "INR",
    "rupee": "INR",
    "€": "EUR",
    "£": "GBP",
    "₡": "CRC",
    "₾": "GEL",
    "₭": "LAK",
    "$": "USD",
    "turkish lira": "TRY",
    "lira": "TRY",
    "港幣": "HKD",
    "人民幣": "CNY",
    "musd": "USD*1000000",
    "meur": "EUR*1000000",
    "mgbp": "GBP*1000000",
    "pesos": "MXN",
    "rubles": "RUB",
    "roubles": "RUB",
    "cents": "USD/100",
    "cent": "USD/100",
}


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Latin-letter codes must not be glued to other letters (USDA, RMBX).
_LATIN = re.compile(r"[A-Za-z]")


def prefix_pattern() -> str:
    parts = []
    for w in sorted(PREFIXES, key=len, reverse=True):
        if w.endswith("$") and len(w) > 1:  # US$, HK$, also written "us $" in English text
            letters = re.escape(w[:-1])
            parts.append(rf"(?<![A-Za-z])(?i:{letters})\s?\$")
            continue
        e = re.escape(w)
        parts.append(rf"(?<![A-Za-z]){e}(?![A-Za-z])" if _LATIN.match(w) else e)
    return "|".join(parts)


SUFFIX_PATTERN = "|".join(
    (rf"(?i:{re.escape(w)})(?![A-Za-z])" if _LATIN.search(w) else re.escape(w))
    for w in sorted(SUFFIXES, key=len, reverse=True)
)
# Chinese words only, for numerals written in Chinese (三万美元).
CN_SUFFIX_PATTERN = "|".join(
    re.escape(w) for w in sorted(SUFFIXES, key=len, reverse=True) if not _LATIN.search(w)
)
CN_PREFIX_PATTERN = "|".join(
    re.escape(w)
    for w in sorted(PREFIXES, key=len, reverse=True)
    if not _LATIN.search(w)
    and not w.endswith("$")
    and w not in ("€", "£", "₩", "₹", "₽", "₡", "₦", "฿")
)
PREFIX_PATTERN = prefix_pattern()


def prefix_code(word: str) -> str:
    word = word.replace(" ", "")
    return PREFIXES.get(word, PREFIXES.get(word.upper(), "CNY"))


def suffix_code(word: str) -> str:
    return SUFFIXES.get(word, SUFFIXES.get(word.lower(), "CNY"))
