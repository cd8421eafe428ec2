"""Money amounts in (normalised) Chinese text, with the label that names each one.

Each amount carries its currency (ISO code, :mod:`.currency`): ``US$25.99``, ``HK$1,200``,
``USD 300``, ``45564.44美元``, ``港币两千九百六十元``, ``3万日元``, ``9000元日币``, English
``five million yen``; ``¥``/``元``/``块``/``人民币`` are CNY. A number composes with its scale and
its currency: ``5k``, ``5w``, ``1万8``, ``3千多``, ``4.287亿美元``, ``两个亿``, ``一点五万``,
``123元1角1分``, ``两毛五``.

An amount is a number with a currency marker (``¥``, ``RMB``, ``CNY``, ``人民币`` before it, or
``元``/``块``/``圆`` after it), a number with ``万``/``千`` standing on its own (``1.2万``), a
signed two-decimal number (``-200.00``), or a bare number right after a money label
(``逾期金额：3000``). Chinese numerals count when followed by ``元`` (``叁仟元整``,
``壹万贰仟叁佰肆拾伍元陆角柒分``), after ``人民币``, or with a unit right after a money label
(``减免两千``), a money verb (``还了两千五``) or, with 千/万/亿, a word that puts a sum after it
(``只有两万``, ``我就两千``, ``一共两万``). Percentages, counts (``12期``, ``3天``) and dates
are not amounts.

The label is the money word (:mod:`.vocab`) nearest before the amount in the same clause, as
written with its modifiers (逾期罚息, 已还本金, 本期应还款额), unless a waiver/refund word stands
earlier in that clause (it then names the amount: 减免罚息及违约金共计1.2万元 → 减免). A totals
word right after another label yields to it (欠款金额共计… → 欠款金额). A label standing after
the amount (1千是服务费) is not looked for.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from .currency import (
    CN_PREFIX_PATTERN,
    CN_SUFFIX_PATTERN,
    PREFIX_PATTERN,
    PREFIXES,
    SUFFIX_PATTERN,
    SUFFIXES,
    prefix_code,
    suffix_code,
)
from .numerals import (
    DIGITS,
    NUMERAL_CHARS,
    parse_chinese_integer,
    parse_chinese_money,
    parse_digit_sequence,
)
from .spans import SpanSet
from .vocab import (
    COMPANY_STOP_CHARS,
    LABEL_ENDINGS,
    LABEL_MODIFIERS,
    MONEY_LABELS,
    MONEY_VERBS,
    OVERRIDING_LABELS,
    WEAK_LABELS,
)


class FoundAmount(NamedTuple):
    start: int
    end: int
    value: Decimal
    label: str | None
    marked: bool  # a currency marker was written (¥, 元 …), not inferred from a label
    currency: str = "CNY"


# OCR often reads a thousands comma as a dot on scans and photos (2.451.44元 is 2,451.44):
# groups of three after the first, then two decimals.
_DOTTED = r"[0-9]{1,3}(?:\.[0-9]{3})+\.[0-9]{2}"
_NUM = rf"(?:{_DOTTED}(?![0-9])|(?:[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]{{1,13}})(?:\.[0-9]{{1,6}})?)"
_CN_DIGIT1 = "[0-9" + "".join(DIGITS) + "]"
_SCALE_WORDS = {"thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_EN_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twenty": 20,
    "fifty": 50,
    "hundred": 100,
    "a": 1,
    "half": 0.5,
    "a half": 0.5,
    "quarter": 0.25,
    "a quarter": 0.25,
    "three quarters": 0.75,
}
# five million yen, a quarter million us dollars: English words, scale, currency word.
_EN_WORDS = re.compile(
    r"(?<![A-Za-z])(?P<w>(?i:"
    + "|".join(sorted(_EN_NUMBERS, key=len, reverse=True))
    + r"))[\s-](?:(?P<scale>(?i:thousand|million|billion|trillion))\s)?"
    rf"(?P<unit>{SUFFIX_PATTERN})"
)
# 两毛五, 2角, 两角五分: money below one 元.
_JIAO = re.compile(
    rf"(?<![0-9{NUMERAL_CHARS}.])(?P<j>{_CN_DIGIT1})[角毛](?:(?P<f>{_CN_DIGIT1})分?)?"
    r"(?=\Z|[钱\s,，。.;；!！?？)）、])"  # 五角大楼 is no money
)
# 元 then 角/毛 then 分: 123元1角1分, 十块三毛, 50元6角三分.
_SUBUNITS = rf"(?:(?P<jiao>{_CN_DIGIT1})[角毛])?(?:(?P<fen>{_CN_DIGIT1})分(?!钟))?"
_FIRST_CHARS = "".join(
    sorted({w[0] for w in PREFIXES} | set("-+0123456789") | set("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
)
_SUFFIX_FIRST = re.escape(
    "".join(sorted({w[0] for w in SUFFIXES} | {w[0].upper() for w in SUFFIXES}))
)
_ARABIC = re.compile(
    # Most positions cannot start an amount: one character test spares the alternations.
    "(?=[" + re.escape(_FIRST_CHARS) + _FIRST_CHARS.lower().replace("-", "").replace("+", "") + "])"
    r"(?:(?<![0-9A-Za-z.])(?P<sign0>[-+]))?"
    rf"(?:(?P<cur>{PREFIX_PATTERN})\s{{0,2}})?"
    r"(?:(?<![0-9A-Za-z.])(?P<sign>[-+]))?"
    r"(?<![0-9.])(?<![0-9],)(?P<num>" + _NUM + r")(?![0-9]|\.[0-9]|,[0-9]{3})"
    r"(?:(?P<mul>\s?(?:千万亿|万亿|千万|百万|个?亿|万|千|百|兆)|[kKw](?![A-Za-z])"
    r"|\s(?i:thousand|million|billion|trillion)(?![A-Za-z]))"
    r"(?:(?P<sub>[1-9])(?P<submul>千|百)?(?![0-9.]))?)?"
    r"(?P<approx>多|余|左右|上下)?"
    rf"(?:(?=\s?[{_SUFFIX_FIRST}])(?P<unit>\s?(?:{SUFFIX_PATTERN})))?"
    rf"(?(unit){_SUBUNITS}|)",
)
_CN = f"[{NUMERAL_CHARS}]"
_CN_FRACTION = "[" + "".join(DIGITS) + "]"
_CN_SCALE = "(?:千万|百万|万亿|[万萬亿億千])"
_DIGIT_BY_DIGIT = re.compile("[一二三四五六七八九]+[零〇○][零〇○一二三四五六七八九]*")
_CHINESE = re.compile(
    rf"(?:(?P<cur>{CN_PREFIX_PATTERN})\s{{0,2}})?(?<![{NUMERAL_CHARS}0-9.])"
    # 两个亿, 三个亿五千万: the colloquial 个 before 亿 is part of the number; 一点五万,
    # 三点二亿: a decimal before its scale
    rf"(?P<cn>{_CN}{{1,24}}(?:个[亿億]{_CN}{{0,12}}"
    rf"|点{_CN_FRACTION}{{1,4}}(?:{_CN_SCALE}|(?=[元块圆])))?)"
    rf"(?:(?P<unit>{CN_SUFFIX_PATTERN})(?:(?P<jiao>{_CN})[角毛])?(?:(?P<fen>{_CN})分(?!钟))?"
    r"(?:整|正)?)?",
)
_MULTIPLIERS = {
    "百": 100,
    "千": 1000,
    "万": 10_000,
    "亿": 100_000_000,
    "兆": 10**12,
    "k": 1000,
    "K": 1000,
    "w": 10_000,
}
_HAS_LATIN = re.compile(r"[A-Za-z]")
_CURRENCY_AFTER = re.compile(rf"(?:{CN_SUFFIX_PATTERN})")
_UNIT_CHARS = frozenset("十拾百佰千仟万萬亿億")

_LABEL_RE = re.compile("|".join(sorted(map(re.escape, MONEY_LABELS), key=len, reverse=True)))
_OVERRIDING = frozenset(OVERRIDING_LABELS)
_WEAK = frozenset(WEAK_LABELS)
# 还500, 还了500, 还清3256, 先还上2000; and 笔, the counter of sums of money: 那笔600,
# 还第一笔1500, 这笔3000.
_VERB_BEFORE = re.compile(
    "(?:(?:" + "|".join(MONEY_VERBS) + r")(?:清|掉|上)?了?"
    r"|(?:[这那哪首每]|第?[一二两三四五六七八九十0-9]{1,3})笔)\s?\Z"
)
# 只有两万, 我就两千, 还差三千: words that put a sum right after them; with a 千/万/亿 scale
# the number is money (a scale alone: 我才十八 is an age).
_LIMIT_BEFORE = re.compile(r"(?:只有|还有|就有|才有|一共|总共|就|才|仅|只|剩|差)\s?\Z")
_MONEY_SCALES = frozenset("千仟万萬亿億")
_MONEY_SHAPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+\.[0-9]{2}")
_PARENTHESISED = re.compile(r"[(（][^()（）]{0,20}[)）]")
# What may stand between a label and a bare number for the number to be that amount.
_GAP_RE = re.compile(
    r"\s{0,2}(?:[(（](?:元|人民币|RMB|CNY|¥)[)）])?\s{0,2}[:=]?\s{0,3}"
    r"(?:为|是|共|一共|共计|合计|总计|总共|约|约为|达|高达|仅|才|只有|有|共有|了)?\s{0,2}[:]?\s{0,2}"
)
_CLAUSE_TAIL = re.compile(r"[^\n，。；;！？!?|]*\Z")
# A bare number can only be a labelled amount if the character before it can end a label or
# a gap; checking that first spares the label search for most numbers (dates, counts).
_CAN_PRECEDE_BARE = (
    frozenset(w[-1] for w in MONEY_LABELS)
    | frozenset(" \t:=)）为是共计约达仅有了才")
    | frozenset(MONEY_VERBS)
    | frozenset("清掉上")  # 还清3256, 还掉500, 还上2000
    | frozenset("笔")  # 那笔600
)
_LOOKBACK = 24
_CELL_MAX = 12  # a table cell holding a label is short
# After a bare number, these make it a count, a rate or part of a date/phone, not money.
_NOT_MONEY_AFTER = frozenset("%‰期天日月年号个笔次岁倍分秒时点位人条张家周小单级折*")
_CONTINUES_NUMBER = re.compile(r"[-/:.][0-9]")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _label_before(text: str, start: int, floor: int) -> tuple[str | None, bool, bool]:
    """For an amount starting at ``start``: its label, whether that label stands right before
    it, and whether a money verb (还, 欠 …) does."""
    lo = max(floor, start - _LOOKBACK, 0)
    window = _CLAUSE_TAIL.search(text, lo, start).group()  # type: ignore[union-attr]
    if not window.strip(" \t¥￥"):
        cell = _label_cell_above(text, start, floor)
        if cell is not None:
            return cell, True, False
    if not window:
        return None, False, False
    verb = _VERB_BEFORE.search(window) is not None
    # 逾期金额（含罚息）3000元: a label inside a closed parenthesis is a remark, not the label.
    labels = [m for m in _LABEL_RE.finditer(window) if not _inside_parentheses(window, m.start())]
    if not labels:
        return None, False, verb
    last = labels[-1]
    start_, end_ = _compound(window, labels)
    adjacent = _GAP_RE.fullmatch(window, end_) is not None
    name = window[start_:end_]
    if last.group() in _WEAK and len(labels) > 1:
        prev = labels[-2]
        between = _PARENTHESISED.sub("", window[prev.end() : last.start()])
        if len(between) <= 1:
            name = prev.group()  # 欠款金额共计… is still 欠款金额
    elif name == "金额":
        name = _extend_back(window, start_, 2) + name  # 调解金额, 扣款金额
    for m in labels:
        if m.group() in _OVERRIDING:
            return m.group(), adjacent, verb
    return name, adjacent, verb


def _label_cell_above(text: str, start: int, floor: int) -> str | None:
    """PDF tables come out one cell per line (``借款金额\n¥10,000.00``): an amount that opens
    its line takes the line above as its label when that line is nothing but a label."""
    line_start = text.rfind("\n", 0, start) + 1
    if line_start == 0 or line_start - 1 < floor:
        return None
    prev_start = text.rfind("\n", 0, line_start - 1) + 1
    if prev_start < floor or line_start - 1 - prev_start > _CELL_MAX:
        return None
    cell = text[prev_start : line_start - 1].strip().rstrip(":：")
    if not cell or any(ch.isdigit() for ch in cell):
        return None
    labels = [m for m in _LABEL_RE.finditer(cell) if not _inside_parentheses(cell, m.start())]
    if not labels:
        return None
    # The whole cell must be the label (with its modifiers), not a sentence that has one.
    covered = sum(m.end() - m.start() for m in labels)
    return cell if len(cell) - covered <= 2 else None


def _compound(window: str, labels: list[re.Match[str]]) -> tuple[int, int]:
    """The span of the last label grown into the phrase as written with its modifiers:
    已还+本金, 逾期+罚息, 本期应还+款额."""
    last = labels[-1]
    start, end = last.start(), last.end()
    if last.group() in _WEAK:
        return start, end
    for ending in LABEL_ENDINGS:
        if window.startswith(ending, end):
            end += len(ending)
            break
    while start > 0:
        for mod in LABEL_MODIFIERS:
            if window.endswith(mod, 0, start):
                start -= len(mod)
                break
        else:
            break
    return start, end


def _extend_back(window: str, pos: int, most: int) -> str:
    j = pos
    while j > 0 and pos - j < most:
        c = window[j - 1]
        if not _is_cjk(c) or c in COMPANY_STOP_CHARS:
            break
        j -= 1
    return window[j:pos]


def _inside_parentheses(window: str, pos: int) -> bool:
    depth_at_pos = 0
    depth = 0
    for i, c in enumerate(window):
        if i == pos:
            depth_at_pos = depth
        if c in "(（":
            depth += 1
        elif c in ")）" and depth:
            depth -= 1
    # The parenthesis open at `pos` must be closed before the amount.
    return depth_at_pos > 0 and depth < depth_at_pos


def _tidy(value: Decimal) -> Decimal:
    """12000.0 → 12000 after a 万/千 multiplication; a written precision is kept otherwise."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _counted_after(text: str, end: int) -> str:
    """The character after a number, past a 多/余/来 (两千多人: 人)."""
    skip = 1 if text[end : end + 1] in ("多", "余", "来") else 0
    return text[end + skip : end + skip + 1]


def _bare_context_ok(text: str, end: int) -> bool:
    nxt = text[end : end + 1]
    if nxt and nxt in _NOT_MONEY_AFTER:
        return False
    return _CONTINUES_NUMBER.match(text, end) is None


def find_amounts(text: str, blocked: SpanSet | None = None) -> list[FoundAmount]:
    """Amounts in normalised ``text`` (offsets into it), skipping spans in ``blocked``."""
    cands: list[tuple[int, int, re.Match[str], bool]] = []
    for m in _ARABIC.finditer(text):
        cands.append((m.start(), m.end(), m, False))
    for m in _CHINESE.finditer(text):
        cands.append((m.start(), m.end(), m, True))
    extra: list[FoundAmount] = []
    if any(c in text for c in "角毛"):
        for m in _JIAO.finditer(text):
            extra.append(_read_jiao(text, m))
    if _HAS_LATIN.search(text):
        for m in _EN_WORDS.finditer(text):
            w = _EN_NUMBERS[m["w"].lower()]
            scale = _SCALE_WORDS[m["scale"].lower()] if m["scale"] else 1
            code = suffix_code(m["unit"])
            if (
                "/" in code
                or "*" in code
                or (w < 1 and scale == 1)
                or (m["w"].lower() == "a" and scale == 1)
            ):
                continue
            value = _tidy(Decimal(str(w)) * scale)
            extra.append(FoundAmount(m.start(), m.end(), value, None, True, code))
    cands.sort(key=lambda c: (c[0], -c[1]))

    found: list[FoundAmount] = []
    floor = 0
    last_end = -1
    for start, end, m, chinese in cands:
        if start < last_end or (blocked and blocked.overlaps(start, end)):
            continue
        amount = _read_chinese(text, m, floor) if chinese else _read_arabic(text, m, floor)
        if amount is not None and not _unit_word_goes_on(text, amount.end):
            found.append(amount)
            floor = last_end = amount.end
    if extra:
        taken = SpanSet((a.start, a.end) for a in found)
        found.extend(
            a
            for a in extra
            if not taken.overlaps(a.start, a.end)
            and not (blocked and blocked.overlaps(a.start, a.end))
        )
        found.sort(key=lambda a: a.start)
    return _join_subunits(text, found)


def _join_subunits(text: str, found: list[FoundAmount]) -> list[FoundAmount]:
    """两美元又三美分: whole units and the cents after them are one amount."""
    out: list[FoundAmount] = []
    for a in found:
        if out:
            prev = out[-1]
            gap = text[prev.end : a.start]
            if (
                gap in ("又", "零", "")
                and a.currency == prev.currency
                and 0 < a.value < 1
                and prev.value == prev.value.to_integral_value()
            ):
                out[-1] = prev._replace(end=a.end, value=prev.value + a.value)
                continue
        out.append(a)
    return out


def _read_jiao(text: str, m: re.Match[str]) -> FoundAmount:
    value = _subunit(m["j"], 10) + _subunit(m["f"], 100)
    return FoundAmount(m.start(), m.end(), value, None, True)


def _read_arabic(text: str, m: re.Match[str], floor: int) -> FoundAmount | None:
    num = m["num"]
    dotted = num.count(".") > 1
    if dotted:
        whole, _, cents = num.rpartition(".")
        num = whole.replace(".", ",") + "." + cents
        if not (m["cur"] or m["unit"]):
            return None  # 1.234.56 alone may be a version or a code; with ¥ or 元 it is money
    try:
        value = Decimal(num.replace(",", ""))
    except InvalidOperation:
        return None
    start, end = m.start(), m.end()
    mul = (m["mul"] or "").strip()
    unit = m["unit"]
    sign = m["sign0"] or m["sign"]
    marked = bool(m["cur"] or unit)
    nxt = text[end : end + 1]
    if nxt in ("%", "‰"):
        return None
    money_shaped = _MONEY_SHAPED.fullmatch(num) is not None
    signed_cents = bool(sign) and "." in num and len(num.rpartition(".")[2]) == 2
    if (
        not (marked or mul or money_shaped or signed_cents)
        and text[start - 1 : start] not in _CAN_PRECEDE_BARE
    ):
        return None
    label, adjacent, verb = _label_before(text, start, floor)
    if not marked:
        if not _bare_context_ok(text, end):
            return None
        if mul:
            ok = adjacent or verb or not _is_cjk(nxt) or nxt in "多余左"
        else:
            # Statements print money as 1,234.56 or -200.00; chats say 先还500.
            ok = adjacent or verb or money_shaped or signed_cents
        if not ok:
            return None
    if mul:
        factor = _multiplier(mul)
        value *= factor
        if m["sub"]:
            last = _multiplier(mul[-1]) if mul[-1] in _MULTIPLIERS else factor
            step = _MULTIPLIERS[m["submul"]] if m["submul"] else max(last // 10, 1)
            value += int(m["sub"]) * step
        value = _tidy(value)
    currency, end, value = _currency(text, m, end, value)
    if m["jiao"] or m["fen"]:
        value += _subunit(m["jiao"], 10) + _subunit(m["fen"], 100)
    if sign == "-":
        value = -value
    return FoundAmount(start, end, value, label, marked, currency)


# A unit that is the first character of another word: 元旦 (New Year's Day), 蚊子 and 蚊香
# (a mosquito, a coil) are no 元 and no Cantonese 蚊.
_UNIT_WORDS_ON = {"元": "旦", "蚊": "子香帐帳虫蟲"}


def _unit_word_goes_on(text: str, end: int) -> bool:
    nxt = text[end : end + 1]
    return bool(nxt) and nxt in _UNIT_WORDS_ON.get(text[end - 1 : end], "")


def _chinese_decimal(cn: str) -> Decimal | None:
    """一点五万 → 15000: the whole part, the digits after 点, then the scale."""
    whole, _, rest = cn.partition("点")
    n = parse_chinese_integer(whole)
    digits = ""
    while rest and rest[0] in DIGITS:
        digits += str(DIGITS[rest[0]])
        rest = rest[1:]
    if n is None or not digits:
        return None
    scale = _multiplier(rest.replace("萬", "万").replace("億", "亿")) if rest else 1
    return _tidy(Decimal(f"{n}.{digits}") * scale)


def _multiplier(mul: str) -> int:
    """千万亿 = 千 × 万 × 亿; English scale words; k and w."""
    low = mul.lower()
    if low in _SCALE_WORDS:
        return _SCALE_WORDS[low]
    factor = 1
    for c in mul.replace("个", ""):
        factor *= _MULTIPLIERS[c]
    return factor


def _subunit(digit: str | None, per: int) -> Decimal:
    if not digit:
        return Decimal(0)
    d = int(digit) if digit.isdigit() else DIGITS.get(digit, 0)
    return Decimal(d) / per


def _currency(text: str, m: re.Match[str], end: int, value: Decimal) -> tuple[str, int, Decimal]:
    """The ISO code the amount is in: a prefix (US$, 港币) wins over a plain 元 after it; a
    currency word right after 元 (9000元日币) names it too."""
    cur, unit = m["cur"], (m["unit"] or "").strip()
    code = "CNY"
    if unit:
        code = suffix_code(unit)
    if cur:
        pcode = prefix_code(cur.strip())
        if pcode != "CNY" or code == "CNY":
            code = pcode
    if code == "CNY" and unit in ("元", "块"):
        after = _CURRENCY_AFTER.match(text, end)
        if after and suffix_code(after.group()) not in ("CNY", "USD/100"):
            code = suffix_code(after.group())
            end = after.end()
    if code.endswith("/100"):  # 美分, cents
        code = code[:-4]
        value = value / 100
    elif "*" in code:  # MUSD: millions of dollars
        code, _, times = code.partition("*")
        value = _tidy(value * int(times))
    return code, end, value


def _read_chinese(text: str, m: re.Match[str], floor: int) -> FoundAmount | None:
    cn = m["cn"].replace("个", "")
    unit = m["unit"]
    start, end = m.start(), m.end()
    decimal = _chinese_decimal(cn) if "点" in cn else None
    if "点" in cn and decimal is None:
        return None
    if unit:
        if unit == "块" and cn == "一" and text[end : end + 1] != "钱":
            return None  # 一块 is also "together"
        if decimal is not None:
            value: Decimal | None = None if m["jiao"] or m["fen"] else decimal
        else:
            value = parse_chinese_money(cn, m["jiao"], m["fen"])
        if value is None and _DIGIT_BY_DIGIT.fullmatch(cn) and not (m["jiao"] or m["fen"]):
            # 一零一元 read digit by digit (a zero among them: 三五元 is "three or five")
            value = Decimal(parse_digit_sequence(cn) or 0)
        if value is None:
            return None
        label, _, _ = _label_before(text, start, floor)
        currency, end, value = _currency(text, m, end, value)
        return FoundAmount(start, end, value, label, True, currency)
    if not m["cur"] and not any(c in _UNIT_CHARS for c in cn):
        return None
    integer: Decimal | int | None = decimal if decimal is not None else parse_chinese_integer(cn)
    if integer is None:
        return None
    label, adjacent, verb = _label_before(text, start, floor)
    if m["cur"]:
        currency, end, value = _currency(text, m, end, Decimal(integer))
        return FoundAmount(start, end, value, label, True, currency)
    # 剩余两千, 还了两千五, 那笔一万三: a scale word (千, 万) after a label, a money verb or 笔
    # (or after 只有, 就: see _LIMIT_BEFORE);
    # not 还十几天 (a count) nor 千万 the adverb (千万别).
    limited = (
        not (adjacent or verb)
        and any(c in _MONEY_SCALES for c in cn)
        and _LIMIT_BEFORE.search(text, max(0, start - 3), start) is not None
        # 还有两千多人: what the number counts may follow 多/余/来
        and _counted_after(text, end) not in _NOT_MONEY_AFTER
    )
    if (
        (adjacent or verb or limited)
        and any(c in _UNIT_CHARS for c in cn)
        and _bare_context_ok(text, end)
        and text[end : end + 1] != "几"
        and cn != "千万"
    ):
        return FoundAmount(start, end, Decimal(integer), label, False)
    nxt = text[end : end + 1]
    if (
        any(c in "万萬亿億" for c in cn)
        and not _is_cjk(nxt)
        and not _is_cjk(text[start - 1 : start])
    ):
        # 三百万 standing on its own, as 1.2万 does
        return FoundAmount(start, end, Decimal(integer), label, False)
    return None
